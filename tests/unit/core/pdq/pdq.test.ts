import { describe, expect, it } from 'vitest';
import { hammingDistance, hashToHex } from '../../../../src/core/hash256';
import { MIN_HASHABLE_SIDE, PDQ_MIN_QUALITY, downscaledLuma, pdqHash, pdqHashDihedral, type Pixels } from '../../../../src/core/pdq';

/** A structured test image: a few gradients and blobs, seeded. */
function scene(width: number, height: number, seed = 1): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const u = x / width;
      const v = y / height;
      const blob = Math.hypot(u - 0.3 * seed, v - 0.6) < 0.2 ? 120 : 0;
      data[p] = 255 * u * v + blob;
      data[p + 1] = 128 + 100 * Math.sin(u * 7 * seed + v * 3);
      data[p + 2] = 255 * (1 - v) - blob / 2;
      data[p + 3] = 255;
    }
  }
  return { data, width, height, channels: 4 };
}

function transform(px: Pixels, f: (x: number, y: number) => [number, number], width: number, height: number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = f(x, y);
      data.set(px.data.subarray((sy * px.width + sx) * 4, (sy * px.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { data, width, height, channels: 4 };
}

describe('pdqHash', () => {
  it('is deterministic and independent of earlier calls (scratch buffers are reused)', () => {
    const a = scene(300, 200);
    const first = hashToHex(pdqHash(a).hash);
    pdqHash(scene(1000, 50, 2));
    pdqHash(scene(7, 9));
    expect(hashToHex(pdqHash(a).hash)).toBe(first);
  });

  it('gives flat images a quality below the matching threshold', () => {
    const flat = { data: new Uint8ClampedArray(200 * 100 * 4).fill(180), width: 200, height: 100, channels: 4 as const };
    expect(pdqHash(flat).quality).toBeLessThan(PDQ_MIN_QUALITY);
    expect(pdqHash(scene(200, 100)).quality).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
  });

  it('treats grey, RGB and RGBA input of the same image alike', () => {
    const rgba = scene(120, 90);
    const n = rgba.width * rgba.height;
    const rgb = new Uint8Array(n * 3);
    const grey = new Uint8Array(n);
    const greyRgba = new Uint8ClampedArray(n * 4);
    for (let i = 0; i < n; i++) {
      rgb.set(rgba.data.subarray(i * 4, i * 4 + 3), i * 3);
      grey[i] = rgba.data[i * 4 + 1]!;
      greyRgba.set([grey[i]!, grey[i]!, grey[i]!, 255], i * 4);
    }
    expect(hashToHex(pdqHash({ ...rgba, data: rgb, channels: 3 }).hash)).toBe(hashToHex(pdqHash(rgba).hash));
    const fromGrey = pdqHash({ data: grey, width: rgba.width, height: rgba.height, channels: 1 }).hash;
    const fromGreyRgba = pdqHash({ data: greyRgba, width: rgba.width, height: rgba.height, channels: 4 }).hash;
    expect(hammingDistance(fromGrey, fromGreyRgba)).toBeLessThanOrEqual(2); // float rounding of 0.299+0.587+0.114
  });

  it('is robust to resizing and separates different images', () => {
    const big = pdqHash(scene(800, 600)).hash;
    expect(hammingDistance(big, pdqHash(scene(400, 300)).hash)).toBeLessThanOrEqual(16);
    expect(hammingDistance(big, pdqHash(scene(800, 600, 2)).hash)).toBeGreaterThan(31);
  });

  it('uses a 64x64 input as the downsample itself, and returns a zero hash below 5 pixels', () => {
    const px = scene(64, 64);
    const luma = downscaledLuma(px);
    expect(luma).toHaveLength(4096);
    expect(luma[0]).toBeCloseTo(0.587 * px.data[1]! + 0.114 * px.data[2]!, 3);
    const tiny = pdqHash(scene(MIN_HASHABLE_SIDE - 1, 30));
    expect(tiny.quality).toBe(0);
    expect(hashToHex(tiny.hash)).toBe('0'.repeat(64));
    expect(() => pdqHash(scene(1, 1))).not.toThrow();
    expect(() => pdqHash(scene(3, 7))).not.toThrow();
  });

  it('rejects malformed pixel buffers with a RangeError', () => {
    expect(() => pdqHash({ data: new Uint8Array(10), width: 2, height: 2, channels: 4 })).toThrow(RangeError);
    expect(() => pdqHash({ data: new Uint8Array(0), width: 0, height: 0, channels: 4 })).toThrow(/positive integers/);
    expect(() => pdqHash({ data: new Uint8Array(8), width: 2, height: 2, channels: 2 as 1 })).toThrow(/channels/);
  });
});

describe('pdqHashDihedral', () => {
  // Large enough that the box filter smooths out the sampling grid's asymmetry under mirroring.
  const px = scene(512, 384, 3);
  const { hashes } = pdqHashDihedral(px);
  const W = px.width;
  const H = px.height;
  // Each transform of the pixels, in the reference order after the original.
  const transforms: [string, Pixels][] = [
    // The reference's rotate90 turns the picture a quarter turn counter-clockwise.
    ['rotate90', transform(px, (x, y) => [W - 1 - y, x], H, W)],
    ['rotate180', transform(px, (x, y) => [W - 1 - x, H - 1 - y], W, H)],
    ['rotate270', transform(px, (x, y) => [y, H - 1 - x], H, W)],
    ['flipx', transform(px, (x, y) => [x, H - 1 - y], W, H)],
    ['flipy', transform(px, (x, y) => [W - 1 - x, y], W, H)],
    ['flipplus1', transform(px, (x, y) => [y, x], H, W)],
    ['flipminus1', transform(px, (x, y) => [W - 1 - y, H - 1 - x], H, W)],
  ];

  it('starts with the plain hash', () => {
    expect(hashToHex(hashes[0]!)).toBe(hashToHex(pdqHash(px).hash));
  });

  it.each(transforms.map((t, i) => [t[0], i + 1, t[1]] as const))('%s of the pixels hashes to dihedral hash %i', (name, i, moved) => {
    const plain = pdqHash(moved).hash;
    const distances = hashes.map((h) => hammingDistance(plain, h));
    expect(distances[i], `${name}: ${distances.join(' ')}`).toBeLessThanOrEqual(16);
    expect(Math.min(...distances.filter((_, k) => k !== i))).toBeGreaterThan(31);
  });
});
