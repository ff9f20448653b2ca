/**
 * Robust matching on top of plain PDQ (docs/matching.md): query normalisation (./regions),
 * publisher and query variants (./variants), and the rule that pairs them (./rule). The one entry
 * point for a lookup is findPairs + decide, used alike by the extension (src/background/matcher.ts)
 * and the robustness benchmark.
 */
import type { Hash256 } from '../hash256';
import type { Match } from '../index';
import { pairAllowed, type MatchRule, type PairHit, type StoredKind } from './rule';
import type { Probe } from './variants';

export * from './geometry';
export * from './regions';
export * from './rule';
export * from './variants';
export * from './video';

export interface StoredRows {
  /** Distance search over the stored hashes (e.g. PdqIndex.query): rows within maxDistance. */
  query(hash: Hash256, maxDistance: number): Match[];
  entryOf(row: number): number;
  kindOf(row: number): StoredKind;
}

/** First stage: every allowed (probe hash, stored row) pair within the rule's candidate distance. */
export function findPairs(probes: readonly Probe[], rows: StoredRows, rule: MatchRule): PairHit[] {
  const hits: PairHit[] = [];
  for (const p of probes) {
    if (p.quality < rule.minQuality) continue;
    p.hashes.forEach((h, d) => {
      for (const m of rows.query(h, rule.candidateDistance)) {
        if (!pairAllowed(p.probe, d, rows.kindOf(m.id), rule)) continue;
        hits.push({ entry: rows.entryOf(m.id), distance: m.distance, pair: `${p.probe}/${d}|${m.id}` });
      }
    });
  }
  return hits;
}
