// downscaledLuma (src/core/pdq/index.ts): "the 64x64 luma that pdqHash hashes (a copy) … all zeros
// for images below MIN_HASHABLE_SIDE". A flat picture (quality 0, still hashable) has a luma: its
// one grey level everywhere (the reference's box filters average a constant to itself).
import { describe, expect, it } from 'vitest';
import { downscaledLuma, pdqHash, type Pixels } from '../../../../src/core/pdq';

const flat = (size: number, level: number): Pixels => ({ width: size, height: size, channels: 1, data: new Uint8Array(size * size).fill(level) });

describe('downscaledLuma', () => {
  it('a flat picture of quality 0: its grey level in all 64x64 cells', () => {
    expect(pdqHash(flat(70, 180)).quality).toBe(0);
    const luma = downscaledLuma(flat(70, 180));
    expect(luma.length).toBe(4096);
    for (const v of [luma[0]!, luma[2080]!, luma[4095]!]) expect(v).toBeCloseTo(180, 3);
  });

  it('below 5 pixels a side: 4096 zeros', () => {
    const luma = downscaledLuma(flat(4, 200));
    expect(luma.length).toBe(4096);
    expect(luma.every((v) => v === 0)).toBe(true);
  });

  it('is a copy: a later call does not change an earlier answer', () => {
    const first = downscaledLuma(flat(70, 30));
    downscaledLuma(flat(70, 220));
    expect(first[100]).toBeCloseTo(30, 3);
  });
});
