/**
 * A 100k-entry feed on the client path: verify the signature, parse and validate, store in
 * IndexedDB in one transaction, build the match index; time and memory. And what a delta saves
 * when 1% of the entries change. Measured in node (fake-indexeddb stands in for the browser's
 * IndexedDB, so the storing step is indicative only).
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { hashFromHex, hashToWords32 } from '../../src/core/hash256';
import { PdqIndex } from '../../src/core/index';
import {
  LIMITS,
  PAYLOAD_TYPES,
  buildDelta,
  buildSnapshot,
  generateKeyPair,
  openEnvelope,
  parseSnapshot,
  signFile,
  type FeedEntry,
} from '../../src/core/feed';
import { QUICK } from './lib/stats';

function entry(i: number, rev = 1): FeedEntry {
  const hex = Array.from({ length: 8 }, (_, k) => ((Math.imul(i + 1, 2654435761) ^ Math.imul(k + 7, 40503)) >>> 0).toString(16).padStart(8, '0')).join('');
  return {
    id: `entry-${i}`,
    rev,
    status: 'active',
    verdict: { label: 'missing-context', textualRating: { en: 'Missing context' } },
    claim: { text: { en: `Claim number ${i}: this photo shows something that happened today.` } },
    originalContext: { description: { en: `Taken in ${2000 + (i % 20)} somewhere else.` } },
    factCheck: { url: `https://factcheck.example.org/${i}`, headline: { en: `Photo ${i} is old` }, inLanguage: 'en', datePublished: '2024-01-01', publisher: { name: 'Example' } },
    media: [{ type: 'image', hashes: [{ alg: 'pdq', value: hex, quality: 90 }] }],
  };
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

export default async function run(): Promise<string> {
  const n = QUICK ? 20_000 : 100_000;
  const meta = { id: 'https://feeds.example.org/x', name: { en: 'Bench' }, publisher: { name: 'Bench' } };
  const keys = generateKeyPair();
  const entries = Array.from({ length: n }, (_, i) => entry(i));
  const file = signFile('snapshots/1.json', buildSnapshot(meta, entries, 1, 1, new Date()), 'snapshot', keys.secretKey);
  const before = process.memoryUsage();
  let peak = before.rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 20);

  const t0 = performance.now();
  const { payload } = openEnvelope(file.bytes, [keys.publicKey], PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes);
  const t1 = performance.now();
  const snap = parseSnapshot(payload);
  const t2 = performance.now();
  const db = await openDB('bench', 1, { upgrade: (d) => d.createObjectStore('entries', { keyPath: ['feedUrl', 'id'] }) });
  const tx = db.transaction('entries', 'readwrite');
  for (const e of snap.entries) void tx.store.put({ feedUrl: 'f', id: e.id, entry: e });
  await tx.done;
  const t3 = performance.now();
  const lanes = new Uint32Array(n * 8);
  snap.entries.forEach((e, i) => hashToWords32(hashFromHex(e.media[0]!.hashes[0]!.value), lanes, i * 8));
  PdqIndex.build(lanes, Uint32Array.from({ length: n }, (_, i) => i)).serialize();
  const t4 = performance.now();
  clearInterval(timer);
  sample();

  const changed = entries.map((e, i) => (i % 100 === 0 ? entry(i, 2) : e));
  const delta = signFile('deltas/1-2.json', buildDelta(meta.id, entries, changed, 1, 1, new Date()), 'delta', keys.secretKey);
  const total = t4 - t0;
  console.log(`${n} entries: verify ${(t1 - t0).toFixed(0)} ms, parse ${(t2 - t1).toFixed(0)} ms, store ${(t3 - t2).toFixed(0)} ms, index ${(t4 - t3).toFixed(0)} ms; peak RSS +${mb(peak - before.rss)}`);
  return `## Feed sync (client side, ${n.toLocaleString('en')} entries)

| step | time |
| --- | --- |
| verify the Ed25519 signature (${mb(file.bytes.length)} envelope) | ${(t1 - t0).toFixed(0)} ms |
| parse and validate (schema, limits) | ${(t2 - t1).toFixed(0)} ms |
| store in IndexedDB, one transaction (fake-indexeddb in node) | ${(t3 - t2).toFixed(0)} ms |
| build the match index | ${(t4 - t3).toFixed(0)} ms |
| **total** | **${(total / 1000).toFixed(1)} s** (target < 5 s) |

Peak memory: RSS +${mb(peak - before.rss)} over the process before the sync (target < 200 MB).

A delta for 1% of the entries changed: ${(delta.bytes.length / 1024).toFixed(0)} KiB against a ${mb(file.bytes.length)} snapshot, ${(100 * (1 - delta.bytes.length / file.bytes.length)).toFixed(1)}% fewer bytes.`;
}
