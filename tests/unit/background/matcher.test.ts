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
import { READ_PAGE, invalidateMatcher, loadedRows, localize, matchHashes, toMatchView } from '../../../src/background/matcher';
import { syncFeed } from '../../../src/background/sync';
import { testPoints } from '../../../src/background/test-points';
import { traceMarks } from '../../../src/background/trace';
import { hashFromHex, hashToHex, type Hash256 } from '../../../src/core/hash256';
import { INDEX_MAGIC } from '../../../src/core/index';
import type { Probe } from '../../../src/core/match';
import type { FeedEntry } from '../../../src/core/feed';
import { defaultSettings, type MatchStrictness, type Settings } from '../../../src/shared/settings';
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

  it('indexes every entry of a feed longer than one read page (READ_PAGE), the first and the last alike', async () => {
    const many = Array.from({ length: 2 * READ_PAGE + 7 }, (_, i) => entry(`e${String(i).padStart(5, '0')}`, 1, hashOf(`e${i}`)));
    server.publish(many);
    expect((await sync()).outcome).toBe('updated');
    for (const i of [0, READ_PAGE - 1, READ_PAGE, 2 * READ_PAGE + 6]) expect(await lookup(hashOf(`e${i}`), 3)).toEqual([`e${String(i).padStart(5, '0')}`]);
    const saved = (await storedIndex())!;
    expect(saved.entryFeed).toHaveLength(many.length);
    expect(saved.feedUrls, 'each feed listed once').toEqual([sub.url]);
    expect(saved.entryIds.split('\n')).toEqual(many.map((e) => e.id).sort());
  });

  it('a stored index of the grouped index’s earlier format is rebuilt quietly (no damage reported)', async () => {
    server.publish([entry('a', 1, A)]);
    await sync();
    expect(await lookup(A)).toEqual(['a']);
    const stored = (await storedIndex())!;
    const earlier = stored.buffer.slice(0);
    new Uint32Array(earlier)[1] = 1; // format 1
    await db.put('matchIndex', { ...stored, buffer: earlier });
    invalidateMatcher();
    expect(await lookup(A)).toEqual(['a']);
    expect(local.get('storageEvent')).toBeUndefined();
    expect(new Uint32Array((await storedIndex())!.buffer)[1]).toBe(2);
    // A format this version does not know (a newer one, or damage) is reported, then rebuilt.
    const unknown = (await storedIndex())!;
    const later = unknown.buffer.slice(0);
    new Uint32Array(later)[1] = 99;
    await db.put('matchIndex', { ...unknown, buffer: later });
    invalidateMatcher();
    expect(await lookup(A)).toEqual(['a']);
    expect(local.get('storageEvent')).toMatchObject({ kind: 'index-rebuilt', detail: expect.stringMatching(/index format 99/) });
  });

  it('the entries of a disabled feed are not indexed', async () => {
    server.publish([entry('a', 1, A)]);
    await sync();
    expect(await lookup(A, 0, { ...settings, subscriptions: [{ ...sub, enabled: false }] })).toEqual([]);
    expect((await storedIndex())?.entryIds).toBe('');
  });

  it('a feed disabled since the index was built produces no notice', async () => {
    server.publish([entry('a', 1, A)]);
    await sync();
    expect(await lookup(A)).toEqual(['a']);
    expect(await lookup(A, 0, { ...settings, subscriptions: [{ ...sub, enabled: false }] })).toEqual([]);
  });
});

describe('the match rule on a real database (reference: distance ≤ 31, quality ≥ 50; docs/matching.md for the levels)', () => {
  const H = hashOf('stored original');
  const C = hashOf('stored crop variant');
  type StoredHash = { value: string; quality: number; role?: 'original' | 'variant' | 'poster' | 'keyframe'; variant?: string };
  /** An image entry with these stored hashes, written straight into the entries store. */
  const store = async (id: string, hashes: StoredHash[], change: Partial<FeedEntry> = {}) => {
    const e: FeedEntry = { ...entry(id), media: [{ type: 'image', hashes: hashes.map((h) => ({ alg: 'pdq' as const, ...h })) }], ...change };
    await db.put('entries', { feedUrl: sub.url, id, entry: e });
  };
  const level = (matchStrictness: MatchStrictness): Settings => ({ ...settings, matchStrictness });
  const at = (hex: string, k: number, quality = 100, level_: MatchStrictness = 'standard', probes: Probe[] = []) =>
    matchHashes(query(hex, k), quality, level(level_), ['en'], probes);
  const ids = async (p: ReturnType<typeof at>) => (await p).map((m) => m.entryId);

  it('names the right feed and entry with two feeds holding the same entry id, from a built index and from a stored one', async () => {
    const other = { ...sub, url: 'https://other.example.org/feed/index.json', name: 'Other desk' };
    const two: Settings = { ...settings, subscriptions: [sub, other] };
    await store('same', [{ value: H, quality: 90 }]);
    await db.put('entries', { feedUrl: other.url, id: 'same', entry: { ...entry('same'), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: C, quality: 90 }] }] } });
    const where = async (hex: string) => (await matchHashes(query(hex, 2), 100, two, ['en'])).map((m) => `${m.feedName}/${m.entryId}`);
    expect(await where(C)).toEqual(['Other desk/same']);
    invalidateMatcher(); // a cold worker: the same answers from the stored record
    expect(await where(H)).toEqual([`${sub.name}/same`]);
    expect(await where(C)).toEqual(['Other desk/same']);
  });

  it('a stored index whose entry ids do not match its entries is refused and rebuilt', async () => {
    await store('e', [{ value: H, quality: 90 }]);
    expect(await ids(at(H, 0))).toEqual(['e']);
    await db.put('matchIndex', { ...(await storedIndex())!, entryIds: 'e\nx' });
    invalidateMatcher();
    expect(await ids(at(H, 0))).toEqual(['e']);
    expect(local.get('storageEvent')).toMatchObject({ kind: 'index-rebuilt', detail: 'its entry ids do not match its entries' });
  });

  it('standard: distance 31 matches, 32 does not', async () => {
    await store('e', [{ value: H, quality: 90 }]);
    expect(await ids(at(H, 31))).toEqual(['e']);
    expect((await at(H, 31))[0]?.distance).toBe(31);
    expect(await ids(at(H, 32))).toEqual([]);
  });

  it('a stored hash of quality 49 is never matched; 50 is', async () => {
    await store('q49', [{ value: H, quality: 49 }]);
    await store('q50', [{ value: C, quality: 50 }]);
    expect(await ids(at(H, 0))).toEqual([]);
    expect(await ids(at(C, 0))).toEqual(['q50']);
  });

  it('a video frame of quality 49 is never matched; 50 is', async () => {
    const frames = (value: string, quality: number): Partial<FeedEntry> => ({ media: [{ type: 'video', hashes: [], frames: { alg: 'pdq', items: [{ t: 0, value, quality }] } }] });
    await db.put('entries', { feedUrl: sub.url, id: 'f49', entry: { ...entry('f49'), ...frames(H, 49) } });
    await db.put('entries', { feedUrl: sub.url, id: 'f50', entry: { ...entry('f50'), ...frames(C, 50) } });
    expect(await ids(at(H, 0))).toEqual([]);
    expect(await ids(at(C, 0))).toEqual(['f50']);
  });

  it('a picture of quality 49 is never matched, even exactly; 50 is', async () => {
    await store('e', [{ value: H, quality: 90 }]);
    expect(await ids(at(H, 0, 49))).toEqual([]);
    expect(await ids(at(H, 0, 50))).toEqual(['e']);
  });

  it('withdrawn entries and entries rated accurate are not indexed and never matched', async () => {
    await store('w', [{ value: H, quality: 90 }], { status: 'withdrawn' });
    await store('ok', [{ value: C, quality: 90 }], { verdict: { label: 'accurate', textualRating: { en: 'Accurate' } } });
    expect(await ids(at(H, 0))).toEqual([]);
    expect(await ids(at(C, 0))).toEqual([]);
    const saved = (await storedIndex())!;
    expect([saved.entryIds, saved.entryFeed.length], 'neither is in the index').toEqual(['', 0]);
  });

  it('strict: distance 24 matches, 25 does not; the publisher’s variants are not compared', async () => {
    await store('e', [{ value: H, quality: 90 }, { value: C, quality: 90, role: 'variant', variant: 'crop:0.9' }]);
    expect(await ids(at(H, 24, 100, 'strict'))).toEqual(['e']);
    expect(await ids(at(H, 25, 100, 'strict'))).toEqual([]);
    expect(await ids(at(C, 0, 100, 'strict')), 'the whole image against a stored crop: not in strict').toEqual([]);
    const standard = await at(C, 0, 100, 'standard');
    expect(standard.map((m) => [m.entryId, m.variant])).toEqual([['e', 'crop:0.9']]);
  });

  it('every level compares the mirrors and quarter turns with the original', async () => {
    await store('e', [{ value: H, quality: 90 }]);
    const turned = [flipped(H, 256), flipped(H, 256), hashFromHex(H), ...Array.from({ length: 5 }, () => flipped(H, 256))];
    for (const l of ['strict', 'standard', 'loose'] as const) {
      const found = await matchHashes(turned, 100, level(l), ['en']);
      expect(found.map((m) => [m.entryId, m.variant]), l).toEqual([['e', 'rotate180']]);
    }
  });

  it('loose: one pair within 31 is enough; one pair at 32–40 is not; two different pairs within 40 are', async () => {
    await store('e', [{ value: H, quality: 90 }, { value: C, quality: 90, role: 'variant', variant: 'crop:0.9' }]);
    expect(await ids(at(H, 31, 100, 'loose'))).toEqual(['e']);
    expect(await ids(at(H, 35, 100, 'loose')), 'a single pair at 35').toEqual([]);
    // The picture found inside a frame meets the stored crop at 35 too: two pairs agree.
    const picture = (k: number): Probe => ({ probe: 'picture', hashes: query(C, k), quality: 90 });
    expect(await ids(at(H, 35, 100, 'loose', [picture(35)]))).toEqual(['e']);
    expect(await ids(at(H, 40, 100, 'loose', [picture(40)])), 'both at 40').toEqual(['e']);
    expect(await ids(at(H, 41, 100, 'loose', [picture(35)])), 'one of them at 41: not a candidate').toEqual([]);
    expect(await ids(at(H, 35, 100, 'standard', [picture(35)])), 'standard has no second stage').toEqual([]);
  });

  it('a probe below quality 50 takes no part, even when the others do', async () => {
    await store('e', [{ value: H, quality: 90 }, { value: C, quality: 90, role: 'variant', variant: 'crop:0.9' }]);
    const picture: Probe = { probe: 'picture', hashes: query(C, 0), quality: 49 };
    expect(await ids(at(hashOf('unrelated'), 0, 100, 'standard', [picture]))).toEqual([]);
    expect(await ids(at(hashOf('unrelated'), 0, 100, 'standard', [{ ...picture, quality: 50 }]))).toEqual(['e']);
  });
});

// The damage checks of a stored index (matcher.ts `damage`): each kind of damage is refused with
// its own reason, reported once, and rebuilt; a sound index, however small, is used as it is.
// The damaged records are written by hand from a sound one: one entry 'e' with two stored hashes
// (its original and a crop variant), so 2 rows, 2 kinds, 1 entry, 1 feed.
describe('a damaged stored index is refused with its reason, reported, and rebuilt', () => {
  const H = hashOf('damage original');
  const C = hashOf('damage crop variant');
  const sound = async (): Promise<IndexRecord> => {
    const e: FeedEntry = { ...entry('e'), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: H, quality: 90 }, { alg: 'pdq', value: C, quality: 90, role: 'variant', variant: 'crop:0.9' }] }] };
    await db.put('entries', { feedUrl: sub.url, id: 'e', entry: e });
    expect(await lookup(H)).toEqual(['e']); // builds and saves the index
    const saved = (await storedIndex())!;
    // What the record holds, from the entry written above (not from the code).
    expect([saved.rowEntry.length, saved.kinds.length, saved.entryIds, saved.feedUrls]).toEqual([2, 2, 'e', [sub.url]]);
    return saved;
  };
  /** Puts `change` over the sound record, loads it cold: the lookup still answers, from a rebuilt index. */
  const refused = async (change: (r: IndexRecord) => Record<string, unknown>) => {
    const good = await sound();
    await db.put('matchIndex', { ...good, ...change(good), builtAt: 'damaged' } as IndexRecord);
    invalidateMatcher();
    local.delete('storageEvent');
    expect(await lookup(H)).toEqual(['e']);
    expect(await lookup(C)).toEqual(['e']);
    expect((await storedIndex())!.builtAt, 'rebuilt and saved').not.toBe('damaged');
    const event = local.get('storageEvent') as { kind: string; detail: string } | undefined;
    expect(event?.kind).toBe('index-rebuilt');
    return event!.detail;
  };

  it('a sound index is used as it is when a cold worker loads it: nothing reported, nothing rebuilt', async () => {
    // Two feeds, two entries: the largest feed number (1) and entry ordinal (1) are the last listed.
    const other = { ...sub, url: 'https://other.example.org/feed/index.json', name: 'Other desk' };
    const two: Settings = { ...settings, subscriptions: [sub, other] };
    await db.put('entries', { feedUrl: sub.url, id: 'a', entry: { ...entry('a'), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: H, quality: 90 }] }] } });
    await db.put('entries', { feedUrl: other.url, id: 'b', entry: { ...entry('b'), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: C, quality: 90, role: 'variant', variant: 'crop:0.9' }] }] } });
    expect(await lookup(H, 0, two)).toEqual(['a']);
    const saved = (await storedIndex())!;
    expect([Array.from(saved.entryFeed).sort(), saved.kinds.length]).toEqual([[0, 1], 2]);
    await db.put('matchIndex', { ...saved, builtAt: 'kept' });
    invalidateMatcher();
    expect(await lookup(C, 0, two)).toEqual(['b']);
    expect(await lookup(H, 0, two)).toEqual(['a']);
    expect((await storedIndex())!.builtAt, 'not rebuilt').toBe('kept');
    expect(local.get('storageEvent')).toBeUndefined();
  });

  it('an empty index (nothing matchable) is used as it is too', async () => {
    await store0('w', H, { status: 'withdrawn' });
    expect(await lookup(H)).toEqual([]);
    const saved = (await storedIndex())!;
    expect([saved.rowEntry.length, saved.entryFeed.length, saved.entryIds]).toEqual([0, 0, '']);
    await db.put('matchIndex', { ...saved, builtAt: 'kept' });
    invalidateMatcher();
    expect(await lookup(H)).toEqual([]);
    expect((await storedIndex())!.builtAt).toBe('kept');
    expect(local.get('storageEvent')).toBeUndefined();
  });

  it('of another generation', async () => {
    const detail = await refused(() => ({ generation: 7777 }));
    expect(detail).toBe(`it was built from entries of generation 7777, not the current ${await generation()}`);
  });

  it.each([
    ['rowEntry as 16-bit numbers', (r: IndexRecord) => ({ rowEntry: Uint16Array.from(r.rowEntry) })],
    ['rowMedia as 32-bit numbers', (r: IndexRecord) => ({ rowMedia: Uint32Array.from(r.rowMedia) })],
    ['rowKind as 16-bit numbers', (r: IndexRecord) => ({ rowKind: Uint16Array.from(r.rowKind) })],
    ['kinds not a list', (r: IndexRecord) => ({ kinds: { ...r.kinds, length: r.kinds.length } })],
    ['feedUrls not a list', (r: IndexRecord) => ({ feedUrls: { ...r.feedUrls, length: r.feedUrls.length } })],
    ['entryFeed as 32-bit numbers', (r: IndexRecord) => ({ entryFeed: Uint32Array.from(r.entryFeed) })],
    ['entryIds a list, not one string', (r: IndexRecord) => ({ entryIds: r.entryIds.split('\n') })],
    ['rowEntry missing', () => ({ rowEntry: undefined })],
  ])('with a table of the wrong type: %s', async (_, change) => {
    expect(await refused(change)).toBe('its tables are missing');
  });

  it.each([
    ['rowEntry one short', (r: IndexRecord) => ({ rowEntry: r.rowEntry.slice(0, 1) }), 'its tables have 1 rows for 2 hashes'],
    ['rowEntry one too many', (r: IndexRecord) => ({ rowEntry: Uint32Array.from([...r.rowEntry, 0]) }), 'its tables have 3 rows for 2 hashes'],
    // (The reason gives rowEntry's count whichever table is short.)
    ['rowMedia one short', (r: IndexRecord) => ({ rowMedia: r.rowMedia.slice(0, 1) }), /^its tables have \d+ rows for 2 hashes$/],
    ['rowKind one short', (r: IndexRecord) => ({ rowKind: r.rowKind.slice(0, 1) }), /^its tables have \d+ rows for 2 hashes$/],
    ['rowKind one too many', (r: IndexRecord) => ({ rowKind: Uint8Array.from([...r.rowKind, 0]) }), /^its tables have \d+ rows for 2 hashes$/],
  ])('with tables of the wrong length: %s', async (_, change, reason) => {
    expect(await refused(change)).toMatch(reason);
  });

  it('naming a hash kind it does not list (kind number 2 of 2 kinds)', async () => {
    expect(await refused((r) => ({ rowKind: Uint8Array.from(r.rowKind, () => 2) }))).toBe('it names hash kinds it does not list');
    // Out of range in the first row only (the last one is sound): every row is checked.
    expect(await refused((r) => ({ rowKind: Uint8Array.from(r.rowKind, (k, i) => (i === 0 ? 2 : 0)) }))).toBe('it names hash kinds it does not list');
  });
  it('naming a feed it does not list (feed number 1 of 1 feed)', async () => {
    expect(await refused(() => ({ entryFeed: Uint16Array.of(1) }))).toBe('it names feeds it does not list');
  });
  it('naming an entry it does not list (entry ordinal 1 of 1 entry)', async () => {
    expect(await refused(() => ({ rowEntry: Uint32Array.of(0, 1) }))).toBe('it names entries it does not list');
    expect(await refused(() => ({ rowEntry: Uint32Array.of(1, 0) }))).toBe('it names entries it does not list');
  });
  it('with one entry id more or less than entries', async () => {
    expect(await refused(() => ({ entryIds: '' }))).toBe('its entry ids do not match its entries');
  });
  it('with no buffer, or one too short to hold a header', async () => {
    await refused(() => ({ buffer: undefined }));
    await refused(() => ({ buffer: new ArrayBuffer(4) }));
  });

  it('a buffer of no format this version knows, even one claiming format 1, is reported', async () => {
    expect(await refused(() => ({ buffer: Uint32Array.of(0x12345678, 1, 0, 0, 0, 0, 0, 0).buffer }))).toBeTruthy();
  });

  it('an index of the earlier single-index form (its 8-byte header alone) is rebuilt quietly', async () => {
    const good = await sound();
    await db.put('matchIndex', { ...good, buffer: Uint32Array.of(INDEX_MAGIC, 1).buffer, builtAt: 'old form' });
    invalidateMatcher();
    expect(await lookup(C)).toEqual(['e']);
    expect((await storedIndex())!.builtAt).not.toBe('old form');
    expect(local.get('storageEvent')).toBeUndefined();
  });

  const store0 = async (id: string, hex: string, change: Partial<FeedEntry> = {}) =>
    db.put('entries', { feedUrl: sub.url, id, entry: { ...entry(id), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: hex, quality: 90 }] }], ...change } });
});

describe('lookups: what a picture finds, in which order', () => {
  const H = hashOf('lookup original');
  const put = async (id: string, hashes: { value: string; role?: 'variant'; variant?: string }[]) =>
    db.put('entries', { feedUrl: sub.url, id, entry: { ...entry(id), media: [{ type: 'image', hashes: hashes.map((h) => ({ alg: 'pdq' as const, quality: 90, ...h })) }] } });
  /** H with bits from..from+k-1 flipped (disjoint ranges add up their distances). */
  const near = (from: number, k: number): string => {
    const h = hashFromHex(H);
    for (let i = from; i < from + k; i++) h[i >> 4]! ^= 1 << (i & 15);
    return hashToHex(h);
  };

  it('best distance first, whatever the order the entries are stored in', async () => {
    await put('a-far', [{ value: near(0, 9) }]);
    await put('b-near', [{ value: near(100, 4) }]);
    await put('c-mid', [{ value: near(200, 6) }]);
    const found = await matchHashes(query(H), 100, settings, ['en']);
    expect(found.map((m) => [m.entryId, m.distance])).toEqual([['b-near', 4], ['c-mid', 6], ['a-far', 9]]);
  });

  it('one answer per entry, at its best distance, however many of its hashes match', async () => {
    await put('e', [{ value: near(0, 7) }, { value: near(50, 2), role: 'variant', variant: 'crop:0.9' }, { value: near(100, 5), role: 'variant', variant: 'crop:0.8' }]);
    const found = await matchHashes(query(H), 100, settings, ['en']);
    expect(found.map((m) => [m.entryId, m.distance, m.variant])).toEqual([['e', 2, 'crop:0.9']]);
  });

  it('the reader switched off: no lookup at all', async () => {
    await put('e', [{ value: H }]);
    expect(await lookup(H)).toEqual(['e']);
    expect(await lookup(H, 0, { ...settings, enabled: false })).toEqual([]);
  });

  it('a probe below quality 50 does not stop the others from matching', async () => {
    await put('e', [{ value: H }]);
    const weak: Probe = { probe: 'picture', hashes: query(hashOf('elsewhere')), quality: 10 };
    expect((await matchHashes(query(H), 100, settings, ['en'], [weak])).map((m) => m.entryId)).toEqual(['e']);
    expect(await matchHashes(query(H), 49, settings, ['en'], [{ ...weak, hashes: query(H) }]), 'all of them below').toEqual([]);
  });

  it('names the feed as the reader’s subscription does, with the entry’s texts in the reader’s language', async () => {
    await put('e', [{ value: H }]);
    const [m] = await matchHashes(query(H), 100, settings, ['fr-FR']);
    expect(m).toMatchObject({ feedUrl: sub.url, feedName: sub.name, entryId: 'e', rating: 'Hors contexte', distance: 0, variant: 'original' });
  });
});

// The notice's language (matcher.ts `localize`): the reader's languages in order, each exactly
// (case aside) and then by its base language; then English; then the first text given.
describe('localize: which text the notice shows', () => {
  it('nothing to choose from', () => {
    expect(localize(undefined, ['en'])).toBeNull();
    expect(localize({}, ['en'])).toBeNull();
  });
  it('the reader’s language exactly, before another region of it listed earlier', () => {
    expect(localize({ pt: 'Português', 'pt-BR': 'Brasileiro', en: 'English' }, ['pt-BR'])).toEqual({ text: 'Brasileiro', lang: 'pt-BR' });
  });
  it('case does not matter, either side', () => {
    expect(localize({ en: 'English', 'PT-br': 'Brasileiro' }, ['pt-BR'])).toEqual({ text: 'Brasileiro', lang: 'PT-br' });
    expect(localize({ en: 'English', fr: 'Français' }, ['FR'])).toEqual({ text: 'Français', lang: 'fr' });
  });
  it('the base language of the reader’s, or another region of it', () => {
    expect(localize({ en: 'English', fr: 'Français' }, ['fr-CA'])).toEqual({ text: 'Français', lang: 'fr' });
    // 'fi' shares a first letter with 'fr', 'fr-FR' a base with 'fr-CA'.
    expect(localize({ en: 'English', fi: 'Suomi', 'fr-FR': 'Français' }, ['fr-CA'])).toEqual({ text: 'Français', lang: 'fr-FR' });
    expect(localize({ en: 'English', 'FR-fr': 'Français' }, ['fr'])).toEqual({ text: 'Français', lang: 'FR-fr' });
  });
  it('the reader’s languages in their order; the first one’s base before the second exactly', () => {
    expect(localize({ fr: 'Français', de: 'Deutsch', en: 'English' }, ['de', 'fr'])).toEqual({ text: 'Deutsch', lang: 'de' });
    expect(localize({ es: 'Español', pt: 'Português' }, ['pt-BR', 'es'])).toEqual({ text: 'Português', lang: 'pt' });
  });
  it('else English (or a region of it), else the first text given', () => {
    expect(localize({ es: 'Español', en: 'English' }, ['ja'])).toEqual({ text: 'English', lang: 'en' });
    expect(localize({ es: 'Español', 'en-GB': 'English' }, ['ja'])).toEqual({ text: 'English', lang: 'en-GB' });
    expect(localize({ es: 'Español', it: 'Italiano' }, ['ja'])).toEqual({ text: 'Español', lang: 'es' });
    expect(localize({ es: 'Español', en: 'English' }, [])).toEqual({ text: 'English', lang: 'en' });
  });
});

describe('toMatchView: what the notice is given', () => {
  const base = entry('seed'); // the seed case (fixtures.ts): rating in English and French, the rest in English
  it('the texts in the reader’s language where the publisher gave one, English elsewhere; lang is the context’s', () => {
    expect(toMatchView(base, 'https://f.example/feed', 'A desk', 12, 'crop:0.9', ['fr'])).toEqual({
      feedUrl: 'https://f.example/feed',
      feedName: 'A desk',
      entryId: 'seed',
      label: 'missing-context',
      rating: 'Hors contexte',
      claim: 'Video shows Putin welcoming Kim Jong-un in Moscow on 30 September 2022.',
      originalContext: { description: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok, Russia.', date: '2019-04-25', location: 'Vladivostok, Russia' },
      headline: 'Video of Putin and Kim is from the 2019 Vladivostok summit',
      factCheckUrl: 'https://factcheck.example.org/seed',
      publisherName: 'AFP Fact Check',
      datePublished: '2022-10-08',
      lang: 'en',
      distance: 12,
      variant: 'crop:0.9',
    });
  });
  it('no original context: null, and lang is the rating’s', () => {
    const v = toMatchView({ ...base, originalContext: undefined }, 'u', 'n', 0, 'original', ['fr']);
    expect([v.originalContext, v.lang]).toEqual([null, 'fr']);
  });
  it('an original context without description, date or place; no claim or headline text', () => {
    const bare: FeedEntry = { ...base, originalContext: {}, claim: { text: {} }, factCheck: { ...base.factCheck, headline: {} } };
    const v = toMatchView(bare, 'u', 'n', 0, 'original', ['de']);
    expect([v.originalContext, v.claim, v.headline, v.lang, v.rating]).toEqual([{ description: null, date: null, location: null }, null, null, 'en', 'Missing context']);
  });
});

// Building, saving and keeping the index (matcher.ts build, load, getLoaded): how often the
// entries are read is counted on the database itself (IDBObjectStore.getAll on 'entries').
describe('building, saving and keeping the index', () => {
  const H = hashOf('kept original');
  const put = () => db.put('entries', { feedUrl: sub.url, id: 'e', entry: { ...entry('e'), media: [{ type: 'image', hashes: [{ alg: 'pdq', value: H, quality: 90 }] }] } });
  const entryReads = () => {
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    return () => getAll.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'entries').length;
  };
  afterEach(() => vi.restoreAllMocks());

  it('a cold lookup reads the entries once when nothing changes meanwhile; a warm one not at all, even with the saved copy gone', async () => {
    await put();
    const reads = entryReads();
    expect(await lookup(H)).toEqual(['e']);
    expect(reads()).toBe(1);
    await db.delete('matchIndex', 'current');
    expect(await lookup(H)).toEqual(['e']);
    expect(reads(), 'served from memory').toBe(1);
    expect(await storedIndex(), 'not built again').toBeUndefined();
  });

  it('an index loaded from the database is kept in memory too', async () => {
    await put();
    expect(await lookup(H)).toEqual(['e']);
    invalidateMatcher(); // a cold worker loads the saved index ...
    const reads = entryReads();
    expect(await lookup(H)).toEqual(['e']);
    await db.delete('matchIndex', 'current'); // ... and keeps it: no reload, no rebuild
    expect(await lookup(H)).toEqual(['e']);
    expect(reads()).toBe(0);
    expect(await storedIndex()).toBeUndefined();
    // The rows and entry keys it serves to the video evidence, from the same index.
    const { rows, entryKey } = await loadedRows(settings);
    expect(entryKey(0)).toEqual([sub.url, 'e']);
    expect(rows).toBeTruthy();
    expect(reads()).toBe(0);
  });

  it('a picture whose every view is below quality 50 does not even load the index', async () => {
    await put();
    const reads = entryReads();
    expect(await matchHashes(query(H), 49, settings, ['en'], [{ probe: 'picture', hashes: query(H), quality: 10 }])).toEqual([]);
    expect(reads()).toBe(0);
    expect(await storedIndex()).toBeUndefined();
  });

  it('syncs moving the list under every attempt: three attempts, the last one served but neither saved nor kept', async () => {
    await put();
    let n = await generation();
    const reads = entryReads();
    let first: Promise<string[]> | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const hold = testPoints.hold('index-built-not-saved');
      first ??= lookup(H);
      await hold.reached;
      await db.put('matchIndex', { key: GENERATION_KEY, generation: ++n }); // what a sync's commit does
      hold.release();
    }
    expect(await first).toEqual(['e']);
    expect(reads()).toBe(3);
    expect(await storedIndex(), 'not saved').toBeUndefined();
    // Not kept in memory: the next lookup builds again, and with the list still, saves it.
    expect(await lookup(H)).toEqual(['e']);
    expect(reads()).toBe(4);
    expect((await storedIndex())?.generation).toBe(n);
  });

  it('a load that was not current, finishing after a newer one, does not drop the newer one', async () => {
    await put();
    let n = await generation();
    const reads = entryReads();
    let first: Promise<string[]> | undefined;
    let hold = testPoints.hold('index-built-not-saved');
    for (let attempt = 0; attempt < 3; attempt++) {
      first ??= lookup(H);
      await hold.reached;
      await db.put('matchIndex', { key: GENERATION_KEY, generation: ++n });
      if (attempt === 2) break;
      hold.release();
      hold = testPoints.hold('index-built-not-saved');
    }
    // The third attempt waits; a subscription change starts a newer load, which completes.
    invalidateMatcher();
    expect(await lookup(H)).toEqual(['e']);
    expect(reads()).toBe(4);
    hold.release();
    expect(await first).toEqual(['e']);
    await db.delete('matchIndex', 'current');
    expect(await lookup(H)).toEqual(['e']);
    expect(reads(), 'the newer index is still the one in memory').toBe(4);
    expect(await storedIndex()).toBeUndefined();
  });

  it('a failed load is not kept: the next lookup tries again', async () => {
    await put();
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementationOnce(() => {
      throw new Error('disk gone');
    });
    await expect(lookup(H)).rejects.toThrow('disk gone');
    getAll.mockRestore();
    expect(await lookup(H)).toEqual(['e']);
  });

  it('a full disk: the index serves from memory, and the reader is told it was not saved; another failure is not a full disk', async () => {
    await put();
    const realPut = IDBObjectStore.prototype.put;
    const failing = (name: string) =>
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name === 'matchIndex') throw new DOMException('no room', name);
        return realPut.apply(this, args);
      });
    failing('QuotaExceededError');
    expect(await lookup(H)).toEqual(['e']);
    expect(await storedIndex()).toBeUndefined();
    expect(local.get('storageEvent')).toMatchObject({ kind: 'index-not-saved', detail: null, reportsKept: null });
    vi.restoreAllMocks();
    local.delete('storageEvent');
    invalidateMatcher();
    failing('UnknownError');
    expect(await lookup(H)).toEqual(['e']);
    expect(local.get('storageEvent')).toBeUndefined();
  });
});

// The phases tests/bench/chromium-sync.bench.ts reads (its cold-start table lines up every
// `build:` and `load:` mark and the first `lookup:index-ready` with memory samples): their names,
// their order, and their counts are that bench's protocol with the matcher (test builds only;
// vitest runs as one).
describe('the phase marks the cold-start bench reads', () => {
  const names = () => traceMarks.take().map((m) => m.name);
  it('a first lookup builds and saves the index; a cold worker loads it; a warm one only searches', async () => {
    server.publish([entry('a', 1, A), entry('w', 1, W)]);
    expect((await sync()).outcome).toBe('updated');
    traceMarks.take();
    expect(await lookup(A)).toEqual(['a']);
    const built = traceMarks.take();
    expect(built.map((m) => m.name)).toEqual(['load:start', 'load:db-open', 'load:read', 'build:start', 'build:entries-read', 'build:index-built', 'build:serialized', 'build:saved', 'lookup:index-ready', 'lookup:searched', 'lookup:entries-read']);
    const n = new Map(built.map((m) => [m.name, m.n]));
    expect([n.get('build:entries-read'), n.get('lookup:searched'), n.get('lookup:entries-read')], 'two entries read; one row found, one entry shown').toEqual([2, 1, 1]);
    const saved = (await storedIndex())!;
    expect([n.get('build:index-built'), n.get('build:serialized')], 'the rows indexed; the bytes saved').toEqual([saved.rowEntry.length, saved.buffer.byteLength]);

    invalidateMatcher(); // a cold worker: the saved index is read, not rebuilt
    expect(await lookup(A)).toEqual(['a']);
    const cold = traceMarks.take();
    expect(cold.map((m) => m.name)).toEqual(['load:start', 'load:db-open', 'load:read', 'load:deserialized', 'load:ids-split', 'load:checked', 'lookup:index-ready', 'lookup:searched', 'lookup:entries-read']);
    expect(cold.find((m) => m.name === 'load:ids-split')!.n).toBe(2);
    expect(cold.find((m) => m.name === 'load:read')!.n).toBe((await storedIndex())!.buffer.byteLength);

    // A warm worker keeps the loaded index: nothing is read again, whatever it looks up.
    expect(await lookup(N)).toEqual([]);
    expect(await lookup(W)).toEqual(['w']);
    expect(names()).toEqual(['lookup:index-ready', 'lookup:searched', 'lookup:index-ready', 'lookup:searched', 'lookup:entries-read']);
  });
});
