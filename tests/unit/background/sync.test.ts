// Feed sync against a scripted server (fetch stubbed) and fake-indexeddb: verify before storing,
// keep the last good list on every failure, atomic swaps, deltas, rollback refusal, backoff.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DB_NAME, openDatabase } from '../../../src/background/db';
import { NetError } from '../../../src/background/net';
import { backoffMs, describe as describeError, fileTimeoutMs, syncFeed, type SyncContext } from '../../../src/background/sync';
import type { FloorStore } from '../../../src/background/floors';
import { FeedError, buildIndex, generateKeyPair, raiseFloor, signFile, type FeedFloor } from '../../../src/core/feed';
import { META, NOW, entry } from '../core/feed/fixtures';
import { BASE, feedServer, keys, sub } from './feed-server';

let server: ReturnType<typeof feedServer>;
let ctx: SyncContext;
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  server = feedServer();
  vi.stubGlobal('fetch', server.fetch);
  ctx = { db: await openDatabase(`test-${Math.random()}`), now: () => NOW, testHosts: [], random: () => 0.5 };
});
afterEach(() => vi.unstubAllGlobals());

const stored = async () => (await ctx.db.getAllFromIndex('entries', 'byFeed', sub.url)).map((r) => `${r.id}@${r.entry.rev}`).sort();

describe('syncFeed', () => {
  it('stores a verified snapshot, then follows deltas', async () => {
    server.publish([entry('a'), entry('b')]);
    const first = await syncFeed(sub, ctx);
    expect(first.outcome).toBe('updated');
    expect(first.record).toMatchObject({ seq: 1, entryCount: 2, lastError: null, failures: 0, feedId: META.id, reportEndpoint: META.reportEndpoint });
    expect(await stored()).toEqual(['a@1', 'b@1']);

    expect((await syncFeed(sub, ctx)).outcome).toBe('unchanged');

    server.publish([entry('a'), entry('b', 2), entry('c')]);
    server.files.set('snapshots/2.json', 500); // the delta must be what is used
    const second = await syncFeed(sub, ctx);
    expect(second.outcome).toBe('updated');
    expect(second.record.seq).toBe(2);
    expect(await stored()).toEqual(['a@1', 'b@2', 'c@1']);
    expect(server.fetch.mock.calls.map((c) => String(c[0]).slice(BASE.length))).toContain('deltas/1-2.json');
  });

  it('falls back to the snapshot when a delta is broken', async () => {
    server.publish([entry('a')]);
    await syncFeed(sub, ctx);
    server.publish([entry('a'), entry('d')]);
    server.files.set('deltas/1-2.json', 404);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('updated');
    expect(await stored()).toEqual(['a@1', 'd@1']);
  });

  it.each([
    ['a tampered snapshot', (s: ReturnType<typeof feedServer>) => {
      const bytes = s.files.get('snapshots/2.json') as Uint8Array;
      const copy = bytes.slice();
      const at = Math.floor(copy.length / 2);
      copy[at] = copy[at]! ^ 1;
      s.files.set('snapshots/2.json', copy);
      s.files.set('deltas/1-2.json', 404);
    }, /SHA-256/],
    ['a server error', (s: ReturnType<typeof feedServer>) => s.files.set('index.json', 500), /HTTP 500/],
    ['an index signed by another key', (s: ReturnType<typeof feedServer>) => {
      const other = generateKeyPair();
      s.files.set('index.json', signFile('index.json', { format: 'x' }, 'index', other.secretKey).bytes);
    }, /signature/],
  ])('keeps the last good list after %s, records why, and backs off', async (_what, breakIt, reason) => {
    server.publish([entry('a')]);
    await syncFeed(sub, ctx);
    server.publish([entry('a'), entry('b')]);
    breakIt(server);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(reason);
    expect(r.record.seq).toBe(1);
    expect(r.record.failures).toBe(1);
    expect(new Date(r.record.nextTryAt!).getTime()).toBeGreaterThan(NOW.getTime());
    expect(await stored()).toEqual(['a@1']);
    const again = await syncFeed(sub, ctx);
    expect(again.record.failures).toBe(2);
    expect(new Date(again.record.nextTryAt!).getTime() - NOW.getTime()).toBeGreaterThan(new Date(r.record.nextTryAt!).getTime() - NOW.getTime());
  });

  it('a write refused as it is made (a full disk) undoes the whole update: the last good list stays whole', async () => {
    server.publish([entry('a'), entry('b')]);
    await syncFeed(sub, ctx);
    server.publish([entry('c')]);
    server.files.set('deltas/1-2.json', 404); // the snapshot path: delete every entry, then put
    const put = vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const r = await syncFeed(sub, ctx);
    put.mockRestore();
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toBe('not enough disk space to store the feed');
    expect(r.unrecorded, 'not even the failure could be stored').toBe(true);
    expect(await stored(), 'the delete made before the refused put was undone').toEqual(['a@1', 'b@1']);
    expect((await ctx.db.get('feeds', sub.url))?.seq).toBe(1);
    expect((await syncFeed(sub, ctx)).outcome, 'room again: the update arrives').toBe('updated');
    expect(await stored()).toEqual(['c@1']);
  });

  it('refuses to roll back to an older sequence', async () => {
    server.publish([entry('a')]);
    const oldIndex = server.files.get('index.json')!;
    const oldSnap = server.files.get('snapshots/1.json')!;
    server.publish([entry('a'), entry('b')]);
    await syncFeed(sub, ctx);
    expect(await stored()).toEqual(['a@1', 'b@1']);
    server.files.set('index.json', oldIndex);
    server.files.set('snapshots/1.json', oldSnap);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/older than the 2 held/);
    expect(await stored()).toEqual(['a@1', 'b@1']);
  });

  it('after the database is lost, an older signed snapshot is refused: the floor is kept outside the database', async () => {
    const kept = new Map<string, FeedFloor>(); // storage.local, which survives the database
    const floors: FloorStore = { get: async (u) => kept.get(u) ?? null, raise: async (u, f) => void kept.set(u, raiseFloor(kept.get(u) ?? null, f)) };
    ctx = { ...ctx, floors };
    server.publish([entry('a')]);
    const oldIndex = server.files.get('index.json')!;
    server.publish([entry('a'), entry('b')]);
    expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
    expect(kept.get(sub.url)).toEqual({ feedId: META.id, epoch: 1, seq: 2 });

    ctx = { ...ctx, db: await openDatabase(`lost-${Math.random()}`) }; // the database is gone
    server.files.set('index.json', oldIndex); // an older snapshot, signed and not expired
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/sequence 1 is older than the 2 already accepted/);
    expect(await stored()).toEqual([]);

    server.publish([entry('a'), entry('b'), entry('c')]);
    expect((await syncFeed(sub, ctx)).outcome, 'a newer one is taken').toBe('updated');
    expect(await stored()).toEqual(['a@1', 'b@1', 'c@1']);
    expect(kept.get(sub.url)?.seq).toBe(3);
  });

  it('the floor is the highest sequence accepted, read from the feed record too', async () => {
    server.publish([entry('a')]);
    const oldIndex = server.files.get('index.json')!;
    server.publish([entry('a'), entry('b')]);
    await syncFeed(sub, ctx);
    // A record whose current seq went down (what a bug or a hand-edit could leave) still holds the highest.
    await ctx.db.put('feeds', { ...(await ctx.db.get('feeds', sub.url))!, seq: 1, etag: null });
    server.files.set('index.json', oldIndex);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/older than the 2 already accepted/);
  });

  it('refuses http feeds outside test builds, and loopback is allowed only as a test host', async () => {
    const r = await syncFeed({ ...sub, url: 'http://feeds.example.org/index.json' }, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/not an allowed host|refused/);
  });
});

describe('sync schedule and errors', () => {
  it('backs off 5 minutes after one failure, doubling to a day at most, with ±10% jitter', () => {
    const MIN = 60_000;
    expect([1, 2, 3, 4].map((f) => backoffMs(f, () => 0.5))).toEqual([5 * MIN, 10 * MIN, 20 * MIN, 40 * MIN]);
    expect(backoffMs(0, () => 0.5), 'no failure counts as one').toBe(5 * MIN);
    expect(backoffMs(30, () => 0.5)).toBe(24 * 60 * MIN);
    expect(backoffMs(1, () => 0)).toBe(4.5 * MIN);
    expect(backoffMs(1, () => 1)).toBe(5.5 * MIN);
  });

  it('gives a feed file a minute plus a second per 50 kB announced', () => {
    expect(fileTimeoutMs(0)).toBe(60_000);
    expect(fileTimeoutMs(50_000)).toBe(61_000);
    expect(fileTimeoutMs(50_001)).toBe(62_000);
  });

  it('says what went wrong in words fit for the popup', () => {
    expect(describeError(new FeedError('rollback', 'sequence 1 is older'))).toBe('sequence 1 is older');
    expect(describeError(new NetError('HTTP 500 from x', 500))).toBe('HTTP 500 from x');
    expect(describeError(new DOMException('quota', 'QuotaExceededError'))).toBe('not enough disk space to store the feed');
    expect(describeError(new DOMException('other', 'DataError'))).toBe('other');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('a string')).toBe('a string');
  });

  it('after a success, the next sync is due in 6 hours (or the feed’s minimum wait, if longer), jittered', async () => {
    server.publish([entry('a')]);
    const r = await syncFeed(sub, ctx);
    expect(r.record.lastSuccessAt).toBe(NOW.toISOString());
    expect(r.record.nextTryAt).toBe(new Date(NOW.getTime() + 6 * 3600_000).toISOString());
    const long = signFile('index.json', buildIndex(META, { seq: 1, epoch: 1, file: { path: 'snapshots/1.json', bytes: server.files.get('snapshots/1.json') as Uint8Array } }, [], NOW, 2, 12 * 3600), 'index', keys.secretKey);
    server.files.set('index.json', long.bytes);
    const again = await syncFeed(sub, { ...ctx, random: () => 1 });
    expect(again.outcome).toBe('unchanged');
    expect(again.record.nextTryAt).toBe(new Date(NOW.getTime() + 1.1 * 12 * 3600_000).toISOString());
  });

  it('a 304 Not Modified keeps everything and counts as a success', async () => {
    server.publish([entry('a')]);
    const first = await syncFeed(sub, ctx);
    const etag = first.record.etag;
    expect(etag).toMatch(/index\.json/);
    server.fetch.mockImplementationOnce(async () => new Response(null, { status: 304 }));
    const r = await syncFeed(sub, { ...ctx, now: () => new Date(NOW.getTime() + 1000) });
    expect(r.outcome).toBe('unchanged');
    expect(r.record).toMatchObject({ seq: 1, etag, failures: 0, lastError: null, lastSuccessAt: new Date(NOW.getTime() + 1000).toISOString() });
    expect(await stored()).toEqual(['a@1']);
  });
});

describe('database', () => {
  /** A database as an older release left it: the stores of each version up to `version`, written out. */
  const oldDatabase = (name: string, version: number) =>
    openDB(name, version, {
      upgrade(db) {
        db.createObjectStore('feeds', { keyPath: 'url' });
        db.createObjectStore('entries', { keyPath: ['feedUrl', 'id'] }).createIndex('byFeed', 'feedUrl');
        db.createObjectStore('matchIndex', { keyPath: 'key' });
        if (version >= 2) db.createObjectStore('mediaCache', { keyPath: 'key' }).createIndex('byAge', 'at');
        if (version >= 3) db.createObjectStore('outbox', { keyPath: 'reportId' }).createIndex('byCreated', 'createdAt');
      },
    });

  it('migrates a version-1 database, keeping its entries, and adds the media cache and the reports outbox', async () => {
    const name = `migrate-${Math.random()}`;
    const v1 = await oldDatabase(name, 1);
    await v1.put('entries', { feedUrl: sub.url, id: 'a', entry: entry('a') });
    v1.close();
    const db = await openDatabase(name);
    expect(db.version).toBe(4);
    expect([...db.objectStoreNames].sort()).toEqual(['entries', 'feeds', 'matchIndex', 'mediaCache', 'outbox']);
    expect((await db.get('entries', [sub.url, 'a']))?.entry.id).toBe('a');
    expect(DB_NAME).toBe('already-debunked');
  });

  it('migrates a version-3 database: keeps entries and reports, drops the index and the media cache made before robust matching', async () => {
    const name = `migrate3-${Math.random()}`;
    const v3 = await oldDatabase(name, 3);
    await v3.put('entries', { feedUrl: sub.url, id: 'a', entry: entry('a') });
    await v3.put('matchIndex', { key: 'current', buffer: new ArrayBuffer(8) });
    await v3.put('mediaCache', { key: 'm1', hashes: [], quality: 100, at: 1 });
    await v3.put('outbox', { reportId: 'r1', createdAt: '2026-01-01T00:00:00Z' });
    v3.close();
    const db = await openDatabase(name);
    expect(db.version).toBe(4);
    expect((await db.get('entries', [sub.url, 'a']))?.entry.id).toBe('a');
    expect(await db.count('outbox')).toBe(1);
    expect(await db.count('matchIndex')).toBe(0);
    expect(await db.count('mediaCache')).toBe(0);
  });
});
