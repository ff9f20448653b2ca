/**
 * The URL rules of every address a feed, a report or a setting may hold: https, without
 * credentials; plain http only to a test host (loopback, in test builds and with the CLI's
 * --allow-loopback). Reports also name X's own pages and media, on X's hosts only. Pure.
 */

/** Where the X web app runs (content script matches in manifest.json say the same). */
export const X_PAGE_HOSTS: readonly string[] = ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'];
/** Where X serves media: images on pbs, video files on video. */
export const X_MEDIA_HOSTS: readonly string[] = ['pbs.twimg.com', 'video.twimg.com'];

/** Control characters, spaces and line breaks: a URL holding any is refused as written (never "cleaned"). */
const UNSAFE_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;

function parse(raw: string): URL | null {
  if (UNSAFE_IN_URL.test(raw)) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

export function isAllowedUrl(raw: string, testHosts: readonly string[]): boolean {
  const u = parse(raw);
  if (!u || u.username || u.password) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && testHosts.includes(u.hostname));
}

/** An https address on one of `hosts` (default port, no credentials), or a test host's. */
export function isUrlOnHosts(raw: string, hosts: readonly string[], testHosts: readonly string[]): boolean {
  const u = parse(raw);
  if (!u || u.username || u.password) return false;
  if (u.protocol === 'http:' && testHosts.includes(u.hostname)) return true;
  return u.protocol === 'https:' && hosts.includes(u.hostname) && u.port === '';
}

/** The parsed, serialised form of an allowed URL (what is stored and printed, never the raw text). */
export function normalizeUrl(raw: string): string {
  return new URL(raw).href;
}
