// The background's entry (src/background/index.ts), which only the e2e tests drove: which work each
// browser event starts (install, update, browser start, each alarm, the context menu, a permission
// granted, a database made from nothing), messages answered through the router with the sender
// policy of our own id and pages, failures logged not thrown, and the test builds' hook object.
// Every module it wires is replaced by a recorder; the extension's events are fired by hand.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const listeners: Record<string, Listener[]> = {};
const on = (name: string) => ({ addListener: (l: Listener) => void (listeners[name] ??= []).push(l) });
const fire = (name: string, ...args: unknown[]) => (listeners[name] ?? []).map((l) => l(...args));
const log: string[] = [];
let failing: string | null = null;
const step = (what: string) => async () => {
  log.push(what);
  if (failing === what) throw new Error(`${what} broke`);
};

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'our-extension-id',
      getURL: (p: string) => `chrome-extension://our-extension-id/${p}`,
      onMessage: on('message'),
      onInstalled: on('installed'),
      onStartup: on('startup'),
    },
    tabs: { create: async (o: { url: string }) => (log.push(`tab ${o.url}`), failing === 'tab' ? Promise.reject(new Error('no window')) : undefined) },
    alarms: { onAlarm: on('alarm') },
    contextMenus: { onClicked: on('menu') },
    permissions: { onAdded: on('permission') },
  },
}));
let createdHandler: ((db: unknown) => Promise<void>) | null = null;
let lost = false;
vi.mock('../../../src/background/db', () => ({ whenDatabaseCreated: (h: (db: unknown) => Promise<void>) => void (createdHandler = h) }));
vi.mock('../../../src/background/health', () => ({ onFreshDatabase: async (db: unknown) => (log.push(`fresh ${String(db)}`), { lost }) }));
vi.mock('../../../src/background/feeds', () => ({
  SYNC_ALARM: 'feed-sync',
  syncAll: async (o?: { force?: boolean }) => step(`sync${o?.force ? ' forced' : ''}`)(),
}));
vi.mock('../../../src/background/outbox', () => ({ OUTBOX_ALARM: 'report-outbox' }));
vi.mock('../../../src/background/reports', () => ({ flushReports: async (force?: boolean) => step(`reports${force ? ' forced' : ''}`)() }));
vi.mock('../../../src/background/matcher', () => ({ invalidateMatcher: () => void log.push('matcher invalidated') }));
vi.mock('../../../src/background/language', () => ({ applyLanguage: async (l: string | null) => step(`language ${l}`)() }));
vi.mock('../../../src/background/menu', () => ({ onMenuClick: (info: { menuItemId: string }) => void log.push(`menu ${info.menuItemId}`) }));
vi.mock('../../../src/background/settings-store', () => ({
  ensureSettings: async () => (await step('settings ensured')(), { language: 'fr' }),
  loadSettings: async () => ({ language: 'de' }),
}));
vi.mock('../../../src/background/net', () => ({ setNetworkTimeScale: (s: number) => void log.push(`time scale ${s}`) }));
vi.mock('../../../src/background/media', () => ({
  decodeImage: async (bytes: Uint8Array, type: string) => ({ bytes: [...bytes], type }),
  hashPixels: async (px: { bytes: number[]; type: string }) => {
    log.push(`hash ${px.bytes.join(',')} ${px.type}`);
    const h = new Uint16Array(16);
    h[0] = 0xabcd;
    return { hashes: [h], quality: 77, probes: [] };
  },
}));
vi.mock('../../../src/background/handlers', () => ({
  handlers: { 'ui/get-history': async () => (log.push('history asked'), { items: [] }) },
}));

const errors: unknown[][] = [];
vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a));
await import('../../../src/background/index');
const { testPoints } = await import('../../../src/background/test-points');
const { traceMarks } = await import('../../../src/background/trace');

/** Lets the promise chains a listener started run to their end (event-loop turns, not time). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

beforeEach(() => {
  log.length = 0;
  errors.length = 0;
  failing = null;
  lost = false;
});

describe('the background’s wiring', () => {
  it('registers every listener at once, on loading (a restarted worker gets the event that woke it)', () => {
    expect(Object.keys(listeners).sort()).toEqual(['alarm', 'installed', 'menu', 'message', 'permission', 'startup']);
    expect(Object.values(listeners).every((l) => l.length === 1)).toBe(true);
    expect(createdHandler).not.toBeNull();
  });

  it('installed: the first-run page, then the settings, the language, a forced sync and the reports', async () => {
    fire('installed', { reason: 'install' });
    await settle();
    expect(log).toEqual(['tab chrome-extension://our-extension-id/welcome/index.html', 'settings ensured', 'language de', 'sync forced', 'reports']);
  });

  it('a first-run page that cannot open is logged; the rest goes on', async () => {
    failing = 'tab';
    fire('installed', { reason: 'install' });
    await settle();
    expect(log).toEqual(['tab chrome-extension://our-extension-id/welcome/index.html', 'settings ensured', 'language de', 'sync forced', 'reports']);
    expect(errors.map((e) => String(e[0]))).toEqual(['[already-debunked] first-run page failed:']);
  });

  it('updated: no first-run page, the rest the same', async () => {
    fire('installed', { reason: 'update' });
    await settle();
    expect(log).toEqual(['settings ensured', 'language de', 'sync forced', 'reports']);
  });

  it('a failed step of the install chain is logged and stops it', async () => {
    failing = 'settings ensured';
    fire('installed', { reason: 'update' });
    await settle();
    expect(log).toEqual(['settings ensured']);
    expect(errors.map((e) => String(e[0]))).toEqual(['[already-debunked] first sync failed:']);
    expect(String(errors[0]?.[1])).toBe('Error: settings ensured broke');
  });

  it('browser start: the language, a sync of what is due (not forced), and the reports', async () => {
    fire('startup');
    await settle();
    expect(log.sort()).toEqual(['language de', 'reports', 'sync']);
  });

  it('browser start: each failure logged on its own, the others still run', async () => {
    for (const [what, text] of [
      ['language de', 'menu at start'],
      ['sync', 'sync at start'],
      ['reports', 'reports at start'],
    ] as const) {
      failing = what;
      errors.length = 0;
      log.length = 0;
      fire('startup');
      await settle();
      expect(log.sort()).toEqual(['language de', 'reports', 'sync']);
      expect(errors.map((e) => String(e[0]))).toEqual([`[already-debunked] ${text} failed:`]);
    }
  });

  it('the alarms: the feed-sync alarm syncs what is due, the outbox alarm sends reports, another does nothing', async () => {
    fire('alarm', { name: 'feed-sync' });
    await settle();
    expect(log).toEqual(['sync']);
    log.length = 0;
    fire('alarm', { name: 'report-outbox' });
    await settle();
    expect(log).toEqual(['reports']);
    log.length = 0;
    fire('alarm', { name: 'something-else' });
    await settle();
    expect(log).toEqual([]);
    failing = 'sync';
    fire('alarm', { name: 'feed-sync' });
    failing = null;
    await settle();
    failing = 'reports';
    fire('alarm', { name: 'report-outbox' });
    await settle();
    expect(errors.map((e) => String(e[0]))).toEqual(['[already-debunked] scheduled sync failed:', '[already-debunked] report delivery failed:']);
  });

  it('a permission granted (Firefox’s data consent) sends the waiting reports at once', async () => {
    fire('permission', { permissions: [] });
    await settle();
    expect(log).toEqual(['reports forced']);
    failing = 'reports forced';
    fire('permission', { permissions: [] });
    await settle();
    expect(errors.map((e) => String(e[0]))).toEqual(['[already-debunked] reports after consent failed:']);
  });

  it('the context menu goes to the menu’s handler', () => {
    fire('menu', { menuItemId: 'report-to-fact-checkers' }, { id: 3 });
    expect(log).toEqual(['menu report-to-fact-checkers']);
  });

  it('a database made from nothing after a loss: the matcher forgets its index and every feed is synced again', async () => {
    lost = true;
    await createdHandler!('DB');
    await settle();
    expect(log).toEqual(['fresh DB', 'matcher invalidated', 'sync forced']);
    log.length = 0;
    failing = 'sync forced';
    await createdHandler!('DB');
    await settle();
    expect(errors.map((e) => String(e[0]))).toEqual(['[already-debunked] resync after the database was lost failed:']);
  });

  it('a database made at first install: nothing else to do', async () => {
    await createdHandler!('DB');
    await settle();
    expect(log).toEqual(['fresh DB']);
  });

  it('messages go through the router: our own pages are answered, another extension is refused', async () => {
    const page = { id: 'our-extension-id', url: 'chrome-extension://our-extension-id/popup/index.html' };
    expect(await fire('message', { type: 'ui/get-history', payload: {} }, page)[0]).toEqual({ ok: true, value: { items: [] } });
    const other = await fire('message', { type: 'ui/get-history', payload: {} }, { ...page, id: 'another-extension' })[0];
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    const elsewhere = await fire('message', { type: 'ui/get-history', payload: {} }, { id: 'our-extension-id', url: 'https://x.com/home' })[0];
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(log).toEqual(['history asked']);
  });
});

describe('the test builds’ hook object', () => {
  const hook = () => (globalThis as unknown as { __alreadyDebunkedTest: Record<string, unknown> }).__alreadyDebunkedTest;

  it('gives the e2e tests the menu click, the test points, the trace marks and the network time scale', () => {
    expect(hook().points).toBe(testPoints);
    expect(hook().trace).toBe(traceMarks);
    (hook().clickMenu as Listener)({ menuItemId: 'report-to-fact-checkers' }, undefined);
    (hook().networkTimeScale as Listener)(0.1);
    expect(log).toEqual(['menu report-to-fact-checkers', 'time scale 0.1']);
  });

  it('hashes base64 bytes through the browser’s decoding path: the first hash in hex and the quality', async () => {
    const out = await (hook().hashBytes as (b: string, t: string) => Promise<unknown>)(btoa('\x01\x02\xff'), 'image/png');
    expect(log).toEqual(['hash 1,2,255 image/png']);
    // hashToHex: 64 hex digits, the 16 words most significant first (src/core/hash256.ts); word 0 = 0xabcd
    expect(out).toEqual({ hash: `${'0'.repeat(60)}abcd`, quality: 77 });
  });
});
