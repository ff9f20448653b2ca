/**
 * Thumbnails for the queue, fetched by the server with the extension's rules for media: only X's
 * media hosts over https (loopback only with --allow-loopback, for tests), no cookies or referrer
 * (node's fetch sends none), redirects refused, a time limit, a size limit, images only. A few
 * recent ones are kept in memory.
 */
import { X_MEDIA_HOSTS } from '../../core/url';

export const THUMB_LIMITS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 10_000, cached: 64 } as const;

export class ThumbError extends Error {
  override name = 'ThumbError';
}

export function thumbAllowed(raw: string, testHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'http:' && testHosts.includes(u.hostname)) return true;
  return u.protocol === 'https:' && X_MEDIA_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
}

export class Thumbs {
  private readonly cache = new Map<string, { type: string; bytes: Uint8Array }>();

  constructor(
    private readonly testHosts: readonly string[],
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async get(url: string): Promise<{ type: string; bytes: Uint8Array }> {
    const held = this.cache.get(url);
    if (held) return held;
    if (!thumbAllowed(url, this.testHosts)) throw new ThumbError('not on X’s media hosts');
    const res = await this.fetchFn(url, { redirect: 'manual', credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(THUMB_LIMITS.timeoutMs) });
    if (res.status >= 300 && res.status < 400) throw new ThumbError('redirect refused');
    if (!res.ok) throw new ThumbError(`HTTP ${res.status}`);
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!/^image\/(jpeg|png|webp|gif)$/.test(type)) throw new ThumbError(`not an image (${type || 'no type'})`);
    if (Number(res.headers.get('content-length') ?? 0) > THUMB_LIMITS.maxBytes) throw new ThumbError('too large');
    const reader = res.body?.getReader();
    if (!reader) throw new ThumbError('no body');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > THUMB_LIMITS.maxBytes) {
        await reader.cancel();
        throw new ThumbError('too large');
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    const thumb = { type, bytes };
    this.cache.set(url, thumb);
    if (this.cache.size > THUMB_LIMITS.cached) this.cache.delete(this.cache.keys().next().value!);
    return thumb;
  }
}
