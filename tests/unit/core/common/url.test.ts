// The URL rules (src/core/url.ts): https without credentials; plain http only to a test host;
// X's page and media hosts are the ones manifest.json grants (host_permissions, content scripts);
// a URL holding a control character, a space or an invisible separator is refused as written.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { X_MEDIA_HOSTS, X_PAGE_HOSTS, isAllowedUrl, isUrlOnHosts, normalizeUrl } from '../../../../src/core/url';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../manifest.json'), 'utf8')) as {
  host_permissions: string[];
  content_scripts: { matches: string[] }[];
};
const hostOf = (pattern: string) => new URL(pattern.replace('*', '')).hostname;

describe('X hosts', () => {
  it('the page hosts are where the content script runs, the media hosts the rest of the host permissions', () => {
    const pages = manifest.content_scripts[0]!.matches.map(hostOf);
    expect([...X_PAGE_HOSTS].sort()).toEqual([...pages].sort());
    expect([...X_MEDIA_HOSTS].sort()).toEqual(manifest.host_permissions.map(hostOf).filter((h) => !pages.includes(h)).sort());
  });
});

describe('isAllowedUrl', () => {
  it.each([
    ['https://feeds.example.org/index.json', [], true],
    ['HTTPS://feeds.example.org/', [], true],
    ['http://feeds.example.org/', [], false],
    ['http://127.0.0.1:8787/', ['127.0.0.1'], true],
    ['http://localhost:8787/', ['127.0.0.1'], false],
    ['ftp://feeds.example.org/', ['feeds.example.org'], false],
    ['https://user@feeds.example.org/', [], false],
    ['https://user:pw@feeds.example.org/', [], false],
    ['https://:pw@feeds.example.org/', [], false],
    ['http://user@127.0.0.1/', ['127.0.0.1'], false],
    ['https://', [], false],
    ['not a url', [], false],
    ['https://feeds.example.org/!~', [], true],
    ['https://feeds.example.org/¡', [], true],
  ] as [string, string[], boolean][])('%s (test hosts %j) → %s', (url, testHosts, ok) => {
    expect(isAllowedUrl(url, testHosts)).toBe(ok);
  });

  it('refuses, as written, any control character, space or invisible separator', () => {
    for (const c of ['\u0000', '\u0009', '\u000a', '\u001f', ' ', '\u007f', '\u0085', '\u009f', '\u00a0', '\u1680', '\u2000', '\u200b', '\u200f', '\u2028', '\u2029', '\u202e', '\u202f', '\u205f', '\u2066', '\u206f', '\u3000', '\ufeff']) {
      expect(isAllowedUrl(`https://feeds.example.org/a${c}b`, []), JSON.stringify(c)).toBe(false);
      expect(isUrlOnHosts(`https://x.com/a${c}b`, X_PAGE_HOSTS, []), JSON.stringify(c)).toBe(false);
    }
    // the characters just outside those ranges are ordinary
    for (const c of ['!', '\u00a1', '\u1681', '\u2010', '\u2030', '\u205e', '\u2070', '\u3001']) expect(isAllowedUrl(`https://feeds.example.org/a${c}b`, []), JSON.stringify(c)).toBe(true);
  });
});

describe('isUrlOnHosts', () => {
  it.each([
    ['https://x.com/a/status/1', [], true],
    ['https://mobile.twitter.com/a/status/1', [], true],
    ['https://x.com:443/a/status/1', [], true],
    ['https://x.com:8443/a/status/1', [], false],
    ['http://x.com/a/status/1', [], false],
    ['https://evilx.com/a', [], false],
    ['https://x.com.evil.example/a', [], false],
    ['https://user@x.com/a', [], false],
    ['https://:pw@x.com/a', [], false],
    ['http://127.0.0.1:4000/timeline', ['127.0.0.1'], true],
    ['http://127.0.0.1:4000/timeline', [], false],
    ['http://u@127.0.0.1:4000/timeline', ['127.0.0.1'], false],
    ['ftp://127.0.0.1/timeline', ['127.0.0.1'], false],
    ['ws://127.0.0.1:4000/timeline', ['127.0.0.1'], false],
    ['https://x.com', ['x.com'], true],
    ['x.com/a', [], false],
  ] as [string, string[], boolean][])('%s (test hosts %j) → %s', (url, testHosts, ok) => {
    expect(isUrlOnHosts(url, X_PAGE_HOSTS, testHosts)).toBe(ok);
  });
  it('the media hosts are not page hosts', () => {
    expect(isUrlOnHosts('https://pbs.twimg.com/media/A.jpg', X_MEDIA_HOSTS, [])).toBe(true);
    expect(isUrlOnHosts('https://video.twimg.com/a.mp4', X_MEDIA_HOSTS, [])).toBe(true);
    expect(isUrlOnHosts('https://pbs.twimg.com/media/A.jpg', X_PAGE_HOSTS, [])).toBe(false);
  });
});

describe('normalizeUrl', () => {
  it('is the WHATWG serialisation: lower-case scheme and host, default port dropped, dot segments resolved', () => {
    expect(normalizeUrl('HTTPS://X.COM:443/a/../b?q=1#f')).toBe('https://x.com/b?q=1#f');
  });
});
