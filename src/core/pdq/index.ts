/**
 * PDQ, Meta's 256-bit perceptual hash, bit-compatible with the reference implementation
 * (facebook/ThreatExchange pdq/cpp/hashing/pdqhashing.cpp): luma → Jarosz box-filter downscale to
 * 64x64 → quality → 16x16 DCT block → median threshold. Hashes print in the reference's hex (see
 * ../hash256.ts), so lists from the hash-sharing ecosystem interoperate. Pure: runs in a service
 * worker, an event page, node and a Web Worker alike. Scratch buffers are reused between calls
 * (nothing here is async, so calls never interleave).
 *
 * Hashes equal the reference CLI's (pdq-photo-hasher) for the same pixels. The CLI first shrinks a
 * file larger than 512 px to 512x512 (referenceCliResize); callers who want its hashes of such files
 * bit for bit do the same; the full image's hash differs from it by a few bits (2 to 10 on the
 * reference's test photos), well within the match distance.
 */
import { emptyHash, type Hash256 } from '../hash256';
import { dct64To16, dihedralDct, quality64, thresholdToHash } from './dct';
import { downscaleTo64 } from './downscale';
import { checkPixels, type Pixels } from './pixels';

export type { Pixels } from './pixels';
export { MAX_PIXELS, REFERENCE_CLI_MAX, referenceCliResize } from './pixels';
export { CANONICAL_SIDE, CANONICAL_VERSION, canonicalPixels, canonicalSize } from './canonical';

/** The reference's match rule: distance ≤ 31, and no trust in hashes of quality below 50. */
export const PDQ_MATCH_DISTANCE = 31;
export const PDQ_MIN_QUALITY = 50;
export const DIHEDRAL_NAMES = ['original', 'rotate90', 'rotate180', 'rotate270', 'flipx', 'flipy', 'flipplus1', 'flipminus1'] as const;
/** Below this size in either dimension the reference gives up: zero hash, quality 0. */
export const MIN_HASHABLE_SIDE = 5;

export interface PdqResult {
  hash: Hash256;
  quality: number;
}

const buf64 = new Float32Array(64 * 64);
const buf16x64 = new Float32Array(16 * 64);
const dct16 = new Float32Array(256);
const dctMoved = new Float32Array(256);

/** Fills buf64; returns the quality, or -1 if the image is too small to hash. */
function downscale(px: Pixels, direct64: boolean): number {
  checkPixels(px);
  if (px.width < MIN_HASHABLE_SIDE || px.height < MIN_HASHABLE_SIDE) return -1;
  downscaleTo64(px, direct64, buf64);
  return quality64(buf64);
}

/**
 * The 64x64 luma that pdqHash hashes (a copy), for callers that compare images more finely.
 * All zeros for images below MIN_HASHABLE_SIDE.
 */
export function downscaledLuma(px: Pixels): Float32Array {
  return downscale(px, true) < 0 ? new Float32Array(64 * 64) : buf64.slice();
}

export function pdqHash(px: Pixels): PdqResult {
  const quality = downscale(px, true);
  if (quality < 0) return { hash: emptyHash(), quality: 0 };
  dct64To16(buf64, buf16x64, dct16);
  return { hash: thresholdToHash(dct16), quality };
}

/**
 * The 8 dihedral hashes (reference order, see DIHEDRAL_NAMES) from one downscale and one DCT.
 * Like the reference's pdqDihedralHash256esFromFloatLuma, a 64x64 input is box-filtered (window 1)
 * rather than taken as is, so for 64x64 inputs hashes[0] and quality can differ from pdqHash's by a
 * float rounding; for every other size hashes[0] is pdqHash's hash.
 */
export function pdqHashDihedral(px: Pixels): { hashes: Hash256[]; quality: number } {
  const quality = downscale(px, false);
  if (quality < 0) return { hashes: Array.from({ length: 8 }, () => emptyHash()), quality: 0 };
  dct64To16(buf64, buf16x64, dct16);
  const hashes: Hash256[] = [];
  for (let d = 0; d < 8; d++) {
    dihedralDct(dct16, d, dctMoved);
    hashes.push(thresholdToHash(dctMoved));
  }
  return { hashes, quality };
}
