// Fuzzing the receiver's HTTP front and the report schema with fast-check (fixed seeds, bounded
// runs, loopback only; issue 13's "Tests"). Properties: the schema either accepts or refuses with
// a ReportError — never another exception — and what it accepts is clean (URLs as parsed, no
// control characters) and stable; the receiver answers every request with a 2xx/4xx it documents
// (never a 5xx, never a hang), stays up, and its file holds only whole, valid reports.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type StoredLine } from '../../../src/cli/commands/report-server';
import { ReportError, buildReport, parseReport, reportText, type Report } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

const valid = (): Record<string, unknown> => JSON.parse(reportText(buildReport(draft(), choices({ note: 'Same clip.' })))) as Record<string, unknown>;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Every string in a value, with its path (a list of keys). */
function strings(x: unknown, at: string[] = []): [string[], string][] {
  if (typeof x === 'string') return [[at, x]];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => strings(v, [...at, k]));
  return [];
}

/** A valid report with one field (at any depth) replaced by something generated. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'https://x.com/a/status/1\n\u001b[2J',
    ' https://x.com/a/status/1',
    'HTTPS://X.COM/a/status/1',
    'https://x.com:8443/a/status/1',
    'https://user:pw@x.com/a/status/1',
    'javascript:alert(1)',
    'https://pbs.twimg.com/media/a\u0000.jpg',
    'https://pbs.twimg.com.evil.example/media/a.jpg',
    '1',
    '2026-13-01T00:00:00Z',
    '\u200b',
    '__proto__',
  ),
  fc.anything({ maxDepth: 2 }),
);
const mutation = fc.tuple(fc.nat(), hostile, fc.boolean());

/** Replaces (or drops) one field of the ORIGINAL report's fields (generated values are not walked into). */
function mutate(report: Record<string, unknown>, [pick, value, drop]: [number, unknown, boolean]): Record<string, unknown> {
  const leaves = [...strings(valid()).map(([p]) => p), ['post'], ['media'], ['recipient'], ['match'], ['formatVersion']];
  const where = leaves[pick % leaves.length]!;
  let obj = report as Record<string, unknown>;
  for (const k of where.slice(0, -1)) {
    if (!obj[k] || typeof obj[k] !== 'object') return report; // replaced by an earlier mutation
    obj = obj[k] as Record<string, unknown>;
  }
  if (drop) delete obj[where.at(-1)!];
  else obj[where.at(-1)!] = value;
  return report;
}

describe('report schema fuzz', () => {
  it('accepts or refuses with a ReportError; what it accepts is clean and stable', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const raw = ms.reduce((r, m) => mutate(r, m), valid());
        let report: Report;
        try {
          report = parseReport(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(ReportError);
          return;
        }
        accepted++;
        for (const [at, s] of strings(report)) {
          expect(CONTROL.test(s), at.join('.')).toBe(false);
          if (['url', 'endpoint', 'feedUrl'].includes(at.at(-1)!)) expect(s, at.join('.')).toBe(new URL(s).href);
        }
        expect(new URL(report.post.url).hostname).toMatch(/^(mobile\.)?(x|twitter)\.com$/);
        for (const m of report.media) expect(['pbs.twimg.com', 'video.twimg.com']).toContain(new URL(m.url).hostname);
        expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(report); // stable: stored is re-readable as is
      }),
      { numRuns: 2000, seed: 1313 },
    );
    expect(accepted).toBeGreaterThan(0); // not vacuous: some mutations keep a valid report
  });
});

describe('receiver HTTP fuzz', () => {
  let dir: string;
  let file: string;
  let receiver: Receiver;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-fuzz-'));
    file = path.join(dir, 'reports.jsonl');
    receiver = await startReceiver({ port: 0, host: '127.0.0.1', file, path: '/reports', maxBytes: 4096, rate: 100_000, perSeconds: 60, globalRate: 100_000, corsOrigin: '*', testHosts: [], headersTimeoutMs: 2000, requestTimeoutMs: 4000 });
  });
  afterAll(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const port = () => Number(new URL(receiver.url).port);

  const request = (method: string, urlPath: string, headers: Record<string, string>, body: Uint8Array) =>
    new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: port(), method, path: urlPath, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', () => resolve(res.statusCode!));
      });
      req.on('error', () => resolve(-1)); // the server closed the connection (e.g. after a 413)
      req.end(body);
    });

  it('answers every generated request with a documented status, and stores only whole valid reports', async () => {
    const uuid = fc.uuid({ version: 4 });
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 6000 }),
      fc.tuple(fc.array(mutation, { maxLength: 2 }), uuid).map(([ms, id]) => new TextEncoder().encode(JSON.stringify(ms.reduce((r, m) => mutate(r, m), { ...valid(), reportId: id } as Record<string, unknown>)))),
      uuid.map((id) => new TextEncoder().encode(JSON.stringify({ ...valid(), reportId: id }))),
      fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
    );
    const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const statuses = new Set<number>();
    const anyRequest = fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'OPTIONS', 'PUT', 'DELETE'),
      p: fc.constantFrom('/reports', '/reports', '/reports?x=1', '/', '/reports/..', '/%00'),
      type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/jsonx', ''),
      idem: fc.option(headerValue),
      xff: fc.option(headerValue),
      bytes: body,
    });
    // A third are well-formed POSTs of (mutated or valid) reports, so the storing path is fuzzed too.
    const wellFormed = fc.record({
      method: fc.constant('POST'),
      p: fc.constant('/reports'),
      type: fc.constant('application/json'),
      idem: fc.constant(null),
      xff: fc.option(headerValue),
      bytes: fc.oneof(body, uuid.map((id) => new TextEncoder().encode(JSON.stringify({ ...valid(), reportId: id })))),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: anyRequest, weight: 2 }, { arbitrary: wellFormed, weight: 1 }), async ({ method, p, type, idem, xff, bytes }) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (idem !== null) headers['idempotency-key'] = idem;
        if (xff !== null) headers['x-forwarded-for'] = xff;
        const status = await request(method, p, headers, bytes);
        statuses.add(status);
        expect([-1, 200, 201, 204, 400, 404, 405, 413, 415]).toContain(status);
      }),
      { numRuns: 300, seed: 1314 },
    );
    expect(statuses).toContain(201);
    expect(statuses).toContain(400);
    // Still up, and the file is whole lines of valid reports, each id once.
    const ok = await request('POST', '/reports', { 'content-type': 'application/json' }, new TextEncoder().encode(JSON.stringify({ ...valid(), reportId: '11111111-2222-4333-8444-555555555555' })));
    expect(ok).toBe(201);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as StoredLine);
    for (const l of lines) expect(() => parseReport(l.report)).not.toThrow();
    expect(new Set(lines.map((l) => l.report.reportId)).size).toBe(lines.length);
  }, 120_000);

  it('survives raw garbage on the socket (malformed HTTP): each connection is answered or closed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.constantFrom('POST /reports HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'POST /reports HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', '\r\n\r\n\r\n').map((s) => new TextEncoder().encode(s))), async (bytes) => {
        const s = net.connect(port(), '127.0.0.1');
        s.on('error', () => undefined);
        s.on('data', () => undefined);
        s.write(bytes);
        s.end(); // we send nothing more: the server must answer or close, whatever it got
        await new Promise((r) => s.on('close', r));
      }),
      { numRuns: 100, seed: 1315 },
    );
    const res = await fetch(receiver.url, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
  }, 120_000);
});
