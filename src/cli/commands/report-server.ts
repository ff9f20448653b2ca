/**
 * `report-server`: a small reference receiver for readers' reports (docs/report-format.md), so a
 * fact-checking desk can try reporting end to end; the extension's end-to-end tests use it as the
 * real endpoint. It validates each report with the extension's own schema (src/core/report),
 * stores it as one line of a JSON-lines file, drops a report id it already holds (a retry whose
 * answer was lost), limits the size of a request and the rate per client address, and answers
 * CORS preflights (an endpoint the reader's browser reaches without a host permission needs them).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { ReportError, parseReport, type Report } from '../../core/report';
import type { Command, Io } from '../command';
import { StoreError, openReportStore, type StoreFs } from '../report-store';

const HELP = `usage: already-debunked report-server [--port 8787] [--host 127.0.0.1] [--out reports.jsonl]
       [--path /reports] [--max-bytes 65536] [--rate 30] [--per 60] [--cors-origin '*'] [--allow-loopback]

Receives reports (POST JSON to --path), checks them against the report format, appends each new
one to --out (one JSON object per line: receivedAt, sha256 of the body, the report; created 0600)
and answers 201 once it is on disk; a full disk gets 507, another storage failure 503; a report id it already holds gets 200 "duplicate". Refuses bodies over --max-bytes (413),
anything but JSON (415, 400), and more than --rate reports per --per seconds from one address
(429, with Retry-After). --allow-loopback accepts http://127.0.0.1 media URLs (test builds).`;

export interface ReceiverOptions {
  port: number;
  host: string;
  file: string;
  path: string;
  maxBytes: number;
  rate: number;
  perSeconds: number;
  corsOrigin: string;
  testHosts: readonly string[];
  log?: (line: string) => void;
  /** The file-system layer of the store (tests make the disk full through it). */
  storeFs?: StoreFs;
}

export interface StoredLine {
  receivedAt: string;
  sha256: string;
  report: Report;
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

/** A token bucket per client address: `rate` requests per `perSeconds`, refilled continuously. */
function rateLimiter(rate: number, perSeconds: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string, now: number): number => {
    if (buckets.size > 10_000) buckets.clear(); // bounded memory under a flood of addresses
    const b = buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * (rate / perSeconds));
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * perSeconds) / rate); // seconds until the next token
  };
}

export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
  const store = await openReportStore(opts.file, { fs: opts.storeFs, log });
  const limited = rateLimiter(opts.rate, opts.perSeconds);
  const cors = {
    'access-control-allow-origin': opts.corsOrigin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, idempotency-key',
    'access-control-max-age': '86400',
    vary: 'origin',
  };
  const answer = (res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors, ...headers }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver.local');
    if (url.pathname !== opts.path) return answer(res, 404, { error: `reports go to ${opts.path}` });
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method !== 'POST') return answer(res, 405, { error: 'POST a report here' }, { allow: 'POST, OPTIONS' });
    const wait = limited(req.socket.remoteAddress ?? '?', Date.now());
    if (wait > 0) return answer(res, 429, { error: 'too many reports from this address' }, { 'retry-after': String(wait) });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return answer(res, 415, { error: 'send JSON (content-type: application/json)' });
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > opts.maxBytes) return answer(res, 413, { error: `report larger than ${opts.maxBytes} bytes` }, { connection: 'close' });

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > opts.maxBytes && !refused) {
        refused = true;
        answer(res, 413, { error: `report larger than ${opts.maxBytes} bytes` }, { connection: 'close' });
        req.destroy();
      }
      if (!refused) chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      const body = Buffer.concat(chunks);
      let report: Report;
      try {
        report = parseReport(JSON.parse(body.toString('utf8')), { testHosts: opts.testHosts });
      } catch (e) {
        const why = e instanceof ReportError ? e.message : 'not JSON';
        return answer(res, 400, { error: `not a valid report: ${why}` });
      }
      const key = req.headers['idempotency-key'];
      if (key !== undefined && key !== report.reportId) return answer(res, 400, { error: 'Idempotency-Key differs from the reportId' });
      if (store.has(report.reportId)) return answer(res, 200, { status: 'duplicate', reportId: report.reportId });
      const line: StoredLine = { receivedAt: new Date().toISOString(), sha256: createHash('sha256').update(body).digest('hex'), report };
      // 201 only once the whole line is on disk (fdatasync); a failed write leaves no trace.
      store.append(report.reportId, JSON.stringify(line)).then(
        (outcome) => {
          if (outcome === 'duplicate') return answer(res, 200, { status: 'duplicate', reportId: report.reportId });
          log(`stored ${report.reportId} ${report.kind} ${report.reason} ${report.post.url}`);
          answer(res, 201, { status: 'stored', reportId: report.reportId });
        },
        (e: unknown) => {
          const full = e instanceof StoreError && e.full;
          log(`error: could not store ${report.reportId}: ${(e as Error).message}`);
          answer(res, full ? 507 : 503, { error: full ? 'the receiver’s disk is full; try again later' : 'the receiver cannot store reports right now' }, { 'retry-after': '60' });
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${opts.host}:${address.port}${opts.path}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => void store.close().then(resolve, resolve));
      }),
  };
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (name === 'port' ? 0 : 1)) throw new Error(`--${name} must be a whole number`);
  return n;
}

export const reportServerCommand: Command = {
  name: 'report-server',
  summary: 'receive readers’ reports (reference receiver, JSON-lines file)',
  async run(args, io: Io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        out: { type: 'string', default: 'reports.jsonl' },
        path: { type: 'string', default: '/reports' },
        'max-bytes': { type: 'string' },
        rate: { type: 'string' },
        per: { type: 'string' },
        'cors-origin': { type: 'string', default: '*' },
        'allow-loopback': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return (io.out(HELP), 0);
    if (!values.path.startsWith('/')) throw new Error('--path must start with /');
    const receiver = await startReceiver({
      port: positiveInt(values.port, 'port', 8787),
      host: values.host,
      file: values.out,
      path: values.path,
      maxBytes: positiveInt(values['max-bytes'], 'max-bytes', 64 * 1024),
      rate: positiveInt(values.rate, 'rate', 30),
      perSeconds: positiveInt(values.per, 'per', 60),
      corsOrigin: values['cors-origin'],
      testHosts: values['allow-loopback'] ? ['127.0.0.1', 'localhost'] : [],
      log: io.out,
    });
    io.out(`receiving reports at ${receiver.url}, storing them in ${path.resolve(values.out)}`);
    await new Promise<void>((resolve) => {
      const stop = () => void receiver.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
