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
import { StrictJsonError, parseStrictJson } from '../../core/json';
import { ReportError, parseReport, type Report } from '../../core/report';
import proxyaddr from 'proxy-addr';
import type { Command, Io } from '../command';
import { createLimiter } from '../rate-limit';
import { StoreError, openReportStore, type StoreFs } from '../report-store';

const HELP = `usage: already-debunked report-server [--port 8787] [--host 127.0.0.1] [--out reports.jsonl]
       [--path /reports] [--max-bytes 65536] [--rate 30] [--per 60] [--global-rate 600]
       [--trust-proxy ADDRESSES] [--max-connections 512] [--headers-timeout 10] [--request-timeout 30]
       [--cors-origin '*'] [--allow-loopback]

Receives reports (POST JSON to --path), checks them against the report format, appends each new
one to --out (one JSON object per line: receivedAt, sha256 of the body, the report; created 0600)
and answers 201 once it is on disk; a full disk gets 507, another storage failure 503; a report id it already holds gets 200 "duplicate". Refuses bodies over --max-bytes (413),
anything but JSON (415, 400), and more than --rate reports per --per seconds from one address
(429, with Retry-After), and more than --global-rate reports per --per seconds from everyone together.
Behind a reverse proxy, name it in --trust-proxy (comma-separated addresses or CIDR ranges, e.g.
127.0.0.1 or 10.0.0.0/8): the client's address is then the right-most X-Forwarded-For hop that is
not a trusted proxy. At most --max-connections open connections; a request's headers must arrive
within --headers-timeout seconds and the whole request within --request-timeout.
--allow-loopback accepts http://127.0.0.1 media URLs (test builds).`;

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
  /** Reports from all addresses together per globalPerSeconds (default 600 per --per). */
  globalRate?: number;
  globalPerSeconds?: number;
  /** Addresses/CIDR ranges of reverse proxies whose X-Forwarded-For is believed (proxy-addr syntax, e.g. loopback, 10.0.0.0/8). */
  trustProxy?: readonly string[];
  maxConnections?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Milliseconds, for the rate limit (tests). */
  now?: () => number;
}

export const DEFAULTS = { globalRate: 600, maxConnections: 512, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;

export interface StoredLine {
  receivedAt: string;
  sha256: string;
  report: Report;
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

/** Every control character (C0, DEL, C1), line separators and bidi controls, as \u escapes: one log line stays one honest line. */
export function escapeControls(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const sink = opts.log ?? (() => undefined);
  const log = (line: string) => sink(escapeControls(line));
  fs.mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
  const store = await openReportStore(opts.file, { fs: opts.storeFs, log });
  const limiter = createLimiter({ rate: opts.rate, perSeconds: opts.perSeconds, globalRate: opts.globalRate ?? DEFAULTS.globalRate, globalPerSeconds: opts.globalPerSeconds ?? opts.perSeconds, now: opts.now });
  // The client's address: the socket's, or — behind the proxies named in --trust-proxy — the
  // right-most X-Forwarded-For hop that is not one of them (what a client sends itself is ignored).
  const trust = proxyaddr.compile(opts.trustProxy ? [...opts.trustProxy] : []);
  const clientAddress = (req: http.IncomingMessage) => {
    try {
      return proxyaddr(req, trust);
    } catch {
      return req.socket.remoteAddress ?? '?';
    }
  };
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

  const server = http.createServer({
    // Slow clients: the whole header within headersTimeout, the whole request within requestTimeout
    // (checked every second), idle keep-alive connections closed after 5 s.
    headersTimeout: opts.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
    requestTimeout: opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    keepAliveTimeout: 5000,
    connectionsCheckingInterval: Math.min(1000, opts.headersTimeoutMs ?? 1000),
    maxHeaderSize: 16 * 1024,
  }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver.local');
    if (url.pathname !== opts.path) return answer(res, 404, { error: `reports go to ${opts.path}` });
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method !== 'POST') return answer(res, 405, { error: 'POST a report here' }, { allow: 'POST, OPTIONS' });
    const verdict = limiter.check(clientAddress(req));
    if (!verdict.ok) {
      const error = verdict.scope === 'global' ? 'too many reports right now; try again later' : 'too many reports from this address';
      return answer(res, 429, { error }, { 'retry-after': String(verdict.retryAfterSeconds), connection: 'close' });
    }
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
        // Valid UTF-8 only, no repeated keys; URLs are stored as parsed (normalised).
        report = parseReport(parseStrictJson(body), { testHosts: opts.testHosts });
      } catch (e) {
        const why = e instanceof ReportError || e instanceof StrictJsonError ? e.message : 'not JSON';
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
  // Connections beyond this are closed at once (each open socket costs memory and a descriptor).
  server.maxConnections = opts.maxConnections ?? DEFAULTS.maxConnections;
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

/** --trust-proxy: a comma-separated list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal). */
export function trustList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const list = value.split(',').map((x) => x.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (e) {
    throw new Error(`--trust-proxy: ${(e as Error).message}`);
  }
  return list;
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
        'global-rate': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'max-connections': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
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
      globalRate: positiveInt(values['global-rate'], 'global-rate', DEFAULTS.globalRate),
      trustProxy: trustList(values['trust-proxy']),
      maxConnections: positiveInt(values['max-connections'], 'max-connections', DEFAULTS.maxConnections),
      headersTimeoutMs: positiveInt(values['headers-timeout'], 'headers-timeout', DEFAULTS.headersTimeoutMs / 1000) * 1000,
      requestTimeoutMs: positiveInt(values['request-timeout'], 'request-timeout', DEFAULTS.requestTimeoutMs / 1000) * 1000,
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
