/**
 * Synthetic feeds at scale with PDQ-like hash distributions (figures from docs/matching.md and
 * /work/shared/docs/pdq.md, measured on real photos):
 *  - distinct photos are not uniform 256-bit strings: they sit 86–144 bits apart. Images are drawn
 *    around a few thousand "scene" centres (each image ~55 bits from its centre), so pairwise
 *    distances between unrelated images spread over ~80–140 with a lower tail;
 *  - an image's publisher variants (src/core/match/variants.ts) are its hash moved by a
 *    kind-dependent number of bits: a 10% crop ~82 (median), a 25% crop ~110, a 3° turn ~60,
 *    caption cuts 50–100, the picture without borders ~30;
 *  - near-duplicates: 3% of images are another image of the feed re-encoded (4–20 bits away),
 *    debunked again by another fact-check.
 * Deterministic from a seed.
 */
import { prng } from '../../lib/prng';

export const VARIANT_KINDS = ['crop:0.9', 'crop:0.85', 'crop:0.8', 'crop:0.75', 'rotate:3', 'rotate:-3', 'cut-top:0.125', 'cut-bottom:0.125', 'cut-top:0.18', 'cut-bottom:0.18', 'cut-top:0.25', 'cut-bottom:0.25'] as const;
/** Median bits between an image's hash and each variant's. */
const VARIANT_BITS: Record<string, number> = {
  'crop:0.9': 82,
  'crop:0.85': 92,
  'crop:0.8': 102,
  'crop:0.75': 110,
  'rotate:3': 60,
  'rotate:-3': 60,
  'cut-top:0.125': 55,
  'cut-bottom:0.125': 55,
  'cut-top:0.18': 72,
  'cut-bottom:0.18': 72,
  'cut-top:0.25': 95,
  'cut-bottom:0.25': 95,
  picture: 30,
};

export class HashGen {
  readonly rand: () => number;
  private readonly centres: Uint32Array;
  constructor(seed: number, scenes = 4096) {
    this.rand = prng(seed);
    this.centres = new Uint32Array(scenes * 8);
    for (let i = 0; i < this.centres.length; i++) this.centres[i] = this.rand();
  }

  /** `bits` distinct random bit flips of `from` (8 lanes), into `out`. */
  moved(from: ArrayLike<number>, bits: number, out = new Uint32Array(8)): Uint32Array {
    for (let j = 0; j < 8; j++) out[j] = from[j]!;
    const seen = new Set<number>();
    while (seen.size < bits) seen.add(this.rand() & 255);
    for (const k of seen) out[k >> 5] = (out[k >> 5]! ^ (1 << (k & 31))) >>> 0;
    return out;
  }

  /** A new unrelated photo: ~55 bits from a random scene centre. */
  photo(): Uint32Array {
    const c = this.rand() % (this.centres.length / 8);
    return this.moved(this.centres.subarray(c * 8, c * 8 + 8), 45 + (this.rand() % 21));
  }

  /** The hash of variant `kind` of an image whose hash is `image`. */
  variant(image: ArrayLike<number>, kind: string): Uint32Array {
    const median = VARIANT_BITS[kind] ?? 80;
    return this.moved(image, Math.max(1, median - 12 + (this.rand() % 25)));
  }
}

export interface SyntheticImage {
  hash: Uint32Array;
  variants: { kind: string; hash: Uint32Array }[];
}

/** n images, each with its 12 publisher variants (and `picture` for 1 in 10: bordered images). */
export function syntheticImages(n: number, seed = 17): SyntheticImage[] {
  const gen = new HashGen(seed);
  const out: SyntheticImage[] = [];
  for (let i = 0; i < n; i++) {
    const dupOf = i > 10 && gen.rand() % 100 < 3 ? out[gen.rand() % i]! : null;
    const hash = dupOf ? gen.moved(dupOf.hash, 4 + (gen.rand() % 17)) : gen.photo();
    const kinds: string[] = [...VARIANT_KINDS];
    if (gen.rand() % 10 === 0) kinds.push('picture');
    out.push({ hash, variants: kinds.map((kind) => ({ kind, hash: gen.variant(hash, kind) })) });
  }
  return out;
}
