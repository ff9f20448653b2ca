/**
 * What the publisher stores for one image, from its decoded pixels at full size (docs/matching.md):
 *
 *  1. `original`: the reference PDQ hash, exactly the reference CLI's (512x512 nearest-neighbour
 *     squash, then PDQ): for the hash-sharing ecosystem and for clients from before the canonical form.
 *  2. `canonical`: the PDQ hash of canonicalPixels(image) — the pixels the extension hashes too, so
 *     an unedited re-share lands within a few bits of it (BENCHMARKS.md, "Canonical decode").
 *  3. the re-share variants (publishVariants), made from the canonical pixels as well.
 *
 * Hashes made from the canonical form carry its version (`canon`). Hashes of quality below 50
 * are left out (they would match unrelated pictures); an image whose reference hash is below 50
 * gets only that one (the CLI refuses to publish it).
 */
import { hammingDistance, type Hash256 } from '../hash256';
import { CANONICAL_VERSION, PDQ_MIN_QUALITY, canonicalPixels, pdqHash, referenceCliResize, type Pixels } from '../pdq';
import { publishVariants, type VariantName } from './variants';

export interface PublishedHash {
  kind: 'original' | 'canonical' | VariantName;
  hash: Hash256;
  quality: number;
  /** The canonical form's version, for hashes made from it. */
  canon?: number;
}

export function publishHashes(decoded: Pixels, opts: { variants: boolean } = { variants: true }): PublishedHash[] {
  const ref = pdqHash(referenceCliResize(decoded));
  const out: PublishedHash[] = [{ kind: 'original', hash: ref.hash, quality: ref.quality }];
  if (ref.quality < PDQ_MIN_QUALITY) return out;
  const canon = canonicalPixels(decoded);
  const c = pdqHash(canon);
  if (c.quality >= PDQ_MIN_QUALITY) out.push({ kind: 'canonical', hash: c.hash, quality: c.quality, canon: CANONICAL_VERSION });
  if (!opts.variants) return out;
  for (const v of publishVariants(canon)) {
    if (v.quality >= PDQ_MIN_QUALITY) out.push({ kind: v.variant, hash: v.hash, quality: v.quality, canon: CANONICAL_VERSION });
  }
  return out;
}

/** The thumbnail size the stability check looks at (long side, px): X's smallest previews are about this. */
export const STABILITY_SIDE = 256;
/**
 * Above this many bits of movement between the canonical hash and the thumbnail's, a picture is
 * scale-sensitive (fine stripes, dense textures): readers who see it at another size may land
 * past the match distance. Measured (BENCHMARKS.md, "Canonical decode"): the photos X's resizes
 * moved by more than 8 bits all move 24 or more here.
 */
export const MAX_SCALE_INSTABILITY = 23;

/** How far the canonical hash moves when the picture is seen at thumbnail size (bits). */
export function scaleInstability(decoded: Pixels): number {
  const canon = canonicalPixels(decoded);
  return hammingDistance(pdqHash(canon).hash, pdqHash(canonicalPixels(canon, STABILITY_SIDE)).hash);
}
