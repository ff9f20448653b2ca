/**
 * Robust matching on top of plain PDQ (docs/matching.md): query normalisation (./regions),
 * publisher and query variants (./variants), and the rule that pairs them (./rule). The one entry
 * point for a lookup is findPairs + decide, used alike by the extension (src/background/matcher.ts)
 * and the robustness benchmark.
 */
import type { Hash256 } from '../hash256';
import { GroupedIndex, MAX_GROUPS, type Match } from '../index';
import { matchRule, pairAllowed, type MatchRule, type PairHit, type StoredKind } from './rule';
import type { Probe, ProbeName } from './variants';

export * from './geometry';
export * from './lookup';
export * from './publish';
export * from './regions';
export * from './rule';
export * from './variants';
export * from './turn';
export * from './rows';
export * from './video';
export * from './moving';
export * from './moving-band';

export interface StoredRows {
  /** Distance search over the stored hashes (e.g. PdqIndex.query): rows within maxDistance. */
  query(hash: Hash256, maxDistance: number): Match[];
  entryOf(row: number): number;
  kindOf(row: number): StoredKind;
  /**
   * Optional: the same search, restricted to rows whose kind `allowed` accepts (or a superset of
   * them). An index grouped by kind skips the groups no probe may meet.
   */
  queryFor?(hash: Hash256, maxDistance: number, allowed: (kind: StoredKind) => boolean): Match[];
}

/** First stage: every allowed (probe hash, stored row) pair within the rule's candidate distance. */
export function findPairs(probes: readonly Probe[], rows: StoredRows, rule: MatchRule): PairHit[] {
  const hits: PairHit[] = [];
  for (const p of probes) {
    if (p.quality < rule.minQuality) continue;
    p.hashes.forEach((h, d) => {
      const found = rows.queryFor ? rows.queryFor(h, rule.candidateDistance, (k) => pairAllowed(p.probe, d, k, rule)) : rows.query(h, rule.candidateDistance);
      for (const m of found) {
        if (!pairAllowed(p.probe, d, rows.kindOf(m.id), rule)) continue;
        hits.push({ entry: rows.entryOf(m.id), distance: m.distance, pair: `${p.probe}/${d}|${m.id}`, probe: p.probe, stored: rows.kindOf(m.id) });
      }
    });
  }
  return hits;
}

/**
 * Groups stored kinds so that the probes of a lookup meet either all of a group's kinds or none:
 * kinds with the same answer from pairAllowed for every probe the extension makes (the 8 dihedral
 * hashes of the full picture, the picture, inner and centre views, the caption cuts). Answers the
 * group number of each kind (at most MAX_GROUPS groups; beyond, kinds share the last one). Only
 * speed depends on the grouping: a lookup queries every group holding a kind its probe may meet
 * (groupedRows), and findPairs filters pairs by pairAllowed either way.
 */
export function groupKinds(kinds: readonly StoredKind[]): number[] {
  const rule = matchRule('standard');
  const probes: [ProbeName, number][] = [...Array.from({ length: 8 }, (_, d) => ['full', d] as [ProbeName, number]), ['picture', 0], ['inner', 0], ['center', 0], ['turn', 0]];
  for (const k of kinds) if (k.startsWith('cut-') || k.startsWith('half-') || k.startsWith('mid:')) probes.push([k as ProbeName, 0]);
  const signatures: string[] = [];
  return kinds.map((k) => {
    const sig = probes.map(([p, d]) => (pairAllowed(p, d, k, rule) ? '1' : '0')).join('');
    let g = signatures.indexOf(sig);
    if (g < 0) g = signatures.push(sig) - 1;
    return Math.min(g, MAX_GROUPS - 1);
  });
}

/** Stored rows over a GroupedIndex whose groups are groupKinds' (rows in group order). */
export function groupedRows(index: GroupedIndex, kinds: readonly StoredKind[], rowKind: ArrayLike<number>, rowEntry: ArrayLike<number>): StoredRows {
  const groupOf = groupKinds(kinds);
  const kindOf = (row: number) => kinds[rowKind[row]!] ?? 'original';
  return {
    query: (h, d) => index.query(h, d),
    entryOf: (row) => rowEntry[row]!,
    kindOf,
    queryFor(h, d, allowed) {
      let mask = 0;
      kinds.forEach((k, i) => {
        if (!((mask >>> groupOf[i]!) & 1) && allowed(k)) mask |= 1 << groupOf[i]!;
      });
      return mask ? index.query(h, d, mask >>> 0) : [];
    },
  };
}

export interface MatchIndexRows {
  index: GroupedIndex;
  /** Per row (in the index's order): its kind (into `kinds`), its entry ordinal, its media item. */
  rowKind: Uint8Array;
  rowEntry: Uint32Array;
  rowMedia: Uint16Array;
}

/**
 * The match index over stored rows given in any order (8 lanes per row and per-row tables): rows
 * are put in groupKinds' order (stable within a group), the tables reordered alike; the lanes are
 * written straight into the index (the only copy besides the caller's).
 */
export function buildMatchIndex(lanes: Uint32Array, rowKind: Uint8Array, rowEntry: Uint32Array, rowMedia: Uint16Array, kinds: readonly StoredKind[]): MatchIndexRows {
  const n = rowKind.length;
  const groupOf = groupKinds(kinds);
  const groups = Math.max(0, ...groupOf) + 1;
  const counts = new Array<number>(groups).fill(0);
  for (let r = 0; r < n; r++) counts[groupOf[rowKind[r]!] ?? 0]!++;
  const kind = new Uint8Array(n);
  const entry = new Uint32Array(n);
  const media = new Uint16Array(n);
  const index = GroupedIndex.create(counts, (sorted) => {
    const next = new Uint32Array(groups);
    for (let g = 1; g < groups; g++) next[g] = next[g - 1]! + counts[g - 1]!;
    for (let r = 0; r < n; r++) {
      const to = next[groupOf[rowKind[r]!] ?? 0]!++;
      sorted.set(lanes.subarray(r * 8, r * 8 + 8), to * 8);
      kind[to] = rowKind[r]!;
      entry[to] = rowEntry[r]!;
      media[to] = rowMedia[r]!;
    }
  });
  return { index, rowKind: kind, rowEntry: entry, rowMedia: media };
}
