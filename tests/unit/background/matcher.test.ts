// Lookups on a real (fake-indexeddb) database: the match index built from the stored entries,
// saved and loaded, against syncs committing meanwhile; and what may produce a notice.
// Expected values come from the rule's definition (Meta's PDQ reference: a match is a distance
// ≤ 31 between hashes of quality ≥ 50; docs/matching.md for the levels), not from the code.
import 'fake-indexeddb/auto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, local.get(k)])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, v)),
      },
    },
  },
}));

import { GENERATION_KEY, openDatabase, type AdDB, type IndexRecord } from '../../../src/background/db';
import { invalidateMatcher, matchHashes } from '../../../src/background/matcher';
import { syncFeed } from '../../../src/background/sync';
import { testPoints } from '../../../src/background/test-points';
import { hashFromHex, type Hash256 } from '../../../src/core/hash256';
import type { FeedEntry } from '../../../src/core/feed';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { NOW, entry } from '../core/feed/fixtures';
import { feedServer, sub } from './feed-server';

/** A well-spread 256-bit hash per name (two of them differ in about 128 bits). */
const hashOf = (name: string) => bytesToHex(sha256(new TextEncoder().encode(name)));
const A = hashOf('a');
const N = hashOf('new');
const W = hashOf('withdrawn');

/** The hash with its first `k` bits flipped: at Hamming distance exactly k. */
function flipped(hex: string, k: number): Hash256 {
  const h = hashFromHex(hex);
  for (let i = 0; i < k; i++) h[i >> 4]! ^= 1 << (i & 15);
  return h;
}
/** A query picture's 8 dihedral hashes: the original at distance k from `hex`, the 7 others far from everything. */
const query = (hex: string, k = 0): Hash256[] => [flipped(hex, k), ...Array.from({ length: 7 }, () => flipped(hex, 256))];

const settings: Settings = { ...defaultSettings([sub]), matchStrictness: 'standard' };
const lookup = async (hex: string, k = 0, s = settings) => (await matchHashes(query(hex, k), 100, s, ['en'])).map((m) => m.entryId);
const withdrawn = (e: FeedEntry): FeedEntry => ({ ...e, rev: e.rev + 1, status: 'withdrawn' });

let db: AdDB;
let server: ReturnType<typeof feedServer>;
const sync = () => syncFeed(sub, { db, now: () => NOW, testHosts: [], random: () => 0.5 });
const storedIndex = async () => (await db.get('matchIndex', 'current')) as IndexRecord | undefined;
const generation = async () => ((await db.get('matchIndex', GENERATION_KEY)) as { generation: number } | undefined)?.generation ?? 0;

beforeEach(async () => {
  db = await openDatabase(); // the matcher's own database (fake-indexeddb), emptied per test
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([tx.objectStore('feeds').clear(), tx.objectStore('entries').clear(), tx.objectStore('matchIndex').clear(), tx.done]);
  local.clear();
  invalidateMatcher();
  server = feedServer();
  vi.stubGlobal('fetch', server.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('the match index and syncs', () => {
  it('an index built from entries a sync replaced meanwhile is not saved: a cold worker finds the new entry, and none withdrawn', async () => {
    server.publish([entry('a', 1, A), entry('w', 1, W)]);
    expect((await sync()).outcome).toBe('updated');

    const hold = testPoints.hold('index-built-not-saved');
    const first = lookup(A); // builds the index from [a, w] ...
    await hold.reached;
    server.publish([entry('a', 1, A), withdrawn(entry('w', 1, W)), entry('n', 1, N)]);
    expect((await sync()).outcome).toBe('updated'); // ... while a sync commits [a, w withdrawn, n]
    hold.release();
    expect(await first).toEqual(['a']);

    invalidateMatcher(); // a worker that wakes up cold loads what was saved
    expect(await lookup(N), 'the entry the sync added').toEqual(['n']);
    expect(await lookup(W), 'the entry the publisher withdrew').toEqual([]);
    expect((await storedIndex())?.generation, 'what is saved is built from the current list').toBe(await generation());
  });

  it('a withdrawn entry never produces a notice, even through an index built before it was withdrawn', async () => {
    server.publish([entry('w', 1, W)]);
    await sync();
    expect(await lookup(W)).toEqual(['w']); // the index (in memory and saved) has w
    // The stored entry changes under the index (what a stale index amounts to).
    await db.put('entries', { feedUrl: sub.url, id: 'w', entry: withdrawn(entry('w', 1, W)) });
    expect(await lookup(W), 'in memory').toEqual([]);
    invalidateMatcher();
    expect(await lookup(W), 'loaded from the database').toEqual([]);
  });

  it('a stored index from an older generation is refused when loaded, and rebuilt', async () => {
    server.publish([entry('a', 1, A)]);
    await sync();
    expect(await lookup(A)).toEqual(['a']);
    const old = (await storedIndex())!;
    // A sync commits (bumping the generation), then an old index is put back as current.
    server.publish([entry('a', 1, A), entry('n', 1, N)]);
    await sync();
    await db.put('matchIndex', old);
    invalidateMatcher();
    expect(await lookup(N)).toEqual(['n']);
    expect((local.get('storageEvent') as { kind: string; detail: string }).kind).toBe('index-rebuilt');
    expect((await storedIndex())?.generation).toBe(await generation());
  });

  it('a feed disabled since the index was built produces no notice', async () => {
    server.publish([entry('a', 1, A)]);
    await sync();
    expect(await lookup(A)).toEqual(['a']);
    expect(await lookup(A, 0, { ...settings, subscriptions: [{ ...sub, enabled: false }] })).toEqual([]);
  });
});
