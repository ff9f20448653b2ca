// Reports in the browser that sends them (src/background/reports.ts): Firefox's data consent
// ("websiteContent", Firefox's built-in data collection permissions) asked before anything is sent,
// the outbox alarm armed for the next report and cleared when none is left, the Origin rule
// installed before a report is POSTed, a forced pass sending a report not due yet, and the backup
// of the queued reports kept after each pass. fake-indexeddb; the browser and the network faked.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const log: string[] = [];
let consent: boolean | 'no such permission' = true;
let answer = { status: 201, redirected: false, retryAfter: null as string | null, text: '' };

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
    i18n: { getUILanguage: () => 'en-GB' },
    permissions: {
      contains: async (p: unknown) => {
        log.push(`consent? ${JSON.stringify(p)}`);
        if (consent === 'no such permission') throw new Error('Type error for parameter permissions');
        return consent;
      },
    },
    alarms: {
      create: async (name: string, info: { when: number }) => void log.push(`alarm ${name} at ${info.when}`),
      clear: async (name: string) => (log.push(`alarm ${name} cleared`), true),
    },
    declarativeNetRequest: { updateSessionRules: async () => void log.push('origin rule') },
  },
}));
vi.mock('../../../src/background/media', () => ({
  hashMediaUrl: async () => {
    const { hashFromHex } = await import('../../../src/core/hash256');
    return { hashes: [hashFromHex('ab'.repeat(32))], quality: 90 };
  },
}));
vi.mock('../../../src/background/net', async (orig) => ({
  ...(await orig<typeof import('../../../src/background/net')>()),
  postJson: async (endpoint: string) => (log.push(`POST ${endpoint}`), answer),
}));

const { prepareReport, submitReport, flushReports, mayTransmit } = await import('../../../src/background/reports');
const { openDatabase, newFeedRecord } = await import('../../../src/background/db');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');
const { BUILD } = await import('../../../src/shared/build');

const KEY = 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const A = 'https://a.example/index.json';
const NOW = Date.parse('2026-06-01T10:00:00.000Z');
const HOUR = 60 * 60_000;
const POST = { author: 'newsdesk_fx', postId: '1861000000000000001', text: 'Kim arrives in Moscow today', lang: 'en' };
const consentAsked = `consent? ${JSON.stringify({ data_collection: ['websiteContent'] })}`;

async function submit() {
  const { draft, recipients } = await prepareReport({ kind: 'tip', post: POST, media: [{ type: 'photo', url: 'https://pbs.twimg.com/media/GZA6uwubAAA0-Wm.jpg', quoted: false }], match: null });
  return submitReport({ draft, choices: { recipient: recipients[0]!.recipient, reason: 'recycled-out-of-context', includeText: true, note: '', contact: '' } });
}

const target = BUILD.target;
beforeEach(async () => {
  local.clear();
  log.length = 0;
  consent = true;
  answer = { status: 201, redirected: false, retryAfter: null, text: '' };
  local.set(SETTINGS_KEY, { ...defaultSettings([]), subscriptions: [{ url: A, name: 'Ay', publicKey: KEY, enabled: true }] });
  const db = await openDatabase();
  await db.clear('outbox');
  await db.put('feeds', { ...newFeedRecord(A), feedId: 'feed-a', reportEndpoint: 'https://a.example/reports' });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  BUILD.target = target;
  vi.useRealTimers();
});

describe('the outbox in the worker', () => {
  it('the Origin rule is installed before the first POST (once per worker: this is the file’s first POST); nothing left queued clears the alarm', async () => {
    const out = await submit();
    expect(out).toMatchObject({ status: 'delivered', needsConsent: false });
    expect(log).toEqual(['origin rule', 'POST https://a.example/reports', 'alarm report-outbox cleared']);
  });

  it('a report not delivered arms the alarm for its retry; only a forced pass sends it before then', async () => {
    answer = { status: 503, redirected: false, retryAfter: null, text: '' };
    const out = await submit();
    expect(out).toMatchObject({ status: 'queued', lastError: 'HTTP 503', needsConsent: false });
    const retryAt = Date.parse((await (await openDatabase()).getAll('outbox'))[0]!.nextTryAt!);
    expect(retryAt).toBeGreaterThan(NOW);
    expect(log.at(-1)).toBe(`alarm report-outbox at ${retryAt}`);
    expect(local.get('outboxBackup'), 'the queued report backed up after the pass').toMatchObject([{ status: 'queued', attempts: 1, lastError: 'HTTP 503' }]);
    log.length = 0;
    answer = { status: 201, redirected: false, retryAfter: null, text: '' };
    await flushReports();
    expect(log.filter((l) => l.startsWith('POST')), 'not due yet').toEqual([]);
    await flushReports(true);
    expect(log.filter((l) => l.startsWith('POST'))).toEqual(['POST https://a.example/reports']);
    expect(local.get('outboxBackup'), 'nothing queued is left in the backup').toEqual([]);
  });
});

describe('Firefox’s data consent', () => {
  it('asked as the "websiteContent" data collection permission; refused: no; unknown to this Firefox: yes', async () => {
    BUILD.target = 'firefox';
    expect(await mayTransmit()).toBe(true);
    consent = false;
    expect(await mayTransmit()).toBe(false);
    consent = 'no such permission';
    expect(await mayTransmit()).toBe(true);
    expect(log).toEqual([consentAsked, consentAsked, consentAsked]);
  });

  it('a Chromium build never asks', async () => {
    consent = false;
    expect(await mayTransmit()).toBe(true);
    expect(log).toEqual([]);
  });

  it('without it, a report is queued and not sent, the reader is told, and it is looked at again in an hour', async () => {
    BUILD.target = 'firefox';
    consent = false;
    const out = await submit();
    expect(out).toMatchObject({ status: 'queued', lastError: 'waiting for your permission to send reports', duplicate: false, needsConsent: true });
    expect(log.filter((l) => l.startsWith('POST'))).toEqual([]);
    expect(log.filter((l) => l.startsWith('alarm'))).toEqual([`alarm report-outbox at ${NOW + HOUR}`]);
    // Granted (index.ts calls flushReports(true)): sent at once.
    consent = true;
    log.length = 0;
    await flushReports(true);
    expect(log).toEqual([consentAsked, 'POST https://a.example/reports', 'alarm report-outbox cleared']);
    expect((await (await openDatabase()).getAll('outbox'))[0]?.status).toBe('delivered');
  });
});
