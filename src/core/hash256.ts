/**
 * A 256-bit perceptual hash (PDQ) in the reference's own layout.
 *
 * facebook/ThreatExchange pdq/cpp/common/pdqhashtypes.h keeps a hash as 16 uint16 words w[0..15];
 * bit k is bit (k & 15) of word (k >> 4), and the hex form prints w[15] first, down to w[0], each as
 * four lower-case hex digits. We keep exactly that layout so hex strings interoperate with every
 * PDQ hash list. Pure: no DOM, no side effects.
 */
export type Hash256 = Uint16Array; // length 16

export const HASH_WORDS = 16;
export const HASH_HEX_LENGTH = 64;
const HEX_RE = /^[0-9a-f]{64}$/i;

export function emptyHash(): Hash256 {
  return new Uint16Array(HASH_WORDS);
}

export function setBit(h: Hash256, k: number): void {
  h[k >> 4]! |= 1 << (k & 15);
}

export function getBit(h: Hash256, k: number): number {
  return (h[k >> 4]! >> (k & 15)) & 1;
}

export function isHashHex(s: string): boolean {
  return HEX_RE.test(s);
}

export function hashToHex(h: Hash256): string {
  let s = '';
  for (let i = HASH_WORDS - 1; i >= 0; i--) s += h[i]!.toString(16).padStart(4, '0');
  return s;
}

/** Parses 64 hex digits (either case). Throws a RangeError naming the problem otherwise. */
export function hashFromHex(hex: string): Hash256 {
  if (!HEX_RE.test(hex)) throw new RangeError(`not a 256-bit hex hash: ${JSON.stringify(hex.slice(0, 80))}`);
  const h = emptyHash();
  for (let i = 0; i < HASH_WORDS; i++) {
    const at = (HASH_WORDS - 1 - i) * 4;
    h[i] = parseInt(hex.slice(at, at + 4), 16);
  }
  return h;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
export { popcount32 };

export function hammingDistance(a: Hash256, b: Hash256): number {
  let d = 0;
  for (let i = 0; i < HASH_WORDS; i += 2) {
    d += popcount32(((a[i]! ^ b[i]!) | ((a[i + 1]! ^ b[i + 1]!) << 16)) >>> 0);
  }
  return d;
}

/**
 * The same 256 bits as 8 uint32 lanes, lane j = w[2j] | w[2j+1] << 16 (little-endian word pairs),
 * the layout the match index stores. `out` may be a view into a larger Uint32Array.
 */
export function hashToWords32(h: Hash256, out: Uint32Array = new Uint32Array(8), at = 0): Uint32Array {
  for (let j = 0; j < 8; j++) out[at + j] = (h[2 * j]! | (h[2 * j + 1]! << 16)) >>> 0;
  return out;
}

export function hashFromWords32(words: Uint32Array, at = 0): Hash256 {
  const h = emptyHash();
  for (let j = 0; j < 8; j++) {
    const w = words[at + j]!;
    h[2 * j] = w & 0xffff;
    h[2 * j + 1] = w >>> 16;
  }
  return h;
}
