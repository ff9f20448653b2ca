/**
 * The hash objects the publisher tool stores for one image (src/core/match publishHashes): its
 * reference PDQ hash (exactly the reference CLI's), the hash of its canonical pixels (what the
 * extension hashes: variant "canonical"), then, unless asked not to, the hashes of what re-shares
 * make of it (centred and corner crops, halves, caption cuts, the picture without its own borders), role "variant"
 * with the variant's name; hashes made from the canonical form carry `canon` (its version)
 * (docs/matching.md, docs/feed-format.md). Variants below quality 50 are left out.
 */
import { hashToHex } from '../core/hash256';
import type { FeedMedia } from '../core/feed';
import { publishHashes, scaleInstability } from '../core/match';
import { decodeFull } from './decode';

type HashObject = FeedMedia['hashes'][number];

/**
 * The hash objects of one image file, and how many bits its canonical hash moves at thumbnail size
 * (scaleInstability: above MAX_SCALE_INSTABILITY the publisher is warned that readers seeing the
 * picture small may not be matched).
 */
export async function imageHashes(file: string, role: NonNullable<HashObject['role']>, opts: { variants: boolean }): Promise<{ hashes: HashObject[]; instability: number }> {
  const px = await decodeFull(file);
  const hashes: HashObject[] = publishHashes(px, opts).map((h) =>
    h.kind === 'original'
      ? { alg: 'pdq', value: hashToHex(h.hash), quality: h.quality, role }
      : { alg: 'pdq', value: hashToHex(h.hash), quality: h.quality, role: 'variant', variant: h.kind, ...(h.canon ? { canon: h.canon } : {}) },
  );
  return { hashes, instability: scaleInstability(px) };
}
