// Local stand-ins for x.com and X's media CDN, on 127.0.0.1 (two origins, so media is cross-origin
// as on X). Pages come from tests/fixtures/x/*.html with X's media hosts rewritten to the local
// media server; media is generated per media key (tests/e2e/helpers/media.mjs) or registered by a
// test with setMedia(). The media server sends no CORS headers, like a CDN to an extension.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigTimeline } from '../../fixtures/x/generate.mjs';
import { generatedMedia } from './media.mjs';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/x');

function listen(handler, port = 0) {
  return new Promise((resolve, reject) => {
    const s = http.createServer(handler);
    s.on('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

/**
 * X's routes → fixture pages: `/home`, `/<handle>/status/<id>` (and its `/photo/N`, `/video/N`
 * viewers), `/search`, `/i/bookmarks`, `/i/lists/<id>`, `/<name>` for a fixture file of that name
 * (home-dark, …), and any other `/<handle>` → the profile page. `?layout=mobile` serves X's mobile web
 * layout of the home timeline and the media viewer (X serves it to a phone's browser on the same URLs).
 */
function pageFile(pathname, mobile = false) {
  if (pathname === '/' || pathname === '/home') return mobile ? 'home-mobile.html' : 'home.html';
  if (/^\/[A-Za-z0-9_]{1,20}\/status\/\d+\/photo\/\d$/.test(pathname)) return mobile ? 'photo-viewer-mobile.html' : 'photo-viewer.html';
  if (/^\/[A-Za-z0-9_]{1,20}\/status\/\d+\/video\/\d$/.test(pathname)) return 'video-viewer.html';
  if (/^\/[A-Za-z0-9_]{1,20}\/status\/\d+$/.test(pathname)) return 'status.html';
  if (pathname === '/search') return 'search.html';
  if (pathname === '/i/bookmarks') return 'bookmarks.html';
  if (/^\/i\/lists\/\d+$/.test(pathname)) return 'list.html';
  const name = pathname.slice(1);
  if (/^[a-z0-9-]+$/.test(name) && fs.existsSync(path.join(FIXTURES, `${name}.html`))) return `${name}.html`;
  return /^[A-Za-z0-9_]{1,20}$/.test(name) ? 'profile.html' : null;
}

export async function startFixtureServer({ onRequest } = {}) {
  const custom = new Map(); // path → { bytes, type }
  const requests = [];
  const media = await listen(async (req, res) => {
    const url = new URL(req.url, 'http://media.local');
    const entry = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      origin: req.headers.origin ?? null,
      cookie: req.headers.cookie ?? null,
      referer: req.headers.referer ?? null,
      // 'image' for the page's own <img>/<video> loads, 'empty' for fetch() (the extension's)
      dest: req.headers['sec-fetch-dest'] ?? null,
    };
    requests.push(entry);
    onRequest?.(entry);
    try {
      const found = custom.get(url.pathname) ?? (await generatedMedia(url.pathname, url.searchParams));
      if (!found) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': found.type, 'content-length': found.bytes.length, 'cache-control': 'max-age=3600' });
      res.end(found.bytes);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });
  const mediaOrigin = `http://127.0.0.1:${media.address().port}`;

  const assets = new Map(); // page-origin files a test adds (e.g. a playable video)
  const pages = await listen((req, res) => {
    const url = new URL(req.url, 'http://page.local');
    if (url.pathname === '/big') {
      const n = Math.min(2000, Math.max(1, Number(url.searchParams.get('n') ?? 500) || 500));
      const html = bigTimeline(n).replaceAll('https://pbs.twimg.com', mediaOrigin).replaceAll('https://video.twimg.com', mediaOrigin);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const asset = assets.get(url.pathname);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.bytes.length }).end(asset.bytes);
      return;
    }
    const file = pageFile(url.pathname, url.searchParams.get('layout') === 'mobile');
    const full = file && path.join(FIXTURES, file);
    if (!full || !fs.existsSync(full)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const html = fs
      .readFileSync(full, 'utf8')
      .replaceAll('https://pbs.twimg.com', mediaOrigin)
      .replaceAll('https://video.twimg.com', mediaOrigin)
      .replaceAll('https://abs-0.twimg.com', mediaOrigin);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const pageOrigin = `http://127.0.0.1:${pages.address().port}`;

  return {
    pageOrigin,
    mediaOrigin,
    requests,
    url: (name = 'home', query = '') => `${pageOrigin}/${name}${query ? `?${query}` : ''}`,
    mediaUrl: (p) => `${mediaOrigin}${p}`,
    /** Serve these bytes at this path of the page origin (same-origin, like X's MSE video). */
    setAsset: (p, bytes, type) => assets.set(p, { bytes, type }),
    /** Serve these bytes at this media path (e.g. a known debunked photo). */
    setMedia: (p, bytes, type = 'image/jpeg') => custom.set(p, { bytes, type }),
    close: () =>
      Promise.all(
        [pages, media].map((s) => new Promise((r) => {
          s.closeAllConnections?.();
          s.close(r);
        })),
      ),
  };
}
