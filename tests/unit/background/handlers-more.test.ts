// The rest of the message handlers (src/background/handlers.ts) that handlers.test.ts leaves out:
// the popup's status (StatusView, src/shared/messages.ts: the 5 latest reports, consent, storage
// and markup diagnostics), the content script's catalogue in the reader's language (fetched once
// per language, a failure not kept), the hash and frame lookups (hex hashes and probes decoded,
// the reader's languages, the evidence rule of the reader's level), notices and the history,
// caches cleared, the reports list, deleted and retried. Feeds, matcher, media, video evidence and
// language are recorders; reports, outbox, history, health and the database are real (fake-indexeddb).
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const log: string[] = [];
let consent = true;
let catalogue: Record<string, number> = {};

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
        remove: async (key: string) => void local.delete(key),
      },
    },
    runtime: { getURL: (p: string) => `chrome-extension://id/${p}` },
    i18n: { getUILanguage: () => 'es-MX', getMessage: (key: string) => (key === 'badgeOff' ? 'OFF' : '') },
    permissions: { contains: async () => consent },
    action: { setBadgeText: async () => undefined },
    alarms: { create: async () => undefined, clear: async () => true },
    declarativeNetRequest: { updateSessionRules: async () => undefined },
  },
}));
vi.mock('../../../src/background/matcher', () => ({
  matchHashes: async (hashes: Uint16Array[], quality: number, s: { matchStrictness: string }, languages: string[], probes: { probe: string; hashes: Uint16Array[] }[]) => {
    log.push(`match ${hashes.length} hashes, first word ${hashes[0]![0]!.toString(16)}, q${quality} ${s.matchStrictness} ${languages.join(',')} probes ${probes.map((p) => `${p.probe}:${p.hashes[0]![0]!.toString(16)}`).join(',')}`);
    return [{ entryId: 'e1' }];
  },
  invalidateMatcher: () => void log.push('matcher invalidated'),
}));
vi.mock('../../../src/background/video-evidence', () => ({
  matchFrame: async (hashes: Uint16Array[], quality: number, _s: unknown, languages: string[], probes: unknown[]) => (log.push(`frame ${hashes.length} q${quality} ${languages.join(',')} probes ${probes.length}`), [{ entryId: 'v1' }]),
  // The poster rule (video-evidence.test.ts tests it): here it only has to see the matcher's answer and the query.
  holdingMatches: async (matches: unknown[], hashes: Uint16Array[], quality: number) => (log.push(`held ${matches.length} of ${hashes.length} hashes q${quality}`), matches),
}));
vi.mock('../../../src/background/feeds', () => ({
  addFeed: async () => undefined,
  removeFeed: async (url: string) => void log.push(`remove ${url}`),
  setFeedEnabled: async () => undefined,
  syncAll: async (o: { force: boolean }) => void log.push(`sync force=${o.force}`),
  scheduleNext: async () => void log.push('scheduled'),
  feedStatuses: async () => [{ url: 'feed-status' }],
}));
vi.mock('../../../src/background/language', () => ({
  applyLanguage: async (l: string | null) => void log.push(`language ${l}`),
  ensureLanguage: async (l: string | null) => void log.push(`ensure language ${l}`),
}));
vi.mock('../../../src/background/net', async (orig) => ({
  ...(await orig<typeof import('../../../src/background/net')>()),
  postJson: async (endpoint: string) => (log.push(`POST ${endpoint}`), { status: 201, redirected: false, retryAfter: null, text: '' }),
}));

const { handlers } = await import('../../../src/background/handlers');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');
const { openDatabase } = await import('../../../src/background/db');
const { enqueue } = await import('../../../src/background/outbox');
const { BUILD } = await import('../../../src/shared/build');
const { buildReport, reportText } = await import('../../../src/core/report');
const { choices, draft } = await import('../core/report/fixtures');
const { listGeneration } = await import('../../../src/background/db');

const KEY = 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const A = { name: 'Ay', url: 'https://a.example/index.json', publicKey: KEY, enabled: true };
const sender = {} as never;
const settings = () => local.get(SETTINGS_KEY) as ReturnType<typeof defaultSettings>;
const fetched: string[] = [];
/** A hex hash whose lowest 16-bit word (hashFromHex: the last 4 digits) is `word`. */
const hex = (word: string) => `${'0'.repeat(60)}${word}`;

function report(n: number) {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const r = buildReport(draft({ reportId: id, createdAt: `2026-11-${String(10 + n).padStart(2, '0')}T00:00:00Z` }), choices());
  return { reportId: r.reportId, body: reportText(r), endpoint: r.recipient.endpoint, createdAt: r.createdAt };
}

beforeEach(async () => {
  local.clear();
  log.length = 0;
  fetched.length = 0;
  consent = true;
  catalogue = { hello: 1 };
  local.set(SETTINGS_KEY, { ...defaultSettings([]), subscriptions: [A] });
  vi.stubGlobal('navigator', { languages: ['pt-BR'], language: '' });
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(url);
    return url.includes('/de/') ? new Response('gone', { status: 404 }) : Response.json(catalogue);
  });
  const db = await openDatabase();
  await db.clear('outbox');
  await db.clear('mediaCache');
});

describe('cs/hello in the reader’s language', () => {
  it('the chosen language’s catalogue, fetched once for every tab', async () => {
    local.set(SETTINGS_KEY, { ...settings(), language: 'fr' });
    const first = await handlers['cs/hello'](undefined as never, sender);
    expect(first).toMatchObject({ locale: 'fr', messages: { hello: 1 } });
    catalogue = { hello: 2 };
    expect((await handlers['cs/hello'](undefined as never, sender)).messages).toEqual({ hello: 1 });
    expect(fetched).toEqual(['chrome-extension://id/_locales/fr/messages.json']);
  });

  it('a catalogue that cannot be read: none, and asked again next time', async () => {
    local.set(SETTINGS_KEY, { ...settings(), language: 'de' });
    expect(await handlers['cs/hello'](undefined as never, sender)).toMatchObject({ locale: 'de', messages: null });
    expect(await handlers['cs/hello'](undefined as never, sender)).toMatchObject({ locale: 'de', messages: null });
    expect(fetched).toEqual(['chrome-extension://id/_locales/de/messages.json', 'chrome-extension://id/_locales/de/messages.json']);
  });

  it('no choice: the browser’s language, nothing fetched', async () => {
    expect(await handlers['cs/hello'](undefined as never, sender)).toMatchObject({ locale: 'es', messages: null, displayMode: 'blur', enabled: true });
    expect(fetched).toEqual([]);
  });
});

describe('lookups from the content script', () => {
  it('cs/match-hashes: hex hashes and probes decoded, the reader’s level and languages (an empty browser language left out)', async () => {
    local.set(SETTINGS_KEY, { ...settings(), language: 'ar', matchStrictness: 'loose' });
    const out = await handlers['cs/match-hashes']({ hashes: [hex('00a1'), hex('00a2')], quality: 64, probes: [{ probe: 'picture', hashes: [hex('0b0b')], quality: 70 }] } as never, sender);
    expect(out).toEqual({ matches: [{ entryId: 'e1' }] });
    expect(log).toEqual(['match 2 hashes, first word a1, q64 loose ar,pt-BR probes picture:b0b', 'held 1 of 2 hashes q64']);
  });

  it('cs/match-hashes without probes: none', async () => {
    await handlers['cs/match-hashes']({ hashes: [hex('0001')], quality: 50 } as never, sender);
    expect(log).toEqual(['match 1 hashes, first word 1, q50 standard pt-BR probes ', 'held 1 of 1 hashes q50']);
  });

  it('cs/match-frame: the hits, and the evidence rule of the reader’s level (docs/matching.md: strict is stricter)', async () => {
    const standard = await handlers['cs/match-frame']({ hashes: [hex('0001')], quality: 80 } as never, sender);
    expect(standard.hits).toEqual([{ entryId: 'v1' }]);
    local.set(SETTINGS_KEY, { ...settings(), matchStrictness: 'strict' });
    const strict = await handlers['cs/match-frame']({ hashes: [hex('0001')], quality: 80, probes: [{ probe: 'picture', hashes: [hex('0002')], quality: 80 }] } as never, sender);
    expect(strict.rule).toEqual({ accept: 24, sure: 12, near: 24, frames: 2 });
    expect(standard.rule).not.toEqual(strict.rule);
    expect(log).toEqual(['frame 1 q80 pt-BR probes 0', 'frame 1 q80 pt-BR probes 1']);
  });
});

describe('notices, history, markup', () => {
  const shown = { post: 'https://x.com/a/status/1', media: 'https://pbs.twimg.com/media/M1.jpg', feedUrl: A.url, feedName: 'Ay', entryId: 'e1', label: 'false' as const, headline: null, factCheckUrl: 'https://a.example/c' };

  it('cs/notice-shown: kept in the history, and today’s count goes up', async () => {
    expect(await handlers['cs/notice-shown'](shown as never, sender)).toEqual({ today: 1 });
    expect(await handlers['cs/notice-shown']({ ...shown, entryId: 'e2' } as never, sender)).toEqual({ today: 2 });
    const { items } = await handlers['ui/get-history'](undefined as never, sender);
    expect(items.map((i) => i.entryId)).toEqual(['e2', 'e1']);
    expect((await handlers['ui/get-status'](undefined as never, sender)).noticesToday).toBe(2);
    expect(await handlers['ui/clear-history'](undefined as never, sender)).toEqual({ items: [] });
    expect((await handlers['ui/get-history'](undefined as never, sender)).items).toEqual([]);
  });

  it('cs/markup-report: recorded, and shown in the status', async () => {
    const sample = { posts: 3, media: 2, mediaInPosts: 2, boxed: 0, cardsInPosts: 0, cardsBoxed: 0, actionBars: 3, texts: 3 };
    expect(await handlers['cs/markup-report']({ silent: ['mediaBox'], sample } as never, sender)).toEqual({ recorded: true });
    expect((await handlers['ui/get-status'](undefined as never, sender)).markup).toMatchObject({ silent: ['mediaBox'], sample, version: BUILD.version });
  });
});

describe('the popup’s status', () => {
  it('the version, switch, feeds, settings, the 5 newest reports, no consent needed, the storage problem', async () => {
    const db = await openDatabase();
    for (let n = 1; n <= 7; n++) await enqueue(db, report(n), Date.parse('2026-11-30T00:00:00Z'));
    local.set('storageEvent', { kind: 'index-rebuilt', at: new Date().toISOString(), detail: null, reportsKept: null });
    const s = await handlers['ui/get-status'](undefined as never, sender);
    expect(s.version).toBe(BUILD.version);
    expect(s.enabled).toBe(true);
    expect(s.feeds).toEqual([{ url: 'feed-status' }]);
    expect(s.settings).toEqual(settings());
    expect(s.reports.map((r) => r.report.reportId.slice(-1))).toEqual(['7', '6', '5', '4', '3']);
    expect(s.reportsNeedConsent).toBe(false);
    expect(s.storage).toMatchObject({ kind: 'index-rebuilt' });
    expect(s.markup).toBeNull();
  });

  it('queued reports in a Firefox without consent: the popup asks for it; none queued: it does not', async () => {
    const target = BUILD.target;
    BUILD.target = 'firefox';
    try {
      consent = false;
      expect((await handlers['ui/get-status'](undefined as never, sender)).reportsNeedConsent, 'nothing queued').toBe(false);
      await enqueue(await openDatabase(), report(1), Date.now());
      expect((await handlers['ui/get-status'](undefined as never, sender)).reportsNeedConsent).toBe(true);
      expect((await handlers['ui/get-reports'](undefined as never, sender)).reportsNeedConsent).toBe(true);
      consent = true;
      expect((await handlers['ui/get-status'](undefined as never, sender)).reportsNeedConsent).toBe(false);
    } finally {
      BUILD.target = target;
    }
  });
});

describe('reports, caches, settings', () => {
  it('ui/get-reports lists every report; ui/delete-reports deletes them and their backup', async () => {
    const db = await openDatabase();
    for (let n = 1; n <= 7; n++) await enqueue(db, report(n), Date.parse('2026-11-30T00:00:00Z'));
    expect((await handlers['ui/get-reports'](undefined as never, sender)).rows).toHaveLength(7);
    const ids = [report(1).reportId, report(2).reportId];
    const after = await handlers['ui/delete-reports']({ ids } as never, sender);
    expect(after.rows.map((r) => r.report.reportId)).not.toContain(ids[0]);
    expect(after.rows).toHaveLength(5);
    expect((local.get('outboxBackup') as { reportId: string }[]).map((r) => r.reportId).sort()).toEqual([3, 4, 5, 6, 7].map((n) => report(n).reportId).sort());
  });

  it('ui/retry-reports: a refused report is queued again and sent at once', async () => {
    const db = await openDatabase();
    const r = report(1);
    await enqueue(db, r, Date.now());
    await db.put('outbox', { ...(await db.get('outbox', r.reportId))!, status: 'rejected', nextTryAt: null, lastError: 'HTTP 422' });
    const view = await handlers['ui/retry-reports']({ ids: [r.reportId] } as never, sender);
    expect(log).toEqual([`POST ${r.endpoint}`]);
    expect(view.rows[0]).toMatchObject({ status: 'delivered' });
  });

  it('ui/clear-caches: the media hashes gone, the stored index dropped (a new generation), the matcher told', async () => {
    const db = await openDatabase();
    await db.put('mediaCache', { key: 'k', hashes: [], quality: 1, probes: [], at: 1 });
    const tx0 = db.transaction('matchIndex');
    const before = await listGeneration(tx0.store);
    await db.put('matchIndex', { key: 'current', buffer: new ArrayBuffer(8) } as never);
    await handlers['ui/clear-caches'](undefined as never, sender);
    expect(await db.count('mediaCache')).toBe(0);
    const tx = db.transaction('matchIndex');
    expect(await listGeneration(tx.store)).toBe(before + 1);
    expect(await tx.store.get('current')).toBeUndefined();
    expect(log).toEqual(['matcher invalidated']);
  });

  it('ui/set-enabled makes sure the background speaks the reader’s language (for the badge)', async () => {
    local.set(SETTINGS_KEY, { ...settings(), language: 'pt' });
    await handlers['ui/set-enabled']({ enabled: false }, sender);
    expect(log).toEqual(['ensure language pt']);
  });

  it('ui/import-settings: a new language is applied, the stored index dropped, nothing removed when every feed stays', async () => {
    const db = await openDatabase();
    const tx0 = db.transaction('matchIndex');
    const before = await listGeneration(tx0.store);
    await handlers['ui/import-settings']({ settings: { ...defaultSettings([]), subscriptions: [A], language: 'fr' } }, sender);
    expect(log).toEqual(['language fr', 'matcher invalidated', 'sync force=true', 'scheduled']);
    expect(await listGeneration(db.transaction('matchIndex').store)).toBe(before + 1);
  });

  it('ui/import-settings: the first problem of invalid settings is named', async () => {
    await expect(handlers['ui/import-settings']({ settings: { ...defaultSettings([]), displayMode: 'loud' } }, sender)).rejects.toThrow(/^not valid settings: displayMode/);
  });
});
