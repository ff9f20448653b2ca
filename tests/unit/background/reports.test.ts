// The background side of reports (src/background/reports.ts) on fake-indexeddb, with the browser's
// storage, the media hashing and the network replaced: where a report may go (each enabled feed
// that takes reports, in the reader's order, then the reader's own address), what a draft holds
// (X media only, a fingerprint or null, the second the report was made), what a submission is
// checked against before it is queued and sent, and the count of notices per local day.
// Expected values come from docs/report-format.md and the settings the tests write, not from the code.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const posted: { endpoint: string; body: string }[] = [];
let answer = { status: 201, redirected: false, retryAfter: null as string | null, text: '{"status":"stored"}' };
let hashFails = false;

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
    i18n: { getUILanguage: () => 'de-AT' },
    permissions: { contains: async () => true },
    alarms: { create: async () => undefined, clear: async () => true },
    declarativeNetRequest: { updateSessionRules: async () => undefined },
  },
}));
vi.mock('../../../src/background/media', () => ({
  hashMediaUrl: async (url: string) => {
    if (hashFails) throw new Error('could not decode');
    // a known hash per media file: the code of the file name's last letter, over and over
    const { hashFromHex } = await import('../../../src/core/hash256');
    return { hashes: [hashFromHex(url.charCodeAt(url.length - 5).toString(16).repeat(32))], quality: 77 };
  },
}));
vi.mock('../../../src/background/net', async (orig) => ({
  ...(await orig<typeof import('../../../src/background/net')>()),
  postJson: async (endpoint: string, body: string) => {
    posted.push({ endpoint, body });
    return answer;
  },
}));

const { prepareReport, recipientsFor, submitReport, noticesToday, countNotice, mayTransmit, readerLocale } = await import('../../../src/background/reports');
const { openDatabase, newFeedRecord } = await import('../../../src/background/db');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');

const KEY = 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE='; // 32 bytes: an Ed25519 public key's form
const A = 'https://a.example/index.json';
const B = 'https://b.example/index.json';
const C = 'https://c.example/index.json';
const POST = { author: 'newsdesk_fx', postId: '1861000000000000001', text: 'Kim arrives in Moscow today', lang: 'en' };
const PHOTO = 'https://pbs.twimg.com/media/GZA6uwubAAA0-Wm.jpg';
const THUMB = 'https://pbs.twimg.com/amplify_video_thumb/1/img/b.jpg';

async function setUp(subs: { url: string; name: string; enabled?: boolean; endpoint?: string | null; feedId?: string }[], own: string | null = null) {
  const settings = { ...defaultSettings([]), subscriptions: subs.map((s) => ({ url: s.url, name: s.name, publicKey: KEY, enabled: s.enabled ?? true })), reportEndpoint: own };
  local.set(SETTINGS_KEY, settings);
  const db = await openDatabase();
  await db.clear('feeds');
  await db.clear('outbox');
  for (const s of subs) await db.put('feeds', { ...newFeedRecord(s.url), feedId: s.feedId ?? `${s.url}#id`, reportEndpoint: s.endpoint ?? null });
  return settings;
}

beforeEach(() => {
  local.clear();
  posted.length = 0;
  answer = { status: 201, redirected: false, retryAfter: null, text: '{"status":"stored"}' };
  hashFails = false;
});

describe('recipientsFor: where a report may go', () => {
  it('each enabled feed that takes reports, in the order the reader follows them, then the reader’s own address', async () => {
    const settings = await setUp(
      [
        { url: B, name: 'Bee', endpoint: 'https://b.example/reports', feedId: 'feed-b' },
        { url: A, name: 'Ay', endpoint: 'https://a.example/reports', feedId: 'feed-a' },
        { url: C, name: 'Sea', endpoint: null },
      ],
      'https://me.example/inbox',
    );
    expect(await recipientsFor(settings)).toEqual([
      { recipient: { endpoint: 'https://b.example/reports', feedUrl: B, feedId: 'feed-b' }, feedName: 'Bee' },
      { recipient: { endpoint: 'https://a.example/reports', feedUrl: A, feedId: 'feed-a' }, feedName: 'Ay' },
      { recipient: { endpoint: 'https://me.example/inbox', feedUrl: null, feedId: null }, feedName: null },
    ]);
  });
  it('not a feed the reader switched off, nor one not synced yet; nothing when no one takes reports', async () => {
    const settings = await setUp([{ url: A, name: 'Ay', endpoint: 'https://a.example/reports', enabled: false }]);
    expect(await recipientsFor(settings)).toEqual([]);
    const s2 = { ...settings, subscriptions: [...settings.subscriptions, { url: 'https://new.example/index.json', name: 'New', publicKey: KEY, enabled: true }] };
    expect(await recipientsFor(s2)).toEqual([]);
  });
});

describe('prepareReport: the draft the dialog shows', () => {
  const req = (over: Record<string, unknown> = {}) => ({ kind: 'tip' as const, post: POST, media: [{ type: 'photo' as const, url: PHOTO, quoted: false }], match: null, ...over });
  it('the post’s canonical address, X media with their fingerprints, an id, the second it was made, the client', async () => {
    await setUp([{ url: A, name: 'Ay', endpoint: 'https://a.example/reports', feedId: 'feed-a' }]);
    const media = [
      { type: 'photo' as const, url: PHOTO, quoted: false },
      { type: 'photo' as const, url: 'https://evil.example/media/x.jpg', quoted: false }, // not X's: left out
      { type: 'video' as const, url: THUMB, quoted: true },
    ];
    const { draft, recipients } = await prepareReport(req({ media }), new Date('2026-11-24T00:12:34.987Z'));
    expect(draft.post).toEqual({ url: 'https://x.com/newsdesk_fx/status/1861000000000000001', ...POST });
    expect(draft.createdAt).toBe('2026-11-24T00:12:34.000Z');
    expect(draft.reportId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(draft.client).toEqual({ name: 'already-debunked', version: expect.any(String), locale: 'de' });
    expect(draft.kind).toBe('tip');
    expect(draft.match).toBeNull();
    expect(draft.media).toEqual([
      { type: 'photo', url: PHOTO, quoted: false, pdq: { value: 'm'.charCodeAt(0).toString(16).repeat(32), quality: 77 } },
      { type: 'video', url: THUMB, quoted: true, pdq: { value: 'b'.charCodeAt(0).toString(16).repeat(32), quality: 77 } },
    ]);
    expect(recipients.map((r) => r.recipient.endpoint)).toEqual(['https://a.example/reports']);
  });
  it('a picture that cannot be hashed is sent without a fingerprint', async () => {
    await setUp([]);
    hashFails = true;
    const { draft } = await prepareReport(req());
    expect(draft.media).toEqual([{ type: 'photo', url: PHOTO, quoted: false, pdq: null }]);
  });
  it('refuses what is not an X post', async () => {
    await setUp([]);
    await expect(prepareReport(req({ post: { ...POST, author: 'a/b' } }))).rejects.toThrow('not a post this extension can report');
  });
  it('a wrong-match report names its notice, from a feed the reader follows, whose address comes first', async () => {
    await setUp(
      [
        { url: A, name: 'Ay', endpoint: 'https://a.example/reports', feedId: 'feed-a' },
        { url: B, name: 'Bee', endpoint: 'https://b.example/reports', feedId: 'feed-b' },
      ],
      'https://me.example/inbox',
    );
    const match = { feedUrl: B, entryId: 'e-17', distance: 12, variant: 'crop:0.9' };
    const { draft, recipients } = await prepareReport(req({ kind: 'wrong-match', match }));
    expect(draft.match).toEqual({ feedUrl: B, feedId: 'feed-b', entryId: 'e-17', distance: 12, variant: 'crop:0.9' });
    expect(recipients.map((r) => r.recipient.endpoint)).toEqual(['https://b.example/reports', 'https://a.example/reports', 'https://me.example/inbox']);
    await expect(prepareReport(req({ kind: 'wrong-match', match: null }))).rejects.toThrow('a wrong-match report names the notice it is about');
    await expect(prepareReport(req({ kind: 'wrong-match', match: { ...match, feedUrl: C } }))).rejects.toThrow('that notice came from a feed you no longer follow');
  });
});

describe('submitReport: checked again, queued, sent', () => {
  const options = async () => {
    await setUp([{ url: A, name: 'Ay', endpoint: 'https://a.example/reports', feedId: 'feed-a' }]);
    const { draft, recipients } = await prepareReport({ kind: 'tip', post: POST, media: [{ type: 'photo', url: PHOTO, quoted: false }], match: null });
    const choices = { recipient: recipients[0]!.recipient, reason: 'recycled-out-of-context' as const, includeText: true, note: '', contact: '' };
    return { draft, choices };
  };
  it('sends the report to the address chosen, once, and says it was delivered', async () => {
    const { draft, choices } = await options();
    const out = await submitReport({ draft, choices });
    expect(out).toEqual({ reportId: draft.reportId, status: 'delivered', lastError: null, duplicate: false, needsConsent: false });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.endpoint).toBe('https://a.example/reports');
    expect(JSON.parse(posted[0]!.body)).toMatchObject({ reportId: draft.reportId, post: { url: 'https://x.com/newsdesk_fx/status/1861000000000000001' } });
    const again = await submitReport({ draft, choices });
    expect(again).toMatchObject({ reportId: draft.reportId, duplicate: true, status: 'delivered' });
    expect(posted, 'the same report id is never sent twice').toHaveLength(1);
  });
  it('a refusal is kept with what the desk said', async () => {
    const { draft, choices } = await options();
    answer = { status: 422, redirected: false, retryAfter: null, text: 'no such post' };
    expect(await submitReport({ draft, choices })).toMatchObject({ status: 'rejected', lastError: 'HTTP 422: no such post' });
  });
  it('refuses a draft changed on the way back: another site, non-X media, an address no longer the reader’s', async () => {
    const { draft, choices } = await options();
    await expect(submitReport({ draft: { ...draft, post: { ...draft.post, url: 'https://x.com.evil.example/a/status/1' } }, choices })).rejects.toThrow('not a post this extension can report');
    await expect(submitReport({ draft: { ...draft, media: [{ ...draft.media[0]!, url: 'https://evil.example/media/x.jpg' }] }, choices })).rejects.toThrow('a report carries X media only');
    for (const recipient of [
      { ...choices.recipient, endpoint: 'https://other.example/reports' },
      { ...choices.recipient, feedUrl: B },
      { ...choices.recipient, feedId: 'feed-x' },
    ]) {
      await expect(submitReport({ draft, choices: { ...choices, recipient } })).rejects.toThrow('that address no longer receives reports');
    }
    expect(posted).toHaveLength(0);
  });
});

describe('notices today: one number per local day', () => {
  it('counts one after another, without losing a burst, and starts again the next day', async () => {
    const day = new Date(2026, 10, 24, 9, 30);
    expect(await noticesToday(day)).toBe(0);
    expect(await Promise.all([countNotice(day), countNotice(day), countNotice(day)])).toEqual([1, 2, 3]);
    expect(await noticesToday(day)).toBe(3);
    expect(await noticesToday(new Date(2026, 10, 24, 23, 59))).toBe(3);
    expect(local.get('noticesToday')).toEqual({ day: '2026-11-24', count: 3 });
    const next = new Date(2026, 10, 25, 0, 1);
    expect(await noticesToday(next)).toBe(0);
    expect(await countNotice(next)).toBe(1);
    expect(local.get('noticesToday')).toEqual({ day: '2026-11-25', count: 1 });
    expect(await countNotice(new Date(2026, 0, 5, 8))).toBe(1);
    expect(local.get('noticesToday')).toEqual({ day: '2026-01-05', count: 1 });
  });
  it('a stored value of another shape counts as none', async () => {
    const day = new Date(2026, 10, 24, 9, 30);
    local.set('noticesToday', { day: '2026-11-24', count: '4' });
    expect(await noticesToday(day)).toBe(0);
  });
});

describe('the reader’s language and consent', () => {
  it('the reader’s choice, else the browser’s language, else English', async () => {
    expect(readerLocale({ ...defaultSettings([]), language: 'fr' })).toBe('fr');
    expect(readerLocale(defaultSettings([]))).toBe('de');
  });
  it('a Chromium build needs no consent to send', async () => {
    expect(await mayTransmit()).toBe(true);
  });
});
