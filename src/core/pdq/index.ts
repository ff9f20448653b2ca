/**
 * PDQ, Meta's 256-bit perceptual hash, bit-compatible with the reference implementation
 * (facebook/ThreatExchange, pdq/cpp): luma → Jarosz box-filter downscale to 64x64 → quality →
 * 16x16 DCT block → median threshold. Hashes print in the reference's hex (see ../hash256.ts), so
 * lists from the hash-sharing ecosystem interoperate. Pure: runs in a service worker, an event
 * page, node and a Web Worker alike. Scratch buffers are reused between calls (not re-entrant, and
 * nothing here is async, so calls never interleave).
 */
import type { Hash256 } from '../hash256';
import { dct64To16, dihedralDct, quality64, thresholdToHash } from './dct';
import { checkPixels, downscaleTo64, fillLuma, type Pixels } from './downscale';

export type { Pixels } from './downscale';
export { MAX_PIXELS, REFERENCE_CLI_MAX, referenceCliResize } from './downscale';

/** The reference's match rule: distance ≤ 31, and no trust in hashes of quality below 50. */
export const PDQ_MATCH_DISTANCE = 31;
export const PDQ_MIN_QUALITY = 50;
export const DIHEDRAL_NAMES = ['original', 'rotate90', 'rotate180', 'rotate270', 'flipx', 'flipy', 'flipplus1', 'flipminus1'] as const;

export interface PdqResult {
  hash: Hash256;
  quality: number;
}

let bufA = new Float32Array(0);
let bufB = new Float32Array(0);
const buf64 = new Float32Array(64 * 64);
const buf16x64 = new Float32Array(16 * 64);
const dct16 = new Float32Array(256);
const dctT = new Float32Array(256);

/** The 64x64 downscaled luma (a copy), for callers that compare images more finely. */
export function downscaledLuma(px: Pixels): Float32Array {
  prepare(px, true);
  return buf64.slice();
}

/** Below this size in either dimension the reference gives up: zero hash, quality 0. */
export const MIN_HASHABLE_SIDE = 5;

/**
 * Fills buf64 and returns the quality. A 64x64 input is used as is for the plain hash, but filtered
 * (window 1) for the dihedral hashes, as the reference's two entry points do.
 */
function prepare(px: Pixels, direct64: boolean): number {
  checkPixels(px);
  if (px.width < MIN_HASHABLE_SIDE || px.height < MIN_HASHABLE_SIDE) {
    buf64.fill(0);
    return 0;
  }
  const n = px.width * px.height;
  if (bufA.length < n) {
    bufA = new Float32Array(n);
    bufB = new Float32Array(n);
  }
  fillLuma(px, bufA);
  downscaleTo64(bufA, bufB, px.height, px.width, direct64, buf64);
  return quality64(buf64);
}

export function pdqHash(px: Pixels): PdqResult {
  const quality = prepare(px, true);
  dct64To16(buf64, buf16x64, dct16);
  return { hash: thresholdToHash(dct16), quality };
}

/**
 * The 8 dihedral hashes (reference order, see DIHEDRAL_NAMES) from one downscale and one DCT. For
 * 64x64 inputs hashes[0] and the quality can differ from pdqHash's by a float rounding (see prepare).
 */
export function pdqHashDihedral(px: Pixels): { hashes: Hash256[]; quality: number } {
  const quality = prepare(px, false);
  dct64To16(buf64, buf16x64, dct16);
  const hashes: Hash256[] = [];
  for (let d = 0; d < 8; d++) {
    dihedralDct(dct16, d, dctT);
    hashes.push(thresholdToHash(dctT));
  }
  return { hashes, quality };
}
