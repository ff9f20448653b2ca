// The reports outbox against a scripted endpoint and fake-indexeddb: queued first, then sent;
// retried with backoff on a dead network, 5xx or timeout; refusals kept; never sent twice; a full
// disk refuses the report before anything is queued; deleted reports stay deleted.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type AdDB } from '../../../src/background/db';
import { NetError, type PostResult } from '../../../src/background/net';
import { CONSENT_WAIT_MESSAGE, OutboxFullError, defaultPost, deleteReports, enqueue, flushOutbox, listReports, requeue, scheduleOutbox, type OutboxDeps } from '../../../src/background/outbox';
import { testPoints } from '../../../src/background/test-points';
import { buildReport, reportText } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

const T0 = Date.parse('2026-11-24T00:00:00Z');
const ok: PostResult = { status: 201, redirected: false, retryAfter: null, text: '{"status":"stored"}' };
const answer = (status: number, retryAfter: string | null = null, text = ''): PostResult => ({ status, redirected: false, retryAfter, text });

let db: AdDB;
let now: number;
let post: ReturnType<typeof vi.fn<(endpoint: string, body: string, id: string) => Promise<PostResult>>>;
let armed: (number | null)[];
let deps: OutboxDeps;

function report(id = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f') {
  const r = buildReport(draft({ reportId: id }), choices());
  return { reportId: r.reportId, body: reportText(r), endpoint: r.recipient.endpoint, createdAt: r.createdAt };
}
const record = async (id = report().reportId) => (await db.get('outbox', id))!;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  db = await openDatabase(`outbox-${Math.random()}`);
  now = T0;
  post = vi.fn(async () => ok);
  armed = [];
  deps = { db, now: () => now, random: () => 0.5, post, arm: async (when) => void armed.push(when) };
});

describe('outbox', () => {
  it('queues the exact text, then POSTs it with its id as the idempotency key, and records the delivery', async () => {
    const r = report();
    await enqueue(db, r, now);
    expect((await record()).status).toBe('queued');
    await flushOutbox(deps);
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('https://feeds.example.org/reports', r.body, r.reportId);
    expect(await record()).toMatchObject({ status: 'delivered', attempts: 1, lastError: null, nextTryAt: null, deliveredAt: new Date(T0).toISOString() });
    expect(armed.at(-1)).toBeNull(); // nothing left to send: no alarm
  });

  it('a dead network, a 5xx, a timeout: kept and retried with backoff (30 s, 60 s, 120 s) until delivered', async () => {
    await enqueue(db, report(), now);
    post.mockRejectedValueOnce(new NetError('network error reaching https://feeds.example.org/reports: Failed to fetch'));
    post.mockResolvedValueOnce(answer(503, null, 'busy'));
    post.mockRejectedValueOnce(new NetError('no answer from https://feeds.example.org/reports within 20 s'));
    await flushOutbox(deps);
    let r = await record();
    expect(r).toMatchObject({ status: 'queued', attempts: 1, nextTryAt: new Date(T0 + 30_000).toISOString() });
    expect(r.lastError).toMatch(/network error/);
    expect(armed.at(-1)).toBe(T0 + 30_000);

    await flushOutbox(deps); // not due yet: nothing is sent
    expect(post).toHaveBeenCalledTimes(1);

    now = T0 + 30_000;
    await flushOutbox(deps);
    r = await record();
    expect(r).toMatchObject({ status: 'queued', attempts: 2, lastError: 'HTTP 503: busy', nextTryAt: new Date(now + 60_000).toISOString() });

    now += 60_000;
    await flushOutbox(deps);
    expect(await record()).toMatchObject({ status: 'queued', attempts: 3, nextTryAt: new Date(now + 120_000).toISOString() });
    expect((await record()).lastError).toMatch(/no answer/);

    now += 120_000;
    await flushOutbox(deps);
    expect(await record()).toMatchObject({ status: 'delivered', attempts: 4, lastError: null });
    expect(post).toHaveBeenCalledTimes(4);
  });

  it('honours Retry-After on a 429', async () => {
    await enqueue(db, report(), now);
    post.mockResolvedValueOnce(answer(429, '600'));
    await flushOutbox(deps);
    expect((await record()).nextTryAt).toBe(new Date(T0 + 600_000).toISOString());
  });

  it('a refusal (400, 413, a redirect) is kept with what the desk said, and not retried until the reader asks', async () => {
    await enqueue(db, report(), now);
    post.mockResolvedValueOnce(answer(413, null, '{"error":"report larger than 65536 bytes"}'));
    await flushOutbox(deps);
    expect(await record()).toMatchObject({ status: 'rejected', nextTryAt: null, lastError: 'HTTP 413: {"error":"report larger than 65536 bytes"}' });
    now += 10 * 3600_000;
    await flushOutbox(deps, { force: true });
    expect(post).toHaveBeenCalledTimes(1);
    await requeue(db, [report().reportId], now);
    post.mockResolvedValueOnce({ status: 0, redirected: true, retryAfter: null, text: '' });
    await flushOutbox(deps);
    expect(await record()).toMatchObject({ status: 'rejected', attempts: 2 });
    expect((await record()).lastError).toMatch(/redirect/);
  });

  it('a 409 means the desk already has it: delivered', async () => {
    await enqueue(db, report(), now);
    post.mockResolvedValueOnce(answer(409));
    await flushOutbox(deps);
    expect((await record()).status).toBe('delivered');
  });

  it('idempotency: the same report id queued twice is one report, sent once', async () => {
    const first = await enqueue(db, report(), now);
    const again = await enqueue(db, { ...report(), body: 'something else' }, now + 5);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.record.body).toBe(report().body);
    expect(await db.count('outbox')).toBe(1);
    await Promise.all([flushOutbox(deps), flushOutbox(deps), flushOutbox(deps, { force: true })]);
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('passes never overlap: a report in flight is not sent again by a second pass', async () => {
    await enqueue(db, report(), now);
    let release!: (r: PostResult) => void;
    post.mockImplementationOnce(() => new Promise((r) => (release = r)));
    const first = flushOutbox(deps);
    const second = flushOutbox(deps, { force: true });
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    release(ok);
    await Promise.all([first, second]);
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('the attempt is recorded before the request: a worker killed mid-request leaves it queued and due later', async () => {
    await enqueue(db, report(), now);
    post.mockImplementationOnce(() => new Promise(() => {})); // never answers: the worker "dies" here
    void flushOutbox(deps);
    await vi.waitFor(async () => expect((await record()).attempts).toBe(1));
    expect(await record()).toMatchObject({ status: 'queued', nextTryAt: new Date(T0 + 30_000).toISOString() });
  });

  it('a report deleted while in flight is not written back', async () => {
    await enqueue(db, report(), now);
    let release!: (r: PostResult) => void;
    post.mockImplementationOnce(() => new Promise((r) => (release = r)));
    const pass = flushOutbox(deps);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    await deleteReports(db, [report().reportId]);
    release(ok);
    await pass;
    expect(await db.get('outbox', report().reportId)).toBeUndefined();
  });

  it('a report deleted while an earlier one is in flight is never sent', async () => {
    const first = report('00000000-0000-4000-8000-000000000001');
    const second = report('00000000-0000-4000-8000-000000000002');
    await enqueue(db, { ...first, createdAt: '2026-11-24T00:00:01.000Z' }, now);
    await enqueue(db, { ...second, createdAt: '2026-11-24T00:00:02.000Z' }, now);
    let release!: (r: PostResult) => void;
    post.mockImplementationOnce(() => new Promise((r) => (release = r)));
    const pass = flushOutbox(deps);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    await deleteReports(db, [second.reportId]); // the reader deletes the second while the first is sent
    release(ok);
    await pass;
    expect(post).toHaveBeenCalledTimes(1);
    expect(post.mock.calls.map((c) => c[2])).toEqual([first.reportId]);
    expect(await db.get('outbox', second.reportId)).toBeUndefined();
  });

  it('a full disk refuses the report with a clear error, and nothing is half-queued', async () => {
    const quota = new DOMException('quota', 'QuotaExceededError');
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw quota;
    });
    try {
      await expect(enqueue(db, report(), now)).rejects.toThrow(OutboxFullError);
      await expect(enqueue(db, report(), now)).rejects.toThrow(/disk space/);
    } finally {
      add.mockRestore();
    }
    expect(await db.count('outbox')).toBe(0);
    await enqueue(db, report(), now); // space freed: it works
    expect(await db.count('outbox')).toBe(1);
  });

  it('Firefox without the reader’s data consent: nothing is sent, the reports wait and say why', async () => {
    await enqueue(db, report(), now);
    const consent = vi.fn(async () => false);
    await flushOutbox({ ...deps, mayTransmit: consent });
    expect(post).not.toHaveBeenCalled();
    expect(await record()).toMatchObject({ status: 'queued', attempts: 0, lastError: CONSENT_WAIT_MESSAGE });
    consent.mockResolvedValue(true);
    await flushOutbox({ ...deps, mayTransmit: consent }, { force: true }); // the reader allowed it
    expect((await record()).status).toBe('delivered');
  });

  it('lists reports newest first, with their report parsed back', async () => {
    await enqueue(db, { ...report('00000000-0000-4000-8000-000000000001'), createdAt: '2026-11-24T00:00:01.000Z' }, now);
    await enqueue(db, { ...report('00000000-0000-4000-8000-000000000002'), createdAt: '2026-11-24T00:00:02.000Z' }, now);
    const rows = await listReports(db);
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(rows.map((r) => r.report.post.author)).toEqual(['newsdesk_fx', 'newsdesk_fx']);
    expect((await listReports(db, 1)).length).toBe(1);
  });

  it('arms the alarm for the earliest due report across several', async () => {
    await enqueue(db, report('00000000-0000-4000-8000-000000000001'), now);
    await enqueue(db, report('00000000-0000-4000-8000-000000000002'), now);
    post.mockResolvedValueOnce(answer(500)).mockResolvedValueOnce(answer(429, '3600'));
    await flushOutbox(deps);
    expect(armed.at(-1)).toBe(T0 + 30_000);
  });

  it('says why a report waits for the reader’s consent, and looks again in an hour', async () => {
    await enqueue(db, report(), now);
    await flushOutbox({ ...deps, mayTransmit: async () => false });
    expect(await record()).toMatchObject({ lastError: 'waiting for your permission to send reports', nextTryAt: new Date(T0 + 3600_000).toISOString() });
  });

  it('a full disk is an OutboxFullError; any other refusal is passed on as it is', async () => {
    const add = vi.spyOn(IDBObjectStore.prototype, 'add');
    try {
      add.mockImplementationOnce(() => {
        throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      });
      const full = await enqueue(db, report(), now).catch((e: unknown) => e);
      expect(full).toBeInstanceOf(OutboxFullError);
      expect((full as Error).name).toBe('OutboxFullError');
      const other = new DOMException('bad key', 'DataError');
      add.mockImplementationOnce(() => {
        throw other;
      });
      await expect(enqueue(db, report(), now)).rejects.toBe(other);
    } finally {
      add.mockRestore();
    }
  });

  it('when the attempt cannot be recorded (a full disk), the report is still sent', async () => {
    await enqueue(db, report(), now);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await flushOutbox(deps);
    } finally {
      put.mockRestore();
    }
    const warned = warn.mock.calls.map((c) => [String(c[0]), (c[1] as Error).name]);
    warn.mockRestore();
    expect(post).toHaveBeenCalledTimes(1);
    expect((await record()).status).toBe('delivered');
    // The maintainer's console says which write failed, with the browser's error.
    expect(warned).toEqual([['[already-debunked] could not record a delivery attempt:', 'QuotaExceededError']]);
  });

  it('when the result cannot be recorded (a full disk), the report stays queued as attempted, to be tried again; the console says so', async () => {
    await enqueue(db, report(), now);
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts === 2) throw new DOMException('quota', 'QuotaExceededError'); // the second write: the result
      return original.apply(this, args);
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await flushOutbox(deps);
    } finally {
      put.mockRestore();
    }
    const warned = warn.mock.calls.map((c) => [String(c[0]), (c[1] as Error).name]);
    warn.mockRestore();
    expect(post).toHaveBeenCalledTimes(1);
    expect(await record()).toMatchObject({ status: 'queued', attempts: 1, nextTryAt: new Date(T0 + 30_000).toISOString(), deliveredAt: null });
    expect(warned).toEqual([['[already-debunked] could not record a delivery result:', 'QuotaExceededError']]);
  });

  it('keeps what the desk said, on one line and at most 200 characters; nothing when it said nothing', async () => {
    await enqueue(db, report('00000000-0000-4000-8000-000000000001'), now);
    post.mockResolvedValueOnce(answer(503, null, '  busy,\n\n   come back   later  '));
    await flushOutbox(deps);
    expect((await record('00000000-0000-4000-8000-000000000001')).lastError).toBe('HTTP 503: busy, come back later');
    post.mockResolvedValueOnce(answer(500, null, 'x'.repeat(300)));
    await flushOutbox(deps, { force: true });
    expect((await record('00000000-0000-4000-8000-000000000001')).lastError).toBe(`HTTP 500: ${'x'.repeat(200)}`);
    post.mockResolvedValueOnce(answer(500));
    await flushOutbox(deps, { force: true });
    expect((await record('00000000-0000-4000-8000-000000000001')).lastError).toBe('HTTP 500');
  });

  it('the worker can be stopped after the desk has the report and before it is marked delivered (test point)', async () => {
    await enqueue(db, report(), now);
    const hold = testPoints.hold('report-sent-not-recorded');
    const pass = flushOutbox(deps);
    await hold.reached;
    expect(post).toHaveBeenCalledTimes(1);
    expect(await record()).toMatchObject({ status: 'queued', attempts: 1 });
    hold.release();
    await pass;
    expect((await record()).status).toBe('delivered');
  });

  it('works without an alarm to arm', async () => {
    await enqueue(db, report(), now);
    await expect(flushOutbox({ ...deps, arm: undefined })).resolves.toBeUndefined();
    expect((await record()).status).toBe('delivered');
  });

  it('a report due now arms the alarm a second from now, not in the past', async () => {
    await enqueue(db, report(), now);
    await scheduleOutbox(deps);
    expect(armed.at(-1)).toBe(T0 + 1000);
  });

  it('a stored report that does not parse is left out of the list', async () => {
    await enqueue(db, report(), now);
    await db.put('outbox', { ...(await record()), reportId: 'broken', body: 'not json', createdAt: '2026-11-25T00:00:00.000Z' });
    expect((await listReports(db)).map((r) => r.report.reportId)).toEqual([report().reportId]);
  });

  it('retrying leaves a delivered report alone, and ignores ids it does not hold', async () => {
    await enqueue(db, report(), now);
    await flushOutbox(deps);
    await requeue(db, [report().reportId, 'no-such-report'], now + 5);
    expect(await record()).toMatchObject({ status: 'delivered', nextTryAt: null });
    expect(await db.count('outbox')).toBe(1);
  });
});

describe('defaultPost', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('POSTs the exact text with the report id as Idempotency-Key', async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => new Response('{"status":"stored"}', { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    const r = report();
    const res = await defaultPost(r.endpoint, r.body, r.reportId);
    expect(res).toMatchObject({ status: 201, redirected: false });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(r.endpoint);
    expect(init).toMatchObject({ method: 'POST', body: r.body, credentials: 'omit', redirect: 'manual' });
    expect(init.headers).toMatchObject({ 'idempotency-key': r.reportId, 'content-type': 'application/json' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });
});
