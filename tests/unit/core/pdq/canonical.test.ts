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
    // AD_PDQ_QUICK=1 (the pdq mutation group): small sizes only; the large ones are seconds of
    // instrumented loops for every surviving mutant.
    const sizes = process.env.AD_PDQ_QUICK === '1' ? [[1000, 7], [4001, 3], [600, 41]] : [[1000, 700], [4001, 3], [513, 512], [2048, 1536]];
    for (const [w, h] of sizes as [number, number][]) {
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

// Hand-worked area averages (the rule in canonical.ts's header: each output pixel is the mean of the
// source area it covers, a partly covered pixel weighted by its share). 3 → 2 samples: output 0
// covers source [0, 1.5): 2/3 of pixel 0 and 1/3 of pixel 1; output 1 covers [1.5, 3): 1/3 of
// pixel 1 and 2/3 of pixel 2. So [0, 90, 180] → [30, 150], and [0, 1, 2] → [1/3, 5/3] → [0, 2].
describe('canonicalPixels, worked by hand', () => {
  const grey = (width: number, height: number, values: number[]): Pixels => ({ width, height, channels: 1, data: Uint8Array.from(values) });

  it('3x1 grey to 2x1: [0, 90, 180] → [30, 150]; the nearest level: [0, 1, 2] → [0, 2]', () => {
    expect([...canonicalPixels(grey(3, 1, [0, 90, 180]), 2).data]).toEqual([30, 150]);
    expect([...canonicalPixels(grey(3, 1, [0, 1, 2]), 2).data]).toEqual([0, 2]);
    expect([...canonicalPixels(grey(3, 1, [255, 255, 255]), 2).data]).toEqual([255, 255]);
    // 1x3 (the same along y): the long side is the height.
    const tall = canonicalPixels(grey(1, 3, [0, 90, 180]), 2);
    expect([tall.width, tall.height, tall.channels, ...tall.data]).toEqual([1, 2, 1, 30, 150]);
  });

  it('4x2 grey to 2x1: each output the mean of a 2x2 block', () => {
    const out = canonicalPixels(grey(4, 2, [10, 20, 100, 200, 30, 40, 0, 100]), 2);
    expect([out.width, out.height, ...out.data]).toEqual([2, 1, 25, 100]);
  });

  it('3x3 colour (RGB and RGBA alike) to 2x2: each channel averaged on its own, alpha dropped', () => {
    // R grows along x, G along y, B is flat; alpha (RGBA) is anything.
    const level = [0, 90, 180];
    const make = (c: 3 | 4): Pixels => {
      const data = new Uint8Array(9 * c);
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) {
          const p = (y * 3 + x) * c;
          data[p] = level[x]!;
          data[p + 1] = level[y]!;
          data[p + 2] = 60;
          if (c === 4) data[p + 3] = 17 * (x + 3 * y);
        }
      return { width: 3, height: 3, channels: c, data };
    };
    // Rows (y) then columns (x), each pixel R, G, B.
    const expected = [30, 30, 60, 150, 30, 60, 30, 150, 60, 150, 150, 60];
    for (const c of [3, 4] as const) {
      const out = canonicalPixels(make(c), 2);
      expect([out.width, out.height, out.channels]).toEqual([2, 2, 3]);
      expect([...out.data]).toEqual(expected);
    }
  });

  it('an image whose long side is the canonical side is kept as it is (the same object)', () => {
    const px: Pixels = { width: 2, height: 1, channels: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(canonicalPixels(px, 2)).toBe(px);
    expect(canonicalSize(512, 300)).toEqual({ width: 512, height: 300 });
    // RGBA within the size: its RGB, pixel by pixel (1x2: W·H·3 bytes, not W/H·3).
    const rgba = canonicalPixels({ width: 1, height: 2, channels: 4, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }, 2);
    expect([rgba.width, rgba.height, rgba.channels, ...rgba.data]).toEqual([1, 2, 3, 1, 2, 3, 5, 6, 7]);
  });

  it('rounds the short side to the nearest pixel, never below 1', () => {
    // 1000x999 → 512 x 511.488 → 511; 999x1000 likewise; 1000x1 → 512 x 0.512 → 1.
    expect(canonicalSize(1000, 999)).toEqual({ width: 512, height: 511 });
    expect(canonicalSize(999, 1000)).toEqual({ width: 511, height: 512 });
    expect(canonicalSize(1000, 1)).toEqual({ width: 512, height: 1 });
    expect(canonicalSize(1, 1000)).toEqual({ width: 1, height: 512 });
    // 1025x1000 → 512 x 499.5... = 499.51 → 500 (round, not floor).
    expect(canonicalSize(1025, 1000)).toEqual({ width: 512, height: 500 });
  });
});
