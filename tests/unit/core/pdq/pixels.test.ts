// The pixel buffers PDQ takes (src/core/pdq/pixels.ts): the size limit (MAX_PIXELS = 64 Mi pixels,
// the limit itself allowed) and the reference CLI's pre-resize, which pdqio.cpp documents as CImg's
// default nearest-neighbour resize to exactly 512x512 when either side is over 512: output (x, y)
// takes input (floor(x * W / 512), floor(y * H / 512)). Expected pixels below are computed from that
// formula on patterned inputs, not from the function.
import { describe, expect, it } from 'vitest';
import { MAX_PIXELS, REFERENCE_CLI_MAX, referenceCliResize, type Pixels } from '../../../../src/core/pdq';
import { checkPixels } from '../../../../src/core/pdq/pixels';

/** Each pixel's channel c holds a value from its position: (x * 7 + y * 13 + c * 101) mod 256. */
function pattern(width: number, height: number, channels: 1 | 3 | 4): Pixels {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = (x * 7 + y * 13 + c * 101) % 256;
  return { width, height, channels, data };
}
const at = (px: Pixels, x: number, y: number, c: number) => px.data[(y * px.width + x) * px.channels + c];

describe('checkPixels', () => {
  it('takes MAX_PIXELS (64 Mi) pixels and refuses one more row, before reading the data', () => {
    expect(MAX_PIXELS).toBe(64 * 1024 * 1024);
    expect(() => checkPixels({ width: 8192, height: 8192, channels: 1, data: new Uint8Array(8192 * 8192) })).not.toThrow();
    expect(() => checkPixels({ width: 8192, height: 8193, channels: 1, data: new Uint8Array(0) })).toThrow(/image too large: 8192x8193/);
  });

  it('names what is wrong', () => {
    expect(() => checkPixels({ width: 3, height: 0, channels: 1, data: new Uint8Array(0) })).toThrow('image size must be positive integers, got 3x0');
    expect(() => checkPixels({ width: -1, height: 2, channels: 1, data: new Uint8Array(0) })).toThrow(/got -1x2/);
    expect(() => checkPixels({ width: 2, height: 2.5, channels: 1, data: new Uint8Array(5) })).toThrow(/positive integers/);
    expect(() => checkPixels({ width: 2, height: 2, channels: 0 as 1, data: new Uint8Array(0) })).toThrow('channels must be 1, 3 or 4, got 0');
    expect(() => checkPixels({ width: 2, height: 3, channels: 3, data: new Uint8Array(17) })).toThrow('pixel data has 17 bytes, expected 2x3x3 = 18');
    expect(() => checkPixels({ width: 1, height: 1, channels: 4, data: new Uint8Array(4) })).not.toThrow();
    expect(() => checkPixels({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) })).not.toThrow();
  });
});

describe('referenceCliResize (CImg nearest neighbour to 512x512 above 512)', () => {
  it('returns an image of at most 512 on both sides as it is', () => {
    expect(REFERENCE_CLI_MAX).toBe(512);
    const px = pattern(512, 512, 1);
    expect(referenceCliResize(px)).toBe(px);
    const small = pattern(5, 300, 3);
    expect(referenceCliResize(small)).toBe(small);
  });

  for (const [width, height, channels] of [
    [513, 7, 1],
    [9, 1030, 3],
    [1000, 600, 4],
  ] as const) {
    it(`resizes ${width}x${height}, ${channels} channel(s), to 512x512, source floor(x·W/512), floor(y·H/512)`, () => {
      const px = pattern(width, height, channels);
      const out = referenceCliResize(px);
      expect([out.width, out.height, out.channels, out.data.length]).toEqual([512, 512, channels, 512 * 512 * channels]);
      for (let y = 0; y < 512; y++) {
        for (let x = 0; x < 512; x++) {
          const sx = Math.floor((x * width) / 512);
          const sy = Math.floor((y * height) / 512);
          for (let c = 0; c < channels; c++) if (at(out, x, y, c) !== at(px, sx, sy, c)) expect(`(${x},${y},${c}) = ${at(out, x, y, c)}`).toBe(`(${x},${y},${c}) = ${at(px, sx, sy, c)}`);
        }
      }
    });
  }

  it('refuses a malformed buffer', () => {
    expect(() => referenceCliResize({ width: 600, height: 600, channels: 1, data: new Uint8Array(10) })).toThrow(RangeError);
  });
});
