// Behaviour of the PDQ API on generated pixels: input forms, edge sizes, validation, the dihedral
// hashes against really rotated and flipped buffers. Agreement with the reference C++ is checked in
// reference.test.ts (its test photos) and reference-synthetic.test.ts (generated images).
import { describe, expect, it } from 'vitest';
import { hammingDistance, hashToHex } from '../../../../src/core/hash256';
import {
  DIHEDRAL_NAMES,
  MIN_HASHABLE_SIDE,
  PDQ_MATCH_DISTANCE,
  PDQ_MIN_QUALITY,
  downscaledLuma,
  pdqHash,
  pdqHashDihedral,
  type Pixels,
} from '../../../../src/core/pdq';
import { synthesize } from './synthetic.mjs';

/** A colour test image as RGBA (opaque). */
function rgbaScene(width: number, height: number, seed: number, kind: 'scene' | 'medium' = 'scene'): Pixels {
  const rgb = synthesize({ width, height, channels: 3, kind, seed });
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([rgb.data[i * 3]!, rgb.data[i * 3 + 1]!, rgb.data[i * 3 + 2]!, 255], i * 4);
  return { width, height, channels: 4, data };
}

/** out(x, y) = px(f(x, y)), for an RGBA buffer. */
function remap(px: Pixels, width: number, height: number, f: (x: number, y: number) => [number, number]): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = f(x, y);
      const s = (sy * px.width + sx) * 4;
      data.set(px.data.subarray(s, s + 4), (y * width + x) * 4);
    }
  }
  return { width, height, channels: 4, data };
}

const hex = (r: { hash: Uint16Array }) => hashToHex(r.hash);

describe('pdqHash', () => {
  // Not in the pdq mutation group's quick run (AD_PDQ_QUICK=1): its 1200x900 image is minutes of instrumented loops.
  it.skipIf(process.env.AD_PDQ_QUICK === '1')('is deterministic, leaves its input alone, and is unaffected by earlier calls on other sizes', () => {
    const px = rgbaScene(300, 200, 1);
    const copy = px.data.slice();
    const first = pdqHash(px);
    pdqHash(rgbaScene(1200, 900, 2)); // larger than the scratch space kept between calls
    pdqHash(rgbaScene(7, 9, 3));
    pdqHashDihedral(rgbaScene(64, 64, 4));
    expect(pdqHash(px)).toEqual(first);
    expect(px.data).toEqual(copy);
  });

  it('gives flat images a quality below the matching threshold, structured ones full quality', () => {
    const flat: Pixels = { data: new Uint8ClampedArray(200 * 100 * 4).fill(180), width: 200, height: 100, channels: 4 };
    expect(pdqHash(flat).quality).toBeLessThan(PDQ_MIN_QUALITY);
    const faint = synthesize({ width: 200, height: 100, channels: 1, kind: 'flat', seed: 5 });
    expect(pdqHash(faint).quality).toBeLessThan(PDQ_MIN_QUALITY);
    expect(pdqHash(rgbaScene(200, 100, 5)).quality).toBe(100);
  });

  it('hashes 1-, 3- and 4-channel input of the same picture identically, alpha ignored', () => {
    const rgb = synthesize({ width: 120, height: 90, channels: 3, kind: 'scene', seed: 6 });
    const rgba = new Uint8Array(120 * 90 * 4);
    for (let i = 0; i < 120 * 90; i++) rgba.set([rgb.data[i * 3]!, rgb.data[i * 3 + 1]!, rgb.data[i * 3 + 2]!, i & 255], i * 4);
    expect(pdqHash({ ...rgb, data: rgba, channels: 4 })).toEqual(pdqHash(rgb));
    // Grey: as 1 channel, and as RGB/RGBA with R = G = B (hashed as grey, like the reference CLI).
    const grey = synthesize({ width: 120, height: 90, channels: 1, kind: 'scene', seed: 7 });
    const greyRgb = new Uint8Array(120 * 90 * 3).map((_, p) => grey.data[Math.floor(p / 3)]!);
    const greyRgba = new Uint8ClampedArray(120 * 90 * 4).map((_, p) => (p % 4 === 3 ? 255 : grey.data[p >> 2]!));
    const expected = pdqHash(grey);
    expect(pdqHash({ ...grey, data: greyRgb, channels: 3 })).toEqual(expected);
    expect(pdqHash({ ...grey, data: greyRgba, channels: 4 })).toEqual(expected);
  });

  it('reads RGBA at any byte offset (the aligned fast path and the byte path agree)', () => {
    const px = rgbaScene(101, 77, 8);
    const shifted = new Uint8Array(px.data.length + 1);
    shifted.set(px.data, 1);
    expect(pdqHash({ ...px, data: shifted.subarray(1) })).toEqual(pdqHash(px));
  });

  it('is robust to resizing and separates different pictures', () => {
    const big = pdqHash(rgbaScene(800, 600, 9, 'medium')).hash;
    const small = remap(rgbaScene(800, 600, 9, 'medium'), 400, 300, (x, y) => [2 * x, 2 * y]);
    expect(hammingDistance(big, pdqHash(small).hash)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
    expect(hammingDistance(big, pdqHash(rgbaScene(800, 600, 10, 'medium')).hash)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
  });

  it('takes a 64x64 input as the 64x64 luma itself, as the reference does', () => {
    const px = rgbaScene(64, 64, 11);
    const f = Math.fround;
    const expected = Float32Array.from({ length: 4096 }, (_, i) => {
      const [r, g, b] = [px.data[i * 4]!, px.data[i * 4 + 1]!, px.data[i * 4 + 2]!];
      return f(f(f(0.299) * r) + f(f(0.587) * g)) + f(f(0.114) * b);
    });
    expect(downscaledLuma(px)).toEqual(expected);
  });

  it('returns a zero hash of quality 0 below 5 pixels a side, like the reference, and handles tiny sizes', () => {
    for (const [w, h] of [
      [1, 1],
      [3, 7],
      [MIN_HASHABLE_SIDE - 1, 300],
    ] as const) {
      const px = rgbaScene(w, h, 12);
      expect(pdqHash(px)).toEqual({ hash: new Uint16Array(16), quality: 0 });
      expect(pdqHashDihedral(px).hashes.map(hashToHex)).toEqual(Array(8).fill('0'.repeat(64)));
      expect(downscaledLuma(px).every((v) => v === 0)).toBe(true);
    }
    const five = pdqHash(rgbaScene(MIN_HASHABLE_SIDE, 9, 13));
    expect(hex(five)).not.toBe('0'.repeat(64));
  });

  it('rejects malformed pixel buffers with a RangeError that says what is wrong', () => {
    const bad = (px: unknown) => () => pdqHash(px as Pixels);
    expect(bad({ data: new Uint8Array(10), width: 2, height: 2, channels: 4 })).toThrow(/10 bytes, expected 2x2x4 = 16/);
    expect(bad({ data: new Uint8Array(0), width: 0, height: 0, channels: 4 })).toThrow(RangeError);
    expect(bad({ data: new Uint8Array(0), width: 0, height: 5, channels: 4 })).toThrow(/positive integers/);
    expect(bad({ data: new Uint8Array(8), width: 1.5, height: 2, channels: 1 })).toThrow(/positive integers/);
    expect(bad({ data: new Uint8Array(8), width: 2, height: 2, channels: 2 })).toThrow(/channels must be 1, 3 or 4/);
    expect(bad({ width: 2, height: 2, channels: 1 })).toThrow(RangeError);
    expect(() => pdqHashDihedral({ data: new Uint8Array(3), width: 2, height: 2, channels: 1 })).toThrow(RangeError);
  });
});

describe('pdqHashDihedral', () => {
  // Sides that are odd multiples of 64 with odd box windows (320: window 3; 576: window 5) make
  // the sampling grid symmetric, so turning the pixels commutes with the downscale exactly.
  const W = 320;
  const H = 576;
  const px = rgbaScene(W, H, 14);
  const { hashes, quality } = pdqHashDihedral(px);
  const moved: [string, Pixels][] = [
    // The reference's rotate90 turns the picture a quarter turn counter-clockwise.
    ['rotate90', remap(px, H, W, (x, y) => [W - 1 - y, x])],
    ['rotate180', remap(px, W, H, (x, y) => [W - 1 - x, H - 1 - y])],
    ['rotate270', remap(px, H, W, (x, y) => [y, H - 1 - x])],
    ['flipx', remap(px, W, H, (x, y) => [x, H - 1 - y])],
    ['flipy', remap(px, W, H, (x, y) => [W - 1 - x, y])],
    ['flipplus1', remap(px, H, W, (x, y) => [y, x])],
    ['flipminus1', remap(px, H, W, (x, y) => [W - 1 - y, H - 1 - x])],
  ];

  it('starts with the plain hash and has its quality', () => {
    expect(hashes).toHaveLength(8);
    expect(hashToHex(hashes[0]!)).toBe(hex(pdqHash(px)));
    expect(quality).toBe(pdqHash(px).quality);
    expect(moved.map(([name]) => name)).toEqual(DIHEDRAL_NAMES.slice(1));
  });

  it.each(moved.map(([name, p], i) => [name, i + 1, p] as const))('%s of the pixels hashes to dihedral hash %i', (name, i, p) => {
    const plain = pdqHash(p).hash;
    const distances = hashes.map((h) => hammingDistance(plain, h));
    console.log(`${name}: distance to each dihedral hash ${distances.join(' ')}`);
    expect(distances[i], name).toBeLessThanOrEqual(2);
    expect(Math.min(...distances.filter((_, k) => k !== i)), name).toBeGreaterThan(PDQ_MATCH_DISTANCE);
  });
});
