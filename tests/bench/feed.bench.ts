/**
 * A 100k-entry feed on the client path, each step as the extension does it: verify the signature,
 * parse and validate, store in IndexedDB in one transaction (src/background/sync.ts commit: one
 * record per entry, keyed [feedUrl, id], indexed by feed), read the entries back and build the match
 * index (src/background/matcher.ts: getAll pages of READ_PAGE, MatchRowsBuilder). Side by side in
 * the same run: the matcher's previous read (a cursor step per entry) and the same entries stored
 * as chunk records of 1,000 (one put per chunk). Wall and CPU time per step (the machine is
 * shared). And what a delta saves when 1% of the entries change. Measured in node
 * (fake-indexeddb stands in for the browser's IndexedDB, so the storing steps are indicative only).
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
/** src/background/matcher.ts READ_PAGE (the matcher imports the extension's runtime, which node cannot load). */
const READ_PAGE = 1000;
import { MatchRowsBuilder } from '../../src/core/match';
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

  const steps: { name: string; wall: number; cpu: number }[] = [];
  async function step<T>(name: string, f: () => T | Promise<T>): Promise<T> {
    const c = process.cpuUsage();
    const t = performance.now();
    const out = await f();
    const used = process.cpuUsage(c);
    steps.push({ name, wall: performance.now() - t, cpu: (used.user + used.system) / 1000 });
    return out;
  }
  const FEED = 'https://feeds.example.org/x';
  const { payload } = await step('verify', () => openEnvelope(file.bytes, [keys.publicKey], PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes));
  const snap = await step('parse', () => parseSnapshot(payload));
  // The extension's entries store (src/background/db.ts), written as sync.ts commits an update.
  const db = await openDB('bench', 1, {
    upgrade: (d) => {
      d.createObjectStore('entries', { keyPath: ['feedUrl', 'id'] }).createIndex('byFeed', 'feedUrl');
      d.createObjectStore('chunks', { keyPath: ['feedUrl', 'n'] });
    },
  });
  await step('store', async () => {
    const tx = db.transaction('entries', 'readwrite');
    const writes = snap.entries.map((e) => tx.store.put({ feedUrl: FEED, id: e.id, entry: e }));
    await Promise.all([...writes, tx.done]);
  });
  await step('index', async () => {
    const tx = db.transaction('entries');
    const rows = new MatchRowsBuilder();
    let ordinal = 0;
    for (let after: IDBKeyRange | undefined; ; ) {
      const page = await tx.store.getAll(after, READ_PAGE);
      for (const r of page) rows.addEntry(r.entry as FeedEntry, ordinal++);
      if (page.length < READ_PAGE) break;
      after = IDBKeyRange.lowerBound([page[page.length - 1]!.feedUrl, page[page.length - 1]!.id], true);
    }
    rows.build().index.serialize();
    await tx.done;
  });
  clearInterval(timer);
  sample();
  // Side by side: the previous read (one cursor step per entry), and chunk records.
  await step('cursor', async () => {
    const tx = db.transaction('entries');
    let k = 0;
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) k += (c.value.entry as FeedEntry).media.length;
    await tx.done;
    return k;
  });
  await step('paged', async () => {
    const tx = db.transaction('entries');
    let k = 0;
    for (let after: IDBKeyRange | undefined; ; ) {
      const page = await tx.store.getAll(after, READ_PAGE);
      for (const r of page) k += (r.entry as FeedEntry).media.length;
      if (page.length < READ_PAGE) break;
      after = IDBKeyRange.lowerBound([page[page.length - 1]!.feedUrl, page[page.length - 1]!.id], true);
    }
    await tx.done;
    return k;
  });
  await step('chunks', async () => {
    const tx = db.transaction('chunks', 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < snap.entries.length; i += 1000) writes.push(tx.store.put({ feedUrl: FEED, n: i / 1000, entries: snap.entries.slice(i, i + 1000) }));
    await Promise.all([...writes, tx.done]);
  });
  await step('chunks-read', async () => (await db.getAll('chunks')).reduce((s, c) => s + (c.entries as FeedEntry[]).length, 0));
  db.close();
  const at = (name: string) => steps.find((x) => x.name === name)!;
  const fmt = (name: string) => `${at(name).wall.toFixed(0)} ms (CPU ${at(name).cpu.toFixed(0)})`;

  const changed = entries.map((e, i) => (i % 100 === 0 ? entry(i, 2) : e));
  const delta = signFile('deltas/1-2.json', buildDelta(meta.id, entries, changed, 1, 1, new Date()), 'delta', keys.secretKey);
  const total = ['verify', 'parse', 'store', 'index'].reduce((x, name) => x + at(name).wall, 0);
  const totalCpu = ['verify', 'parse', 'store', 'index'].reduce((x, name) => x + at(name).cpu, 0);
  console.log(`${n} entries: ${steps.map((x) => `${x.name} ${x.wall.toFixed(0)} ms (CPU ${x.cpu.toFixed(0)})`).join(', ')}; peak RSS +${mb(peak - before.rss)}`);
  return `## Feed sync (client side, ${n.toLocaleString('en')} entries)

| step | wall (CPU) |
| --- | --- |
| verify the Ed25519 signature (${mb(file.bytes.length)} envelope) | ${fmt('verify')} |
| parse and validate (schema, limits) | ${fmt('parse')} |
| store in IndexedDB, one transaction, one record per entry (fake-indexeddb in node) | ${fmt('store')} |
| read the entries back in pages of ${READ_PAGE} and build the match index (the matcher's path) | ${fmt('index')} |
| **total** | **${(total / 1000).toFixed(1)} s (CPU ${(totalCpu / 1000).toFixed(1)} s)** (target < 5 s) |
| side by side: the previous read, one cursor step per entry (read only) | ${fmt('cursor')} |
| side by side: the matcher's read, pages of ${READ_PAGE} (read only) | ${fmt('paged')} |
| side by side: the same entries stored as ${Math.ceil(n / 1000)} chunk records of 1,000 | ${fmt('chunks')} |
| side by side: those chunks read back | ${fmt('chunks-read')} |

Peak memory: RSS +${mb(peak - before.rss)} over the process before the sync (to the index built; target < 200 MB).

A delta for 1% of the entries changed: ${(delta.bytes.length / 1024).toFixed(0)} KiB against a ${mb(file.bytes.length)} snapshot, ${(100 * (1 - delta.bytes.length / file.bytes.length)).toFixed(1)}% fewer bytes.`;
}
