// The directory of known feeds as the options page gets it (src/background/directory.ts), opened
// from the committed test directory signed by the CLI's `directory` command
// (tests/fixtures/feeds/test-directory.json, its key beside it): expected values read from that
// file's own payload here, not from the code. And the background's language (language.ts): the
// reader's catalogue activated once, a failure falling back to the browser's, the menu re-labelled.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const log: string[] = [];
let failLocale: string | null = null;
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
    runtime: { getURL: (p: string) => `chrome-extension://id/${p}` },
  },
}));
vi.mock('../../../src/shared/i18n', () => ({
  activateLocale: async (l: string | null) => {
    log.push(`activate ${l}`);
    if (l !== null && l === failLocale) throw new Error(`no catalogue for ${l}`);
    return l ?? 'en';
  },
}));
vi.mock('../../../src/background/menu', () => ({ setUpMenu: async () => void log.push('menu') }));

const { directoryView } = await import('../../../src/background/directory');
const { ensureLanguage, applyLanguage } = await import('../../../src/background/language');
const { BUILD } = await import('../../../src/shared/build');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');

const fixture = fs.readFileSync(new URL('../../fixtures/feeds/test-directory.json', import.meta.url));
const fixtureKey = JSON.parse(fs.readFileSync(new URL('../../fixtures/feeds/test-directory-key.json', import.meta.url), 'utf8')) as { publicKey: string };
const payload = JSON.parse(Buffer.from((JSON.parse(fixture.toString('utf8')) as { payload: string }).payload, 'base64').toString('utf8')) as {
  issued: string;
  feeds: { name: string; url: string; publicKey: string; homepage?: string }[];
};
const NOW = new Date('2026-12-02T12:00:00Z');
const fetched: string[] = [];
let served: Uint8Array = fixture;

describe('directoryView', () => {
  const keys = BUILD.directoryKeys;
  beforeEach(() => {
    local.clear();
    fetched.length = 0;
    served = fixture;
    vi.stubGlobal('fetch', async (url: string) => (fetched.push(url), new Response(served as BodyInit)));
  });
  afterEach(() => {
    BUILD.directoryKeys = keys;
    vi.unstubAllGlobals();
  });

  it('a build without directory keys has no directory, and reads nothing', async () => {
    BUILD.directoryKeys = [];
    expect(await directoryView(NOW)).toEqual({ available: false, issued: null, feeds: [], error: null });
    expect(fetched).toEqual([]);
  });

  it('the build’s directory.json, opened with its keys: every feed, homepage or null, marked subscribed when the reader follows it', async () => {
    BUILD.directoryKeys = [fixtureKey.publicKey];
    const [first, second] = payload.feeds;
    local.set(SETTINGS_KEY, { ...defaultSettings([]), subscriptions: [{ name: 'Mine', url: second!.url, publicKey: second!.publicKey, enabled: true }] });
    const view = await directoryView(NOW);
    expect(fetched).toEqual(['chrome-extension://id/directory.json']);
    expect(view.available).toBe(true);
    expect(view.error).toBeNull();
    expect(view.issued).toBe(payload.issued);
    expect(view.feeds.map((f) => [f.name, f.url, f.homepage, f.subscribed])).toEqual([
      [first!.name, first!.url, first!.homepage, false],
      [second!.name, second!.url, null, true],
    ]);
  });

  it('a directory that does not verify (another key, or altered) is reported, never used', async () => {
    BUILD.directoryKeys = ['Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE='];
    const other = await directoryView(NOW);
    expect(other).toMatchObject({ available: true, issued: null, feeds: [] });
    expect(other.error).toEqual(expect.any(String));
    expect(other.error!.length).toBeGreaterThan(0);
    BUILD.directoryKeys = [fixtureKey.publicKey];
    // The same envelope, its payload altered (issued a day later) under the old signature.
    const env = JSON.parse(fixture.toString('utf8')) as { payload: string };
    const altered = { ...payload, issued: '2026-12-03T03:31:19.680Z' };
    served = new TextEncoder().encode(JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(altered)).toString('base64') }));
    expect(await directoryView(NOW)).toMatchObject({ available: true, issued: null, feeds: [], error: expect.any(String) });
  });

  it('an expired directory is refused too (after its "expires")', async () => {
    BUILD.directoryKeys = [fixtureKey.publicKey];
    const view = await directoryView(new Date('2037-01-01T00:00:00Z'));
    expect(view.feeds).toEqual([]);
    expect(view.error).toEqual(expect.any(String));
  });
});

describe('the background’s language', () => {
  beforeEach(() => {
    log.length = 0;
    failLocale = null;
  });
  // Module state (the language active in this worker) carries from one test to the next, in order.
  it('activates the chosen catalogue once; the same language again does nothing', async () => {
    await ensureLanguage('fr');
    await ensureLanguage('fr');
    expect(log).toEqual(['activate fr']);
  });

  it('another language is activated; the browser’s (null) too', async () => {
    await ensureLanguage('de');
    await ensureLanguage(null);
    await ensureLanguage(null);
    expect(log).toEqual(['activate de', 'activate null']);
  });

  it('a catalogue that fails: the browser’s language instead, with a warning; asked again next time', async () => {
    failLocale = 'ar';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await ensureLanguage('ar');
    const warned = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(log).toEqual(['activate ar', 'activate null']);
    expect(warned).toEqual(['[already-debunked] could not load the chosen language, using the browser’s:']);
    log.length = 0;
    await ensureLanguage(null);
    expect(log, 'the browser’s is what is active now').toEqual([]);
    failLocale = null;
    await ensureLanguage('ar');
    expect(log).toEqual(['activate ar']);
  });

  it('applyLanguage also re-labels the context menu, after the language is active', async () => {
    await applyLanguage('es');
    expect(log).toEqual(['activate es', 'menu']);
    await applyLanguage('es');
    expect(log).toEqual(['activate es', 'menu', 'menu']);
  });
});
