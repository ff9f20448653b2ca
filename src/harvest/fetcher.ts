/**
 * The harvester's polite, safe HTTP client:
 * - robots.txt per origin (robots-parser; unreachable or 5xx robots = disallow all, 4xx = allow
 *   all, as RFC 9309 says), its Crawl-delay honoured (capped);
 * - one request at a time per host, at least `hostIntervalMs` apart;
 * - an honest User-Agent naming the project and a contact URL;
 * - a disk cache with ETag / If-Modified-Since, so a rerun downloads only what changed;
 * - retries with exponential backoff on 429, 5xx and network errors (Retry-After honoured, capped);
 * - limits: bytes (Content-Length checked first, then counted), content type, time, redirects
 *   (each hop re-checked: scheme, address, robots);
 * - private-network addresses refused: every connection's resolved address is checked (so a DNS
 *   name pointing inside cannot slip by), loopback only when `allowLoopback` (tests, dev).
 * Clock and sleep are injected (tests need no wall-clock).
 */
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import robotsParser from 'robots-parser';
import { Agent, request, type Dispatcher } from 'undici';

export const PROJECT_URL = 'https://github.com/already-debunked/already-debunked';

export interface FetcherOptions {
  userAgent?: string;
  /** Contact for site owners, put in the User-Agent. */
  contact?: string;
  cacheDir: string;
  allowLoopback?: boolean;
  hostIntervalMs?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  retries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type FetchKind = 'page' | 'media' | 'records';

export type SkipReason =
  | 'robots'
  | 'private-address'
  | 'bad-url'
  | 'too-large'
  | 'wrong-type'
  | 'too-many-redirects'
  | 'timeout'
  | 'network'
  | `http-${number}`;

export type FetchResult =
  | { ok: true; url: string; finalUrl: string; file: string; bytes: number; contentType: string; sha256: string; fromCache: boolean }
  | { ok: false; url: string; reason: SkipReason; detail: string };

const LIMITS: Record<FetchKind, { bytes: number; types: RegExp }> = {
  page: { bytes: 5 * 1024 * 1024, types: /^(text\/html|application\/xhtml\+xml)\b/i },
  media: { bytes: 50 * 1024 * 1024, types: /^(image\/(jpeg|png|webp|gif|avif|tiff)|video\/(mp4|webm|quicktime|x-m4v))\b/i },
  records: { bytes: 200 * 1024 * 1024, types: /^(application\/(json|ld\+json|x-ndjson)|text\/(csv|plain))\b/i },
};

interface CacheRow {
  file: string;
  etag?: string;
  lastModified?: string;
  contentType: string;
  sha256: string;
  bytes: number;
  finalUrl: string;
}

export class FetchRefused extends Error {
  constructor(
    readonly reason: SkipReason,
    message: string,
  ) {
    super(message);
  }
}

/** Is this address one a harvester may connect to? */
export function addressAllowed(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast') return true;
  return allowLoopback && range === 'loopback';
}

export class Fetcher {
  readonly userAgent: string;
  private readonly opts: Required<Omit<FetcherOptions, 'userAgent' | 'contact'>>;
  private readonly dispatcher: Dispatcher;
  private readonly robots = new Map<string, Promise<{ allowed: (url: string) => boolean; delayMs: number }>>();
  private readonly hostQueue = new Map<string, Promise<void>>();
  private readonly lastAt = new Map<string, number>();
  private cache: Record<string, CacheRow>;
  private readonly cacheIndex: string;
  /** Requests actually sent (not cache hits without revalidation), for the summary. */
  requests = 0;

  constructor(options: FetcherOptions) {
    this.opts = {
      cacheDir: options.cacheDir,
      allowLoopback: options.allowLoopback ?? false,
      hostIntervalMs: options.hostIntervalMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 20_000,
      maxRedirects: options.maxRedirects ?? 5,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 1000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      now: options.now ?? (() => Date.now()),
    };
    this.userAgent = options.userAgent ?? `AlreadyDebunkedHarvester/0.1 (+${options.contact ?? PROJECT_URL})`;
    const allowLoopback = this.opts.allowLoopback;
    // Every connection's address is checked after DNS resolution.
    const lookup: net.LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return (callback as (e: Error | null, a: dns.LookupAddress[]) => void)(err, []);
        const list = addresses as dns.LookupAddress[];
        const bad = list.find((a) => !addressAllowed(a.address, allowLoopback));
        if (bad) {
          const e = new FetchRefused('private-address', `${hostname} resolves to ${bad.address}, a private or reserved address`);
          return (callback as (e: Error | null, a: dns.LookupAddress[]) => void)(e, []);
        }
        if ((options as { all?: boolean }).all) (callback as (e: Error | null, a: dns.LookupAddress[]) => void)(null, list);
        else (callback as (e: Error | null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
      });
    };
    this.dispatcher = new Agent({ connect: { lookup, timeout: this.opts.timeoutMs }, headersTimeout: this.opts.timeoutMs, bodyTimeout: this.opts.timeoutMs });
    fs.mkdirSync(path.join(this.opts.cacheDir, 'files'), { recursive: true });
    this.cacheIndex = path.join(this.opts.cacheDir, 'index.json');
    try {
      this.cache = JSON.parse(fs.readFileSync(this.cacheIndex, 'utf8')) as Record<string, CacheRow>;
    } catch {
      this.cache = {};
    }
  }

  async close(): Promise<void> {
    this.saveCache();
    await this.dispatcher.close();
  }

  saveCache(): void {
    const tmp = `${this.cacheIndex}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.cache));
    fs.renameSync(tmp, this.cacheIndex);
  }

  /** The URL checked before any connection: http(s) only, no credentials, IP literals checked. */
  private checkUrl(raw: string): URL {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new FetchRefused('bad-url', `not a URL: ${raw.slice(0, 200)}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new FetchRefused('bad-url', `only http(s): ${u.protocol}`);
    if (u.username || u.password) throw new FetchRefused('bad-url', 'URLs with credentials are refused');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && !addressAllowed(host, this.opts.allowLoopback)) throw new FetchRefused('private-address', `${host} is a private or reserved address`);
    if (!net.isIP(host) && /(^|\.)localhost$/i.test(host) && !this.opts.allowLoopback) throw new FetchRefused('private-address', `${host} is loopback`);
    return u;
  }

  /** Waits for this host's turn (one request at a time, spaced). */
  private async turn<T>(host: string, delayMs: number, job: () => Promise<T>): Promise<T> {
    const prev = this.hostQueue.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.hostQueue.set(host, prev.then(() => mine));
    await prev;
    try {
      const last = this.lastAt.get(host);
      const wait = last === undefined ? 0 : last + Math.max(this.opts.hostIntervalMs, delayMs) - this.opts.now();
      if (wait > 0) await this.opts.sleep(wait);
      return await job();
    } finally {
      this.lastAt.set(host, this.opts.now());
      release();
    }
  }

  private robotsFor(u: URL): Promise<{ allowed: (url: string) => boolean; delayMs: number }> {
    const origin = u.origin;
    let p = this.robots.get(origin);
    if (!p) {
      p = (async () => {
        const robotsUrl = `${origin}/robots.txt`;
        const res = await this.raw(robotsUrl, 'records', {}, { robots: false, types: /^text\/|^application\/octet-stream/i, bytes: 512 * 1024 });
        if (res.kind === 'error') {
          // RFC 9309: unreachable or 5xx → assume everything is disallowed; 4xx → nothing is.
          if (/^http-4/.test(res.reason)) return { allowed: () => true, delayMs: 0 };
          return { allowed: () => false, delayMs: 0 };
        }
        const robots = robotsParser(robotsUrl, res.body.toString('utf8'));
        const token = 'AlreadyDebunkedHarvester';
        const delay = Math.min(robots.getCrawlDelay(token) ?? 0, 30) * 1000;
        return { allowed: (url: string) => robots.isAllowed(url, token) !== false, delayMs: delay };
      })();
      this.robots.set(origin, p);
    }
    return p;
  }

  /**
   * One GET with redirects followed by hand (each hop checked), retries and limits. Returns the
   * body or a reason; never throws for what a server does.
   */
  private async raw(
    url: string,
    kind: FetchKind,
    headers: Record<string, string>,
    o: { robots?: boolean; types?: RegExp; bytes?: number } = {},
  ): Promise<{ kind: 'ok'; status: number; body: Buffer; finalUrl: string; headers: Record<string, string> } | { kind: 'error'; reason: SkipReason; detail: string }> {
    const limit = { bytes: o.bytes ?? LIMITS[kind].bytes, types: o.types ?? LIMITS[kind].types };
    let current = url;
    for (let hop = 0; hop <= this.opts.maxRedirects; hop++) {
      let u: URL;
      try {
        u = this.checkUrl(current);
        if (o.robots !== false) {
          const robots = await this.robotsFor(u);
          if (!robots.allowed(u.href)) return { kind: 'error', reason: 'robots', detail: `robots.txt of ${u.origin} disallows ${u.pathname}` };
        }
      } catch (e) {
        if (e instanceof FetchRefused) return { kind: 'error', reason: e.reason, detail: e.message };
        throw e;
      }
      const delayMs = o.robots === false ? 0 : (await this.robotsFor(u)).delayMs;
      const res = await this.withRetries(u, delayMs, headers, limit);
      if (res.kind === 'error') return res;
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = res.headers.location;
        if (!location) return { kind: 'error', reason: `http-${res.status}`, detail: 'redirect without Location' };
        current = new URL(location, u).href;
        continue;
      }
      return { ...res, finalUrl: u.href };
    }
    return { kind: 'error', reason: 'too-many-redirects', detail: `more than ${this.opts.maxRedirects} redirects from ${url}` };
  }

  private async withRetries(
    u: URL,
    delayMs: number,
    headers: Record<string, string>,
    limit: { bytes: number; types: RegExp },
  ): Promise<{ kind: 'ok'; status: number; body: Buffer; headers: Record<string, string> } | { kind: 'error'; reason: SkipReason; detail: string }> {
    let last: { kind: 'error'; reason: SkipReason; detail: string } = { kind: 'error', reason: 'network', detail: '' };
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) await this.opts.sleep(this.opts.backoffMs * 2 ** (attempt - 1));
      const r = await this.turn(u.host, delayMs, () => this.once(u, headers, limit));
      if (r.kind === 'ok') return r;
      last = r;
      if (!r.retry) return r;
      if (r.retryAfterMs) await this.opts.sleep(Math.min(r.retryAfterMs, 60_000));
    }
    return { kind: 'error', reason: last.reason, detail: `${last.detail} (after ${this.opts.retries + 1} tries)` };
  }

  private async once(
    u: URL,
    headers: Record<string, string>,
    limit: { bytes: number; types: RegExp },
  ): Promise<
    | { kind: 'ok'; status: number; body: Buffer; headers: Record<string, string> }
    | { kind: 'error'; reason: SkipReason; detail: string; retry?: boolean; retryAfterMs?: number }
  > {
    this.requests++;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.opts.timeoutMs);
    try {
      const res = await request(u, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headers: { 'user-agent': this.userAgent, accept: '*/*', ...headers },
        signal: ac.signal,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k.toLowerCase()] = v;
      const drop = async () => void (await res.body.dump().catch(() => {}));
      if (res.statusCode === 304 || (res.statusCode >= 300 && res.statusCode < 400)) {
        await drop();
        return { kind: 'ok', status: res.statusCode, body: Buffer.alloc(0), headers: h };
      }
      if (res.statusCode === 429 || res.statusCode >= 500) {
        await drop();
        const ra = Number(h['retry-after']);
        return { kind: 'error', reason: `http-${res.statusCode}`, detail: `${u.href}: HTTP ${res.statusCode}`, retry: true, retryAfterMs: Number.isFinite(ra) ? ra * 1000 : undefined };
      }
      if (res.statusCode >= 400) {
        await drop();
        return { kind: 'error', reason: `http-${res.statusCode}`, detail: `${u.href}: HTTP ${res.statusCode}` };
      }
      const type = h['content-type'] ?? '';
      if (!limit.types.test(type)) {
        await drop();
        return { kind: 'error', reason: 'wrong-type', detail: `${u.href}: content type ${type || '(none)'}` };
      }
      const declared = Number(h['content-length']);
      if (Number.isFinite(declared) && declared > limit.bytes) {
        await drop();
        return { kind: 'error', reason: 'too-large', detail: `${u.href}: ${declared} bytes, more than ${limit.bytes}` };
      }
      const chunks: Buffer[] = [];
      let n = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        n += chunk.length;
        if (n > limit.bytes) {
          ac.abort();
          return { kind: 'error', reason: 'too-large', detail: `${u.href}: more than ${limit.bytes} bytes` };
        }
        chunks.push(chunk);
      }
      return { kind: 'ok', status: res.statusCode, body: Buffer.concat(chunks), headers: h };
    } catch (e) {
      const err = e as Error & { code?: string; cause?: unknown };
      const cause = (err.cause ?? err) as Error;
      if (e instanceof FetchRefused || cause instanceof FetchRefused) {
        const r = (e instanceof FetchRefused ? e : cause) as FetchRefused;
        return { kind: 'error', reason: r.reason, detail: r.message };
      }
      if (ac.signal.aborted || /timeout/i.test(err.code ?? err.name ?? '')) return { kind: 'error', reason: 'timeout', detail: `${u.href}: no answer within ${this.opts.timeoutMs} ms`, retry: true };
      return { kind: 'error', reason: 'network', detail: `${u.href}: ${cause.message ?? err.message}`, retry: true };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fetches into the cache (revalidating what is there) and answers the cached file. */
  async get(url: string, kind: FetchKind): Promise<FetchResult> {
    const cached = this.cache[url];
    const headers: Record<string, string> = {};
    if (cached && fs.existsSync(path.join(this.opts.cacheDir, cached.file))) {
      if (cached.etag) headers['if-none-match'] = cached.etag;
      if (cached.lastModified) headers['if-modified-since'] = cached.lastModified;
    }
    const res = await this.raw(url, kind, headers);
    if (res.kind === 'error') return { ok: false, url, reason: res.reason, detail: res.detail };
    if (res.status === 304 && cached) {
      return { ok: true, url, finalUrl: cached.finalUrl, file: path.join(this.opts.cacheDir, cached.file), bytes: cached.bytes, contentType: cached.contentType, sha256: cached.sha256, fromCache: true };
    }
    const sha256 = createHash('sha256').update(res.body).digest('hex');
    const file = `files/${sha256}`;
    const abs = path.join(this.opts.cacheDir, file);
    if (!fs.existsSync(abs)) {
      fs.writeFileSync(`${abs}.tmp`, res.body);
      fs.renameSync(`${abs}.tmp`, abs);
    }
    const contentType = res.headers['content-type'] ?? '';
    this.cache[url] = {
      file,
      ...(res.headers.etag ? { etag: res.headers.etag } : {}),
      ...(res.headers['last-modified'] ? { lastModified: res.headers['last-modified'] } : {}),
      contentType,
      sha256,
      bytes: res.body.length,
      finalUrl: res.finalUrl,
    };
    return { ok: true, url, finalUrl: res.finalUrl, file: abs, bytes: res.body.length, contentType, sha256, fromCache: false };
  }
}
