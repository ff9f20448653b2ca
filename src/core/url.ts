/**
 * The URL rule of every address a feed, a report or a setting may hold: https, without
 * credentials; plain http only to a test host (loopback, in test builds and with the CLI's
 * --allow-loopback). Pure.
 */
export function isAllowedUrl(raw: string, testHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && testHosts.includes(u.hostname));
}
