/**
 * The health of what the extension stores, as the popup shows it: the last thing that went wrong
 * with IndexedDB and how it was repaired. Kept in storage.local, which is separate from IndexedDB
 * and so survives what this records: a damaged match index (rebuilt from the stored feeds), an
 * index that could not be saved (a full disk: rebuilt in memory when needed), or a database that
 * was deleted or lost (the feeds downloaded again; settings and unsent reports kept).
 *
 * Unsent reports are backed up here too (a copy of each queued report's text), so that losing the
 * database does not lose them.
 */
import browser from 'webextension-polyfill';
import type { StorageEvent } from '../shared/messages';
import type { AdDB, OutboxRecord } from './db';

const EVENT_KEY = 'storageEvent';
const BACKUP_KEY = 'outboxBackup';
/** The database has existed before: a fresh one after this means it was lost, not first made. */
const CREATED_KEY = 'databaseCreatedAt';
/** A repaired problem stays in the popup this long. */
const SHOWN_FOR_MS = 7 * 24 * 60 * 60_000;

export async function recordStorageEvent(event: Omit<StorageEvent, 'at'>, now = new Date()): Promise<void> {
  try {
    await browser.storage.local.set({ [EVENT_KEY]: { ...event, at: now.toISOString() } satisfies StorageEvent });
  } catch (e) {
    console.error('[already-debunked] could not record a storage problem:', event, e);
  }
}

export async function lastStorageEvent(now = new Date()): Promise<StorageEvent | null> {
  const e = (await browser.storage.local.get(EVENT_KEY))[EVENT_KEY] as StorageEvent | undefined;
  return e && now.getTime() - Date.parse(e.at) < SHOWN_FOR_MS ? e : null;
}

/** Keeps the backup equal to the queued reports (called after every change to the outbox). */
export async function backUpOutbox(db: AdDB): Promise<void> {
  const queued = (await db.getAll('outbox')).filter((r) => r.status === 'queued');
  await browser.storage.local.set({ [BACKUP_KEY]: queued });
}

/**
 * The database was just created (db.ts). On first install, note it; if it existed before, it was
 * lost: put the unsent reports back, record what happened, and tell the caller to resync.
 */
export async function onFreshDatabase(db: AdDB, now = new Date()): Promise<{ lost: boolean }> {
  const stored = await browser.storage.local.get([CREATED_KEY, BACKUP_KEY]);
  await browser.storage.local.set({ [CREATED_KEY]: now.toISOString() });
  if (!stored[CREATED_KEY]) return { lost: false };
  const backup = (stored[BACKUP_KEY] as OutboxRecord[] | undefined) ?? [];
  const tx = db.transaction('outbox', 'readwrite');
  await Promise.all([...backup.map((r) => tx.store.put(r)), tx.done]);
  await recordStorageEvent({ kind: 'database-reset', detail: null, reportsKept: backup.length }, now);
  return { lost: true };
}
