// The local history of notices: newest first, one row per post and media, 200 rows and 30 days at
// most (the limits PRIVACY.md states), and whatever storage hands back is read safely.
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMITS, addToHistory, readHistory, type HistoryItem } from '../../../src/shared/history';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2, 12);
const item = (n: number, over: Partial<HistoryItem> = {}): HistoryItem => ({
  post: `https://x.com/user${n}/status/${1861000000000000000n + BigInt(n)}`,
  media: `https://pbs.twimg.com/media/Gfx${n}?format=jpg&name=small`,
  feedUrl: 'https://feeds.example.org/index.json',
  feedName: 'Example',
  entryId: `e${n}`,
  label: 'missing-context',
  headline: null,
  factCheckUrl: 'https://factcheck.example.org/check',
  at: NOW,
  ...over,
});

describe('history', () => {
  it('puts the newest first and moves a notice shown again to the top, once', () => {
    let list: HistoryItem[] = [];
    list = addToHistory(list, item(1, { at: NOW - 3000 }), NOW);
    list = addToHistory(list, item(2, { at: NOW - 2000 }), NOW);
    list = addToHistory(list, item(1, { at: NOW - 1000 }), NOW);
    expect(list.map((h) => [h.entryId, h.at])).toEqual([
      ['e1', NOW - 1000],
      ['e2', NOW - 2000],
    ]);
  });

  it('keeps the same media on two posts as two rows', () => {
    const a = item(1);
    const list = addToHistory(addToHistory([], a, NOW), { ...a, post: 'https://x.com/other/status/1' }, NOW);
    expect(list).toHaveLength(2);
  });

  it('keeps at most 200 rows and nothing older than 30 days', () => {
    let list: HistoryItem[] = [];
    for (let i = 0; i < 250; i++) list = addToHistory(list, item(i, { at: NOW - (250 - i) * 1000 }), NOW);
    expect(list).toHaveLength(HISTORY_LIMITS.maxItems);
    expect(list[0]!.entryId).toBe('e249');
    expect(list.at(-1)!.entryId).toBe('e50');
    const old = [item(1, { at: NOW - 31 * DAY }), item(2, { at: NOW - 29 * DAY })];
    expect(addToHistory(old, item(3), NOW).map((h) => h.entryId)).toEqual(['e3', 'e2']);
    expect(readHistory(old, NOW).map((h) => h.entryId)).toEqual(['e2']);
  });

  it('reads back only rows shaped like rows', () => {
    expect(readHistory(undefined, NOW)).toEqual([]);
    expect(readHistory({ 0: item(1) }, NOW)).toEqual([]);
    expect(readHistory([null, 3, 'x', { media: 1 }, item(1)], NOW)).toEqual([item(1)]);
  });
});
