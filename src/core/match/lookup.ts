/**
 * One lookup, the same everywhere: which hashes of a feed entry the match index holds (and as
 * which kind), how a picture's probes are looked up under the rule, and which view of the picture
 * matched. The extension's background (src/background/matcher.ts) and the CLI's `match` command
 * both use these, so a desk checking a feed gets the answer a reader's browser would give.
 */
import type { FeedEntry } from '../feed';
import { DIHEDRAL_NAMES, PDQ_MIN_QUALITY } from '../pdq';
import { findPairs, type StoredRows } from './index';
import { decide, matchRule, type Strictness } from './rule';
import type { Probe } from './variants';

export interface EntryRow {
  /** Hex PDQ hash. */
  value: string;
  /** Which of the entry's media it belongs to. */
  media: number;
  /** 'original', or the publisher's variant name ('canonical', 'crop:0.9', …). */
  kind: string;
}

/**
 * The rows an active entry contributes: every hash of quality ≥ 50 of every media item (a
 * variant without a name, from another tool, counts as the image itself), every keyframe and its
 * variants.
 */
export function entryRows(entry: FeedEntry): EntryRow[] {
  const rows: EntryRow[] = [];
  entry.media.forEach((m, media) => {
    for (const h of m.hashes) if (h.quality >= PDQ_MIN_QUALITY) rows.push({ value: h.value, media, kind: h.role === 'variant' && h.variant ? h.variant : 'original' });
    for (const f of m.frames?.items ?? []) {
      if (f.quality >= PDQ_MIN_QUALITY) rows.push({ value: f.value, media, kind: 'original' });
      // A keyframe's re-share variants (crops, caption cuts: docs/feed-format.md), as an image's.
      for (const v of f.variants ?? []) if (v.quality >= PDQ_MIN_QUALITY) rows.push({ value: v.value, media, kind: v.variant });
    }
  });
  return rows;
}

/** Which view matched, for the notice and the CLI: a dihedral name, or the variant or probe that met. */
export function viewName(pair: string, kindOf: (row: number) => string): string {
  const [probe, rest] = pair.split('/') as [string, string];
  const [dihedral, row] = rest.split('|').map(Number) as [number, number];
  const kind = kindOf(row);
  if (kind !== 'original' && kind !== 'canonical') return kind;
  return probe === 'full' ? (DIHEDRAL_NAMES[dihedral] ?? 'original') : probe;
}

export interface Found {
  entry: number;
  distance: number;
  view: string;
}

/** The entries a picture's probes match under the reader's level, best first. */
export function lookupProbes(probes: readonly Probe[], rows: StoredRows, level: Strictness): Found[] {
  if (probes.every((p) => p.quality < PDQ_MIN_QUALITY)) return [];
  const rule = matchRule(level);
  return [...decide(findPairs(probes, rows, rule), rule)]
    .sort((a, b) => a[1].distance - b[1].distance)
    .map(([entry, { distance, pair }]) => ({ entry, distance, view: viewName(pair, rows.kindOf) }));
}

/**
 * The smallest distance over every pair the level compares, matched or not, looked for up to `cap`
 * bits (a wider search costs more); `cap` + 1 when no pair is that close.
 */
export function closestDistance(probes: readonly Probe[], rows: StoredRows, level: Strictness, cap = 256): number {
  const rule = { ...matchRule(level), candidateDistance: cap };
  let best = cap + 1;
  for (const h of findPairs(probes, rows, rule)) best = Math.min(best, h.distance);
  return best;
}
