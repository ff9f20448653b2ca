// `verify` and the extension's sync must agree (issue 13, break 5): on generated feeds, valid and
// mutated, the CLI's verdict equals what a reader's syncFeed does with the same files at the same
// time — a new reader's, and one holding the previous sequence (who follows the delta). Before the shared acceptance (src/core/feed/accept.ts), verify said OK to a snapshot whose
// feed id, epoch or sequence disagreed with its index and to an index that had expired.
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/background/db';
import { syncFeed } from '../../../src/background/sync';
import { main } from '../../../src/cli/main';
import {
  BINARY_PAYLOAD_TYPES,
  buildDelta,
  buildIndex,
  buildSnapshot,
  computeStateHash,
  encodeBinaryDelta,
  encodeBinarySnapshot,
  generateKeyPair,
  publicKeyToBase64,
  signEnvelope,
  signFile,
  type BuiltFile,
  type FeedEntry,
} from '../../../src/core/feed';
import { META, NOW, entry } from '../core/feed/fixtures';

const keys = generateKeyPair();
const stranger = generateKeyPair();
const BASE = 'https://feeds.example.org/afp-media/v1/';
const sub = { name: 'AFP', url: `${BASE}index.json`, publicKey: publicKeyToBase64(keys.publicKey), enabled: true };
let root: string;
beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-agree-'))));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.unstubAllGlobals());

const MUTATIONS = [
  'none',
  'index-expired',
  'index-feed-id',
  'snapshot-feed-id',
  'snapshot-epoch',
  'snapshot-seq',
  'snapshot-state-hash',
  'snapshot-entry-count',
  'snapshot-flipped-byte',
  'snapshot-other-key',
  'snapshot-as-delta-type',
  'index-other-key',
  'delta-flipped-byte',
  'delta-other-feed',
  'snapshot-missing',
  'clock-after-expiry',
  'clock-before-generation',
] as const;
type Mutation = (typeof MUTATIONS)[number];

interface Generated {
  files: Map<string, Uint8Array>;
  now: Date;
}

/**
 * A feed of two sequences (a snapshot of the second and the delta 1→2), then one mutation. With
 * `binary`, the index also lists the binary form (which readers of this version read, so the
 * mutations go there) beside valid JSON files.
 */
function makeFeed(before: FeedEntry[], after: FeedEntry[], mutation: Mutation, validDays: number, binary = false): Generated {
  const files = new Map<string, Uint8Array>();
  const put = (f: BuiltFile) => (files.set(f.path, f.bytes), f);
  const snap = buildSnapshot(META, after, 2, 1, NOW, validDays);
  if (mutation === 'snapshot-feed-id') snap.feed.id = 'https://feeds.example.org/other';
  if (mutation === 'snapshot-epoch') snap.epoch = 2;
  if (mutation === 'snapshot-seq') snap.seq = 3;
  if (mutation === 'snapshot-state-hash') snap.stateHash = computeStateHash([...after, entry('zz-extra')]);
  if (mutation === 'snapshot-entry-count') snap.entryCount += 1;
  const snapKey = mutation === 'snapshot-other-key' ? stranger.secretKey : keys.secretKey;
  const snapType = mutation === 'snapshot-as-delta-type' ? 'delta' : 'snapshot';
  const delta = buildDelta(mutation === 'delta-other-feed' ? 'https://feeds.example.org/other' : META.id, before, after, 1, 1, NOW, validDays);
  let index;
  let snapFile: BuiltFile;
  let deltaFile: BuiltFile;
  if (binary) {
    snapFile = put({ path: 'snapshots/2.adfb', bytes: signEnvelope(encodeBinarySnapshot(snap), BINARY_PAYLOAD_TYPES[snapType], snapKey) });
    deltaFile = put({ path: 'deltas/1-2.adfb', bytes: signEnvelope(encodeBinaryDelta(delta), BINARY_PAYLOAD_TYPES.delta, keys.secretKey) });
    const jsonSnap = put(signFile('snapshots/2.json', buildSnapshot(META, after, 2, 1, NOW, validDays), 'snapshot', keys.secretKey));
    const jsonDelta = put(signFile('deltas/1-2.json', buildDelta(META.id, before, after, 1, 1, NOW, validDays), 'delta', keys.secretKey));
    index = buildIndex(META, { seq: 2, epoch: 1, file: jsonSnap }, [{ fromSeq: 1, toSeq: 2, file: jsonDelta }], NOW, validDays, 3600, { snapshot: snapFile, deltas: [{ fromSeq: 1, toSeq: 2, file: deltaFile }] });
  } else {
    snapFile = put(signFile('snapshots/2.json', snap, snapType, snapKey));
    deltaFile = put(signFile('deltas/1-2.json', delta, 'delta', keys.secretKey));
    index = buildIndex(META, { seq: 2, epoch: 1, file: snapFile }, [{ fromSeq: 1, toSeq: 2, file: deltaFile }], NOW, validDays);
  }
  if (mutation === 'index-expired') index.expiresAt = new Date(NOW.getTime() - 1000).toISOString();
  if (mutation === 'index-expired') index.generatedAt = new Date(NOW.getTime() - 86_400_000).toISOString();
  if (mutation === 'index-feed-id') index.feedId = 'https://feeds.example.org/other';
  put(signFile('index.json', index, 'index', mutation === 'index-other-key' ? stranger.secretKey : keys.secretKey));
  const flip = (p: string) => {
    const b = Uint8Array.from(files.get(p)!);
    b[Math.floor(b.length / 2)]! ^= 1;
    files.set(p, b);
  };
  if (mutation === 'snapshot-flipped-byte') flip(snapFile.path);
  if (mutation === 'delta-flipped-byte') flip(deltaFile.path);
  if (mutation === 'snapshot-missing') files.delete(snapFile.path);
  let now = new Date(NOW.getTime() + 60_000);
  if (mutation === 'clock-after-expiry') now = new Date(NOW.getTime() + (validDays + 1) * 86_400_000);
  if (mutation === 'clock-before-generation') now = new Date(NOW.getTime() - 60_000); // allowed: readers' clocks may lag
  return { files, now };
}

async function verdictOfVerify(g: Generated, n: number): Promise<boolean> {
  const dir = path.join(root, `feed-${n}`);
  for (const [p, bytes] of g.files) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), bytes);
  }
  const code = await main(['verify', '--pub', sub.publicKey, '--now', g.now.toISOString(), dir], { out: () => undefined, err: () => undefined });
  expect([0, 1]).toContain(code);
  return code === 0;
}

/**
 * What a reader's sync does with the feed: a new reader, or (`held`) one that already holds
 * sequence 1 (`before`, valid) and so follows the delta chain first.
 */
async function verdictOfSync(g: Generated, held?: FeedEntry[]): Promise<boolean> {
  globalThis.indexedDB = new IDBFactory();
  let files = g.files;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const body = files.get(url.slice(BASE.length));
      return body ? new Response(body as BodyInit, { status: 200 }) : new Response('not found', { status: 404 });
    }),
  );
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const db = await openDatabase(`agree-${Math.random()}`);
  const ctx = { db, now: () => g.now, testHosts: [], random: () => 0.5 };
  if (held) {
    files = firstSequence(held);
    const first = await syncFeed(sub, { ...ctx, now: () => NOW });
    expect(first.outcome).toBe('updated');
    files = g.files;
  }
  const { outcome } = await syncFeed(sub, ctx);
  db.close();
  return outcome === 'updated';
}

/** The valid sequence 1 of the feed (what a reader who subscribed earlier holds). */
function firstSequence(entries: FeedEntry[]): Map<string, Uint8Array> {
  const snap = signFile('snapshots/1.json', buildSnapshot(META, entries, 1, 1, NOW, 30), 'snapshot', keys.secretKey);
  const index = signFile('index.json', buildIndex(META, { seq: 1, epoch: 1, file: snap }, [], NOW, 30), 'index', keys.secretKey);
  return new Map([
    [snap.path, snap.bytes],
    [index.path, index.bytes],
  ]);
}

const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 });

describe('verify agrees with the sync on generated feeds', () => {
  it('accepts exactly what a reader accepts', async () => {
    let n = 0;
    const seen = new Map<Mutation, boolean>();
    await fc.assert(
      fc.asyncProperty(ids, ids, fc.constantFrom(...MUTATIONS), fc.integer({ min: 1, max: 30 }), fc.boolean(), async (a, b, mutation, validDays, binary) => {
        const before = a.map((id) => entry(id));
        const after = b.map((id) => entry(id, a.includes(id) ? 2 : 1));
        const g = makeFeed(before, after, mutation, validDays, binary);
        const [byVerify, bySync, byHolder] = [await verdictOfVerify(g, n++), await verdictOfSync(g), await verdictOfSync(g, before)];
        seen.set(mutation, bySync);
        // verify says OK exactly when every reader stores the feed: a new one (who needs the
        // snapshot) and one holding sequence 1 (who follows the delta and may never read the
        // snapshot, so it alone would not see a broken one).
        expect(byVerify, mutation).toBe(bySync);
        expect(byVerify, `${mutation} (new reader and reader holding sequence 1)`).toBe(bySync && byHolder);
      }),
      { numRuns: 80, seed: 13 },
    );
    // The generator reached both verdicts (it is not vacuous).
    expect(new Set(seen.values())).toEqual(new Set([true, false]));
  }, 240_000);

  it.each(MUTATIONS.filter((m) => m !== 'none' && !m.startsWith('delta-') && m !== 'clock-before-generation'))('refuses %s (both; JSON and binary form)', async (mutation) => {
    for (const binary of [false, true]) {
      const g = makeFeed([entry('a')], [entry('a', 2), entry('b')], mutation, 7, binary);
      expect(await verdictOfSync(g), `binary: ${binary}`).toBe(false);
      expect(await verdictOfVerify(g, 1000 + MUTATIONS.indexOf(mutation) + (binary ? 100 : 0)), `binary: ${binary}`).toBe(false);
    }
  });

  it('accepts a valid feed and one whose delta is broken (readers fall back to the snapshot)', async () => {
    for (const m of ['none', 'delta-flipped-byte', 'delta-other-feed', 'clock-before-generation'] as const) {
      const g = makeFeed([entry('a')], [entry('a', 2), entry('b')], m, 7);
      expect(await verdictOfSync(g), m).toBe(true);
      expect(await verdictOfVerify(g, 2000 + MUTATIONS.indexOf(m)), m).toBe(true);
    }
  });
});
