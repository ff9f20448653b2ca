// canonicalPixels (src/core/pdq/canonical.ts): the one scaling both the CLI and the extension apply
// before hashing. Expected pixels come from ImageMagick's `-scale` (an independent area-average
// implementation; fixtures/canonical/README.md says how they were made): it rounds a level
// differently now and then, so agreement is within one level.
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CANONICAL_SIDE, canonicalPixels, canonicalSize, pdqHash, type Pixels } from '../../../../src/core/pdq';

const FIX = path.resolve(import.meta.dirname, 'fixtures/canonical');

async function load(name: string, channels: 1 | 3 | 4): Promise<Pixels> {
  let img = sharp(path.join(FIX, name));
  img = channels === 1 ? img.greyscale().toColourspace('b-w') : channels === 3 ? img.removeAlpha() : img.ensureAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(channels);
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels };
}

function compare(a: Pixels, b: Pixels): { max: number; mean: number } {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.data.length };
}

describe('canonicalPixels', () => {
  it('is an area average: within a level of ImageMagick -scale (colour, 240x170 → 100x71)', async () => {
    const out = canonicalPixels(await load('source.png', 3), 100);
    const { max, mean } = compare(out, await load('imagemagick-scale-100x71.png', 3));
    expect(max).toBeLessThanOrEqual(1);
    expect(mean).toBeLessThan(0.6);
  });

  it('keeps grey images grey (one channel, 240x170 → 71x50)', async () => {
    const out = canonicalPixels(await load('source-grey.png', 1), 71);
    expect(out.channels).toBe(1);
    expect(compare(out, await load('imagemagick-scale-grey-71x50.png', 1)).max).toBeLessThanOrEqual(1);
  });

  it('gives the same bytes from RGBA (the browser) and RGB (the CLI) of the same picture', async () => {
    const rgba = canonicalPixels(await load('source.png', 4), 100);
    const rgb = canonicalPixels(await load('source.png', 3), 100);
    expect(rgba.channels).toBe(3);
    expect(Buffer.from(rgba.data).equals(Buffer.from(rgb.data))).toBe(true);
    // and so the same hash
    expect(pdqHash(rgba).hash).toEqual(pdqHash(rgb).hash);
  });

  it('scales the long side to CANONICAL_SIDE, aspect kept; never enlarges', () => {
    expect(CANONICAL_SIDE).toBe(512);
    expect(canonicalSize(4000, 3000)).toEqual({ width: 512, height: 384 });
    expect(canonicalSize(680, 1020)).toEqual({ width: 341, height: 512 });
    expect(canonicalSize(300, 200)).toEqual({ width: 300, height: 200 });
    expect(canonicalSize(20000, 10)).toEqual({ width: 512, height: 1 });
  });

  it('keeps a flat image exactly flat, whatever the ratio', () => {
    for (const [w, h] of [[1000, 700], [4001, 3], [513, 512], [2048, 1536]] as const) {
      const px: Pixels = { width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(200) };
      const out = canonicalPixels(px);
      expect(out.data.every((v) => v === 200)).toBe(true);
    }
  });

  it('returns an image within the size as it is (RGB dropped to 3 channels from RGBA)', async () => {
    const small = await load('source.png', 3);
    expect(canonicalPixels(small)).toBe(small);
    const rgba = canonicalPixels(await load('source.png', 4));
    expect(compare(rgba, small).max).toBe(0);
  });

  it('refuses malformed pixels', () => {
    expect(() => canonicalPixels({ width: 10, height: 10, channels: 3, data: new Uint8Array(5) })).toThrow(RangeError);
  });
});
