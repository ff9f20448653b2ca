/**
 * The match rule as a function of the reader's strictness (docs/matching.md).
 *
 * First stage: which query probe may meet which stored hash (a probe only meets the stored hashes
 * made by the same geometry, so extra probes do not multiply chances of a false match), and the
 * distance it must be within. Second stage, for the looser first stage of 'loose': a candidate
 * entry is accepted only if one pair is within the standard distance, or if at least two different
 * pairs (different probes or different stored hashes) agree on it within the loose distance.
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
  if (probe === 'full' && stored === 'original') return true; // the reference's comparison, mirrors and turns included
  if (!rule.variants || dihedral !== 0) return false;
  switch (probe) {
    case 'full':
      return stored.startsWith('crop:');
    case 'picture':
    case 'inner':
      return stored === 'original' || stored === 'picture' || stored.startsWith('crop:');
    case 'center':
      return stored.startsWith('rotate:');
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
  /** Identifies the pair, to count distinct agreeing pairs: e.g. `${probe}/${dihedral}|${row}`. */
  pair: string;
}

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
  for (const [entry, list] of byEntry) {
    list.sort((a, b) => a.distance - b.distance);
    const best = list[0]!;
    const distinct = new Set(list.map((h) => h.pair)).size;
    if (best.distance <= rule.acceptDistance || distinct >= rule.agreeingPairs) out.set(entry, { distance: best.distance, pair: best.pair });
  }
  return out;
}
