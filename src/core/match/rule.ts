/**
 * The match rule as a function of the reader's strictness (docs/matching.md).
 *
 * First stage: which query probe may meet which stored hash (a probe only meets the stored hashes
 * made by the same geometry, so extra probes do not multiply chances of a false match), and the
 * distance it must be within. Second stage, for the looser first stage of 'loose': a candidate
 * entry is accepted only if one pair is within the standard distance, or if two independent pairs
 * agree on it within the loose distance: different probes (a probe's dihedral hashes are one)
 * against different view families of the entry (the original and its canonical hash are one; the
 * rungs of a ladder are one), so a symmetric picture's mirror hashes or two crop rungs of one
 * entry never count twice.
 *
 * 'standard' is the reference rule (PDQ distance ≤ 31, quality ≥ 50) on every pair.
 */
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY } from '../pdq';
import type { ProbeName } from './variants';

export type Strictness = 'strict' | 'standard' | 'loose';

/** What a stored hash is: the image as published, or one of the publisher's variants (VariantName). */
export type StoredKind = 'original' | string;

export interface MatchRule {
  level: Strictness;
  /** First stage: a pair is a candidate within this distance. */
  candidateDistance: number;
  /** A single pair within this distance is a match by itself. */
  acceptDistance: number;
  /** Otherwise this many distinct pairs within candidateDistance must agree on the entry. */
  agreeingPairs: number;
  minQuality: number;
  /** strict: only the dihedral hashes against the published originals (no normalisation, no variants). */
  variants: boolean;
}

export function matchRule(level: Strictness): MatchRule {
  switch (level) {
    case 'strict':
      return { level, candidateDistance: 24, acceptDistance: 24, agreeingPairs: 1, minQuality: PDQ_MIN_QUALITY, variants: false };
    case 'loose':
      return { level, candidateDistance: 40, acceptDistance: PDQ_MATCH_DISTANCE, agreeingPairs: 2, minQuality: PDQ_MIN_QUALITY, variants: true };
    default:
      return { level: 'standard', candidateDistance: PDQ_MATCH_DISTANCE, acceptDistance: PDQ_MATCH_DISTANCE, agreeingPairs: 1, minQuality: PDQ_MIN_QUALITY, variants: true };
  }
}

/** May this probe meet this stored hash? */
export function pairAllowed(probe: ProbeName, dihedral: number, stored: StoredKind, rule: MatchRule): boolean {
  // The reference's comparison, mirrors and turns included; `canonical` is the same image hashed
  // from the canonical pixels (../pdq/canonical.ts), which the query is made from too.
  const whole = stored === 'original' || stored === 'canonical';
  if (probe === 'full' && whole) return true;
  if (!rule.variants || dihedral !== 0) return false;
  switch (probe) {
    case 'full':
      return stored.startsWith('crop'); // the centred ladder (crop:S) and the corner crops (crop-tl:S, …)
    case 'picture':
    case 'inner':
      return whole || stored === 'picture' || stored.startsWith('crop');
    case 'center':
      return stored.startsWith('rotate:');
    case 'turn':
      // The turned-back centre 90% is meant for crop:0.9; it may meet the whole ladder (one group
      // of stored kinds for the grouped index: every crop meets the same probes).
      return stored.startsWith('crop');
    case 'motion':
      return stored === 'original' || stored === 'picture' || stored.startsWith('crop:') || stored.startsWith('cut-');
    default:
      return stored === probe; // cut-top:b ↔ cut-top:b
  }
}

/** One pair found by the first stage. */
export interface PairHit {
  entry: number;
  distance: number;
  /** Identifies the pair: `${probe}/${dihedral}|${row}`. */
  pair: string;
  /** The probe that met (its dihedral hashes are one probe), and the kind of stored hash it met. */
  probe?: string;
  stored?: StoredKind;
}

/**
 * The family of a stored view, for counting independent evidence: the original and its canonical
 * hash are one view of the picture; the rungs of one ladder (crops, turns, the cuts of one side)
 * are hashes of nearly the same pixels, so they count as one view.
 */
export function viewFamily(stored: StoredKind): string {
  if (stored === 'original' || stored === 'canonical') return 'whole';
  if (stored.startsWith('crop')) return 'crop'; // centred and corner crops overlap most of their pixels
  if (stored.startsWith('half-')) return 'half';
  return stored.split(':')[0]!;
}

/** The picture found inside interface lines, read two ways ('picture', 'inner'), is one probe. */
const probeFamily = (probe: string) => (probe === 'inner' ? 'picture' : probe);

/**
 * Two hits agree independently when they come from different probes (a probe's 8 dihedral hashes
 * are one probe) and meet different view families of the entry.
 */
function independentPairs(list: readonly PairHit[]): boolean {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const probeA = probeFamily(a.probe ?? a.pair.split('/')[0]!);
      const probeB = probeFamily(b.probe ?? b.pair.split('/')[0]!);
      if (probeA === probeB) continue;
      if (a.stored !== undefined && b.stored !== undefined && viewFamily(a.stored) === viewFamily(b.stored)) continue;
      if (a.stored === undefined && a.pair.split('|')[1] === b.pair.split('|')[1]) continue;
      return true;
    }
  }
  return false;
}

const probeOf = (h: PairHit) => h.probe ?? h.pair.split('/')[0]!;

/** Second stage: per entry, accepted or not, with the best distance. */
export function decide(hits: readonly PairHit[], rule: MatchRule): Map<number, { distance: number; pair: string }> {
  const byEntry = new Map<number, PairHit[]>();
  for (const h of hits) {
    if (h.distance > rule.candidateDistance) continue;
    const list = byEntry.get(h.entry) ?? [];
    list.push(h);
    byEntry.set(h.entry, list);
  }
  const out = new Map<number, { distance: number; pair: string }>();
  for (const [entry, all] of byEntry) {
    // A half alone is weak evidence: two pictures of one layout (a podium, a studio, one street)
    // share a half. Halves count only when two different halves meet the entry.
    // Halves beyond the accept distance never count (loose's wider first stage let two halves of
    // generated press conferences, 32-40 bits apart, agree: 6 false matches in the bench).
    const isHalf = (h: PairHit) => probeOf(h).startsWith('half-');
    const halves = new Set(all.filter((h) => isHalf(h) && h.distance <= rule.acceptDistance).map(probeOf));
    const list = all.filter((h) => !isHalf(h) || (halves.size >= 2 && h.distance <= rule.acceptDistance));
    if (!list.length) continue;
    list.sort((a, b) => a.distance - b.distance);
    const best = list[0]!;
    const agreed = rule.agreeingPairs <= 1 || (rule.agreeingPairs === 2 && independentPairs(list));
    if (best.distance <= rule.acceptDistance || agreed) out.set(entry, { distance: best.distance, pair: best.pair });
  }
  return out;
}
