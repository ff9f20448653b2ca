// The media a reader meets on X, as probes (shared by the scale benches).
import { hashFromWords32 } from '../../../src/core/hash256';
import type { Probe } from '../../../src/core/match';
import type { HashGen, SyntheticImage } from './synthetic';

/** The probes of one picture seen on X: 1 in 10 a re-share of a stored image, the rest unrelated photos. */
export function media(gen: HashGen, images: readonly SyntheticImage[]): Probe[] {
  const one = (probe: Probe['probe'], h: Uint32Array): Probe => ({ probe, hashes: [hashFromWords32(h)], quality: 90 });
  if (gen.rand() % 10 === 0) {
    const img = images[gen.rand() % images.length]!;
    const full = [gen.moved(img.hash, 4 + (gen.rand() % 12)), ...Array.from({ length: 7 }, () => gen.photo())];
    const crop = img.variants[gen.rand() % 4]!;
    return [{ probe: 'full', hashes: full.map((h) => hashFromWords32(h)), quality: 90 }, one('picture', gen.moved(crop.hash, 10)), one('center', gen.photo()), one('cut-bottom:0.125', gen.moved(img.variants[7]!.hash, 8))];
  }
  const probes: Probe[] = [{ probe: 'full', hashes: Array.from({ length: 8 }, () => hashFromWords32(gen.photo())), quality: 90 }, one('center', gen.photo())];
  if (gen.rand() % 2) probes.push(one('picture', gen.photo()));
  if (gen.rand() % 5 === 0) probes.push(one('cut-top:0.18', gen.photo()));
  return probes;
}

