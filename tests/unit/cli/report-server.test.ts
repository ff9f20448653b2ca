// The reference receiver: stores valid reports once each, refuses the rest with a clear answer,
// limits size and rate, answers CORS preflights, and remembers what it holds across restarts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceiverOptions, type StoredLine } from '../../../src/cli/commands/report-server';
import { buildReport, reportText } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

let dir: string;
let receiver: Receiver;
let file: string;
const start = async (over: Partial<ReceiverOptions> = {}) =>
  (receiver = await startReceiver({ port: 0, host: '127.0.0.1', file, path: '/reports', maxBytes: 65536, rate: 100, perSeconds: 60, corsOrigin: '*', testHosts: [], ...over }));
const body = (id = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f') => reportText(buildReport(draft({ reportId: id }), choices()));
const post = (text: string, headers: Record<string, string> = {}) =>
  fetch(receiver.url, { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...headers } });
const stored = (): StoredLine[] =>
  fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StoredLine)
    : [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-receiver-'));
  file = path.join(dir, 'reports.jsonl');
});
afterEach(async () => {
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('report-server', () => {
  it('stores a valid report as one JSON line (with the SHA-256 of the exact body), once', async () => {
    await start();
    const text = body();
    const first = await post(text, { 'idempotency-key': '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f' });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ status: 'stored', reportId: '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f' });
    const again = await post(text);
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('duplicate');
    const lines = stored();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.report).toEqual(JSON.parse(text));
    const { createHash } = await import('node:crypto');
    expect(lines[0]!.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('remembers the reports it holds after a restart (a late retry is still a duplicate)', async () => {
    await start();
    await post(body());
    await receiver.close();
    await start();
    expect((await post(body())).status).toBe(200);
    expect(stored()).toHaveLength(1);
  });

  it('refuses what is not a report, with the reason', async () => {
    await start();
    const bad = JSON.parse(body());
    bad.post.url = 'javascript:alert(1)';
    const r = await post(JSON.stringify(bad));
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/post\.url/);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(body(), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(body(), { 'idempotency-key': 'another' })).status).toBe(400);
    expect((await fetch(receiver.url)).status).toBe(405);
    expect((await fetch(receiver.url.replace('/reports', '/elsewhere'), { method: 'POST' })).status).toBe(404);
    expect(stored()).toHaveLength(0);
  });

  it('refuses a body over the size limit', async () => {
    await start({ maxBytes: 512 });
    expect(Buffer.byteLength(body())).toBeGreaterThan(512);
    const r = await post(body());
    expect(r.status).toBe(413);
    expect(stored()).toHaveLength(0);
  });

  it('limits the rate per address, saying when to come back', async () => {
    await start({ rate: 2, perSeconds: 60 });
    expect((await post(body('00000000-0000-4000-8000-000000000001'))).status).toBe(201);
    expect((await post(body('00000000-0000-4000-8000-000000000002'))).status).toBe(201);
    const third = await post(body('00000000-0000-4000-8000-000000000003'));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(stored()).toHaveLength(2);
  });

  it('answers CORS preflights, so a browser without a host permission may POST', async () => {
    await start({ corsOrigin: '*' });
    const r = await fetch(receiver.url, { method: 'OPTIONS', headers: { origin: 'chrome-extension://abc', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' } });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(r.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(r.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    expect((await post(body())).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('accepts loopback media only with --allow-loopback', async () => {
    const local = reportText(buildReport(draft({ media: [{ type: 'photo', url: 'http://127.0.0.1:9/media/A', quoted: false, pdq: null }] }), choices()));
    await start();
    expect((await post(local)).status).toBe(400);
    await receiver.close();
    await start({ testHosts: ['127.0.0.1'] });
    expect((await post(local)).status).toBe(201);
  });
});
