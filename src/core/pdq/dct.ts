/**
 * The 16x16 low-frequency block of the 64x64 DCT-II, the quality metric and the median threshold,
 * as in the reference (facebook/ThreatExchange pdq/cpp/hashing/pdqhashing.cpp: dct64To16,
 * pdqImageDomainQualityMetric, and hashing/torben.cpp). Float32 steps as there (see downscale.ts).
 */
import { HASH_WORDS, emptyHash, type Hash256 } from '../hash256';

/**
 * Rows 1..16 of the 64-point DCT-II matrix (row 0, the mean, carries no structure), built as the
 * reference builds dct_matrix_64: a float32 scale times a float64 cosine, stored as float32.
 */
export const DCT_MATRIX: Float32Array = (() => {
  const m = new Float32Array(16 * 64);
  const scale = Math.fround(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return m;
})();

/** DCT_MATRIX transposed (64x16), so the second product also walks memory in order. */
const DCT_MATRIX_T: Float32Array = (() => {
  const t = new Float32Array(64 * 16);
  for (let i = 0; i < 16; i++) for (let k = 0; k < 64; k++) t[k * 16 + i] = DCT_MATRIX[i * 64 + k]!;
  return t;
})();

/**
 * B = D · A · Dᵀ for the 64x64 buffer A, through T = D · A (16x64 scratch `t`); writes 16x16 into
 * `out`. Every sum runs over k = 0..63 in order from 0, in float32, as the reference's dct64To16;
 * the loops are nested so the innermost one walks rows of A and T, four elements per turn.
 */
export function dct64To16(a: Float32Array, t: Float32Array, out: Float32Array): void {
  const f = Math.fround;
  const d = DCT_MATRIX;
  const dt = DCT_MATRIX_T;
  t.fill(0);
  out.fill(0);
  for (let i = 0; i < 16; i++) {
    for (let k = 0; k < 64; k++) {
      const dik = d[i * 64 + k]!;
      for (let x = i * 64, y = k * 64, end = x + 64; x < end; x += 4, y += 4) {
        t[x] = f(t[x]! + f(dik * a[y]!));
        t[x + 1] = f(t[x + 1]! + f(dik * a[y + 1]!));
        t[x + 2] = f(t[x + 2]! + f(dik * a[y + 2]!));
        t[x + 3] = f(t[x + 3]! + f(dik * a[y + 3]!));
      }
    }
  }
  for (let i = 0; i < 16; i++) {
    for (let k = 0; k < 64; k++) {
      const tik = t[i * 64 + k]!;
      for (let x = i * 16, y = k * 16, end = x + 16; x < end; x += 4, y += 4) {
        out[x] = f(out[x]! + f(tik * dt[y]!));
        out[x + 1] = f(out[x + 1]! + f(tik * dt[y + 1]!));
        out[x + 2] = f(out[x + 2]! + f(tik * dt[y + 2]!));
        out[x + 3] = f(out[x + 3]! + f(tik * dt[y + 3]!));
      }
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
