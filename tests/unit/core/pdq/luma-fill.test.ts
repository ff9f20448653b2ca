// The luma PDQ hashes, pixel by pixel (src/core/pdq/downscale.ts: isGrey, fillLuma). The expected
// values come from Meta's reference (pdq/cpp/downscaling/downscaling.cpp, fillFloatLumaFromBufferImage):
// luma = LUMA_FROM_R_COEFF * r + LUMA_FROM_G_COEFF * g + LUMA_FROM_B_COEFF * b, in float (each
// product a float, the sums left to right), with the coefficients 0.299f, 0.587f, 0.114f; and a
// picture ImageMagick hands over as greyscale (R = G = B everywhere) hashed from its grey values.
// fillLuma has three paths (grey; RGBA read a pixel per uint32 when aligned; bytes otherwise) and
// each does four pixels a turn then the rest one by one: the sizes here leave 0 to 3 pixels over,
// the rows start past the first, and the RGBA buffers sit at aligned and unaligned offsets.
import { describe, expect, it } from 'vitest';
import { fillLuma, isGrey } from '../../../../src/core/pdq/downscale';
import type { Pixels } from '../../../../src/core/pdq';
import { prng } from '../../../lib/prng';

const f = Math.fround;
/** The reference's float luma of one pixel. */
const referenceLuma = (r: number, g: number, b: number) => f(f(f(f(0.299) * r) + f(f(0.587) * g)) + f(f(0.114) * b));

function picture(width: number, height: number, channels: Pixels['channels'], seed: number, offset = 0): Pixels {
  const rand = prng(seed);
  const backing = new Uint8Array(offset + width * height * channels);
  for (let i = 0; i < backing.length; i++) backing[i] = rand() & 255;
  return { width, height, channels, data: backing.subarray(offset) };
}

/** Luma of rows [first, first + count) by the reference's formula. */
function expected(px: Pixels, grey: boolean, first: number, count: number): number[] {
  const out: number[] = [];
  for (let i = first * px.width; i < (first + count) * px.width; i++) {
    const p = i * px.channels;
    out.push(grey ? px.data[p]! : referenceLuma(px.data[p]!, px.data[p + 1]!, px.data[p + 2]!));
  }
  return out;
}

describe('isGrey', () => {
  const grey = (channels: 3 | 4): Pixels => {
    const px = picture(5, 3, channels, 7);
    for (let p = 0; p < px.data.length; p += channels) px.data[p + 1] = px.data[p + 2] = px.data[p]!;
    return px;
  };

  it('R = G = B in every pixel is grey, whatever the alpha; one channel is grey', () => {
    expect(isGrey(grey(3))).toBe(true);
    expect(isGrey(grey(4))).toBe(true); // alpha is random: it is not compared
    expect(isGrey(picture(4, 4, 1, 3))).toBe(true);
  });

  it('one pixel with G ≠ R, or B ≠ R, anywhere (the last one too) is not grey', () => {
    for (const channels of [3, 4] as const) {
      for (const at of [0, 7, 14]) {
        for (const k of [1, 2]) {
          const px = grey(channels);
          px.data[at * channels + k] = (px.data[at * channels]! + 1) % 256;
          expect(isGrey(px), `${channels} channels, pixel ${at}, channel ${k}`).toBe(false);
        }
      }
    }
  });
});

describe('fillLuma: the reference’s float luma, every path and every remainder', () => {
  it('RGB, RGBA aligned and RGBA unaligned: 0 to 3 pixels left after the groups of four, from row 0 or later', () => {
    for (const [channels, offset] of [[3, 0], [3, 1], [4, 0], [4, 4], [4, 1], [4, 2]] as const) {
      for (const width of [4, 5, 6, 7, 9]) {
        const px = picture(width, 4, channels, width * 10 + channels + offset, offset);
        for (const [first, count] of [[0, 1], [1, 2], [3, 1], [0, 4]] as const) {
          const out = new Float32Array(count * width + 2).fill(-1);
          fillLuma(px, false, first, count, out);
          const where = `${channels} channels at offset ${offset}, width ${width}, rows ${first}+${count}`;
          expect([...out.subarray(0, count * width)], where).toEqual(expected(px, false, first, count));
          expect([...out.subarray(count * width)], `${where}: nothing written past the rows`).toEqual([-1, -1]);
        }
      }
    }
  });

  it('grey: the first channel’s value, for 1, 3 and 4 channels', () => {
    for (const channels of [1, 3, 4] as const) {
      for (const width of [4, 5, 7]) {
        const px = picture(width, 3, channels, width + channels);
        const out = new Float32Array(2 * width + 1).fill(-1);
        fillLuma(px, true, 1, 2, out);
        expect([...out.subarray(0, 2 * width)], `${channels} channels, width ${width}`).toEqual(expected(px, true, 1, 2));
        expect(out[2 * width]).toBe(-1);
      }
    }
  });

  it('differs from the double-precision formula where the reference’s float rounding does (the test would see a path in doubles)', () => {
    // (0.299·r + 0.587·g) + 0.114·b in float32 against doubles: some byte triple must differ, or this test proves nothing.
    let differs = 0;
    for (let v = 0; v < 256; v++) if (referenceLuma(v, 255 - v, (v * 7) % 256) !== f(0.299 * v + 0.587 * (255 - v) + 0.114 * ((v * 7) % 256))) differs++;
    expect(differs).toBeGreaterThan(0);
  });
});
