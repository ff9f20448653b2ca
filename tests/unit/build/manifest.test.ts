// The per-browser manifests, and what the built store bundles contain. The built outputs are
// read from dist/ (npm test builds them first; run `npm run build && npm run build:test` otherwise).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GECKO_ID, transformManifest } from '../../../vite.config';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const X_PAGES = ['https://x.com/*', 'https://twitter.com/*', 'https://mobile.x.com/*', 'https://mobile.twitter.com/*'];
const MEDIA = ['https://pbs.twimg.com/*', 'https://video.twimg.com/*'];
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];

function readDist(flavour: string, file = 'manifest.json') {
  const p = path.join(ROOT, 'dist', flavour, file);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run npm run build && npm run build:test first`);
  return fs.readFileSync(p, 'utf8');
}

describe('manifest transform', () => {
  it('Chrome store build: service worker, X pages and media hosts only, feeds asked for at run time', () => {
    const m = transformManifest(source, { target: 'chrome', test: false }, '1.2.3');
    expect(m.manifest_version).toBe(3);
    expect(m.version).toBe('1.2.3');
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.host_permissions).toEqual([...X_PAGES, ...MEDIA]);
    expect(m.optional_host_permissions).toEqual(['https://*/*']);
    expect(m.permissions).toEqual(['storage', 'alarms', 'contextMenus', 'declarativeNetRequestWithHostAccess']);
    expect(m.content_scripts).toEqual([{ matches: X_PAGES, js: ['content.js'], run_at: 'document_idle', all_frames: false }]);
    expect(m.content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'self'" });
    expect(m).not.toHaveProperty('browser_specific_settings');
    expect(JSON.stringify(m)).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('Firefox store build: event page scripts and gecko settings', () => {
    const m = transformManifest(source, { target: 'firefox', test: false }, '1.2.3');
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.browser_specific_settings).toEqual({
      gecko: { id: GECKO_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'], optional: ['websiteContent'] } },
      gecko_android: { strict_min_version: '142.0' },
    });
    expect(m.host_permissions).toEqual([...X_PAGES, ...MEDIA]);
    expect(JSON.stringify(m)).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('test builds add the loopback hosts to matches and host permissions, and nothing else', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      const store = transformManifest(source, { target, test: false }, '1.2.3');
      const test = transformManifest(source, { target, test: true }, '1.2.3');
      expect(test.host_permissions).toEqual([...store.host_permissions, ...LOOPBACK]);
      expect(test.content_scripts[0]!.matches).toEqual([...X_PAGES, ...LOOPBACK]);
      expect({ ...test, name: store.name, host_permissions: store.host_permissions, content_scripts: store.content_scripts }).toEqual(store);
    }
  });

  it('declares icons in the sizes the stores ask for, and they exist', () => {
    const m = transformManifest(source, { target: 'chrome', test: false }, '1.2.3');
    expect(Object.keys(m.icons)).toEqual(['16', '32', '48', '96', '128']);
    for (const file of Object.values(m.icons)) expect(fs.existsSync(path.join(ROOT, 'assets', file))).toBe(true);
  });
});

describe('built extensions', () => {
  it.each(['chrome', 'firefox', 'test-chrome', 'test-firefox'])('dist/%s has a manifest whose files all exist', (flavour) => {
    const m = JSON.parse(readDist(flavour));
    const files = [
      ...(m.background.service_worker ? [m.background.service_worker] : m.background.scripts),
      ...m.content_scripts.flatMap((c: { js: string[] }) => c.js),
      m.action.default_popup,
      m.options_ui.page,
      ...Object.values(m.icons),
      `_locales/${m.default_locale}/messages.json`,
    ];
    for (const f of files) expect(fs.existsSync(path.join(ROOT, 'dist', flavour, f)), `${flavour}/${f}`).toBe(true);
  });

  it.each(['chrome', 'firefox'])('the %s store bundles contain no loopback host, no eval and no test hook', (flavour) => {
    const dir = path.join(ROOT, 'dist', flavour);
    readDist(flavour); // fails clearly if not built
    const code = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(js|html|json)$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(code).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(code).not.toMatch(/\beval\(|new Function\(/);
    expect(code).not.toMatch(/__alreadyDebunkedTest|alreadyDebunkedE2e/); // test hooks are compiled out
  });

  it.each(['chrome', 'firefox'])('dist/%s may do exactly this, and no more: permissions, hosts, CSP, nothing web-accessible (pinned: a widening shows in review)', (flavour) => {
    const m = JSON.parse(readDist(flavour));
    expect(m.permissions).toEqual(['storage', 'alarms', 'contextMenus', 'declarativeNetRequestWithHostAccess']);
    expect(m.host_permissions).toEqual([...X_PAGES, ...MEDIA]);
    expect(m.optional_host_permissions).toEqual(['https://*/*']); // a feed's host or the reader's report address, asked when added
    expect(m.content_scripts).toEqual([{ matches: X_PAGES, js: ['content.js'], run_at: 'document_idle', all_frames: false }]);
    expect(m.content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'self'" });
    for (const key of ['web_accessible_resources', 'externally_connectable', 'sandbox', 'declarative_net_request', 'optional_permissions', 'chrome_url_overrides']) {
      expect(m, key).not.toHaveProperty(key);
    }
    if (flavour === 'firefox') {
      expect(m.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'], optional: ['websiteContent'] });
    }
  });

  it.each(['chrome', 'firefox'])('dist/%s pages run only their own files: no inline script, no remote script, no eval', (flavour) => {
    const dir = path.join(ROOT, 'dist', flavour);
    readDist(flavour);
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
    const pages = files.filter((f) => f.endsWith('.html'));
    expect(pages.sort()).toEqual(['options/index.html', 'popup/index.html', 'privacy.html', 'welcome/index.html']);
    for (const page of pages) {
      const html = fs.readFileSync(path.join(dir, page), 'utf8');
      for (const [tag, attrs, body] of html.matchAll(/<script([^>]*)>([^]*?)<\/script>/g)) {
        expect(attrs, `${page}: ${tag}`).toMatch(/\ssrc="\.\.?\/[^"]+\.js"/); // a file of the extension
        expect((body ?? '').trim(), `${page}: inline script`).toBe('');
      }
      expect(html, page).not.toMatch(/\son[a-z]+="/i); // no inline event handlers
    }
    for (const js of files.filter((f) => f.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(dir, js), 'utf8');
      expect(code, js).not.toMatch(/importScripts\(|import\(\s*["'`]https?:|\.src\s*=\s*["'`]https?:/);
    }
    expect(JSON.parse(readDist(flavour)).content_security_policy.extension_pages).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('content and background are classic scripts (no module syntax)', () => {
    for (const flavour of ['chrome', 'firefox']) {
      for (const f of ['content.js', 'background.js']) {
        const code = readDist(flavour, f);
        expect(code.trimStart().startsWith('(function')).toBe(true);
        expect(code).not.toMatch(/^\s*(import|export)\s/m);
      }
    }
  });
});
