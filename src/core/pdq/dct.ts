/**
 * The 16x16 low-frequency block of the 64x64 DCT-II, the quality metric and the median threshold,
 * as in the reference (facebook/ThreatExchange pdq/cpp/hashing/pdqhashing.cpp: dct64To16,
 * pdqImageDomainQualityMetric, and hashing/torben.cpp). Float32 steps as there (see downscale.ts).
 */
import { HASH_WORDS, emptyHash, type Hash256 } from '../hash256';

/** Rows 1..16 of the 64-point DCT-II matrix (row 0, the mean, carries no structure). */
export const DCT_MATRIX: Float32Array = (() => {
  const m = new Float32Array(16 * 64);
  const scale = Math.fround(Math.sqrt(2 / 64)); // a float in the reference
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return m;
})();

/** B = D · A · Dᵀ for the 64x64 buffer A; `t` is 16x64 scratch; writes 16x16 into `out`. */
export function dct64To16(a: Float32Array, t: Float32Array, out: Float32Array): void {
  const d = DCT_MATRIX;
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = Math.fround(sum + Math.fround(d[i * 64 + k]! * a[k * 64 + j]!));
      t[i * 64 + j] = sum;
    }
  }
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = Math.fround(sum + Math.fround(t[i * 64 + k]! * d[j * 64 + k]!));
      out[i * 16 + j] = sum;
    }
  }
}

/** Sum of absolute neighbour differences (in percent of full scale) over the 64x64 buffer, /90, ≤ 100. */
export function quality64(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      sum += Math.abs(Math.trunc(Math.fround(Math.fround(Math.fround(a[i * 64 + j]! - a[(i + 1) * 64 + j]!) * 100) / 255)));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      sum += Math.abs(Math.trunc(Math.fround(Math.fround(Math.fround(a[i * 64 + j]! - a[i * 64 + j + 1]!) * 100) / 255)));
    }
  }
  return Math.min(100, Math.trunc(sum / 90));
}

const sorted = new Float32Array(256);

/**
 * Bit i*16+j is set iff B[i][j] is above the median, where the median is the 128th smallest value
 * (what the reference's Torben median returns for 256 values).
 */
export function thresholdToHash(b: Float32Array): Hash256 {
  sorted.set(b);
  sorted.sort();
  const median = sorted[127]!;
  const hash = emptyHash();
  for (let w = 0; w < HASH_WORDS; w++) {
    let word = 0;
    for (let j = 0; j < 16; j++) if (b[w * 16 + j]! > median) word |= 1 << j;
    hash[w] = word;
  }
  return hash;
}

/**
 * The 8 dihedral transforms of the image, done on its DCT: mirroring reverses one axis, which
 * flips the sign of the odd-frequency coefficients along it (our row i is frequency i+1, so the
 * sign flips where i is even); a quarter turn also transposes. Order: original, rotate90,
 * rotate180, rotate270, flipX, flipY, flipPlus1, flipMinus1 (the reference's order).
 * [transpose, negate where the row index is even, negate where the column index is even]
 */
const DIHEDRAL: readonly (readonly [boolean, boolean, boolean])[] = [
  [false, false, false], // original
  [true, false, true], // rotate 90
  [false, true, true], // rotate 180
  [true, true, false], // rotate 270
  [false, true, false], // flip x
  [false, false, true], // flip y
  [true, false, false], // flip plus1 (transpose)
  [true, true, true], // flip minus1 (anti-transpose)
];

export function dihedralDct(b: Float32Array, index: number, out: Float32Array): void {
  const [transpose, negRows, negCols] = DIHEDRAL[index]!;
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let v = b[i * 16 + j]!;
      if ((negRows && (i & 1) === 0) !== (negCols && (j & 1) === 0)) v = -v;
      out[transpose ? j * 16 + i : i * 16 + j] = v;
    }
  }
}
