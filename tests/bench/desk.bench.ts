/**
 * The desk under load: reports per second accepted over HTTP (POST /reports, the full intake path:
 * validation, limits, storage, clustering) with p50/p99 latency, on PGlite (files in a temp dir) and
 * on a Postgres 15 server started here (initdb/pg_ctl), side by side in one run; and the
 * clustering step alone at 100,000 reported pictures (PictureClusterer.add, a fifth of them
 * re-shares of earlier pictures).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../src/core/feed';
import { PictureClusterer } from '../../src/core/report';
import { openPglite, openPostgres, type Db } from '../../src/desk/server/db';
import { migrate } from '../../src/desk/server/db';
import { publishFeed } from '../../src/desk/server/feed';
import { createDesk, listen } from '../../src/desk/server/server';
import { startPgServer } from '../unit/desk/pg-server';
import { prng } from '../lib/prng';
import { QUICK, percentile } from './lib/stats';

const rand = prng(7);
const hex = () => Array.from({ length: 8 }, () => rand().toString(16).padStart(8, '0')).join('');
function nearHex(h: string, bits: number): string {
  const a = [...h];
  for (let i = 0; i < bits; i++) {
    const at = rand() % 64;
    a[at] = (parseInt(a[at]!, 16) ^ (1 << rand() % 4)).toString(16);
  }
  return a.join('');
}

function reportBody(pictures: string[]): string {
  const pic = rand() % 5 === 0 || !pictures.length ? hex() : nearHex(pictures[rand() % pictures.length]!, 4);
  pictures.push(pic);
  const id = String(1861000000000000000n + BigInt(rand()));
  return JSON.stringify({
    format: 'already-debunked/report',
    formatVersion: 1,
    reportId: randomUUID(),
    kind: 'tip',
    createdAt: '2026-12-01T19:24:31.000Z',
    client: { name: 'already-debunked', version: '0.1.0', locale: 'en' },
    recipient: { endpoint: 'https://desk.example.org/reports', feedUrl: 'https://desk.example.org/feed/index.json', feedId: 'https://desk.example.org/feed/' },
    post: { url: `https://x.com/someone/status/${id}`, postId: id, author: 'someone', text: 'Look at this picture from today', lang: 'en' },
    media: [{ type: 'photo', url: `https://pbs.twimg.com/media/${pic.slice(0, 15)}`, quoted: false, pdq: { value: pic, quality: 90 } }],
    match: null,
    reason: 'recycled-out-of-context',
    note: null,
    contact: null,
  });
}

async function intake(db: Db, n: number, concurrency: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  await migrate(db);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-desk-bench-'));
  const feed = { meta: { id: 'https://desk.example.org/feed/', name: { en: 'Bench' }, publisher: { name: 'Bench' } }, dir, secretKey: generateKeyPair().secretKey, testHosts: [] };
  publishFeed(feed, [], new Date());
  const desk = await createDesk({ db, feed, appDir: null, limits: { perAddressPerMinute: 1e9, perHour: 1e9 } });
  const server = await listen(desk.app, '127.0.0.1', 0);
  const pictures: string[] = [];
  const bodies = Array.from({ length: n + 50 }, () => reportBody(pictures));
  const post = async (body: string) => {
    const t = performance.now();
    const res = await fetch(`${server.url}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`intake answered ${res.status}`);
    return performance.now() - t;
  };
  for (const b of bodies.slice(0, 50)) await post(b); // warm-up
  const work = bodies.slice(50);
  const times: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < work.length) times.push(await post(work[next++]!));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  times.sort((x, y) => x - y);
  return { perSecond: n / seconds, p50: percentile(times, 50), p99: percentile(times, 99) };
}

export default async function run(): Promise<string> {
  const n = QUICK ? 500 : 3000;
  const concurrency = 16;
  const rows: string[] = [];
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-desk-pglite-'));
  const lite = await openPglite(pgliteDir);
  const a = await intake(lite, n, concurrency);
  await lite.close();
  fs.rmSync(pgliteDir, { recursive: true, force: true });
  rows.push(`| PGlite (embedded, files) | ${a.perSecond.toFixed(0)} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  const pg = await startPgServer();
  if ('skip' in pg) rows.push(`| Postgres 15 server | skipped: ${pg.skip} | | |`);
  else {
    try {
      const db = await openPostgres(pg.url);
      const b = await intake(db, n, concurrency);
      await db.close();
      rows.push(`| Postgres 15 server (pg, pool of 10) | ${b.perSecond.toFixed(0)} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |`);
      rows.push(`| ratio server / embedded | ${(b.perSecond / a.perSecond).toFixed(2)}× | | |`);
    } finally {
      pg.stop();
    }
  }

  // Clustering alone at 100k reported pictures.
  const total = 100_000;
  const hashes: string[] = [];
  for (let i = 0; i < total; i++) hashes.push(i > 0 && rand() % 5 === 0 ? nearHex(hashes[rand() % i]!, 6) : hex());
  const c = new PictureClusterer();
  const t0 = performance.now();
  let joined = 0;
  for (const h of hashes) if (!c.add(h, 90).isNew) joined++;
  const addMs = performance.now() - t0;
  const q: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const probe = nearHex(hashes[rand() % total]!, 6);
    const t = performance.now();
    c.nearest(probe);
    q.push(performance.now() - t);
  }
  q.sort((x, y) => x - y);
  return `## Desk (npm run bench desk)

Reports accepted over HTTP (POST /reports: validate, limit, store, cluster), ${n} reports, ${concurrency} at a time, one desk process, loopback:

| database | reports/s | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
${rows.join('\n')}

Clustering alone: ${total.toLocaleString('en')} reported pictures added one by one in ${(addMs / 1000).toFixed(2)} s (${((addMs * 1000) / total).toFixed(0)} µs each; ${joined.toLocaleString('en')} joined an earlier picture's cluster); nearest-cluster lookup at 100k: p50 ${percentile(q, 50).toFixed(3)} ms, p99 ${percentile(q, 99).toFixed(3)} ms.`;
}
