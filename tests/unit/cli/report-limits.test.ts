// The receiver's limits (issue 13, break 3): a rate limit a flood of other addresses cannot reset,
// one allowance per client behind a trusted proxy (and X-Forwarded-For ignored otherwise), a
// global cap, a cap on open connections, and slow headers cut off.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type ReceiverOptions } from '../../../src/cli/commands/report-server';
import { createLimiter, tableSize } from '../../../src/cli/rate-limit';
import { buildReport, reportText } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

let dir: string;
let receiver: Receiver | undefined;
// The limiter's clock stands still (injected): on a loaded machine the 10,050-address flood can take
// longer than the 60 s refill period, and a wall clock would then refill the abuser legitimately.
const start = async (over: Partial<ReceiverOptions> = {}) =>
  (receiver = await startReceiver({ port: 0, host: '127.0.0.1', file: path.join(dir, 'r.jsonl'), path: '/reports', maxBytes: 65536, rate: 3, perSeconds: 60, corsOrigin: '*', testHosts: [], now: () => 1_000_000, ...over }));
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const report = (n: number) => reportText(buildReport(draft({ reportId: uuid(n) }), choices()));
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
/** POSTs with node's http (fetch may not set X-Forwarded-For freely); resolves with the status. */
function post(body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(receiver!.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const port = () => Number(new URL(receiver!.url).port);

beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-limits-'))));
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('rate limit', () => {
  it('a refused address stays refused while 10,050 other addresses each send a report', async () => {
    await start({ rate: 3, globalRate: 20_000, trustProxy: ['loopback'] });
    const abuser = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 3; i++) expect(await post(report(i), abuser)).toBe(201);
    expect(await post(report(3), abuser)).toBe(429);
    // The flood: 10,050 other addresses, one (invalid, cheap) report each — the old table was
    // cleared wholesale past 10,000 addresses, giving the abuser a fresh allowance.
    const statuses: number[] = [];
    for (let i = 0; i < 10_050; i += 50) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => post('{}', { 'x-forwarded-for': `10.${(i + j) >> 16}.${((i + j) >> 8) & 255}.${(i + j) & 255}` })))));
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
    for (let i = 4; i < 34; i++) expect(await post(report(i), abuser)).toBe(429);
  }, 120_000);

  it('limiter: memory stays bounded, and an evicted address was already refilled (injected clock)', () => {
    let t = 0;
    const o = { rate: 3, perSeconds: 60, globalRate: 100, globalPerSeconds: 60, now: () => t };
    const l = createLimiter(o);
    for (let i = 0; i < 3; i++) expect(l.check('a').ok).toBe(true);
    expect(l.check('a')).toMatchObject({ ok: false, scope: 'address' });
    // A flood from a million addresses over ten minutes: the global cap admits at most its rate.
    let admitted = 0;
    for (let i = 0; i < 1_000_000; i++) {
      t = Math.floor((i / 1_000_000) * 50_000); // within the first 50 s: 'a' has not refilled
      if (l.check(`flood-${i}`).ok) admitted++;
      if (i % 100_000 === 0) expect(l.check('a').ok).toBe(false);
    }
    expect(l.size).toBeLessThanOrEqual(tableSize(o));
    expect(admitted).toBeLessThanOrEqual(100 + Math.ceil((100 * 50) / 60));
    expect(l.check('a').ok).toBe(false);
    t = 61_000; // a full refill period later: 'a' has its allowance back, by time, not by the flood
    expect(l.check('a').ok).toBe(true);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    await start({ rate: 1 });
    expect(await post(report(1), { 'x-forwarded-for': '203.0.113.1' })).toBe(201);
    expect(await post(report(2), { 'x-forwarded-for': '203.0.113.2' })).toBe(429); // one socket address: one allowance
  });

  it('behind a trusted proxy each reader has an allowance, keyed on the right-most untrusted hop', async () => {
    await start({ rate: 1, trustProxy: ['127.0.0.1'] });
    expect(await post(report(1), { 'x-forwarded-for': '203.0.113.1' })).toBe(201);
    expect(await post(report(2), { 'x-forwarded-for': '203.0.113.2' })).toBe(201); // another reader
    // A client that forges a hop of its own: the proxy appends the real address, which is what counts.
    expect(await post(report(3), { 'x-forwarded-for': '192.0.2.99, 203.0.113.1' })).toBe(429);
    expect(await post(report(4), { 'x-forwarded-for': '203.0.113.2, 203.0.113.3' })).toBe(201);
  });

  it('caps everyone together (the global rate)', async () => {
    await start({ rate: 10, globalRate: 3, trustProxy: ['loopback'] });
    for (let i = 0; i < 3; i++) expect(await post(report(i), { 'x-forwarded-for': `203.0.113.${i}` })).toBe(201);
    expect(await post(report(9), { 'x-forwarded-for': '203.0.113.50' })).toBe(429);
  });
});

/** Resolves when the server closes the socket (with what it sent first). */
function closed(socket: net.Socket): Promise<string> {
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.on('close', () => resolve(data)));
}
const connect = () =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port(), '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });

describe('connections', () => {
  it('closes a connection whose headers do not arrive in time (slowloris)', async () => {
    await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const s = await connect();
    s.write('POST /reports HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const answer = await closed(s); // waits for the server to give up, however long the machine takes
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses connections past the cap, and serves again once they close', async () => {
    await start({ maxConnections: 2 });
    const held = [await connect(), await connect()];
    const extra = await connect();
    await closed(extra); // dropped at once by the server
    held.forEach((s) => s.destroy());
    await Promise.all(held.map((s) => (s.closed ? undefined : new Promise((r) => s.on('close', r)))));
    let status = 0;
    for (let i = 0; i < 50 && status !== 201; i++) status = await post(report(1)).catch(() => 0);
    expect(status).toBe(201);
  });
});
