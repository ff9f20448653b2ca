// Sync of binary feeds (docs/feed-format.md "Binary payloads", issue 17) on fake-indexeddb: the
// binary form is used when the index lists it, stores exactly what the JSON form stores, and every
// failure — a corrupt chunk found after earlier chunks were written, a wrong signature, a file over
// a limit, a network that dies mid-file — leaves the previous list whole.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/background/db';
import { syncFeed, type SyncContext } from '../../../src/background/sync';
import {
  BINARY_PAYLOAD_TYPES,
  LIMITS,
  buildIndex,
  buildSnapshot,
  encodeBinarySnapshot,
  generateKeyPair,
  signEnvelope,
  signFile,
  type FeedEntry,
} from '../../../src/core/feed';
import { META, NOW, entry } from '../core/feed/fixtures';
import { BASE, feedServer, keys, sub } from './feed-server';

let ctx: SyncContext;
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  ctx = { db: await openDatabase(`test-${Math.random()}`), now: () => NOW, testHosts: [], random: () => 0.5 };
});
afterEach(() => vi.unstubAllGlobals());

/** Distinct hashes per entry, so the stored rows differ entry by entry. */
const hashOf = (i: number) => (i.toString(16).padStart(8, '0') + 'a5'.repeat(28)).slice(0, 64);
const entries = (ids: string[], rev = 1): FeedEntry[] => ids.map((id, i) => entry(id, rev, hashOf(i + 1)));
const fetched = (server: ReturnType<typeof feedServer>) => server.fetch.mock.calls.map((c) => String(c[0]).slice(BASE.length));
const stored = async (c = ctx) => (await c.db.getAllFromIndex('entries', 'byFeed', sub.url)).map((r) => `${r.id}@${r.entry.rev}`).sort();

/** Publishes seq 2 whose binary snapshot is `payload` (signed by `key`), the JSON snapshot beside it. */
function publishBinary(server: ReturnType<typeof feedServer>, list: FeedEntry[], payload: Uint8Array, key = keys.secretKey) {
  const json = signFile('snapshots/2.json', buildSnapshot(META, list, 2, 1, NOW), 'snapshot', keys.secretKey);
  const bin = { path: 'snapshots/2.adfb', bytes: signEnvelope(payload, BINARY_PAYLOAD_TYPES.snapshot, key) };
  server.files.set(json.path, json.bytes);
  server.files.set(bin.path, bin.bytes);
  server.files.set('index.json', signFile('index.json', buildIndex(META, { seq: 2, epoch: 1, file: json }, [], NOW, 2, 3600, { snapshot: bin, deltas: [] }), 'index', keys.secretKey).bytes);
}

describe('sync of binary feeds', () => {
  it('uses the binary form when listed, and stores exactly what the JSON form stores; deltas too', async () => {
    const bin = feedServer({ binary: true });
    const plain = feedServer();
    const other = { ...ctx, db: await openDatabase(`test-${Math.random()}`) };
    const v1 = entries(['a', 'b', 'c']);
    const v2 = [...entries(['a', 'c'], 1), entry('b', 2, hashOf(77)), entry('d', 1, hashOf(78))];
    for (const list of [v1, v2]) {
      bin.publish(list);
      plain.publish(list);
      vi.stubGlobal('fetch', bin.fetch);
      expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
      vi.stubGlobal('fetch', plain.fetch);
      expect((await syncFeed(sub, other)).outcome).toBe('updated');
      const a = await ctx.db.getAllFromIndex('entries', 'byFeed', sub.url);
      const b = await other.db.getAllFromIndex('entries', 'byFeed', sub.url);
      expect(a).toEqual(b);
      expect(a.length).toBe(list.length);
    }
    // The binary server was asked only for binary files: the snapshot, then the delta.
    expect(fetched(bin).filter((p) => p !== 'index.json')).toEqual(['snapshots/1.adfb', 'deltas/1-2.adfb']);
    expect(fetched(plain).filter((p) => p !== 'index.json')).toEqual(['snapshots/1.json', 'deltas/1-2.json']);
    expect(await stored()).toEqual(['a@1', 'b@2', 'c@1', 'd@1']);
  });

  it('a corrupt chunk found after earlier chunks were written: nothing of the new list is kept', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(entries(['a', 'b']));
    await syncFeed(sub, ctx);
    const list = entries(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    const good = encodeBinarySnapshot(buildSnapshot(META, list, 2, 1, NOW), { compress: false, chunkEntries: 2 });
    // The last chunk's JSON broken ("[{" → "[x"): the first two chunks decode and are written first.
    const bad = good.slice();
    const opening = [...new TextEncoder().encode('[{"id"')];
    const starts = [...bad.keys()].filter((i) => opening.every((b, k) => bad[i + k] === b));
    expect(starts).toHaveLength(3);
    bad[starts[2]! + 1] = 0x78;
    publishBinary(server, list, bad);
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/chunk 2 is not JSON/);
    expect(r.record.seq).toBe(1);
    expect(await stored()).toEqual(['a@1', 'b@1']);
    // The same file unbroken is taken whole.
    publishBinary(server, list, good);
    expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
    expect(await stored()).toEqual(['k1@1', 'k2@1', 'k3@1', 'k4@1', 'k5@1', 'k6@1']);
  });

  it('a state hash that does not match, seen only after the last chunk: the previous list stays', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(entries(['a']));
    await syncFeed(sub, ctx);
    const list = entries(['x1', 'x2', 'x3']);
    const lying = { ...buildSnapshot(META, list, 2, 1, NOW), stateHash: buildSnapshot(META, entries(['y']), 2, 1, NOW).stateHash };
    publishBinary(server, list, encodeBinarySnapshot(lying, { chunkEntries: 1 }));
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/state hash/);
    expect(await stored()).toEqual(['a@1']);
  });

  it('refuses a binary snapshot signed by another key', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(entries(['a']));
    await syncFeed(sub, ctx);
    const list = entries(['z']);
    publishBinary(server, list, encodeBinarySnapshot(buildSnapshot(META, list, 2, 1, NOW)), generateKeyPair().secretKey);
    const r = await syncFeed(sub, ctx);
    expect(r.record.lastError).toMatch(/no signature verifies/);
    expect(await stored()).toEqual(['a@1']);
  });

  it('refuses over the limits: a file larger than the binary limit (before fetching it), more entries than allowed', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(entries(['a']));
    await syncFeed(sub, ctx);
    // An index announcing a binary snapshot of 1 byte over the limit: refused unfetched.
    const json = signFile('snapshots/2.json', buildSnapshot(META, entries(['b']), 2, 1, NOW), 'snapshot', keys.secretKey);
    const huge = { path: 'snapshots/2.adfb', bytes: { length: LIMITS.maxBinarySnapshotBytes + 1 } as Uint8Array };
    const index = buildIndex(META, { seq: 2, epoch: 1, file: json }, [], NOW, 2, 3600, { snapshot: { path: 'snapshots/2.adfb', bytes: new Uint8Array(1) }, deltas: [] });
    index.binary!.snapshot.bytes = huge.bytes.length;
    server.files.set('index.json', signFile('index.json', index, 'index', keys.secretKey).bytes);
    const r = await syncFeed(sub, ctx);
    expect(r.record.lastError).toMatch(/more than 268435456/);
    expect(fetched(server)).not.toContain('snapshots/2.adfb');

    const limits = LIMITS as { maxEntries: number };
    const saved = limits.maxEntries;
    limits.maxEntries = 3;
    try {
      const list = entries(['p', 'q', 'r', 's']);
      publishBinary(server, list, encodeBinarySnapshot(buildSnapshot(META, list, 2, 1, NOW)));
      const over = await syncFeed(sub, ctx);
      expect(over.record.lastError).toMatch(/more than 3 entries/);
    } finally {
      limits.maxEntries = saved;
    }
    expect(await stored()).toEqual(['a@1']);
  });

  it('a network that dies in the middle of the binary snapshot: a clear error, the previous list stays', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(entries(['a']));
    await syncFeed(sub, ctx);
    server.publish(entries(['a', 'b', 'c']));
    server.files.set('deltas/1-2.adfb', 404); // the snapshot it is
    const body = server.files.get('snapshots/2.adfb') as Uint8Array;
    vi.stubGlobal('fetch', async (url: string) => {
      if (!url.endsWith('snapshots/2.adfb')) return server.fetch(url);
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(body.slice(0, 100));
        },
        pull(c) {
          c.error(new TypeError('network error'));
        },
      });
      return new Response(stream, { status: 200 });
    });
    const r = await syncFeed(sub, ctx);
    expect(r.outcome).toBe('failed');
    expect(r.record.lastError).toMatch(/the connection to .*snapshots\/2\.adfb broke after 100 bytes/);
    expect(r.record.seq).toBe(1);
    expect(await stored()).toEqual(['a@1']);
    vi.stubGlobal('fetch', server.fetch);
    expect((await syncFeed(sub, ctx)).outcome, 'the network back: the update arrives').toBe('updated');
    expect(await stored()).toEqual(['a@1', 'b@1', 'c@1']);
  });
});
