/**
 * Everything this project knows about X/Twitter's addresses and markup lives in this one module,
 * so that when X changes, one file changes. (Selectors and post classification join it with the
 * content issue.) Both the content script and the background use it: the background to check
 * that a sender is an X tab and that a media URL is on X's media hosts before fetching it.
 *
 * Test builds (IS_TEST_BUILD) treat loopback pages as X and loopback media as X media, so the
 * end-to-end tests exercise these same rules against fixture pages served on loopback.
 */
import { BUILD } from './build';

/** Where the X web app runs (content script matches in manifest.json say the same). */
export const X_PAGE_HOSTS: readonly string[] = ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'];
/** Where X serves media: images on pbs, video files on video. */
export const X_MEDIA_HOSTS: readonly string[] = ['pbs.twimg.com', 'video.twimg.com'];

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function isTestUrl(u: URL): boolean {
  return u.protocol === 'http:' && BUILD.testHosts.includes(u.hostname);
}

/** A page of the X web app (or, in test builds, a loopback fixture page). */
export function isXPageUrl(raw: string): boolean {
  const u = parse(raw);
  if (!u) return false;
  if (isTestUrl(u)) return true;
  return u.protocol === 'https:' && X_PAGE_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
}

/** A file on X's media hosts (or, in test builds, a loopback media server). */
export function isXMediaUrl(raw: string): boolean {
  const u = parse(raw);
  if (!u || u.username || u.password) return false;
  if (isTestUrl(u)) return true;
  return u.protocol === 'https:' && X_MEDIA_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
}
