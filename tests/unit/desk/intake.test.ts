// The desk's report intake (POST /reports), on PGlite and on a Postgres server: the answers
// docs/report-format.md promises the extension (201 stored, 200 duplicate, 400, 413, 415, 429 with
// Retry-After), reports deduplicated by their id, bounded per address and per hour, answers that
// say nothing about other reports, and clustering as reports arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../../src/desk/server/db';
import { report, startTestDesk, uuid, type TestDesk } from './helpers';
import { startPgServer, type PgServer } from './pg-server';

const HASH = '378c57bbd7100e71f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d';
/** The hash with its last `bits` bits flipped (a re-encoded copy of the same picture). */
function near(hex: string, bits: number): string {
  const h = [...hex];
  for (let i = 0; i < bits; i++) {
    const at = 63 - Math.floor(i / 4);
    h[at] = (parseInt(h[at]!, 16) ^ (1 << (i % 4))).toString(16);
  }
  return h.join('');
}
const media = (value: string | null, url = 'https://pbs.twimg.com/media/GfxA.jpg', quality = 90) => [{ type: 'photo', url, quoted: false, pdq: value ? { value, quality } : null }];

function intakeSuite(name: string, open: () => Promise<Db | { skip: string }>, close: () => void = () => undefined) {
  describe(`report intake on ${name}`, () => {
    let db: Db | { skip: string };
    let desk: TestDesk;
    beforeAll(async () => {
      db = await open();
      if ('skip' in db) return console.warn(`skipped: ${db.skip}`);
      desk = await startTestDesk(db, { limits: { perAddressPerMinute: 1000 } });
    }, 180_000);
    afterAll(async () => {
      await desk?.close();
      if (db && !('skip' in db)) await db.close();
      close();
    });
    const ready = (ctx: { skip: () => void }) => {
      if ('skip' in db) ctx.skip();
      return db as Db;
    };

    it('stores a good report (201) and answers a repeat with 200 duplicate, storing it once', async (ctx) => {
      const d = ready(ctx);
      const body = report({ reportId: uuid() });
      const first = await desk.post('/reports', body, { 'idempotency-key': body.reportId as string });
      expect(first.status).toBe(201);
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      expect(await first.json()).toEqual({ status: 'stored', reportId: body.reportId });
      const again = await desk.post('/reports', body, { 'idempotency-key': body.reportId as string });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'duplicate', reportId: body.reportId });
      const [r] = await d.query<{ n: number }>('select count(*)::int as n from reports where id = $1', [body.reportId]);
      expect(r!.n).toBe(1);
      const [c] = await d.query<{ report_count: number }>('select c.report_count from clusters c join report_clusters rc on rc.cluster_id = c.id where rc.report_id = $1', [body.reportId]);
      expect(c!.report_count).toBe(1); // the duplicate was not counted
    });

    it('refuses malformed reports with 400 naming the field, other bodies with 415, other methods with 405', async (ctx) => {
      ready(ctx);
      const bad = async (body: unknown, headers: Record<string, string> = {}) => {
        const res = await desk.post('/reports', body, headers);
        return { status: res.status, error: ((await res.json()) as { error: string }).error };
      };
      expect(await bad('{not json')).toEqual({ status: 400, error: 'not a valid report: not JSON' });
      expect((await bad(report({ reportId: uuid(), extra: 1 }))).status).toBe(400); // strict: unknown fields refused
      expect((await bad(report({ reportId: uuid(), kind: 'wrong-match' }))).error).toMatch(/reason|match/);
      expect((await bad(report({ reportId: 'not-a-uuid' }))).error).toMatch(/reportId/);
      expect((await bad(report({ reportId: uuid() }), { 'idempotency-key': uuid() })).error).toMatch(/Idempotency-Key/);
      const text = await fetch(`${desk.url}/reports`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(report({ reportId: uuid() })) });
      expect(text.status).toBe(415);
      expect((await fetch(`${desk.url}/reports`)).status).toBe(405);
      const pre = await fetch(`${desk.url}/reports`, { method: 'OPTIONS', headers: { origin: 'moz-extension://abc', 'access-control-request-method': 'POST' } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, idempotency-key');
    });

    it('refuses an oversized body with 413, declared or streamed, without storing it', async (ctx) => {
      const d = ready(ctx);
      const big = report({ reportId: uuid(), note: 'x'.repeat(70_000) });
      expect((await desk.post('/reports', big)).status).toBe(413);
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode(' '.repeat(8192)));
          c.close();
        },
      });
      const chunked = await fetch(`${desk.url}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(413);
      const [r] = await d.query<{ n: number }>('select count(*)::int as n from reports where id = $1', [big.reportId]);
      expect(r!.n).toBe(0);
    });

    it('clusters by picture: one cluster per picture across posts, another picture apart, wrong matches under their entry', async (ctx) => {
      const d = ready(ctx);
      const other = 'c71a0b3e5d9f2468ace13579bdf02468c71a0b3e5d9f2468ace13579bdf02468';
      const ids: string[] = [];
      for (const [i, h] of [HASH, near(HASH, 6), near(HASH, 20), other].entries()) {
        const id = uuid();
        ids.push(id);
        const r = report({ reportId: id, post: { url: `https://x.com/u${i}/status/${900 + i}`, postId: String(900 + i), author: `u${i}`, text: null, lang: null } }, media(h, `https://pbs.twimg.com/media/P${i}.jpg`));
        expect((await desk.post('/reports', r)).status).toBe(201);
      }
      const clusterOf = async (id: string) => (await d.query<{ c: string }>('select cluster_id::text as c from report_clusters where report_id = $1', [id])).map((x) => x.c);
      const [a] = await clusterOf(ids[0]!);
      expect(await clusterOf(ids[1]!)).toEqual([a]);
      expect(await clusterOf(ids[2]!)).toEqual([a]);
      expect(await clusterOf(ids[3]!)).not.toEqual([a]);
      // No hash, or a flat one: grouped by the media's address.
      const noHash = [uuid(), uuid()];
      for (const id of noHash) expect((await desk.post('/reports', report({ reportId: id }, media(null, 'https://pbs.twimg.com/media/NoHash.jpg')))).status).toBe(201);
      expect(await clusterOf(noHash[0]!)).toEqual(await clusterOf(noHash[1]!));
      // Wrong-match reports: under the entry they dispute.
      const wm = [uuid(), uuid()];
      for (const [i, id] of wm.entries()) {
        const r = report(
          { reportId: id, kind: 'wrong-match', reason: 'not-the-same-media', match: { feedUrl: 'https://desk.example.org/feed/index.json', feedId: 'https://desk.example.org/feed/', entryId: 'kim-2019', distance: 12, variant: 'original' } },
          media(i ? other : HASH),
        );
        expect((await desk.post('/reports', r)).status).toBe(201);
      }
      const [e] = await clusterOf(wm[0]!);
      expect(await clusterOf(wm[1]!)).toEqual([e]);
      const [row] = await d.query<{ key: string; report_count: number }>('select key, report_count from clusters where id = $1', [e]);
      expect(row).toEqual({ key: 'entry:https://desk.example.org/feed/#kim-2019', report_count: 2 });
    });

    it('limits reports per address (429 with Retry-After) and per hour for everyone, and stores nothing refused', async (ctx) => {
      const d = ready(ctx);
      const tight = await startTestDesk(d, { limits: { perAddressPerMinute: 3, perHour: 1000 } });
      const hourly = await startTestDesk(d, { limits: { perAddressPerMinute: 1000, perHour: 2 } });
      try {
        const statuses = [];
        for (let i = 0; i < 5; i++) statuses.push((await tight.post('/reports', report({ reportId: uuid() }))).status);
        expect(statuses).toEqual([201, 201, 201, 429, 429]);
        const refused = await tight.post('/reports', report({ reportId: uuid() }));
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        const h = [];
        for (let i = 0; i < 3; i++) h.push((await hourly.post('/reports', report({ reportId: uuid() }))).status);
        expect(h).toEqual([201, 201, 429]);
        // Garbage does not spend the hourly budget of real reports: only valid ones count.
        expect((await hourly.post('/reports', '{')).status).toBe(400);
      } finally {
        await tight.close();
        await hourly.close();
      }
    });

    it('never reveals other reports: each answer names only the report it answers', async (ctx) => {
      ready(ctx);
      const ids = await Promise.all([0, 1, 2].map(async () => {
        const r = report({ reportId: uuid() });
        await desk.post('/reports', r);
        return r.reportId as string;
      }));
      for (const [i, text] of desk.responses.entries()) {
        const named = ids.filter((id) => text.includes(id));
        expect(named.length, `answer ${i}: ${text}`).toBeLessThanOrEqual(1);
      }
      expect((await fetch(`${desk.url}/api/queue`)).status).toBe(401);
    });
  });
}

intakeSuite('PGlite', () => openPglite(null));
let pg: PgServer | { skip: string } | null = null;
intakeSuite(
  'a Postgres server',
  async () => {
    pg = await startPgServer();
    return 'skip' in pg ? pg : openPostgres(pg.url);
  },
  () => {
    if (pg && 'stop' in pg) pg.stop();
  },
);
