/**
 * The background's IndexedDB: feed state, feed entries, the persisted match index, the media hash
 * cache and the reports outbox.
 *
 * Versioned from the first version on: `upgrade` runs one step per version the stored database is
 * behind, so a reader who skips releases is migrated step by step. Old steps are never edited; a
 * change is a new step. Everything a lookup needs is here (an MV3 service worker is killed when
 * idle: nothing may live only in memory).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import type { FeedEntry } from '../core/feed';
import type { ProbeHex } from '../core/match';

export const DB_NAME = 'already-debunked';
export const DB_VERSION = 4;

/** What we hold of one subscribed feed, besides its entries. */
export interface FeedRecord {
  /** The subscription URL (the feed's index.json): the key. */
  url: string;
  feedId: string | null;
  epoch: number | null;
  seq: number | null;
  stateHash: string | null;
  /** The highest sequence accepted from this feed: never goes down (rollback defence). */
  highestSeq: number;
  generatedAt: string | null;
  expiresAt: string | null;
  entryCount: number;
  publisherName: string | null;
  reportEndpoint: string | null;
  /** HTTP validator of the last index response, for If-None-Match. */
  etag: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Consecutive failures, for the backoff. */
  failures: number;
  nextTryAt: string | null;
}

export interface EntryRecord {
  feedUrl: string;
  id: string;
  entry: FeedEntry;
}

/** The serialised match index over all feeds' active entries, and what it was built from. */
export interface IndexRecord {
  key: 'current';
  /** The serialised index (src/core/index); its ids are row numbers into the arrays below. */
  buffer: ArrayBuffer;
  /** Entry of each row: an entry ordinal (see entryFeed, entryIds). */
  rowEntry: Uint32Array;
  /** Media item (within its entry) of each row. */
  rowMedia: Uint16Array;
  /** Kind of each row's hash, an index into `kinds` ('original', or a variant name such as 'crop:0.9'). */
  rowKind: Uint8Array;
  kinds: string[];
  /**
   * The entry of each ordinal, kept compact so that a cold worker reads it in one piece (a pair of
   * strings per entry cost a structured clone of ~300 ms at 300k entries): its feed, an index into
   * `feedUrls`, and its id, the ids joined by '\n' (the feed schema allows none in an id).
   */
  feedUrls: string[];
  entryFeed: Uint16Array;
  entryIds: string;
  /**
   * The generation of the stored entries it was built from (see ListGeneration): a record whose
   * generation is not the current one is stale and never used.
   */
  generation: number;
  builtAt: string;
}

/**
 * The generation of the stored entries, kept in the matchIndex store under its own key. Every
 * change to what the index is built from (a sync's commit, a feed removed or disabled) bumps it in
 * the same transaction, so an index built from entries read before the change can tell, at the
 * moment it would be saved or loaded, that it is stale.
 */
export interface ListGeneration {
  key: typeof GENERATION_KEY;
  generation: number;
}
export const GENERATION_KEY = 'generation';

/** PDQ hashes of a media item we fetched, by media key (src/shared/x.ts mediaKey). */
export interface MediaCacheRecord {
  key: string;
  /** The 8 dihedral hashes, hex. */
  hashes: string[];
  quality: number;
  /** The other views hashed for matching (src/core/match queryProbes), hex. */
  probes: ProbeHex[];
  /** The canonical form's version the hashes were made from (core CANONICAL_VERSION); older records are hashed again. */
  canon?: number;
  /** When it was hashed (ms), for trimming the oldest first. */
  at: number;
}

/**
 * A report the reader sent, in the outbox until delivered (and kept afterwards, for the reader's
 * list, until the reader deletes it). `body` is the exact text shown in the dialog and POSTed.
 */
export interface OutboxRecord {
  /** The report's id (a UUID v4), also its Idempotency-Key: the key. */
  reportId: string;
  body: string;
  endpoint: string;
  createdAt: string;
  status: 'queued' | 'delivered' | 'rejected';
  attempts: number;
  lastAttemptAt: string | null;
  /** When the next try is due (queued reports only). */
  nextTryAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface AdSchema extends DBSchema {
  feeds: { key: string; value: FeedRecord };
  entries: { key: [string, string]; value: EntryRecord; indexes: { byFeed: string } };
  matchIndex: { key: string; value: IndexRecord | ListGeneration };
  mediaCache: { key: string; value: MediaCacheRecord; indexes: { byAge: number } };
  outbox: { key: string; value: OutboxRecord; indexes: { byCreated: string } };
}

export type AdDB = IDBPDatabase<AdSchema>;

let opening: Promise<AdDB> | null = null;
let onCreated: ((db: AdDB) => Promise<void>) | null = null;

/**
 * Runs when the database had to be created from nothing: at first install, or because it was
 * deleted or lost since (the background then restores what it can and resyncs: ./health.ts).
 */
export function whenDatabaseCreated(handler: (db: AdDB) => Promise<void>): void {
  onCreated = handler;
}

export function openDatabase(name = DB_NAME): Promise<AdDB> {
  if (name !== DB_NAME) return open(name);
  opening ??= open(name, async (db) => {
    await onCreated?.(db).catch((e: unknown) => console.error('[already-debunked] could not restore after a new database:', e));
  }).catch((e: unknown) => {
    opening = null; // let the next call try again (e.g. after the reader freed disk space)
    throw e;
  });
  return opening;
}

async function open(name: string, created?: (db: AdDB) => Promise<void>): Promise<AdDB> {
  let fresh = false;
  const db = await openDB<AdSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      fresh = oldVersion === 0;
      // Step 0 → 1: the first schema.
      if (oldVersion < 1) {
        db.createObjectStore('feeds', { keyPath: 'url' });
        const entries = db.createObjectStore('entries', { keyPath: ['feedUrl', 'id'] });
        entries.createIndex('byFeed', 'feedUrl');
        db.createObjectStore('matchIndex', { keyPath: 'key' });
      }
      // Step 1 → 2: a bounded cache of media hashes, so the same upload is never hashed twice.
      if (oldVersion < 2) {
        db.createObjectStore('mediaCache', { keyPath: 'key' }).createIndex('byAge', 'at');
      }
      // Step 2 → 3: the outbox of the reader's reports (queued until delivered, then listed).
      if (oldVersion < 3) {
        db.createObjectStore('outbox', { keyPath: 'reportId' }).createIndex('byCreated', 'createdAt');
      }
      // Step 3 → 4: robust matching. Index rows carry the kind of their hash and cached media the
      // extra probes: drop both kinds of record made before (the index is rebuilt, media hashed
      // again, on next use).
      if (oldVersion >= 1 && oldVersion < 4) void transaction.objectStore('matchIndex').clear();
      if (oldVersion >= 2 && oldVersion < 4) void transaction.objectStore('mediaCache').clear();
    },
    blocking() {
      // A newer version of the extension wants to upgrade, or the database is being deleted: let it
      // (an open connection would hold either up); the next call opens it afresh.
      opening = null;
      db.close();
    },
    terminated() {
      // The browser closed the connection (the data was cleared, or the disk failed).
      opening = null;
    },
  });
  if (fresh && created) await created(db);
  return db;
}

type MatchIndexStore = IDBPObjectStore<AdSchema, ArrayLike<StoreNames<AdSchema>>, 'matchIndex', IDBTransactionMode>;

/** The current generation of the stored entries (0 before any change). */
export async function listGeneration(store: MatchIndexStore): Promise<number> {
  const r = await store.get(GENERATION_KEY);
  return r && 'generation' in r && !('buffer' in r) ? r.generation : 0;
}

/** The stored index record, if there is one. */
export async function storedIndex(store: MatchIndexStore): Promise<IndexRecord | undefined> {
  const r = await store.get('current');
  return r && 'buffer' in r ? r : undefined;
}

/**
 * Inside a readwrite transaction that changes what the index is built from: drops the stored
 * index and bumps the generation, so an index being built from the old entries is never saved.
 */
export function bumpListGeneration(store: IDBPObjectStore<AdSchema, ArrayLike<StoreNames<AdSchema>>, 'matchIndex', 'readwrite'>): Promise<unknown> {
  return Promise.all([
    store.delete('current'),
    listGeneration(store).then((g) => store.put({ key: GENERATION_KEY, generation: g + 1 })),
  ]);
}

/** The same, in a transaction of its own (a feed disabled, the settings replaced, caches cleared). */
export async function dropStoredIndex(db: AdDB): Promise<void> {
  const tx = db.transaction('matchIndex', 'readwrite');
  await Promise.all([bumpListGeneration(tx.store), tx.done]);
}

export function newFeedRecord(url: string): FeedRecord {
  return {
    url,
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
  };
}
