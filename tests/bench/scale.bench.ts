/**
 * Scale: feeds of 10k / 100k / 300k debunked images, each with its 12–13 publisher variants (hash
 * distributions: tests/bench/lib/synthetic.ts), on the client path in node, in one run:
 *  - bytes on the wire: the JSON snapshot vs the binary one (each in its signed envelope), and a
 *    delta for 1% of the entries changed (new variants);
 *  - node sync: verify the envelope, decode and validate the entries chunk by chunk, collect the
 *    index rows, build the index (IndexedDB left out: fake-indexeddb is not the browser's store);
 *    time and peak RSS (Linux VmHWM, reset before the step);
 *  - the index: build time and peak, bytes per row; lookups per media at the standard rule (the
 *    extension's own findPairs + decide: 8 dihedral hashes and the extra views), p50/p99, the
 *    grouped index vs the previous single index over all rows, side by side;
 *  - cold start: the stored index record read back from IndexedDB (fake-indexeddb: a structured
 *    clone of the buffers) in a new connection, deserialised, first lookup answered.
 * `npm run bench scale -- --images N --json FILE` runs one size and writes the figures as JSON.
 */
import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openDB } from 'idb';
import {
  BINARY_PAYLOAD_TYPES,
  LIMITS,
  PAYLOAD_TYPES,
  buildDelta,
  buildSnapshot,
  encodeBinaryDelta,
  encodeBinarySnapshot,
  generateKeyPair,
  openBinary,
  openEnvelope,
  publicKeyToBase64,
  signEnvelope,
  type FeedEntry,
} from '../../src/core/feed';
import { hashFromWords32, hashToHex } from '../../src/core/hash256';
import { GroupedIndex, PdqIndex } from '../../src/core/index';
import { MatchRowsBuilder, decide, findPairs, groupedRows, matchRule, type Probe, type StoredRows } from '../../src/core/match';
import { GroupedIndexV1 } from './lib/grouped-v1';
import { media } from './lib/scale-media';
import { HashGen, syntheticImages, type SyntheticImage } from './lib/synthetic';
import { percentile } from './lib/stats';

const HERE = path.dirname(fileURLToPath(import.meta.url));
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB = 2 ** 20;
const hex = (lanes: Uint32Array) => hashToHex(hashFromWords32(lanes));
const TEXT = 'Photo shared as if taken during this week’s events; it was published in 2019 by a news agency and shows another place. ';

export function entryOf(img: SyntheticImage, i: number, rev = 1): FeedEntry {
  return {
    id: `check-${i.toString(36)}`,
    rev,
    status: 'active',
    verdict: { label: 'missing-context', textualRating: { en: 'Missing context' } },
    claim: { text: { en: TEXT.slice(0, 60 + (i % 60)) } },
    originalContext: { description: { en: `Taken in ${2000 + (i % 24)} in another country; first published by an agency.` }, date: `${2000 + (i % 24)}-04-25` },
    factCheck: { url: `https://checks.example.org/${2020 + (i % 6)}/${i}-recycled-photo`, headline: { en: `Old photo ${i} recirculates as new` }, inLanguage: 'en', datePublished: '2024-01-01', publisher: { name: 'Example Checks' } },
    media: [
      {
        type: 'image',
        width: 1200,
        height: 800,
        hashes: [{ alg: 'pdq', value: hex(img.hash), quality: 100 }, ...img.variants.map((v) => ({ alg: 'pdq' as const, value: hex(v.hash), quality: 90, role: 'variant' as const, variant: v.kind }))],
      },
    ],
  };
}

/**
 * Per media: CPU time (process.cpuUsage, µs) — on a shared machine with a load of 20+ on 2 cores,
 * wall time mostly measures waiting for a core — and wall time beside it.
 */
function lookupTimes(rows: StoredRows, workload: Probe[][], runs: number): { sorted: number[]; wall: number[]; matched: number } {
  const rule = matchRule('standard');
  let matched = 0;
  for (let i = 0; i < Math.min(50, runs); i++) decide(findPairs(workload[i % workload.length]!, rows, rule), rule);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const w = workload[i % workload.length]!;
    const c = process.cpuUsage();
    const t = performance.now();
    matched += decide(findPairs(w, rows, rule), rule).size;
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { sorted: cpu.sort((a, b) => a - b), wall: wall.sort((a, b) => a - b), matched };
}

export interface ScaleFigures {
  images: number;
  rows: number;
  snapshotBytes: number;
  deltaBytes: number;
  nodeSyncMs: number;
  nodePeakRssMB: number;
  bytesPerRow: number;
  lookupP50Ms: number;
  lookupP99Ms: number;
  coldStartMs: number;
}

async function one(n: number, withOld: boolean): Promise<{ figures: ScaleFigures; row: string }> {
  gc();
  const meta = { id: 'https://feeds.example.org/scale', name: { en: 'Scale' }, publisher: { name: 'Scale' } };
  const keys = generateKeyPair();
  const now = new Date();
  const images = syntheticImages(n, 17);
  let entries = images.map((img, i) => entryOf(img, i));
  // JSON form: its size only (at 300k images it is longer than a JS string may be).
  const head = buildSnapshot(meta, [], 1, 1, now);
  const jsonPayloadBytes = Buffer.byteLength(JSON.stringify(head)) + entries.reduce((s, e) => s + Buffer.byteLength(JSON.stringify(e)) + 1, 0);
  const jsonEnvelopeBytes = Math.ceil(jsonPayloadBytes / 3) * 4 + 300;
  const snapshot = buildSnapshot(meta, entries, 1, 1, now);
  const binary = encodeBinarySnapshot(snapshot);
  const envelope = signEnvelope(binary, BINARY_PAYLOAD_TYPES.snapshot, keys.secretKey);
  // 1% of the images get new variants (a publisher tool update), as a delta.
  const gen = new HashGen(99);
  const changed = entries.map((e, i) => (i % 100 === 7 ? entryOf({ hash: images[i]!.hash, variants: images[i]!.variants.map((v) => ({ kind: v.kind, hash: gen.variant(images[i]!.hash, v.kind) })) }, i, 2) : e));
  const delta = buildDelta(meta.id, entries, changed, 1, 1, now);
  const deltaBinary = signEnvelope(encodeBinaryDelta(delta), BINARY_PAYLOAD_TYPES.delta, keys.secretKey);
  const deltaJson = signEnvelope(new TextEncoder().encode(JSON.stringify(delta)), PAYLOAD_TYPES.delta, keys.secretKey);
  entries = [];
  (snapshot as { entries: unknown }).entries = [];
  changed.length = 0;
  gc();

  // Node sync, in a fresh process (its peak RSS is the sync's own): verify, decode chunk by chunk,
  // collect rows, build the index.
  const file = path.join(os.tmpdir(), `ad-scale-${process.pid}-${n}.bin`);
  fs.writeFileSync(file, envelope);
  const child = execFileSync(process.execPath, [path.join(HERE, 'lib/sync-child.mjs'), file, publicKeyToBase64(keys.publicKey)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  fs.rmSync(file);
  const sync = JSON.parse(child.trim().split('\n').pop()!) as {
    rows: number;
    verifyMs: number;
    decodeMs: number;
    indexMs: number;
    totalMs: number;
    cpuMs: number;
    startRssMB: number;
    peakRssMB: number;
    rssBeforeBuildMB: number;
    peakBeforeBuildMB: number;
  };
  const t0 = 0;
  const t1 = sync.verifyMs;
  const t2 = t1 + sync.decodeMs;
  const tb = t2;
  const t3 = sync.totalMs;
  const syncPeak = sync.peakRssMB;

  // The same rows in this process, for the index figures and lookups.
  const { payload } = openEnvelope(envelope, [keys.publicKey], BINARY_PAYLOAD_TYPES.snapshot, Number.MAX_SAFE_INTEGER);
  const builder = new MatchRowsBuilder();
  let ordinal = 0;
  for (const chunk of openBinary(payload).entries()) for (const e of chunk) builder.addEntry(e, ordinal++);
  gc();
  const tIndex = performance.now();
  const built = builder.build();
  const indexMs = performance.now() - tIndex;
  const rows = built.rowKind.length;
  const indexBytes = built.index.serialize().byteLength;
  const metaBytes = rows * (1 + 4 + 2);
  const steadyMB = (indexBytes + metaBytes) / MB;

  const grouped = groupedRows(built.index, built.kinds, built.rowKind, built.rowEntry);
  const wgen = new HashGen(1234);
  const workload = Array.from({ length: 400 }, () => media(wgen, images));
  const fresh = lookupTimes(grouped, workload, n >= 300_000 ? 2000 : 3000);

  // The grouped index's previous format (1: row numbers only, every candidate read on its hash),
  // same rows, same groups, same media: answers checked equal, CPU side by side.
  const counts = Array.from({ length: built.index.groupCount }, (_, g) => built.index.groupRange(g).count);
  const v1Index = GroupedIndexV1.build(built.index.hashes, counts);
  const v1Rows = groupedRows(v1Index as unknown as GroupedIndex, built.kinds, built.rowKind, built.rowEntry);
  {
    const rule = matchRule('standard');
    const key = (r: StoredRows, w: Probe[]) => JSON.stringify([...decide(findPairs(w, r, rule), rule)].sort((a, b) => a[0] - b[0]));
    const differ = workload.filter((w) => key(v1Rows, w) !== key(grouped, w)).length;
    if (differ) throw new Error(`format 2 answered ${differ} of ${workload.length} media differently from format 1`);
  }
  // Interleaved in rounds, so both meet the same load.
  const v1Cpu: number[] = [];
  const v2Cpu: number[] = [];
  for (let round = 0; round < 4; round++) {
    v1Cpu.push(...lookupTimes(v1Rows, workload, 400).sorted);
    v2Cpu.push(...lookupTimes(grouped, workload, 400).sorted);
  }
  v1Cpu.sort((a, b) => a - b);
  v2Cpu.sort((a, b) => a - b);
  const v1 = { p50: percentile(v1Cpu, 50), p99: percentile(v1Cpu, 99), bytesPerRow: v1Index.serialize().byteLength / rows + 7, ratio: v1Cpu.reduce((a, b) => a + b, 0) / v2Cpu.reduce((a, b) => a + b, 0), v2p50: percentile(v2Cpu, 50), v2p99: percentile(v2Cpu, 99) };
  console.log(`format 1 vs 2 (interleaved): p50 ${v1.p50.toFixed(3)} / ${v1.v2p50.toFixed(3)} ms, p99 ${v1.p99.toFixed(3)} / ${v1.v2p99.toFixed(3)} ms, mean CPU ${v1.ratio.toFixed(2)}×; bytes/row ${v1.bytesPerRow.toFixed(1)} / ${((indexBytes + metaBytes) / rows).toFixed(1)}`);

  // The previous design side by side: one index over all rows, every probe against every row.
  let old = { p50: NaN, p99: NaN, bytesPerRow: NaN, build: NaN, matched: -1, cpuRatio: NaN };
  if (withOld) {
    const tOld = performance.now();
    const oldIndex = PdqIndex.build(built.index.hashes, Uint32Array.from({ length: rows }, (_, i) => i));
    const oldBuild = performance.now() - tOld;
    const oldRows: StoredRows = { query: (h, d) => oldIndex.query(h, d), entryOf: grouped.entryOf, kindOf: grouped.kindOf };
    // Same answers, media by media (the unit tests prove it; this checks the bench's own data).
    const rule = matchRule('standard');
    const key = (r: StoredRows, w: Probe[]) => JSON.stringify([...decide(findPairs(w, r, rule), rule)].sort((a, b) => a[0] - b[0]));
    const differ = workload.filter((w) => key(oldRows, w) !== key(grouped, w)).length;
    if (differ) throw new Error(`the grouped index answered ${differ} of ${workload.length} media differently`);
    const t = lookupTimes(oldRows, workload, n >= 300_000 ? 200 : 600);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    old = { p50: percentile(t.sorted, 50), p99: percentile(t.sorted, 99), bytesPerRow: oldIndex.serialize().byteLength / rows + 7, build: oldBuild, matched: t.matched, cpuRatio: mean(t.sorted) / mean(fresh.sorted) };
  }

  // Cold start: the record as the worker stores it, read back by a new connection.
  const dbName = `scale-${n}`;
  const db = await openDB(dbName, 1, { upgrade: (d) => d.createObjectStore('matchIndex', { keyPath: 'key' }) });
  await db.put('matchIndex', { key: 'current', buffer: built.index.serialize(), rowEntry: built.rowEntry, rowMedia: built.rowMedia, rowKind: built.rowKind, kinds: built.kinds });
  db.close();
  const tc = performance.now();
  const db2 = await openDB(dbName, 1);
  const rec = await db2.get('matchIndex', 'current');
  const coldIndex = GroupedIndex.deserialize(rec.buffer);
  const coldRows = groupedRows(coldIndex, rec.kinds, rec.rowKind, rec.rowEntry);
  const rule = matchRule('standard');
  decide(findPairs(workload[0]!, coldRows, rule), rule);
  const coldStartMs = performance.now() - tc;
  db2.close();
  indexedDB.deleteDatabase(dbName);

  const figures: ScaleFigures = {
    images: n,
    rows,
    snapshotBytes: envelope.length,
    deltaBytes: deltaBinary.length,
    nodeSyncMs: Math.round(t3 - t0),
    nodePeakRssMB: Math.round(syncPeak),
    bytesPerRow: Number(((indexBytes + metaBytes) / rows).toFixed(1)),
    lookupP50Ms: Number(percentile(fresh.sorted, 50).toFixed(3)),
    lookupP99Ms: Number(percentile(fresh.sorted, 99).toFixed(3)),
    coldStartMs: Math.round(coldStartMs),
  };
  const f1 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(1));
  const f3 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));
  console.log(
    `${n}: ${rows} rows; snapshot JSON ${(jsonEnvelopeBytes / MB).toFixed(0)} MB vs binary ${(envelope.length / MB).toFixed(1)} MB (payload ${(binary.length / MB).toFixed(1)}); delta ${(deltaJson.length / MB).toFixed(2)} vs ${(deltaBinary.length / MB).toFixed(2)} MB; ` +
      `sync ${(t3 - t0).toFixed(0)} ms (CPU ${sync.cpuMs.toFixed(0)}; verify ${(t1 - t0).toFixed(0)}, decode ${(t2 - t1).toFixed(0)}, index ${(t3 - tb).toFixed(0)}), peak RSS ${syncPeak.toFixed(0)} MB (process at start ${sync.startRssMB.toFixed(0)}); index build here ${indexMs.toFixed(0)} ms; ` +
      `${figures.bytesPerRow} B/row, index ${steadyMB.toFixed(0)} MB (with its row tables); sync child before/after build: RSS ${sync.rssBeforeBuildMB.toFixed(0)} MB, peak ${sync.peakBeforeBuildMB.toFixed(0)} → ${sync.peakRssMB.toFixed(0)} MB; lookup p50 ${f3(figures.lookupP50Ms)} p99 ${f3(figures.lookupP99Ms)} (old ${f3(old.p50)} / ${f3(old.p99)}, mean CPU old/new ${f1(old.cpuRatio)}×, matched ${fresh.matched}/${old.matched}); wall p50/p99 ${f3(percentile(fresh.wall, 50))} / ${f3(percentile(fresh.wall, 99))}; cold ${figures.coldStartMs} ms`,
  );
  const row =
    `| ${n.toLocaleString('en')} | ${rows.toLocaleString('en')} | ${(jsonEnvelopeBytes / MB).toFixed(0)} MB → ${(envelope.length / MB).toFixed(1)} MB | ${(deltaJson.length / MB).toFixed(2)} → ${(deltaBinary.length / MB).toFixed(2)} MB | ` +
    `${((t3 - t0) / 1000).toFixed(1)} s, CPU ${(sync.cpuMs / 1000).toFixed(1)} s (verify ${((t1 - t0) / 1000).toFixed(1)}, decode ${((t2 - t1) / 1000).toFixed(1)}, index ${((t3 - tb) / 1000).toFixed(1)}) | ${syncPeak.toFixed(0)} MB (${sync.startRssMB.toFixed(0)} at start) | ` +
    `+${Math.max(0, sync.peakRssMB - sync.rssBeforeBuildMB).toFixed(0)} / ${steadyMB.toFixed(0)} MB | ${f1(figures.bytesPerRow)} (old ${f1(old.bytesPerRow)}) | ${f3(figures.lookupP50Ms)} / ${f3(figures.lookupP99Ms)} (wall ${f3(percentile(fresh.wall, 50))} / ${f3(percentile(fresh.wall, 99))}) | ${f3(old.p50)} / ${f3(old.p99)} (${f1(old.cpuRatio)}× the CPU) | ${f3(v1.p50)} / ${f3(v1.p99)}, ${f1(v1.bytesPerRow)} B/row (${v1.ratio.toFixed(2)}× the CPU) | ${figures.coldStartMs} ms |`;
  return { figures, row };
}

export default async function run(): Promise<string> {
  const only = Number(process.env.BENCH_IMAGES ?? 0);
  const sizes = only > 0 ? [only] : process.env.BENCH_QUICK ? [10_000] : [10_000, 100_000, 300_000];
  const rows: string[] = [];
  for (const n of sizes) {
    const { figures, row } = await one(n, process.env.BENCH_OLD !== '0');
    rows.push(row);
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(figures, null, 1)}\n`);
    gc();
  }
  return `## Scale: feeds of debunked images with their variants (node)

Synthetic feeds (tests/bench/lib/synthetic.ts): one image per entry, its 12 publisher variants (a 13th,
\`picture\`, for 1 in 10), PDQ-like distances (scenes, variants 30–110 bits away, 3% near-duplicates).
Lookups: 400 media seen on X (1 in 10 a re-share of a stored image), findPairs + decide at the standard
rule, 8 dihedral hashes + 1–3 extra views per media, CPU time per media (the machine is shared: wall
time beside it). "old" = the previous single index over all rows
(every probe meets every row, pairs filtered afterwards), same rows, same media, same run.
Sync = verify the signed envelope + decode/validate chunk by chunk + collect rows + build the index
(IndexedDB writes not included). Envelope limit used here: none (LIMITS.maxSnapshotBytes is ${LIMITS.maxSnapshotBytes / MB} MiB).

| images | rows | snapshot JSON → binary (signed) | 1% delta JSON → binary | node sync (wall, CPU) | sync peak RSS (fresh process) | index build: peak over RSS before / index size | bytes/row | lookup p50 / p99 | old p50 / p99 | grouped format 1: p50 / p99, bytes/row | cold start |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
}
