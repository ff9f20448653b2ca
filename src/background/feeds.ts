/**
 * Subscriptions and their sync schedule: sync on install, on browser start, on an alarm (every six
 * hours with jitter, sooner after a failure per the backoff), and on demand from the UI. Only one
 * sync runs at a time (a new feed's first sync included); the alarm is re-armed for the earliest
 * feed that is due.
 */
import browser from 'webextension-polyfill';
import * as v from 'valibot';
import { BUILD } from '../shared/build';
import type { FeedStatus } from '../shared/messages';
import { subscriptionSchema, type FeedSubscription } from '../shared/settings';
import { originPattern } from '../shared/validate';
import { bumpListGeneration, dropStoredIndex, openDatabase, type AdDB, type FeedRecord } from './db';
import { forgetFloor, storedFloors } from './floors';
import { recordStorageEvent } from './health';
import { invalidateMatcher } from './matcher';
import { loadSettings, updateSettings } from './settings-store';
import { SYNC_PERIOD_MINUTES, syncFeed, type SyncContext } from './sync';

export const SYNC_ALARM = 'feed-sync';
const MIN_ALARM_MINUTES = 1;

let running: Promise<void> | null = null;
/** The last sync queued: the next one starts after it. */
let queue: Promise<unknown> = Promise.resolve();
/** Feed states this worker could not store (a full disk), newer than what is stored. */
const notStored = new Map<string, FeedRecord>();

/** Runs `work` after every sync queued before it: one sync at a time, whoever asks. */
function oneSyncAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

const syncContext = (db: AdDB): SyncContext => ({ db, now: () => new Date(), testHosts: BUILD.testHosts, floors: storedFloors });

/** Syncs every enabled feed that is due (or all of them when forced). */
export function syncAll({ force = false } = {}): Promise<void> {
  running ??= oneSyncAtATime(() => doSyncAll(force)).finally(() => {
    running = null;
  });
  return running;
}

async function doSyncAll(force: boolean): Promise<void> {
  const settings = await loadSettings();
  const db = await openDatabase();
  const now = new Date();
  for (const sub of settings.subscriptions) {
    if (!sub.enabled) continue;
    const rec = await db.get('feeds', sub.url);
    const due = !rec?.nextTryAt || new Date(rec.nextTryAt) <= now;
    if (!force && !due) continue;
    const { outcome, record, unrecorded } = await syncFeed(sub, syncContext(db));
    if (outcome === 'updated') invalidateMatcher();
    if (unrecorded) {
      // Not even the failure could be stored (a full disk): keep it here for the popup, and note
      // the disk problem where it survives a restart.
      notStored.set(sub.url, record);
      await recordStorageEvent({ kind: 'disk-full', detail: record.lastError, reportsKept: null });
    } else {
      notStored.delete(sub.url);
    }
  }
  await scheduleNext();
}

/** Arms the alarm for the earliest nextTryAt among enabled feeds (or a full period from now). */
export async function scheduleNext(): Promise<void> {
  const settings = await loadSettings();
  const db = await openDatabase();
  const now = Date.now();
  let next = now + SYNC_PERIOD_MINUTES * 60_000;
  for (const sub of settings.subscriptions) {
    if (!sub.enabled) continue;
    const at = (await db.get('feeds', sub.url))?.nextTryAt;
    next = Math.min(next, at ? new Date(at).getTime() : now);
  }
  await browser.alarms.create(SYNC_ALARM, { delayInMinutes: Math.max(MIN_ALARM_MINUTES, (next - now) / 60_000) });
}

function toStatus(sub: FeedSubscription, rec: FeedRecord | undefined): FeedStatus {
  return {
    name: sub.name,
    url: sub.url,
    enabled: sub.enabled,
    publisherName: rec?.publisherName ?? null,
    seq: rec?.seq ?? null,
    entries: rec?.entryCount ?? 0,
    lastSyncAt: rec?.lastSuccessAt ?? null,
    lastAttemptAt: rec?.lastAttemptAt ?? null,
    lastError: rec?.lastError ?? null,
    nextTryAt: rec?.nextTryAt ?? null,
    expiresAt: rec?.expiresAt ?? null,
  };
}

export async function feedStatuses(): Promise<FeedStatus[]> {
  const settings = await loadSettings();
  const db = await openDatabase();
  return Promise.all(settings.subscriptions.map(async (s) => toStatus(s, notStored.get(s.url) ?? (await db.get('feeds', s.url)))));
}

/**
 * Adds a subscription. The UI asks the reader for the feed's host permission first (a permission
 * request needs a user gesture, which only a page has); here we check it was granted.
 */
export async function addFeed(input: unknown): Promise<FeedSubscription> {
  const parsed = v.safeParse(subscriptionSchema(BUILD.testHosts), input);
  if (!parsed.success) throw new Error(`invalid feed: ${[v.getDotPath(parsed.issues[0]), parsed.issues[0].message].filter(Boolean).join(' ')}`);
  const sub = parsed.output;
  const granted = await browser.permissions.contains({ origins: [originPattern(sub.url)] });
  if (!granted) throw new Error(`no permission to reach ${new URL(sub.url).origin}: allow it when asked`);
  await updateSettings((s) => {
    if (s.subscriptions.some((x) => x.url === sub.url)) throw new Error('that feed is already subscribed');
    return { ...s, subscriptions: [...s.subscriptions, sub] };
  });
  const db = await openDatabase();
  // In the same queue as every other sync: never two syncs of one feed side by side.
  await oneSyncAtATime(async () => {
    await syncFeed(sub, syncContext(db));
    invalidateMatcher();
  });
  await scheduleNext();
  return sub;
}

/** Removes a subscription with its stored entries (one transaction), and invalidates the index. */
export async function removeFeed(url: string): Promise<void> {
  await updateSettings((s) => ({ ...s, subscriptions: s.subscriptions.filter((x) => x.url !== url) }));
  const db = await openDatabase();
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([
    tx.objectStore('feeds').delete(url),
    tx.objectStore('entries').delete(IDBKeyRange.bound([url, ''], [url, '\uffff'])),
    bumpListGeneration(tx.objectStore('matchIndex')),
    tx.done,
  ]);
  invalidateMatcher();
  await forgetFloor(url); // subscribing again starts afresh (how a reader follows a new epoch)
}

export async function setFeedEnabled(url: string, enabled: boolean): Promise<void> {
  await updateSettings((s) => ({ ...s, subscriptions: s.subscriptions.map((x) => (x.url === url ? { ...x, enabled } : x)) }));
  const db = await openDatabase();
  await dropStoredIndex(db); // disabled feeds do not match
  invalidateMatcher();
  if (enabled) await syncAll({ force: true });
}
