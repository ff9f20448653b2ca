/**
 * The background's only way to the network: bounded, cookie-free GETs, and the POST of a report.
 * - no credentials, no referrer: a feed or media host learns nothing about the reader;
 * - a hard cap on the bytes read (the body is read as a stream and abandoned past the cap);
 * - two clocks: an idle timeout (nothing arrived for a while: a dead server or network) and a
 *   total deadline (a server that drips a byte now and then to hold the connection open forever);
 * - the caller says which URLs are acceptable, and whether a redirect may be followed at all
 *   (feeds: never, so a feed server cannot send the extension to another host; media: only to an
 *   acceptable URL, checked after the fact).
 * Every failure is a NetError with a message fit for the popup.
 */
import { IS_TEST_BUILD } from '../shared/build';

export class NetError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

/**
 * Test builds can run the network clocks faster (setNetworkTimeScale), so that the end-to-end
 * tests of a dead or dripping server take seconds. Only those tests ask for it: every other sync in
 * a test build keeps the timeouts as written, which a loaded machine needs (a 1.5 s idle limit
 * failed local feed syncs under load). Store builds always use the values as written.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_MS = 15_000;

/** The clock the timeouts run on: injected by unit tests, so that none of them depends on wall time. */
export interface NetClock {
  /** Calls `fn` after `ms` milliseconds; the answer cancels it. */
  after(ms: number, fn: () => void): () => void;
}

let timeScale = 1;
/** Test builds only (the test hook in ./index.ts): 0.1 runs fetchLimited's timeouts 10× faster; 1 restores them. */
export function setNetworkTimeScale(scale: number): void {
  if (IS_TEST_BUILD && scale > 0 && scale <= 1) timeScale = scale;
}

const runtimeClock = (scale: () => number): NetClock => ({
  after(ms, fn) {
    const t = setTimeout(fn, ms * scale());
    return () => clearTimeout(t);
  },
});
/** Timers of the runtime, at the scale a fault test asked for (fetchLimited's default). */
export const realClock: NetClock = runtimeClock(() => timeScale);
/** Real time, unscaled even when a fault test asked for fast clocks (media fetches, a report's POST). */
export const unscaledClock: NetClock = runtimeClock(() => 1);

export interface FetchOptions {
  maxBytes: number;
  /** Total deadline for the request and its body. */
  timeoutMs?: number;
  /** Longest wait for the response or for the next bytes of its body. */
  idleMs?: number;
  /** Previous ETag: the server may answer 304 Not Modified. */
  etag?: string | null;
  /** The URL asked for, and the final one after redirects, must satisfy this. */
  allowUrl: (url: string) => boolean;
  /** 'error': a redirect fails the request without following it. Default 'follow'. */
  redirect?: 'follow' | 'error';
  clock?: NetClock;
  /** The body's size when known (a feed file's, from its signed index): read into one buffer of it. */
  expectBytes?: number;
}

export type FetchResult = { status: 304; etag: string | null } | { status: 200; bytes: Uint8Array; etag: string | null; contentType: string };

export async function fetchLimited(url: string, opts: FetchOptions): Promise<FetchResult> {
  if (!opts.allowUrl(url)) throw new NetError(`refused to fetch ${url}: not an allowed host`);
  const controller = new AbortController();
  let why: string | null = null;
  const abort = (reason: string) => {
    why ??= reason;
    controller.abort();
  };
  const clock = opts.clock ?? realClock;
  const cancelTotal = clock.after(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => abort(`timed out fetching ${url}`));
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  let cancelIdle = clock.after(idleMs, () => abort(`no answer from ${url}`));
  const alive = () => {
    cancelIdle();
    cancelIdle = clock.after(idleMs, () => abort(`${url} stopped sending`));
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-cache',
        redirect: opts.redirect ?? 'follow',
        signal: controller.signal,
        headers: opts.etag ? { 'If-None-Match': opts.etag } : {},
      });
    } catch (e) {
      if (why) throw new NetError(why);
      // fetch gives no detail on purpose; with redirect 'error' a redirect is the likely reason.
      const hint = opts.redirect === 'error' ? ' (a redirect, a network error or an unreachable host)' : '';
      throw new NetError(`could not fetch ${url}${hint}: ${(e as Error).message}`);
    }
    alive();
    if (res.url && res.url !== url && !opts.allowUrl(res.url)) {
      throw new NetError(`refused a redirect from ${url} to ${res.url}`);
    }
    const etag = res.headers.get('etag');
    if (res.status === 304) return { status: 304, etag: etag ?? opts.etag ?? null };
    if (!res.ok) throw new NetError(`HTTP ${res.status} from ${url}`, res.status);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) throw new NetError(`${url} is ${declared} bytes, more than the limit of ${opts.maxBytes}`);
    const bytes = await readCapped(res, opts.maxBytes, url, alive, () => why, opts.expectBytes);
    return { status: 200, bytes, etag, contentType: res.headers.get('content-type') ?? '' };
  } finally {
    cancelTotal();
    cancelIdle();
    controller.abort(); // release the connection if we stopped reading early
  }
}

async function readCapped(res: Response, maxBytes: number, url: string, alive: () => void, aborted: () => string | null, expectBytes?: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Known size (the cap itself): one buffer, filled as the body streams in; a longer body is
  // refused above, a shorter one returned at its own length for the caller's size check to refuse.
  const into = expectBytes !== undefined && expectBytes === maxBytes ? new Uint8Array(expectBytes) : null;
  try {
    if (!res.body) {
      const all = new Uint8Array(await res.arrayBuffer());
      if (all.byteLength > maxBytes) throw new NetError(`${url} is more than the limit of ${maxBytes} bytes`);
      return all;
    }
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      alive();
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new NetError(`${url} is more than the limit of ${maxBytes} bytes`);
      }
      if (into) into.set(value, total - value.byteLength);
      else chunks.push(value);
    }
  } catch (e) {
    if (e instanceof NetError) throw e;
    throw new NetError(aborted() ?? `the connection to ${url} broke after ${total} bytes`);
  }
  if (into) return total === into.length ? into : into.slice(0, total);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export interface PostResult {
  status: number;
  /** The endpoint answered with a redirect (not followed: a report goes where the reader saw). */
  redirected: boolean;
  retryAfter: string | null;
  /** The start of the answer's text, for the reader when a desk refuses a report. */
  text: string;
}

/**
 * POSTs a JSON body: no cookies, no referrer, no cache, redirects not followed, a timeout. Throws
 * NetError when there is no answer (dead network, refused connection, timeout, CORS refusal).
 */
export async function postJson(url: string, body: string, opts: { headers?: Record<string, string>; timeoutMs: number; clock?: NetClock }): Promise<PostResult> {
  const controller = new AbortController();
  const cancel = (opts.clock ?? unscaledClock).after(opts.timeoutMs, () => controller.abort());
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...opts.headers },
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (e) {
      throw new NetError(controller.signal.aborted ? `no answer from ${url} within ${opts.timeoutMs / 1000} s` : `network error reaching ${url}: ${(e as Error).message}`);
    }
    if (res.type === 'opaqueredirect') return { status: 0, redirected: true, retryAfter: null, text: '' };
    let text = '';
    try {
      const bytes = await readCapped(res, 64 * 1024, url, () => undefined, () => null);
      text = new TextDecoder().decode(bytes.subarray(0, 300));
    } catch {
      // The status is what counts; an unreadable or huge answer body is ignored.
    }
    return { status: res.status, redirected: false, retryAfter: res.headers.get('retry-after'), text };
  } finally {
    cancel();
  }
}
