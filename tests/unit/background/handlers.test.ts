// The background's message handlers (src/background/handlers.ts), which only the e2e tests drove:
// what each one passes on, refuses and answers. The modules they call are replaced by recorders;
// the settings live in a fake storage.local. Expected values come from the messages' contracts
// (src/shared/messages.ts, docs/privacy: only X's media hosts are ever fetched), not from the code.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const log: string[] = [];
let granted = true;
let badge: string[] = [];

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
        remove: async (key: string) => void local.delete(key),
      },
    },
    i18n: { getUILanguage: () => 'fr-CA', getMessage: (key: string) => (key === 'badgeOff' ? 'OFF' : '') },
    permissions: { contains: async (p: { origins?: string[] }) => (log.push(`permission ${p.origins?.join(',') ?? ''}`), granted) },
    action: { setBadgeText: async ({ text }: { text: string }) => void badge.push(text) },
    runtime: { openOptionsPage: async () => void log.push('options opened') },
    contextMenus: { removeAll: async () => undefined, create: () => undefined },
  },
}));
vi.mock('../../../src/background/media', () => ({
  hashMediaUrl: async (url: string) => {
    log.push(`hash ${url}`);
    if (url.includes('broken')) throw new Error('the picture could not be decoded');
    return { hashes: [new Uint16Array(16)], quality: 88, probes: [] };
  },
}));
vi.mock('../../../src/background/matcher', () => ({
  matchHashes: async (_h: unknown, quality: number, _s: unknown, languages: string[]) => (log.push(`match q${quality} ${languages.join(',')}`), [{ entryId: 'e1', distance: 0 }]),
  invalidateMatcher: () => void log.push('matcher invalidated'),
}));
vi.mock('../../../src/background/feeds', () => ({
  addFeed: async (sub: { url: string }) => void log.push(`add ${sub.url}`),
  removeFeed: async (url: string) => void log.push(`remove ${url}`),
  setFeedEnabled: async (url: string, on: boolean) => void log.push(`enable ${url} ${on}`),
  syncAll: async (o: { force: boolean }) => void log.push(`sync force=${o.force}`),
  scheduleNext: async () => void log.push('scheduled'),
  feedStatuses: async () => [],
}));
vi.mock('../../../src/background/language', () => ({
  applyLanguage: async (l: string | null) => void log.push(`language ${l}`),
  ensureLanguage: async () => undefined,
}));

const { handlers } = await import('../../../src/background/handlers');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');
const { PROTOCOL_VERSION } = await import('../../../src/shared/messages');

const KEY = 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const A = { name: 'Ay', url: 'https://a.example/index.json', publicKey: KEY, enabled: true };
const B = { name: 'Bee', url: 'https://b.example/feeds/index.json', publicKey: KEY, enabled: true };
const sender = {} as never;
const settings = () => local.get(SETTINGS_KEY) as ReturnType<typeof defaultSettings>;

beforeEach(() => {
  local.clear();
  log.length = 0;
  granted = true;
  badge = [];
  local.set(SETTINGS_KEY, { ...defaultSettings([]), subscriptions: [A] });
  vi.stubGlobal('navigator', { languages: ['de-DE', 'en'], language: 'de-DE' });
});

describe('cs/match-media: only X media is ever fetched', () => {
  it('refuses another host without fetching it, hashes and matches X media, reports a failure per picture', async () => {
    const photo = 'https://pbs.twimg.com/media/GZA6uwubAAA0-Wm.jpg';
    const broken = 'https://pbs.twimg.com/media/broken.jpg';
    const { results } = await handlers['cs/match-media']({ urls: ['https://evil.example/media/a.jpg', photo, broken] }, sender);
    expect(results).toEqual([
      { url: 'https://evil.example/media/a.jpg', matches: [], quality: null, error: 'refused: not an X media URL' },
      { url: photo, matches: [{ entryId: 'e1', distance: 0 }], quality: 88, error: null },
      { url: broken, matches: [], quality: null, error: 'the picture could not be decoded' },
    ]);
    expect(log).toEqual([`hash ${photo}`, 'match q88 de-DE,en,de-DE', `hash ${broken}`]);
  });
  it("the reader's chosen language comes first among the notice's languages", async () => {
    local.set(SETTINGS_KEY, { ...settings(), language: 'fr' });
    await handlers['cs/match-media']({ urls: ['https://pbs.twimg.com/media/X.jpg'] }, sender);
    expect(log[1]).toBe('match q88 fr,de-DE,en,de-DE');
  });
});

describe('cs/hello', () => {
  it('what the content script needs to start: on/off, versions, display mode, the locale; no catalogue when the browser’s language is used', async () => {
    const out = await handlers['cs/hello'](undefined as never, sender);
    expect(out).toMatchObject({ enabled: true, protocol: PROTOCOL_VERSION, displayMode: 'blur', locale: 'fr', messages: null });
    expect(out.version).toEqual(expect.any(String));
  });
});

describe('settings', () => {
  it('ui/set-enabled: switched off shows the badge, on clears it', async () => {
    expect(await handlers['ui/set-enabled']({ enabled: false }, sender)).toEqual({ enabled: false });
    expect(settings().enabled).toBe(false);
    expect(await handlers['ui/set-enabled']({ enabled: true }, sender)).toEqual({ enabled: true });
    expect(badge).toEqual(['OFF', '']);
  });
  it('ui/update-settings: applies what the patch defines; a new strictness drops the match index, a new language re-labels', async () => {
    await handlers['ui/update-settings']({ patch: { displayMode: 'banner', matchStrictness: undefined } } as never, sender);
    expect(settings()).toMatchObject({ displayMode: 'banner', matchStrictness: 'standard' });
    expect(log).toEqual([]);
    const status = await handlers['ui/update-settings']({ patch: { matchStrictness: 'strict', language: 'de' } } as never, sender);
    expect(settings()).toMatchObject({ matchStrictness: 'strict', language: 'de' });
    expect(log).toEqual(['matcher invalidated', 'language de']);
    expect(status.settings).toMatchObject({ matchStrictness: 'strict', language: 'de' });
  });
  it('ui/set-display-mode', async () => {
    const status = await handlers['ui/set-display-mode']({ mode: 'banner' } as never, sender);
    expect(settings().displayMode).toBe('banner');
    expect(status.settings.displayMode).toBe('banner');
  });
  it('ui/import-settings: refuses invalid settings and feeds the reader did not allow; otherwise replaces them, drops removed feeds and resyncs', async () => {
    await expect(handlers['ui/import-settings']({ settings: { nonsense: true } }, sender)).rejects.toThrow(/^not valid settings: /);
    const next = { ...defaultSettings([]), subscriptions: [B] };
    granted = false;
    await expect(handlers['ui/import-settings']({ settings: next }, sender)).rejects.toThrow('no permission to reach https://b.example: allow it when asked');
    expect(log).toEqual(['permission https://b.example/*']);
    expect(settings().subscriptions).toEqual([A]);
    granted = true;
    log.length = 0;
    await handlers['ui/import-settings']({ settings: next }, sender);
    expect(settings().subscriptions).toEqual([B]);
    expect(log).toEqual(['permission https://b.example/*', `remove ${A.url}`, 'matcher invalidated', 'sync force=true', 'scheduled']);
  });
});

describe('feeds and the rest', () => {
  it('each feed action is passed on, and the status comes back', async () => {
    await handlers['ui/add-feed'](B, sender);
    await handlers['ui/remove-feed']({ url: A.url }, sender);
    await handlers['ui/set-feed-enabled']({ url: B.url, enabled: false }, sender);
    const status = await handlers['ui/sync-now'](undefined as never, sender);
    expect(log).toEqual([`add ${B.url}`, `remove ${A.url}`, `enable ${B.url} false`, 'sync force=true']);
    expect(status).toMatchObject({ enabled: true, feeds: [], noticesToday: 0, reports: [], reportsNeedConsent: false });
  });
  it('cs/open-options opens the options page', async () => {
    expect(await handlers['cs/open-options'](undefined as never, sender)).toEqual({ opened: true });
    expect(log).toEqual(['options opened']);
  });
});
