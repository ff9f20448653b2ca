/**
 * The reader's local history of notices: what was flagged, on which post, from which feed entry —
 * so a reader can find again what they saw. Kept only in this browser (storage.local), never sent,
 * cleared with one button; bounded by count and age. Pure: the background stores what these make.
 */
import type { VerdictLabel } from './messages';

export interface HistoryItem {
  /** The post's canonical address (as src/shared/x.ts postUrl makes it), or null off a post. */
  post: string | null;
  /** The media URL the notice was put on. */
  media: string;
  feedUrl: string;
  feedName: string;
  entryId: string;
  label: VerdictLabel;
  headline: string | null;
  factCheckUrl: string;
  /** When it was (last) shown, ms since the epoch. */
  at: number;
}

export const HISTORY_LIMITS = { maxItems: 200, maxAgeDays: 30 } as const;
const DAY_MS = 86_400_000;

/**
 * The history with `item` added: newest first, one row per post and media (a notice shown again
 * moves to the top), rows older than the age limit and past the count limit dropped.
 */
export function addToHistory(list: readonly HistoryItem[], item: HistoryItem, now: number): HistoryItem[] {
  const same = (h: HistoryItem) => h.post === item.post && h.media === item.media && h.entryId === item.entryId && h.feedUrl === item.feedUrl;
  return [item, ...list.filter((h) => !same(h))].filter((h) => now - h.at <= HISTORY_LIMITS.maxAgeDays * DAY_MS).slice(0, HISTORY_LIMITS.maxItems);
}

/** Stored history as it is read back: anything not shaped like a row is dropped, expired rows too. */
export function readHistory(stored: unknown, now: number): HistoryItem[] {
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((h): h is HistoryItem => typeof h === 'object' && h !== null && typeof (h as HistoryItem).media === 'string' && typeof (h as HistoryItem).at === 'number' && typeof (h as HistoryItem).entryId === 'string')
    .filter((h) => now - h.at <= HISTORY_LIMITS.maxAgeDays * DAY_MS)
    .slice(0, HISTORY_LIMITS.maxItems);
}
