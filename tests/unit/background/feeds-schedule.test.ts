// Subscriptions and the sync schedule of src/background/feeds.ts, with sync itself replaced by a
// recorder (sync.ts has its own tests): which feeds a sync pass visits (enabled ones, due ones unless
// forced), when the alarm is armed (module doc: every six hours, sooner for a feed due earlier, never
// under a minute — chrome.alarms' documented minimum delay), what the popup's feed list shows (the
// FeedStatus fields of src/shared/messages.ts from the stored record), a state that could not be
// stored kept for the popup, and adding, removing, disabling a feed.
// fake-indexeddb; the extension API faked in memory.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedRecord } from '../../../src/background/db';
import type { FeedSubscription } from '../../../src/shared/settings';
import type { FeedStatus } from '../../../src/shared/messages';

const local = new Map<string, unknown>();
const alarms: { name: string; info: { delayInMinutes?: number } }[] = [];
const permissionAsks: unknown[] = [];
let granted = true;
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
    permissions: {
      contains: async (p: unknown) => {
        permissionAsks.push(p);
        return granted;
      },
    },
    alarms: { create: async (name: string, info: { delayInMinutes?: number }) => void alarms.push({ name, info }) },
  },
}));

type SyncResult = { outcome: 'updated' | 'unchanged' | 'failed'; record: FeedRecord; unrecorded?: true };
const syncCalls: string[] = [];
let syncAnswer: (sub: FeedSubscription) => Promise<SyncResult>;
vi.mock('../../../src/background/sync', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/background/sync')>()),
  syncFeed: async (sub: FeedSubscription) => {
    syncCalls.push(sub.url);
    return syncAnswer(sub);
  },
}));
let invalidations = 0;
vi.mock('../../../src/background/matcher', () => ({ invalidateMatcher: () => void invalidations++ }));

const { openDatabase, newFeedRecord, listGeneration, storedIndex } = await import('../../../src/background/db');
const { addFeed, feedStatuses, removeFeed, scheduleNext, setFeedEnabled, syncAll, SYNC_ALARM } = await import('../../../src/background/feeds');
const { SETTINGS_KEY, defaultSettings } = await import('../../../src/shared/settings');
const { keys } = await import('./feed-server');
const { publicKeyToBase64 } = await import('../../../src/core/feed');

const NOW = new Date('2026-03-01T12:00:00.000Z');
const KEY = publicKeyToBase64(keys.publicKey);
const feed = (n: string, enabled = true): FeedSubscription => ({ name: `Feed ${n}`, url: `https://feeds${n}.example.org/v1/index.json`, publicKey: KEY, enabled });
const A = feed('a');
const B = feed('b');
const C = feed('c');
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
const settingsNow = () => local.get(SETTINGS_KEY) as { subscriptions: FeedSubscription[] };
const lastAlarm = () => alarms.at(-1);

async function putFeed(url: string, fields: Partial<FeedRecord>) {
  await (await openDatabase()).put('feeds', { ...newFeedRecord(url), ...fields });
}

beforeEach(async () => {
  const db = await openDatabase();
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([tx.objectStore('feeds').clear(), tx.objectStore('entries').clear(), tx.objectStore('matchIndex').clear(), tx.done]);
  local.clear();
  alarms.length = 0;
  permissionAsks.length = 0;
  syncCalls.length = 0;
  invalidations = 0;
  granted = true;
  syncAnswer = async (sub) => ({ outcome: 'unchanged', record: newFeedRecord(sub.url) });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the alarm (scheduleNext)', () => {
  it('is named for the feed sync, and armed a full period (six hours) ahead when nothing is due sooner', async () => {
    local.set(SETTINGS_KEY, defaultSettings([]));
    await scheduleNext();
    expect(SYNC_ALARM).toBe('feed-sync');
    expect(alarms).toEqual([{ name: 'feed-sync', info: { delayInMinutes: 360 } }]);
  });

  it('is armed for the earliest enabled feed that is due, never for a disabled one', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A, B, feed('c', false)]));
    await putFeed(A.url, { nextTryAt: minutes(90) });
    await putFeed(B.url, { nextTryAt: minutes(45) });
    await putFeed(feed('c').url, { nextTryAt: minutes(5) }); // disabled
    await scheduleNext();
    expect(lastAlarm()).toEqual({ name: 'feed-sync', info: { delayInMinutes: 45 } });
  });

  it('a feed due later than the period does not push the alarm past six hours', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A]));
    await putFeed(A.url, { nextTryAt: minutes(600) });
    await scheduleNext();
    expect(lastAlarm()?.info.delayInMinutes).toBe(360);
  });

  it('never under one minute: a feed overdue, or never synced (no record, or no date), fires in a minute', async () => {
    for (const fields of [{ nextTryAt: minutes(-30) }, { nextTryAt: minutes(0.25) }, { nextTryAt: null }, null]) {
      await (await openDatabase()).clear('feeds');
      local.set(SETTINGS_KEY, defaultSettings([A]));
      if (fields) await putFeed(A.url, fields);
      await scheduleNext();
      expect(lastAlarm()?.info.delayInMinutes, JSON.stringify(fields)).toBe(1);
    }
    await putFeed(A.url, { nextTryAt: minutes(2.5) });
    await scheduleNext();
    expect(lastAlarm()?.info.delayInMinutes, 'above the minimum, to the fraction').toBe(2.5);
  });
});

describe('a sync pass (syncAll)', () => {
  it('visits each enabled feed that is due (no date yet, or a date now or past), not one due later, nor a disabled one', async () => {
    const D = feed('d');
    local.set(SETTINGS_KEY, defaultSettings([A, B, C, D, feed('e', false)]));
    await putFeed(A.url, { nextTryAt: minutes(-1) });
    await putFeed(B.url, { nextTryAt: NOW.toISOString() });
    await putFeed(C.url, { nextTryAt: minutes(1) });
    // D has no record (a feed never synced)
    await putFeed(feed('e').url, { nextTryAt: null });
    await syncAll();
    expect(syncCalls).toEqual([A.url, B.url, D.url]);
    expect(alarms, 'the alarm armed again after the pass').toHaveLength(1);
    expect(lastAlarm()?.info.delayInMinutes).toBe(1); // D's record was never written: due now
  });

  it('forced (the reader asks): every enabled feed, due or not; still never a disabled one', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A, feed('b', false), C]));
    await putFeed(A.url, { nextTryAt: minutes(300) });
    await putFeed(C.url, { nextTryAt: minutes(30) });
    await syncAll({ force: true });
    expect(syncCalls).toEqual([A.url, C.url]);
  });

  it('the matcher is told to rebuild only when a feed was updated', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A, B, C]));
    const outcomes: Record<string, SyncResult['outcome']> = { [A.url]: 'unchanged', [B.url]: 'failed', [C.url]: 'unchanged' };
    syncAnswer = async (sub) => ({ outcome: outcomes[sub.url]!, record: newFeedRecord(sub.url) });
    await syncAll();
    expect(invalidations).toBe(0);
    outcomes[B.url] = 'updated';
    await syncAll();
    expect(invalidations).toBe(1);
  });

  it('two callers at once share one pass; a later caller gets a new one', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A]));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    syncAnswer = async (sub) => {
      await gate;
      return { outcome: 'unchanged', record: newFeedRecord(sub.url) };
    };
    const first = syncAll({ force: true });
    const second = syncAll({ force: true });
    expect(second).toBe(first);
    release();
    await Promise.all([first, second]);
    expect(syncCalls).toEqual([A.url]);
    await syncAll({ force: true });
    expect(syncCalls).toEqual([A.url, A.url]);
  });

  it('a feed state that could not be stored (a full disk) is shown in the popup and noted where it survives; a later stored sync replaces it', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A, B]));
    await putFeed(A.url, { lastError: null, failures: 0, publisherName: 'Stored A' });
    await putFeed(B.url, { publisherName: 'Stored B' });
    const failed: FeedRecord = { ...newFeedRecord(A.url), publisherName: 'Stored A', lastError: 'not enough disk space to store the feed', failures: 1, lastAttemptAt: NOW.toISOString(), nextTryAt: minutes(5) };
    syncAnswer = async (sub) => (sub.url === A.url ? { outcome: 'failed', record: failed, unrecorded: true } : { outcome: 'unchanged', record: newFeedRecord(sub.url) });
    await syncAll({ force: true });
    const [a, b] = (await feedStatuses()) as [FeedStatus, FeedStatus];
    expect(a.lastError, 'what the worker holds, not the older stored record').toBe('not enough disk space to store the feed');
    expect(a.nextTryAt).toBe(minutes(5));
    expect(b.publisherName, 'the other feed from the database').toBe('Stored B');
    expect(local.get('storageEvent')).toEqual({ kind: 'disk-full', detail: 'not enough disk space to store the feed', reportsKept: null, at: NOW.toISOString() });
    // The next pass stores A's state: the popup reads the database again.
    syncAnswer = async (sub) => ({ outcome: 'unchanged', record: newFeedRecord(sub.url) });
    await syncAll({ force: true });
    expect((await feedStatuses())[0]).toMatchObject({ lastError: null, publisherName: 'Stored A' });
  });
});

describe('the popup’s list of feeds (feedStatuses)', () => {
  it('each subscription in order with its stored state (FeedStatus, src/shared/messages.ts)', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A, feed('b', false)]));
    await putFeed(A.url, {
      feedId: 'afp-media',
      seq: 7,
      publisherName: 'AFP Factuel',
      entryCount: 42,
      lastSuccessAt: minutes(-60),
      lastAttemptAt: minutes(-30),
      lastError: 'HTTP 503',
      nextTryAt: minutes(15),
      expiresAt: minutes(60 * 24),
      highestSeq: 7,
    });
    expect(await feedStatuses()).toEqual([
      {
        name: 'Feed a',
        url: A.url,
        enabled: true,
        publisherName: 'AFP Factuel',
        seq: 7,
        entries: 42,
        lastSyncAt: minutes(-60),
        lastAttemptAt: minutes(-30),
        lastError: 'HTTP 503',
        nextTryAt: minutes(15),
        expiresAt: minutes(60 * 24),
      },
      // Never synced: nothing known yet.
      { name: 'Feed b', url: feed('b').url, enabled: false, publisherName: null, seq: null, entries: 0, lastSyncAt: null, lastAttemptAt: null, lastError: null, nextTryAt: null, expiresAt: null },
    ]);
  });
});

describe('adding a feed (addFeed)', () => {
  it('checks the host permission of the feed’s origin, stores the subscription, syncs it, re-arms the alarm', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A]));
    const added = await addFeed({ name: '  Feed b ', url: B.url, publicKey: KEY });
    expect(added, 'trimmed name, enabled by default').toEqual({ name: 'Feed b', url: B.url, publicKey: KEY, enabled: true });
    expect(permissionAsks).toEqual([{ origins: ['https://feedsb.example.org/*'] }]);
    expect(settingsNow().subscriptions.map((s) => s.url)).toEqual([A.url, B.url]);
    expect(syncCalls).toEqual([B.url]);
    expect(invalidations).toBe(1);
    expect(alarms).toHaveLength(1);
  });

  it('refuses a feed without its host permission, naming the origin, and stores nothing', async () => {
    local.set(SETTINGS_KEY, defaultSettings([]));
    granted = false;
    await expect(addFeed(B)).rejects.toThrow(/^no permission to reach https:\/\/feedsb\.example\.org: allow it when asked$/);
    expect(settingsNow().subscriptions).toEqual([]);
    expect(syncCalls).toEqual([]);
  });

  it('refuses a feed already subscribed, and an invalid one with the field and the reason', async () => {
    local.set(SETTINGS_KEY, defaultSettings([A]));
    await expect(addFeed({ ...A, name: 'Again' })).rejects.toThrow(/^that feed is already subscribed$/);
    await expect(addFeed({ ...B, url: 'http://feedsb.example.org/v1/index.json' })).rejects.toThrow(/^invalid feed: url feed URL must be https$/);
    await expect(addFeed({ ...B, name: ' ' })).rejects.toThrow(/^invalid feed: name a feed needs a name$/);
    // Not an object at all: no field to name, and no stray space where it would be.
    await expect(addFeed('https://feedsb.example.org/v1/index.json')).rejects.toThrow(/^invalid feed: [^ ].*[^ ]$/);
    expect(settingsNow().subscriptions.map((s) => s.name)).toEqual(['Feed a']);
    expect(syncCalls).toEqual([]);
    expect(permissionAsks, 'an invalid feed is refused before asking').toHaveLength(1);
  });
});

describe('removing and disabling a feed', () => {
  it('removeFeed deletes the feed’s record and entries only, drops the stored index and bumps its generation', async () => {
    const db = await openDatabase();
    // A URL that is a prefix of the removed one, and one that sorts just after it.
    const prefix = { ...A, url: A.url.slice(0, -'index.json'.length) };
    local.set(SETTINGS_KEY, defaultSettings([A, B]));
    await putFeed(A.url, {});
    await putFeed(B.url, {});
    const e = (feedUrl: string, id: string) => ({ feedUrl, id, entry: {} as never });
    for (const r of [e(A.url, ''), e(A.url, 'x'), e(A.url, 'zz'), e(B.url, 'x'), e(prefix.url, 'x'), e(`${A.url}?2`, 'x')]) await db.put('entries', r);
    await db.put('matchIndex', { key: 'current', buffer: new ArrayBuffer(8) } as never);
    await db.put('matchIndex', { key: 'generation', generation: 4 });
    local.set('feedFloors', { [A.url]: { feedId: 'a', epoch: 1, seq: 3 }, [B.url]: { feedId: 'b', epoch: 1, seq: 9 } });
    await removeFeed(A.url);
    expect(settingsNow().subscriptions.map((s) => s.url)).toEqual([B.url]);
    expect(await db.get('feeds', A.url)).toBeUndefined();
    expect(await db.get('feeds', B.url)).toBeDefined();
    expect((await db.getAllKeys('entries')).sort()).toEqual([[B.url, 'x'], [prefix.url, 'x'], [`${A.url}?2`, 'x']].sort());
    const tx = db.transaction('matchIndex');
    expect(await listGeneration(tx.store)).toBe(5);
    expect(await storedIndex(tx.store)).toBeUndefined();
    expect(invalidations).toBe(1);
    expect(local.get('feedFloors')).toEqual({ [B.url]: { feedId: 'b', epoch: 1, seq: 9 } });
  });

  it('setFeedEnabled(false) turns that feed off only, drops the index, and syncs nothing', async () => {
    const db = await openDatabase();
    local.set(SETTINGS_KEY, defaultSettings([A, B]));
    await db.put('matchIndex', { key: 'current', buffer: new ArrayBuffer(8) } as never);
    await setFeedEnabled(A.url, false);
    expect(settingsNow().subscriptions.map((s) => [s.url, s.enabled])).toEqual([[A.url, false], [B.url, true]]);
    const tx = db.transaction('matchIndex');
    expect(await listGeneration(tx.store)).toBe(1);
    expect(await storedIndex(tx.store)).toBeUndefined();
    expect(invalidations).toBe(1);
    expect(syncCalls).toEqual([]);
  });

  it('setFeedEnabled(true) syncs at once, even a feed not due', async () => {
    local.set(SETTINGS_KEY, defaultSettings([feed('a', false), B]));
    await putFeed(A.url, { nextTryAt: minutes(200) });
    await putFeed(B.url, { nextTryAt: minutes(200) });
    await setFeedEnabled(A.url, true);
    expect(settingsNow().subscriptions.map((s) => s.enabled)).toEqual([true, true]);
    expect(syncCalls).toEqual([A.url, B.url]);
  });
});
