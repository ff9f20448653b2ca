/**
 * The background's only way to the network: bounded, cookie-free GETs, and the POST of a report.
 * - no credentials, no referrer: a feed or media host learns nothing about the reader;
 * - a hard cap on the bytes read (the body is read as a stream and abandoned past the cap), and a
 *   timeout, so a hostile or broken server cannot exhaust memory or hang a sync;
 * - the caller says which origins are acceptable; a redirect elsewhere is refused.
 */
export class NetError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

export interface FetchOptions {
  maxBytes: number;
  timeoutMs?: number;
  /** Previous ETag: the server may answer 304 Not Modified. */
  etag?: string | null;
  /** The final URL (after redirects) must satisfy this. */
  allowUrl: (url: string) => boolean;
}

export type FetchResult = { status: 304; etag: string | null } | { status: 200; bytes: Uint8Array; etag: string | null; contentType: string };

export async function fetchLimited(url: string, opts: FetchOptions): Promise<FetchResult> {
  if (!opts.allowUrl(url)) throw new NetError(`refused to fetch ${url}: not an allowed host`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000);
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-cache',
        redirect: 'follow',
        signal: controller.signal,
        headers: opts.etag ? { 'If-None-Match': opts.etag } : {},
      });
    } catch (e) {
      throw new NetError(controller.signal.aborted ? `timed out fetching ${url}` : `network error fetching ${url}: ${(e as Error).message}`);
    }
    if (res.url && res.url !== url && !opts.allowUrl(res.url)) {
      throw new NetError(`refused a redirect from ${url} to ${res.url}`);
    }
    const etag = res.headers.get('etag');
    if (res.status === 304) return { status: 304, etag: etag ?? opts.etag ?? null };
    if (!res.ok) throw new NetError(`HTTP ${res.status} from ${url}`, res.status);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) throw new NetError(`${url} is ${declared} bytes, more than the limit of ${opts.maxBytes}`);
    const bytes = await readCapped(res, opts.maxBytes, url);
    return { status: 200, bytes, etag, contentType: res.headers.get('content-type') ?? '' };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new NetError(`${url} is more than the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
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
export async function postJson(url: string, body: string, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<PostResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
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
      const bytes = await readCapped(res, 64 * 1024, url);
      text = new TextDecoder().decode(bytes.subarray(0, 300));
    } catch {
      // The status is what counts; an unreadable or huge answer body is ignored.
    }
    return { status: res.status, redirected: false, retryAfter: res.headers.get('retry-after'), text };
  } finally {
    clearTimeout(timer);
  }
}
