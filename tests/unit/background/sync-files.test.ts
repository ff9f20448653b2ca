// syncFeed's own part around the shared acceptance (src/background/sync.ts): how it fetches the
// files an index names (capped at the announced size as they stream in, never a 304, never a
// redirect), what a snapshot resync deletes, and what the feed record keeps between syncs. The
// mutants of sync.ts these tests kill are listed in TESTING.md. Expected texts are NetError's and
// the popup's words as docs/feed-format.md and the net module define them.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/background/db';
import { syncFeed, type SyncContext } from '../../../src/background/sync';
import { buildIndex, buildSnapshot, signFile } from '../../../src/core/feed';
import { META, NOW, entry } from '../core/feed/fixtures';
import { BASE, feedServer, keys, sub } from './feed-server';

let server: ReturnType<typeof feedServer>;
let ctx: SyncContext;
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  server = feedServer();
  vi.stubGlobal('fetch', server.fetch);
  ctx = { db: await openDatabase(`files-${Math.random()}`), now: () => NOW, testHosts: [], random: () => 0.5 };
});
afterEach(() => vi.unstubAllGlobals());

const stored = async (url = sub.url) => (await ctx.db.getAllFromIndex('entries', 'byFeed', url)).map((r) => `${r.id}@${r.entry.rev}`).sort();
const asked = () => server.fetch.mock.calls.map((c) => String(c[0]).slice(BASE.length));
/** The fetch calls with their options (the stub is typed with the URL only). */
const calls = () => server.fetch.mock.calls as unknown as [string, RequestInit][];

describe('fetching the files an index names', () => {
  it('a snapshot longer than the index announces is cut off as it streams in (the cap is the announced size)', async () => {
    server.publish([entry('a')]);
    const snap = server.files.get('snapshots/1.json') as Uint8Array;
    server.files.set('snapshots/1.json', new Uint8Array([...snap, ...new TextEncoder().encode(' '.repeat(100))]));
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toBe(`${BASE}snapshots/1.json is more than the limit of ${snap.length} bytes`);
  });

  it('the request for a feed file is a plain GET that refuses redirects, without an ETag', async () => {
    server.publish([entry('a')]);
    await syncFeed(sub, ctx);
    const init = calls().find((c) => c[0].endsWith('snapshots/1.json'))![1];
    expect(init.redirect).toBe('error');
    expect(init.headers).toEqual({});
    // The index is asked with the ETag it came with last time.
    await syncFeed(sub, ctx);
    const second = calls().at(-1)!;
    expect(second[0]).toBe(sub.url);
    expect(second[1].headers).toEqual({ 'If-None-Match': `"index.json-${(server.files.get('index.json') as Uint8Array).length}"` });
    expect(second[1].redirect).toBe('error');
  });

  it('a feed file answered with 304 Not Modified is an error (only the index may be conditional)', async () => {
    server.publish([entry('a')]);
    server.fetch.mockImplementation(async (url: string) => {
      if (url.endsWith('snapshots/1.json')) return new Response(null, { status: 304 });
      const body = server.files.get(url.slice(BASE.length)) as Uint8Array;
      return new Response(body as BodyInit, { status: 200 });
    });
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toBe(`unexpected 304 for ${BASE}snapshots/1.json`);
    expect(await stored()).toEqual([]);
  });
});

describe('what a sync stores', () => {
  it('a snapshot resync replaces every entry of this feed (the lowest ids too), and no other feed’s', async () => {
    // Other feeds' entries, under a URL that sorts before this feed's and one that sorts after.
    const before = 'https://feeds.example.org/afp-media/v1/a-index.json';
    const after = 'https://feeds.example.org/afp-media/v1/other-index.json';
    for (const url of [before, after]) await ctx.db.put('entries', { feedUrl: url, id: '0kept', entry: entry('0kept') });
    server.publish([entry('0old'), entry('a'), entry('zz')]);
    await syncFeed(sub, ctx);
    expect(await stored()).toEqual(['0old@1', 'a@1', 'zz@1']);
    server.publish([entry('b')]);
    server.files.set('deltas/1-2.json', 404); // the snapshot it is
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('updated');
    expect(asked()).toContain('snapshots/2.json');
    expect(await stored()).toEqual(['b@1']);
    expect(await stored(before)).toEqual(['0kept@1']);
    expect(await stored(after)).toEqual(['0kept@1']);
  });

  it('a delta removes the entries it removes and keeps the publisher’s name the snapshot gave', async () => {
    const many = Array.from({ length: 20 }, (_, i) => entry(`e${String(i).padStart(2, '0')}`));
    server.publish(many);
    expect((await syncFeed(sub, ctx)).record.publisherName).toBe('AFP Fact Check');
    server.publish(many.slice(1));
    const r = await syncFeed(sub, ctx);
    expect(asked()).toContain('deltas/1-2.json');
    expect(asked()).not.toContain('snapshots/2.json');
    expect(r.record).toMatchObject({ seq: 2, highestSeq: 2, entryCount: 19, publisherName: 'AFP Fact Check' });
    expect(await stored()).toEqual(many.slice(1).map((e) => `${e.id}@1`));
  });

  it('an index without a report endpoint leaves none on the record (null, not the old one)', async () => {
    server.publish([entry('a')]);
    expect((await syncFeed(sub, ctx)).record.reportEndpoint).toBe(META.reportEndpoint);
    const meta = { ...META, reportEndpoint: undefined };
    const snap = signFile('snapshots/2.json', buildSnapshot(meta, [entry('a')], 2, 1, NOW), 'snapshot', keys.secretKey);
    server.files.set('snapshots/2.json', snap.bytes);
    server.files.set('index.json', signFile('index.json', buildIndex(meta, { seq: 2, epoch: 1, file: snap }, [], NOW), 'index', keys.secretKey).bytes);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('updated');
    expect(r.record.reportEndpoint).toBeNull();
  });

  it('every attempt is dated, a success and a failure alike', async () => {
    server.publish([entry('a')]);
    expect((await syncFeed(sub, ctx)).record.lastAttemptAt).toBe(NOW.toISOString());
    server.files.set('index.json', 503);
    const later = new Date(NOW.getTime() + 60_000);
    const r = await syncFeed(sub, { ...ctx, now: () => later });
    expect(r.record).toMatchObject({ lastAttemptAt: later.toISOString(), lastSuccessAt: NOW.toISOString(), failures: 1 });
  });

  it('when even recording a failure fails, the record is handed back marked unrecorded', async () => {
    server.files.set('index.json', 500);
    const put = vi.spyOn(ctx.db, 'put').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await syncFeed(sub, ctx);
    expect(r).toMatchObject({ outcome: 'failed', unrecorded: true, record: { failures: 1, lastError: `HTTP 500 from ${sub.url}` } });
    expect(error).toHaveBeenCalled();
    put.mockRestore();
    error.mockRestore();
    const again = await syncFeed(sub, ctx);
    expect(again.unrecorded).toBeUndefined();
    expect(again.record.failures).toBe(1);
  });

  it('a delta that fails is logged for the maintainer (which feed, and why) before the snapshot is fetched', async () => {
    server.publish([entry('a')]);
    await syncFeed(sub, ctx);
    server.publish([entry('b')]);
    server.files.set('deltas/1-2.json', 404);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = await syncFeed(sub, ctx);
    const warned = warn.mock.calls.map((c) => [String(c[0]), String(c[1])]);
    warn.mockRestore();
    expect(r.outcome).toBe('updated');
    expect(warned).toEqual([[`[already-debunked] delta sync of ${sub.url} failed, fetching the snapshot:`, `NetError: HTTP 404 from ${BASE}deltas/1-2.json`]]);
  });

  it('a rollback floor that cannot be kept is logged; the update itself stands (the database keeps highestSeq too)', async () => {
    server.publish([entry('a')]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const floors = { get: async () => null, raise: async () => Promise.reject(new Error('storage.local is full')) };
    const r = await syncFeed(sub, { ...ctx, floors });
    const warned = warn.mock.calls.map((c) => c.map(String));
    warn.mockRestore();
    expect(r.outcome).toBe('updated');
    expect(r.record.highestSeq).toBe(1);
    expect(warned).toEqual([['[already-debunked] could not keep the rollback floor of', sub.url, 'Error: storage.local is full']]);
  });

  it('a delta changing 1001 entries writes each of them once (in batches of 1000), with the feed record and the list generation', async () => {
    server.publish([]);
    await syncFeed(sub, ctx);
    server.publish(Array.from({ length: 1001 }, (_, i) => entry(`e${String(i).padStart(4, '0')}`)));
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    let puts: string[];
    try {
      expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
    } finally {
      puts = put.mock.contexts.map((store) => (store as IDBObjectStore).name);
      put.mockRestore();
    }
    expect(asked()).toContain('deltas/1-2.json');
    expect(puts.filter((n) => n === 'entries')).toHaveLength(1001);
    expect(puts.filter((n) => n !== 'entries').sort()).toEqual(['feeds', 'matchIndex']);
    expect(await ctx.db.count('entries')).toBe(1001);
  });
});

