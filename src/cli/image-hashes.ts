/**
 * The hash objects the publisher tool stores for one image: its reference PDQ hash (exactly the
 * reference CLI's), then, unless asked not to, the hashes of what re-shares make of it
 * (src/core/match publishVariants: crops, turns, caption cuts, the picture without its own
 * borders), role "variant" with the variant's name (docs/matching.md, docs/feed-format.md).
 * Variants below quality 50 are left out: they would match unrelated pictures.
 */
import { hashToHex } from '../core/hash256';
import type { FeedMedia } from '../core/feed';
import { publishVariants } from '../core/match';
import { PDQ_MIN_QUALITY, pdqHash } from '../core/pdq';
import { decodeFile, decodeFileForVariants } from './decode';

type HashObject = FeedMedia['hashes'][number];

export async function imageHashes(file: string, role: NonNullable<HashObject['role']>, opts: { variants: boolean }): Promise<HashObject[]> {
  const { hash, quality } = pdqHash(await decodeFile(file));
  const out: HashObject[] = [{ alg: 'pdq', value: hashToHex(hash), quality, role }];
  if (!opts.variants || quality < PDQ_MIN_QUALITY) return out;
  for (const v of publishVariants(await decodeFileForVariants(file))) {
    if (v.quality >= PDQ_MIN_QUALITY) out.push({ alg: 'pdq', value: hashToHex(v.hash), quality: v.quality, role: 'variant', variant: v.variant });
  }
  return out;
}
