// From reports to readers: a reviewer drafts an entry from a cluster, a publisher publishes; the
// feed folder verifies with the public key (the checks of `verify`), the delta applies to what a
// reader held (the client's own applyDelta), a corrected entry gets a new rev, a withdrawn entry
// reaches readers as withdrawn, the queue shows which entry covers a picture, thumbnails follow the
// safe-fetch rules, and the signing key appears in no answer.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, PAYLOAD_TYPES, applyDelta, openEnvelope, parseDelta, publicKeyFromSecret, toBase64, verifyFeed, type FeedEntry } from '../../../src/core/feed';
import { createAccount } from '../../../src/desk/server/auth';
import { openPglite, type Db } from '../../../src/desk/server/db';
import { Thumbs } from '../../../src/desk/server/thumbs';
import type { ClusterDetail, ClusterSummary, PublishResult } from '../../../src/shared/desk-api';
import { Client, report, startTestDesk, uuid, type TestDesk } from './helpers';

let db: Db;
let desk: TestDesk;
let rita: Client;
let paul: Client;
const PW = 'correct horse battery staple';
const HASH = '378c57bbd7100e71f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d';

const read = (rel: string) => {
  const p = path.join(desk.feed.dir, rel);
  return fs.existsSync(p) ? fs.readFileSync(p) : null;
};
const feedNow = () => verifyFeed(read, [publicKeyFromSecret(desk.feed.secretKey)]);
function delta(from: number) {
  return parseDelta(openEnvelope(read(`deltas/${from}-${from + 1}.json`)!, [publicKeyFromSecret(desk.feed.secretKey)], PAYLOAD_TYPES.delta, LIMITS.maxDeltaBytes).payload);
}

beforeAll(async () => {
  db = await openPglite(null);
  desk = await startTestDesk(db);
  await createAccount(db, 'rita', PW, 'reviewer');
  await createAccount(db, 'paul', PW, 'publisher');
  rita = new Client(desk);
  paul = new Client(desk);
  await rita.login('rita', PW);
  await paul.login('paul', PW);
}, 180_000);
afterAll(async () => {
  await desk?.close();
  await db?.close();
});

const fields = (over: Record<string, string> = {}) => ({
  id: 'kim-moscow-2019-clip',
  claim: 'Video shows Kim Jong-un arriving in Moscow today',
  category: 'DecontextualizedContent',
  rating: 'Missing context',
  context: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok.',
  contextDate: '2019-04-25',
  contextLocation: 'Vladivostok, Russia',
  factCheckUrl: 'https://desk.example.org/2026/12/kim-moscow-clip',
  headline: 'The clip of Kim and Putin is from Vladivostok in 2019',
  inLanguage: 'en',
  datePublished: '2026-12-01',
  ...over,
});

describe('drafting and publishing', () => {
  let clusterId: number;
  let seq1: Map<string, FeedEntry>;

  it('queues clusters busiest first, with a prefilled draft', async () => {
    for (let i = 0; i < 3; i++) await desk.post('/reports', report({ reportId: uuid(), post: { url: `https://x.com/a${i}/status/${70 + i}`, postId: String(70 + i), author: `a${i}`, text: 'Kim arrives in Moscow today', lang: 'en' } }));
    await desk.post('/reports', report({ reportId: uuid() }, [{ type: 'photo', url: 'https://pbs.twimg.com/media/Other.jpg', quoted: false, pdq: { value: 'c71a0b3e5d9f2468ace13579bdf02468c71a0b3e5d9f2468ace13579bdf02468', quality: 80 } }]));
    const q = await rita.json<{ clusters: ClusterSummary[]; open: number }>('GET', '/api/queue');
    expect(q.clusters.map((c) => c.reportCount)).toEqual([3, 1]);
    expect(q.clusters[0]).toMatchObject({ kind: 'picture', state: 'open', coverage: null, hasThumb: true });
    clusterId = q.clusters[0]!.id;
    const detail = await rita.json<ClusterDetail>('GET', `/api/clusters/${clusterId}`);
    expect(detail.reports).toHaveLength(3);
    expect(detail.draft.claim).toBe('Kim arrives in Moscow today');
    seq1 = new Map(feedNow().snapshot.entries.map((e) => [e.id, e]));
    expect(feedNow().index.seq).toBe(1);
  });

  it('refuses a draft with a bad field, naming it', async () => {
    const res = await rita.call('POST', '/api/entries', { clusterId, fields: fields({ factCheckUrl: 'http://insecure.example/x' }), ready: false });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/url/i);
  });

  it('publishes a drafted entry: the feed verifies, the delta applies, the entry carries the cluster’s picture', async () => {
    expect((await rita.call('POST', '/api/entries', { clusterId, fields: fields(), ready: false })).status).toBe(201);
    expect((await rita.call('POST', '/api/entries', { clusterId, fields: fields(), ready: false })).status).toBe(409);
    // A draft is not published: a publisher marks it ready.
    const empty = await paul.json<PublishResult>('POST', '/api/publish', {});
    expect(empty.entries).toBe(0);
    expect((await rita.call('PUT', `/api/entries/${fields().id}`, { fields: fields(), ready: true })).status).toBe(403);
    expect((await paul.call('PUT', `/api/entries/${fields().id}`, { fields: fields(), ready: true })).status).toBe(200);
    const r = await paul.json<PublishResult>('POST', '/api/publish', {});
    expect(r).toMatchObject({ seq: 3, entries: 1, changed: 1 });
    const v = feedNow();
    expect(v.index.seq).toBe(3);
    const entry = v.snapshot.entries[0]!;
    expect(entry).toMatchObject({ id: 'kim-moscow-2019-clip', rev: 1, status: 'active', verdict: { label: 'missing-context', category: 'DecontextualizedContent' } });
    expect(entry.media[0]!.hashes.map((h) => h.value)).toEqual([HASH]);
    expect(entry.claim.appearances?.map((a) => a.url)).toContain('https://x.com/a0/status/70');
    // A reader at seq 1 (no entries) applies 1→2 then 2→3 and reaches the snapshot's state.
    const s2 = applyDelta(seq1, delta(1));
    const s3 = applyDelta(s2, delta(2));
    expect([...s3.keys()]).toEqual(['kim-moscow-2019-clip']);
    // The queue now says which entry covers the picture, and a new report of it too.
    const q = await rita.json<{ clusters: ClusterSummary[] }>('GET', '/api/queue?state=drafted');
    expect(q.clusters[0]!.coverage).toMatchObject({ entryId: 'kim-moscow-2019-clip', state: 'published', status: 'active' });
  });

  it('a correction gets a new rev; a withdrawn entry reaches readers as withdrawn', async () => {
    const before = new Map(feedNow().snapshot.entries.map((e) => [e.id, e]));
    expect((await paul.call('PUT', `/api/entries/${fields().id}`, { fields: fields({ rating: 'Out of context' }), ready: true })).status).toBe(200);
    const c = await paul.json<PublishResult>('POST', '/api/publish', {});
    expect(c).toMatchObject({ seq: 4, changed: 1 });
    const corrected = applyDelta(before, delta(3));
    expect(corrected.get(fields().id)).toMatchObject({ rev: 2, verdict: { textualRating: { en: 'Out of context' } } });
    expect((await paul.call('POST', `/api/entries/${fields().id}/withdraw`, {})).status).toBe(200);
    const w = await paul.json<PublishResult>('POST', '/api/publish', {});
    expect(w.seq).toBe(5);
    const d = delta(4);
    expect(d.upsert.map((e) => [e.id, e.rev, e.status])).toEqual([[fields().id, 3, 'withdrawn']]);
    expect(applyDelta(corrected, d).get(fields().id)!.status).toBe('withdrawn');
    expect(feedNow().snapshot.entries[0]!.status).toBe('withdrawn');
    // Publishing again with nothing changed keeps every rev.
    const same = await paul.json<PublishResult>('POST', '/api/publish', {});
    expect(same.changed).toBe(0);
    expect(delta(5).upsert).toEqual([]);
  });

  it('records dismissals, "already covered", drafts, withdrawals and publishes in the audit log', async () => {
    const q = await rita.json<{ clusters: ClusterSummary[] }>('GET', '/api/queue');
    const other = q.clusters[0]!.id;
    expect((await rita.call('POST', `/api/clusters/${other}/covered`, { entryId: fields().id })).status).toBe(200);
    const [row] = await db.query<{ state: string; covered_by: string }>('select state, covered_by from clusters where id = $1', [other]);
    expect(row).toEqual({ state: 'covered', covered_by: fields().id });
    const actions = (await db.query<{ action: string; username: string }>('select action, username from audit_log order by id')).map((a) => `${a.username}:${a.action}`);
    for (const a of ['rita:draft', 'paul:correct', 'paul:withdraw', 'paul:publish', 'rita:covered']) expect(actions).toContain(a);
  });

  it('never sends the signing key: no answer contains it', () => {
    const secret = toBase64(desk.feed.secretKey);
    const hex = Buffer.from(desk.feed.secretKey).toString('hex');
    expect(desk.responses.length).toBeGreaterThan(10);
    for (const text of desk.responses) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hex);
    }
  });
});

describe('thumbnails', () => {
  const image = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  function fakeFetch(answer: (url: string) => Response) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fn = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return answer(url);
    }) as unknown as typeof fetch;
    return { fn, calls };
  }

  it('fetches from X’s media hosts only, without cookies or redirects, images only, bounded in size', async () => {
    const ok = fakeFetch(() => new Response(image, { headers: { 'content-type': 'image/jpeg' } }));
    const t = new Thumbs([], ok.fn);
    expect((await t.get('https://pbs.twimg.com/media/A.jpg')).bytes).toEqual(image);
    expect(ok.calls[0]!.init).toMatchObject({ redirect: 'manual', credentials: 'omit', referrerPolicy: 'no-referrer' });
    expect(ok.calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    for (const bad of ['https://evil.example/a.jpg', 'http://pbs.twimg.com/a.jpg', 'https://user:pw@pbs.twimg.com/a.jpg', 'https://pbs.twimg.com:8443/a.jpg', 'http://127.0.0.1/a.jpg']) {
      await expect(t.get(bad), bad).rejects.toThrow(/media hosts/);
    }
    expect(ok.calls).toHaveLength(1);
    await expect(new Thumbs([], fakeFetch(() => new Response(null, { status: 302, headers: { location: 'https://evil.example/' } })).fn).get('https://pbs.twimg.com/b')).rejects.toThrow(/redirect/);
    await expect(new Thumbs([], fakeFetch(() => new Response('<svg/>', { headers: { 'content-type': 'image/svg+xml' } })).fn).get('https://pbs.twimg.com/c')).rejects.toThrow(/not an image/);
    const huge = new ReadableStream({
      pull(c) {
        c.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    await expect(new Thumbs([], fakeFetch(() => new Response(huge, { headers: { 'content-type': 'image/png' } })).fn).get('https://pbs.twimg.com/d')).rejects.toThrow(/too large/);
  });

  it('serves a cluster’s thumbnail to a logged-in reviewer only, answering 502 when the fetch is refused', async () => {
    const q = await rita.json<{ clusters: ClusterSummary[] }>('GET', '/api/queue?state=drafted');
    const id = q.clusters[0]!.id;
    expect((await fetch(`${desk.url}/api/clusters/${id}/thumb`)).status).toBe(401);
    const res = await rita.call('GET', `/api/clusters/${id}/thumb`); // the real fetch to pbs.twimg.com fails here (no network): 502
    expect([200, 502]).toContain(res.status);
  });
});
