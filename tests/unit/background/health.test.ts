// The storage health the popup shows (src/background/health.ts), which only the e2e storage tests
// drove: the last problem kept in storage.local (StorageEvent, src/shared/messages.ts) for a week,
// the backup of the queued reports beside it, and what a database made from nothing means — first
// install, or a database lost since (its queued reports put back, the loss recorded). Expected
// values from the module's contract (its doc comments) and the StorageEvent type.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxRecord } from '../../../src/background/db';

const local = new Map<string, unknown>();
let failSet = false;
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => {
          if (failSet) throw new Error('QUOTA_BYTES quota exceeded');
          Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v)));
        },
      },
    },
  },
}));
const { recordStorageEvent, lastStorageEvent, backUpOutbox, onFreshDatabase } = await import('../../../src/background/health');
const { openDatabase } = await import('../../../src/background/db');

const NOW = new Date('2026-05-10T08:00:00.000Z');
const DAY = 24 * 60 * 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const rec = (id: string, status: OutboxRecord['status']): OutboxRecord => ({
  reportId: id,
  body: `{"reportId":"${id}"}`,
  endpoint: 'https://desk.example.org/reports',
  createdAt: '2026-05-09T10:00:00.000Z',
  status,
  attempts: 0,
  lastAttemptAt: null,
  nextTryAt: null,
  lastError: null,
  deliveredAt: null,
});

beforeEach(() => {
  local.clear();
  failSet = false;
  globalThis.indexedDB = new IDBFactory();
});

describe('the last storage problem', () => {
  it('is kept with the time it happened, and shown for a week (not at 7 days exactly)', async () => {
    await recordStorageEvent({ kind: 'index-rebuilt', detail: 'rowKind is not a Uint8Array', reportsKept: null }, NOW);
    expect(local.get('storageEvent')).toEqual({ kind: 'index-rebuilt', detail: 'rowKind is not a Uint8Array', reportsKept: null, at: NOW.toISOString() });
    expect(await lastStorageEvent(NOW)).toEqual({ kind: 'index-rebuilt', detail: 'rowKind is not a Uint8Array', reportsKept: null, at: NOW.toISOString() });
    expect(await lastStorageEvent(at(7 * DAY - 1))).not.toBeNull();
    expect(await lastStorageEvent(at(7 * DAY))).toBeNull();
  });

  it('none recorded: none shown; a newer one replaces the older', async () => {
    expect(await lastStorageEvent(NOW)).toBeNull();
    await recordStorageEvent({ kind: 'index-rebuilt', detail: null, reportsKept: null }, NOW);
    await recordStorageEvent({ kind: 'disk-full', detail: 'not enough disk space', reportsKept: null }, at(1000));
    expect((await lastStorageEvent(at(2000)))?.kind).toBe('disk-full');
  });

  it('a problem that cannot even be recorded is logged, never thrown at the caller', async () => {
    failSet = true;
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(recordStorageEvent({ kind: 'disk-full', detail: 'x', reportsKept: null }, NOW)).resolves.toBeUndefined();
    const logged = error.mock.calls.map((c) => [String(c[0]), (c[1] as { kind: string }).kind, String(c[2])]);
    error.mockRestore();
    expect(logged).toEqual([['[already-debunked] could not record a storage problem:', 'disk-full', 'Error: QUOTA_BYTES quota exceeded']]);
  });

  it('without a clock given, uses the current time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      await recordStorageEvent({ kind: 'index-not-saved', detail: null, reportsKept: null });
      expect((local.get('storageEvent') as { at: string }).at).toBe(NOW.toISOString());
      expect(await lastStorageEvent()).not.toBeNull();
      vi.setSystemTime(at(8 * DAY));
      expect(await lastStorageEvent()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the queued reports’ backup', () => {
  it('holds exactly the queued reports (not the delivered or refused ones), replaced at each change', async () => {
    const db = await openDatabase('health-backup');
    for (const r of [rec('a', 'queued'), rec('b', 'delivered'), rec('c', 'rejected'), rec('d', 'queued')]) await db.put('outbox', r);
    await backUpOutbox(db);
    expect(local.get('outboxBackup')).toEqual([rec('a', 'queued'), rec('d', 'queued')]);
    await db.delete('outbox', 'a');
    await backUpOutbox(db);
    expect(local.get('outboxBackup')).toEqual([rec('d', 'queued')]);
  });
});

describe('a database made from nothing', () => {
  it('first install: noted, nothing restored, no problem recorded', async () => {
    const db = await openDatabase('health-first');
    expect(await onFreshDatabase(db, NOW)).toEqual({ lost: false });
    expect(local.get('databaseCreatedAt')).toBe(NOW.toISOString());
    expect(local.has('storageEvent')).toBe(false);
    expect(await db.count('outbox')).toBe(0);
  });

  it('after a loss: the backed-up reports are put back, and the reset is recorded with their number', async () => {
    local.set('databaseCreatedAt', '2026-01-01T00:00:00.000Z');
    local.set('outboxBackup', [rec('a', 'queued'), rec('d', 'queued')]);
    const db = await openDatabase('health-lost');
    expect(await onFreshDatabase(db, NOW)).toEqual({ lost: true });
    expect(await db.getAll('outbox')).toEqual([rec('a', 'queued'), rec('d', 'queued')]);
    expect(local.get('storageEvent')).toEqual({ kind: 'database-reset', detail: null, reportsKept: 2, at: NOW.toISOString() });
    expect(local.get('databaseCreatedAt'), 'the new database’s date').toBe(NOW.toISOString());
  });

  it('after a loss with no backup: nothing to put back, the reset still recorded', async () => {
    local.set('databaseCreatedAt', '2026-01-01T00:00:00.000Z');
    const db = await openDatabase('health-lost-empty');
    expect(await onFreshDatabase(db, NOW)).toEqual({ lost: true });
    expect(local.get('storageEvent')).toEqual({ kind: 'database-reset', detail: null, reportsKept: 0, at: NOW.toISOString() });
  });
});
