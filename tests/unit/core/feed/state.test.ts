// The client's sync decisions (src/core/feed/state.ts) against docs/feed-format.md: the state hash
// ("sha256:" + hex SHA-256 of the lines `id TAB rev LF`, sorted by id), a delta applied to a copy
// (removals, then upserts whose rev must grow over what was held, then the state hash), and the
// index checks of "Sync" step 2 (expired, another feed, another epoch, rollback, a jump over
// LIMITS.maxSeqJump), then deltas when the chain is whole and smaller than the snapshot.
// The state hash oracle is node's own SHA-256 over lines sorted by JavaScript's default (code
// unit) order, and the empty list's is the well-known SHA-256 of nothing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FeedError, LIMITS, applyDelta, checkIndexAgainstState, computeStateHash, type FeedDelta, type FeedEntry, type FeedIndex } from '../../../../src/core/feed';
import { META, NOW, entry } from './fixtures';

const oracle = (list: { id: string; rev: number }[]) =>
  'sha256:' +
  createHash('sha256')
    .update(list.map((e) => `${e.id}\t${e.rev}\n`).sort().join(''))
    .digest('hex');

function failure(f: () => unknown): { code: string; message: string } | 'accepted' {
  try {
    f();
  } catch (e) {
    if (e instanceof FeedError) return { code: e.code, message: e.message };
    throw e;
  }
  return 'accepted';
}

describe('computeStateHash', () => {
  it('is the SHA-256 of nothing for an empty list', () => {
    expect(computeStateHash([])).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('sorts the lines by id whatever the order given (code units: "A" < "a" < "a-1" < "b")', () => {
    const list = [
      { id: 'b', rev: 2 },
      { id: 'a-1', rev: 1 },
      { id: 'a', rev: 10 },
      { id: 'A', rev: 3 },
    ];
    expect(computeStateHash(list)).toBe(oracle(list));
    expect(computeStateHash([...list].reverse())).toBe(oracle(list));
    // Equal lines (the same id and rev twice) hash as two lines.
    expect(computeStateHash([list[0]!, list[0]!])).toBe(oracle([list[0]!, list[0]!]));
  });
});

describe('applyDelta', () => {
  const map = (list: FeedEntry[]) => new Map(list.map((e): [string, FeedEntry] => [e.id, e]));
  const delta = (remove: { id: string; rev: number }[], upsert: FeedEntry[], after: { id: string; rev: number }[]): FeedDelta =>
    ({ format: 'already-debunked/delta', formatVersion: 1, feedId: META.id, epoch: 1, fromSeq: 1, toSeq: 2, generatedAt: NOW.toISOString(), expiresAt: NOW.toISOString(), remove, upsert, stateHash: oracle(after) }) as FeedDelta;

  it('removes, then upserts, then checks the state hash; the held map is untouched', () => {
    const held = map([entry('a'), entry('b'), entry('c')]);
    const next = applyDelta(held, delta([{ id: 'c', rev: 1 }], [entry('b', 2), entry('d')], [{ id: 'a', rev: 1 }, { id: 'b', rev: 2 }, { id: 'd', rev: 1 }]));
    expect([...next.keys()].sort()).toEqual(['a', 'b', 'd']);
    expect(next.get('b')!.rev).toBe(2);
    expect([...held.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('tolerates the removal of an id it does not hold when the state hash agrees', () => {
    const held = map([entry('a')]);
    expect([...applyDelta(held, delta([{ id: 'zz', rev: 4 }], [], [{ id: 'a', rev: 1 }])).keys()]).toEqual(['a']);
  });

  it('refuses an upsert whose rev does not grow over the held one (equal or lower), naming which', () => {
    const held = map([entry('a', 3), entry('b', 1)]);
    expect(failure(() => applyDelta(held, delta([], [entry('b', 2), entry('a', 3)], [{ id: 'a', rev: 3 }, { id: 'b', rev: 2 }])))).toEqual({ code: 'stale-rev', message: 'upsert[1].rev: rev 3 is not newer than the 3 held' });
    expect(failure(() => applyDelta(held, delta([], [entry('a', 2)], [{ id: 'a', rev: 2 }, { id: 'b', rev: 1 }])))).toMatchObject({ code: 'stale-rev' });
    // Removed and added back in the same delta: still compared with what was held.
    expect(failure(() => applyDelta(held, delta([{ id: 'a', rev: 3 }], [entry('a', 3)], [{ id: 'a', rev: 3 }, { id: 'b', rev: 1 }])))).toMatchObject({ code: 'stale-rev' });
    expect(applyDelta(held, delta([], [entry('a', 4)], [{ id: 'a', rev: 4 }, { id: 'b', rev: 1 }])).get('a')!.rev).toBe(4);
  });

  it('refuses entries that do not match the state hash', () => {
    const held = map([entry('a')]);
    expect(failure(() => applyDelta(held, delta([], [entry('b')], [{ id: 'b', rev: 1 }])))).toMatchObject({ code: 'state-hash', message: expect.stringContaining('state hash') });
  });
});

describe('checkIndexAgainstState', () => {
  const ref = (path: string, bytes: number) => ({ path, sha256: '0'.repeat(64), bytes });
  const index = (seq: number, deltas: [number, number, number][] = [], snapshotBytes = 1000, over: Partial<FeedIndex> = {}): FeedIndex =>
    ({
      format: 'already-debunked/index',
      formatVersion: 1,
      feedId: META.id,
      epoch: 1,
      seq,
      generatedAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
      snapshot: { ...ref(`snapshots/${seq}.json`, snapshotBytes), seq },
      deltas: deltas.map(([fromSeq, toSeq, bytes]) => ({ ...ref(`deltas/${fromSeq}-${toSeq}.json`, bytes), fromSeq, toSeq })),
      ...over,
    }) as FeedIndex;
  const held = (seq: number | null, over: object = {}) => ({ feedId: META.id, epoch: 1, seq, ...over });

  it('refuses an index expired at this very millisecond, takes one a millisecond from expiring', () => {
    const at = new Date(NOW.getTime() + 86_400_000);
    expect(failure(() => checkIndexAgainstState(index(5), held(5), at))).toEqual({ code: 'expired', message: `the feed index expired at ${at.toISOString()}` });
    expect(checkIndexAgainstState(index(5), held(5), new Date(at.getTime() - 1))).toBe('unchanged');
    // Expiry comes first, even with nothing held.
    expect(failure(() => checkIndexAgainstState(index(5), null, at))).toMatchObject({ code: 'expired' });
  });

  it('takes the snapshot when nothing is held, or no sequence is', () => {
    expect(checkIndexAgainstState(index(5), null, NOW)).toBe('snapshot');
    expect(checkIndexAgainstState(index(5, [[4, 5, 1]]), held(null), NOW)).toBe('snapshot');
    // Nothing held but a feed id and an epoch (a subscription before its first sync): the snapshot, no other check.
    expect(checkIndexAgainstState(index(5), held(null, { feedId: 'https://other.example/feed', epoch: 9 }), NOW)).toBe('snapshot');
  });

  it('checks the feed id and the epoch only when they are held', () => {
    expect(failure(() => checkIndexAgainstState(index(5), held(5, { feedId: 'https://other.example/feed' }), NOW))).toEqual({ code: 'wrong-feed', message: `this is feed ${META.id}, not https://other.example/feed` });
    expect(checkIndexAgainstState(index(5), held(5, { feedId: null }), NOW)).toBe('unchanged');
    expect(failure(() => checkIndexAgainstState(index(5), held(5, { epoch: 2 }), NOW))).toEqual({ code: 'epoch', message: 'the feed moved from epoch 2 to 1' });
    expect(checkIndexAgainstState(index(5), held(5, { epoch: null }), NOW)).toBe('unchanged');
  });

  it('refuses going back, names both sequences; the same sequence is unchanged', () => {
    expect(failure(() => checkIndexAgainstState(index(4), held(5), NOW))).toEqual({ code: 'rollback', message: 'sequence 4 is older than the 5 held' });
    expect(checkIndexAgainstState(index(5), held(5), NOW)).toBe('unchanged');
  });

  it('allows a jump of LIMITS.maxSeqJump (1,000,000), refuses one more', () => {
    expect(LIMITS.maxSeqJump).toBe(1_000_000);
    expect(checkIndexAgainstState(index(5 + 1_000_000), held(5), NOW)).toBe('snapshot');
    expect(failure(() => checkIndexAgainstState(index(5 + 1_000_001), held(5), NOW))).toEqual({ code: 'fast-forward', message: 'sequence jumps from 5 to 1000006' });
  });

  it('follows the chain of deltas (in any order in the index) when it is whole and smaller than the snapshot', () => {
    const plan = checkIndexAgainstState(index(8, [[7, 8, 300], [5, 6, 300], [6, 7, 300]]), held(5), NOW);
    expect(plan).toEqual({ deltas: [expect.objectContaining({ fromSeq: 5, toSeq: 6 }), expect.objectContaining({ fromSeq: 6, toSeq: 7 }), expect.objectContaining({ fromSeq: 7, toSeq: 8 })] });
    // 999 bytes of deltas against a 1000-byte snapshot: deltas; 1000 against 1000: the snapshot.
    expect(checkIndexAgainstState(index(6, [[5, 6, 999]]), held(5), NOW)).toEqual({ deltas: [expect.objectContaining({ fromSeq: 5, bytes: 999 })] });
    expect(checkIndexAgainstState(index(6, [[5, 6, 1000]]), held(5), NOW)).toBe('snapshot');
    expect(checkIndexAgainstState(index(7, [[5, 6, 400], [6, 7, 600]]), held(5), NOW)).toBe('snapshot');
  });

  it('takes the snapshot when a link is missing or does not go to the next sequence', () => {
    expect(checkIndexAgainstState(index(7, [[5, 6, 1], [4, 5, 1]]), held(5), NOW)).toBe('snapshot');
    expect(checkIndexAgainstState(index(7, [[5, 7, 1]]), held(5), NOW)).toBe('snapshot');
    expect(checkIndexAgainstState(index(6, [[4, 6, 1]]), held(5), NOW)).toBe('snapshot');
    // A delta from the held sequence that skips one is no link, even when the next one is there.
    expect(checkIndexAgainstState(index(7, [[5, 7, 1], [6, 7, 1]]), held(5), NOW)).toBe('snapshot');
  });
});
