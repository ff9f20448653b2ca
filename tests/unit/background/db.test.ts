// The background's IndexedDB (src/background/db.ts) on fake-indexeddb: the schema each store is
// read with elsewhere (key paths, indexes), the upgrade from each older version (written here with
// the raw IndexedDB API, as each older release laid it out: db.ts's own step comments), the one
// shared connection and what happens when it is lost or the database is created afresh, and the
// stored list's generation (IndexRecord/ListGeneration docs).
import 'fake-indexeddb/auto';
import { IDBVersionChangeEvent as FDBVersionChangeEvent } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type DbModule = typeof import('../../../src/background/db');
/** A fresh copy of the module (its shared connection and created-handler are module state). */
async function fresh(): Promise<DbModule> {
  vi.resetModules();
  return import('../../../src/background/db');
}

const req = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** Deletes a database; refuses (instead of waiting forever) if an open connection blocks it. */
const deleteDb = (name: string) =>
  new Promise<void>((resolve, reject) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    (r as IDBOpenDBRequest).onblocked = () => reject(new Error(`deleting ${name} is blocked by an open connection`));
  });

/** Creates `name` at `version` with the raw API; `setup` lays out the stores. */
function rawOpen(name: string, version: number, setup: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  const r = indexedDB.open(name, version);
  r.onupgradeneeded = () => setup(r.result);
  return req(r);
}

async function rawPut(db: IDBDatabase, store: string, value: unknown) {
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value);
  await new Promise((res, rej) => {
    tx.oncomplete = res;
    tx.onerror = () => rej(tx.error);
  });
}

/** The version-1 layout: feeds, entries (byFeed), matchIndex. */
function v1(db: IDBDatabase) {
  db.createObjectStore('feeds', { keyPath: 'url' });
  db.createObjectStore('entries', { keyPath: ['feedUrl', 'id'] }).createIndex('byFeed', 'feedUrl');
  db.createObjectStore('matchIndex', { keyPath: 'key' });
}
const v2 = (db: IDBDatabase) => (v1(db), db.createObjectStore('mediaCache', { keyPath: 'key' }).createIndex('byAge', 'at'));
const v3 = (db: IDBDatabase) => (v2(db), db.createObjectStore('outbox', { keyPath: 'reportId' }).createIndex('byCreated', 'createdAt'));

const FEED = { url: 'https://feeds.example.org/v1/index.json', seq: 3 };
const ENTRY = { feedUrl: FEED.url, id: 'e1', entry: {} };
const OLD_INDEX = { key: 'current', buffer: new ArrayBuffer(8) };
const MEDIA = { key: 'media:abc', hashes: ['00'], quality: 80, at: 1 };
const REPORT = { reportId: '6f1c3a52-1b0e-4c55-9a3e-1f2d3c4b5a69', body: 'x', endpoint: 'https://desk.example.org/r', createdAt: '2026-01-01T00:00:00.000Z', status: 'queued' };

function schemaOf(db: IDBDatabase) {
  const stores = [...db.objectStoreNames].sort();
  const tx = db.transaction(stores);
  return Object.fromEntries(
    stores.map((s) => {
      const st = tx.objectStore(s);
      return [s, { keyPath: st.keyPath, indexes: Object.fromEntries([...st.indexNames].map((i) => [i, st.index(i).keyPath])) }];
    }),
  );
}

const SCHEMA_V4 = {
  entries: { keyPath: ['feedUrl', 'id'], indexes: { byFeed: 'feedUrl' } },
  feeds: { keyPath: 'url', indexes: {} },
  matchIndex: { keyPath: 'key', indexes: {} },
  mediaCache: { keyPath: 'key', indexes: { byAge: 'at' } },
  outbox: { keyPath: 'reportId', indexes: { byCreated: 'createdAt' } },
};

let n = 0;
const uniqueName = () => `db-test-${++n}`;

describe('the schema and its upgrades', () => {
  it('a new database is "already-debunked", version 4, with every store and index', async () => {
    const { openDatabase, DB_NAME, DB_VERSION } = await fresh();
    expect([DB_NAME, DB_VERSION]).toEqual(['already-debunked', 4]);
    const db = await openDatabase();
    expect(db.name).toBe('already-debunked');
    expect(db.version).toBe(4);
    expect(schemaOf(unwrap(db))).toEqual(SCHEMA_V4);
    db.close();
    await deleteDb('already-debunked');
  });

  it('from version 1: adds the media cache and the outbox, keeps feeds and entries, drops the old index', async () => {
    const name = uniqueName();
    const raw = await rawOpen(name, 1, v1);
    await rawPut(raw, 'feeds', FEED);
    await rawPut(raw, 'entries', ENTRY);
    await rawPut(raw, 'matchIndex', OLD_INDEX);
    raw.close();
    const { openDatabase } = await fresh();
    const db = await openDatabase(name);
    expect(db.version).toBe(4);
    expect(schemaOf(unwrap(db))).toEqual(SCHEMA_V4);
    expect(await db.getAll('feeds')).toEqual([FEED]);
    expect(await db.getAll('entries')).toEqual([ENTRY]);
    expect(await db.count('matchIndex'), 'index rows had no kind before version 4').toBe(0);
    db.close();
  });

  it('from version 2: drops the cached media hashes (no probes before version 4) and the index', async () => {
    const name = uniqueName();
    const raw = await rawOpen(name, 2, v2);
    await rawPut(raw, 'feeds', FEED);
    await rawPut(raw, 'matchIndex', OLD_INDEX);
    await rawPut(raw, 'mediaCache', MEDIA);
    raw.close();
    const db = await (await fresh()).openDatabase(name);
    expect(schemaOf(unwrap(db))).toEqual(SCHEMA_V4);
    expect(await db.count('mediaCache')).toBe(0);
    expect(await db.count('matchIndex')).toBe(0);
    expect(await db.count('feeds')).toBe(1);
    db.close();
  });

  it('from version 3: keeps the reports, drops the cached hashes and the index', async () => {
    const name = uniqueName();
    const raw = await rawOpen(name, 3, v3);
    await rawPut(raw, 'outbox', REPORT);
    await rawPut(raw, 'mediaCache', MEDIA);
    await rawPut(raw, 'matchIndex', OLD_INDEX);
    await rawPut(raw, 'feeds', FEED);
    raw.close();
    const db = await (await fresh()).openDatabase(name);
    expect(await db.getAll('outbox')).toEqual([REPORT]);
    expect(await db.count('mediaCache')).toBe(0);
    expect(await db.count('matchIndex')).toBe(0);
    expect(await db.getAll('feeds')).toEqual([FEED]);
    db.close();
  });

  it('at version 4 already: nothing is dropped', async () => {
    const name = uniqueName();
    const first = await (await fresh()).openDatabase(name);
    await first.put('matchIndex', { key: 'generation', generation: 3 });
    await first.put('mediaCache', { ...MEDIA, probes: [] });
    first.close();
    const db = await (await fresh()).openDatabase(name);
    expect(await db.count('matchIndex')).toBe(1);
    expect(await db.count('mediaCache')).toBe(1);
    db.close();
  });
});

describe('the shared connection', () => {
  beforeEach(async () => {
    await deleteDb('already-debunked');
  });

  it('one connection for every caller; another name (tests) opens its own each time', async () => {
    const { openDatabase } = await fresh();
    const a = openDatabase();
    expect(openDatabase()).toBe(a);
    expect(await openDatabase('already-debunked'), 'the default name is the shared one').toBe(await a);
    const name = uniqueName();
    const x = await openDatabase(name);
    const y = await openDatabase(name);
    expect(x).not.toBe(y);
    x.close();
    y.close();
    (await a).close();
  });

  it('the created-handler runs once, when the database is made from nothing, before anyone gets it', async () => {
    const { openDatabase, whenDatabaseCreated } = await fresh();
    const seen: string[] = [];
    whenDatabaseCreated(async (db) => {
      await db.put('feeds', { ...FEED } as never);
      seen.push(db.name);
    });
    const db = await openDatabase();
    expect(seen).toEqual(['already-debunked']);
    expect(await db.count('feeds'), 'its work is done when the database is handed out').toBe(1);
    db.close();
    // A second worker start (a fresh module) finds it: no handler.
    const again = await fresh();
    again.whenDatabaseCreated(async () => void seen.push('again'));
    (await again.openDatabase()).close();
    expect(seen).toEqual(['already-debunked']);
  });

  it('a database that already exists runs no handler; another name never runs it', async () => {
    (await rawOpen('already-debunked', 4, v3)).close();
    const { openDatabase, whenDatabaseCreated } = await fresh();
    let calls = 0;
    whenDatabaseCreated(async () => void calls++);
    const db = await openDatabase();
    (await openDatabase(uniqueName())).close();
    expect(calls).toBe(0);
    db.close();
  });

  it('a default database upgraded from an older version is not one made from nothing: no handler', async () => {
    (await rawOpen('already-debunked', 3, v3)).close();
    const { openDatabase, whenDatabaseCreated } = await fresh();
    let calls = 0;
    whenDatabaseCreated(async () => void calls++);
    const db = await openDatabase();
    expect(db.version).toBe(4);
    expect(calls).toBe(0);
    db.close();
  });

  it('a failing created-handler is logged; the database is still handed out', async () => {
    const { openDatabase, whenDatabaseCreated } = await fresh();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    whenDatabaseCreated(async () => {
      throw new Error('restore failed');
    });
    const db = await openDatabase();
    expect(db.version).toBe(4);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]?.[0])).toContain('could not restore after a new database');
    error.mockRestore();
    db.close();
  });

  it('a failed open is tried again by the next caller', async () => {
    (await rawOpen('already-debunked', 5, () => undefined)).close(); // a newer version: VersionError
    const { openDatabase } = await fresh();
    await expect(openDatabase()).rejects.toThrow();
    await deleteDb('already-debunked');
    const db = await openDatabase();
    expect(db.version).toBe(4);
    db.close();
  });

  it('lets the database be deleted (or upgraded by a newer version), then opens it afresh', async () => {
    const { openDatabase, whenDatabaseCreated } = await fresh();
    let created = 0;
    whenDatabaseCreated(async () => void created++);
    const first = await openDatabase();
    await first.put('feeds', { ...FEED } as never);
    await deleteDb('already-debunked'); // refused if the open connection held it up
    const second = await openDatabase();
    expect(second).not.toBe(first);
    expect(created, 'made from nothing twice').toBe(2);
    expect(await second.count('feeds')).toBe(0);
    second.close();
  });

  it('a connection the browser closed (data cleared, disk failure) is replaced on the next call', async () => {
    const { openDatabase } = await fresh();
    const first = await openDatabase();
    unwrap(first).dispatchEvent(new FDBVersionChangeEvent('close'));
    const second = await openDatabase();
    expect(second).not.toBe(first);
    first.close();
    second.close();
  });
});

describe('the stored list’s generation', () => {
  it('starts at 0; each bump drops the stored index and adds one, in its own transaction or the caller’s', async () => {
    const { openDatabase, listGeneration, storedIndex, dropStoredIndex, bumpListGeneration } = await fresh();
    const db = await openDatabase(uniqueName());
    const read = async () => {
      const tx = db.transaction('matchIndex');
      return [await listGeneration(tx.store), await storedIndex(tx.store)] as const;
    };
    expect(await read()).toEqual([0, undefined]);
    const index = { key: 'current', buffer: new ArrayBuffer(8), generation: 0 } as never;
    await db.put('matchIndex', index);
    expect((await read())[1]).toMatchObject({ key: 'current', generation: 0 });
    await dropStoredIndex(db);
    expect(await read()).toEqual([1, undefined]);
    await db.put('matchIndex', index);
    const tx = db.transaction(['matchIndex', 'feeds'], 'readwrite');
    await Promise.all([bumpListGeneration(tx.objectStore('matchIndex')), tx.objectStore('feeds').put({ ...FEED } as never), tx.done]);
    expect(await read()).toEqual([2, undefined]);
    db.close();
  });

  it('a record of the wrong shape under either key is not taken for the other', async () => {
    const { openDatabase, listGeneration, storedIndex } = await fresh();
    const db = await openDatabase(uniqueName());
    // An index record stored under the generation key, and a generation record under 'current'.
    await db.put('matchIndex', { key: 'generation', generation: 9, buffer: new ArrayBuffer(8) } as never);
    await db.put('matchIndex', { key: 'current', generation: 4 } as never);
    const tx = db.transaction('matchIndex');
    expect(await listGeneration(tx.store)).toBe(0);
    expect(await storedIndex(tx.store)).toBeUndefined();
    db.close();
  });
});

describe('a new feed record', () => {
  it('knows nothing yet: no state, nothing accepted (highest sequence 0), no failures, due at once', async () => {
    const { newFeedRecord } = await fresh();
    expect(newFeedRecord('https://feeds.example.org/v1/index.json')).toEqual({
      url: 'https://feeds.example.org/v1/index.json',
      feedId: null,
      epoch: null,
      seq: null,
      stateHash: null,
      highestSeq: 0,
      generatedAt: null,
      expiresAt: null,
      entryCount: 0,
      publisherName: null,
      reportEndpoint: null,
      etag: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      failures: 0,
      nextTryAt: null,
    });
  });
});
