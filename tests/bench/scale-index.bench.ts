/**
 * The match index alone at the sizes (up to 300k images with their variants: ~3.9M rows),
 * without the feed around it (the feed format refuses more than 200,000 entries, so the scale
 * bench cannot reach 4M rows through a feed): rows straight from tests/bench/lib/synthetic.ts in
 * the order a sync collects them. In one run, side by side on the same rows and media:
 *  - the grouped index (format 2: fingerprinted table entries) and its previous format 1,
 *    answers checked equal media by media; build time, bytes per row (index + the matcher's
 *    7 bytes of row tables); lookup CPU per media p50/p99 at the standard rule (the extension's
 *    findPairs + decide), interleaved in rounds so both meet the same load;
 *  - cold start: the record as the worker stores it, read back through a new connection
 *    (fake-indexeddb), deserialised, first media answered; wall and CPU.
 * `npm run bench scale-index -- --images N [--json FILE]` (default 10k, 100k, 300k).
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openDB } from 'idb';
import { GroupedIndex } from '../../src/core/index';
import { buildMatchIndex, decide, findPairs, groupedRows, matchRule, type Probe, type StoredRows } from '../../src/core/match';
import { GroupedIndexV1 } from './lib/grouped-v1';
import { media } from './lib/scale-media';
import { HashGen, syntheticImages } from './lib/synthetic';
import { percentile } from './lib/stats';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MB = 2 ** 20;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

function times(rows: StoredRows, workload: Probe[][], runs: number, from: number): number[] {
  const rule = matchRule('standard');
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const w = workload[(from + i) % workload.length]!;
    const c = process.cpuUsage();
    decide(findPairs(w, rows, rule), rule);
    out.push(cpuMs(process.cpuUsage(c)));
  }
  return out;
}

async function one(n: number): Promise<{ row: string; json: Record<string, number> }> {
  gc();
  const images = syntheticImages(n, 17);
  const kinds = ['original', ...new Set(images.flatMap((i) => i.variants.map((v) => v.kind)))];
  const rows = images.reduce((s, i) => s + 1 + i.variants.length, 0);
  const lanes = new Uint32Array(rows * 8);
  const kind = new Uint8Array(rows);
  const entry = new Uint32Array(rows);
  let r = 0;
  images.forEach((img, i) => {
    lanes.set(img.hash, r * 8);
    entry[r++] = i;
    for (const v of img.variants) {
      lanes.set(v.hash, r * 8);
      kind[r] = kinds.indexOf(v.kind);
      entry[r++] = i;
    }
  });
  gc();
  const cb = process.cpuUsage();
  const built = buildMatchIndex(lanes, kind, entry, new Uint16Array(rows), kinds);
  const buildCpu = cpuMs(process.cpuUsage(cb));
  const counts = Array.from({ length: built.index.groupCount }, (_, g) => built.index.groupRange(g).count);
  const c1 = process.cpuUsage();
  const v1 = GroupedIndexV1.build(built.index.hashes, counts);
  const buildCpu1 = cpuMs(process.cpuUsage(c1));
  const rows2 = groupedRows(built.index, kinds, built.rowKind, built.rowEntry);
  const rows1 = groupedRows(v1 as unknown as GroupedIndex, kinds, built.rowKind, built.rowEntry);
  const gen = new HashGen(1234);
  const workload = Array.from({ length: 400 }, () => media(gen, images));
  const rule = matchRule('standard');
  const key = (x: StoredRows, w: Probe[]) => JSON.stringify([...decide(findPairs(w, x, rule), rule)].sort((a, b) => a[0] - b[0]));
  const differ = workload.filter((w) => key(rows1, w) !== key(rows2, w)).length;
  if (differ) throw new Error(`format 2 answered ${differ} of ${workload.length} media differently from format 1`);
  const t1: number[] = [];
  const t2: number[] = [];
  for (let round = 0; round < 6; round++) {
    t1.push(...times(rows1, workload, 400, round * 400));
    t2.push(...times(rows2, workload, 400, round * 400));
  }
  t1.sort((a, b) => a - b);
  t2.sort((a, b) => a - b);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const bytes2 = built.index.serialize().byteLength;
  const bytes1 = v1.serialize().byteLength;

  // Cold start: the record as the matcher stores it, a new connection, first media answered.
  const name = `scale-index-${n}`;
  const db = await openDB(name, 1, { upgrade: (d) => d.createObjectStore('matchIndex', { keyPath: 'key' }) });
  await db.put('matchIndex', { key: 'current', buffer: built.index.serialize(), rowEntry: built.rowEntry, rowMedia: built.rowMedia, rowKind: built.rowKind, kinds });
  db.close();
  gc();
  const cc = process.cpuUsage();
  const tc = performance.now();
  const db2 = await openDB(name, 1);
  const rec = await db2.get('matchIndex', 'current');
  const tRead = performance.now();
  const cold = groupedRows(GroupedIndex.deserialize(rec.buffer), rec.kinds, rec.rowKind, rec.rowEntry);
  decide(findPairs(workload[0]!, cold, rule), rule);
  const coldWall = performance.now() - tc;
  const coldCpu = cpuMs(process.cpuUsage(cc));
  db2.close();
  indexedDB.deleteDatabase(name);

  const json = {
    images: n,
    rows,
    bytesPerRow: Number(((bytes2 + 7 * rows) / rows).toFixed(1)),
    bytesPerRowFormat1: Number(((bytes1 + 7 * rows) / rows).toFixed(1)),
    buildCpuMs: Math.round(buildCpu),
    lookupP50Ms: Number(percentile(t2, 50).toFixed(3)),
    lookupP99Ms: Number(percentile(t2, 99).toFixed(3)),
    format1P50Ms: Number(percentile(t1, 50).toFixed(3)),
    format1P99Ms: Number(percentile(t1, 99).toFixed(3)),
    coldStartMs: Math.round(coldWall),
    coldStartCpuMs: Math.round(coldCpu),
  };
  console.log(`${n} images: ${JSON.stringify(json)}; read ${(tRead - tc).toFixed(0)} ms of the cold start; groups ${counts.join('/')}`);
  const f3 = (x: number) => x.toFixed(3);
  const row = `| ${n.toLocaleString('en')} | ${rows.toLocaleString('en')} | ${(bytes2 / MB).toFixed(0)} MB, ${json.bytesPerRow} B/row (format 1: ${json.bytesPerRowFormat1}) | ${(buildCpu / 1000).toFixed(1)} s (format 1: ${(buildCpu1 / 1000).toFixed(1)}) | ${f3(json.lookupP50Ms)} / ${f3(json.lookupP99Ms)} ms | ${f3(json.format1P50Ms)} / ${f3(json.format1P99Ms)} ms | ${(mean(t1) / mean(t2)).toFixed(2)}× | ${json.coldStartMs} ms (CPU ${json.coldStartCpuMs}; read ${(tRead - tc).toFixed(0)}) |`;
  return { row, json };
}

export default async function run(): Promise<string> {
  const only = Number(process.env.BENCH_IMAGES ?? 0);
  const sizes = only > 0 ? [only] : [10_000, 100_000, 300_000];
  const out: string[] = [];
  for (const n of sizes) {
    const { row, json } = await one(n);
    out.push(row);
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(json, null, 1)}\n`);
  }
  return `## The match index alone at scale (node)

Rows from tests/bench/lib/synthetic.ts (13–14 per image), lookups: 400 media (1 in 10 a re-share of a stored image),
findPairs + decide at the standard rule, CPU time per media, format 2 and format 1 interleaved (6 rounds of 400 each).

| images | rows | index (format 2) | build CPU | lookup CPU p50 / p99 | format 1 p50 / p99 | format 1 / format 2 mean CPU | cold start, first answer (fake-indexeddb) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${out.join('\n')}`;
}
