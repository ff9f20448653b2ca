/**
 * Keeps each subscribed feed in sync (docs/feed-format.md, "How clients sync").
 *
 * For one feed: fetch its signed index (conditional on the last ETag); verify it with the
 * subscribed key before parsing; refuse rollbacks and other feeds' files; then follow the delta
 * chain from the sequence held, or fetch the full snapshot — each file checked against the index's
 * size and SHA-256, its own signature and payload type, the schema and limits — into a working copy
 * whose state hash must match. Only then is it committed, in ONE IndexedDB transaction, so a crash or
 * a closed browser leaves either the old copy or the new one, never a mix. Any failure leaves the
 * last good copy in use and records the reason for the popup; retries back off exponentially.
 */
import { FeedError, LIMITS, acceptFeed, checkFloor, publicKeyFromBase64, type FeedEntry, type FeedIndex, type FeedUpdate, type FileRef } from '../core/feed';
import { isAllowedFeedUrl, type FeedSubscription } from '../shared/settings';
import type { FloorStore } from './floors';
import { bumpListGeneration, newFeedRecord, type AdDB, type EntryRecord, type FeedRecord } from './db';
import { NetError, fetchLimited } from './net';
import { mark, now as clock } from './trace';

export const SYNC_PERIOD_MINUTES = 6 * 60;
const BACKOFF_BASE_MS = 5 * 60_000;
const BACKOFF_CAP_MS = 24 * 60 * 60_000;

export interface SyncContext {
  db: AdDB;
  now: () => Date;
  /** Loopback hosts allowed as feed hosts (test builds only). */
  testHosts: readonly string[];
  random?: () => number;
  /** Each feed's rollback floor, kept where losing the database does not lose it (./floors.ts). */
  floors?: FloorStore;
}

export type SyncOutcome = 'updated' | 'unchanged' | 'failed';

/** ±10% so that many readers do not hit a feed server in step. */
function jitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.9 + 0.2 * random()));
}

export function backoffMs(failures: number, random: () => number = Math.random): number {
  return jitter(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1)), random);
}

/** A feed's files: https (or a test host in test builds), on the subscription's own origin. */
function feedFileRule(base: string, testHosts: readonly string[]) {
  const origin = new URL(base).origin;
  return (u: string) => {
    try {
      return isAllowedFeedUrl(u, testHosts) && new URL(u).origin === origin;
    } catch {
      return false;
    }
  };
}

/**
 * How long a feed file may take: a minute, plus the time its announced size takes at a slow
 * 50 kB/s (a 128 MiB snapshot: 45 minutes). Feed files are never fetched through a redirect.
 */
export const fileTimeoutMs = (bytes: number) => 60_000 + Math.ceil(bytes / 50_000) * 1000;

/** Fetches a file the index names; acceptFeed (src/core/feed/accept.ts) checks what comes back. */
async function fetchFile(url: string, ref: FileRef, allowUrl: (u: string) => boolean): Promise<Uint8Array> {
  // The cap is the size the signed index announces: a longer body is refused as it streams in,
  // and the body is read straight into one buffer of that size (no second copy).
  mark('sync:file-fetch');
  const res = await fetchLimited(url, { maxBytes: ref.bytes, expectBytes: ref.bytes, allowUrl, redirect: 'error', timeoutMs: fileTimeoutMs(ref.bytes) });
  if (res.status !== 200) throw new NetError(`unexpected 304 for ${url}`);
  mark('sync:file-fetched', { n: res.bytes.byteLength });
  return res.bytes;
}

async function loadEntries(db: AdDB, feedUrl: string): Promise<Map<string, FeedEntry>> {
  const rows = await db.getAllFromIndex('entries', 'byFeed', feedUrl);
  return new Map(rows.map((r) => [r.id, r.entry]));
}



/** Entries written per request batch: a snapshot's entries reach the store a chunk at a time. */
const WRITE_BATCH = 1000;

/**
 * Commits an update atomically: entries, feed state and the index's invalidation together, in ONE
 * transaction. The entries come a chunk at a time (a binary snapshot is decoded as they are read,
 * its last checks run after its last chunk): each chunk is written and its writes awaited before
 * the next is decoded, so only one chunk is in memory; any failure — a check of the feed, a write
 * refused (a full disk) — aborts the transaction and the previous list stays, whole.
 */
async function commit(db: AdDB, rec: FeedRecord, u: FeedUpdate): Promise<void> {
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  const entries = tx.objectStore('entries');
  let pending: Promise<unknown>[] = [];
  // Where the time goes (test builds' trace, ./trace.ts): decoding and checking the chunks, making
  // the write requests, waiting for them.
  let decodeMs = 0;
  let putMs = 0;
  let waitMs = 0;
  let chunks = 0;
  try {
    if (u.replaceAll) pending.push(entries.delete(IDBKeyRange.bound([rec.url, ''], [rec.url, '\uffff'])));
    for (const id of u.remove) pending.push(entries.delete([rec.url, id]));
    const chunkIt = u.put[Symbol.iterator]();
    for (;;) {
      let t = clock();
      const next = chunkIt.next();
      decodeMs += clock() - t;
      if (next.done) break;
      const chunk = next.value;
      chunks++;
      for (let i = 0; i < chunk.length; i += WRITE_BATCH) {
        t = clock();
        for (const entry of chunk.slice(i, i + WRITE_BATCH)) pending.push(entries.put({ feedUrl: rec.url, id: entry.id, entry } satisfies EntryRecord));
        putMs += clock() - t;
        t = clock();
        // Awaiting IndexedDB requests keeps the transaction open; awaiting anything else would not.
        await Promise.all(pending);
        waitMs += clock() - t;
        pending = [];
      }
      if (chunks === 1) mark('sync:first-chunk-stored', { n: chunk.length });
    }
    mark('sync:decode', { ms: decodeMs, n: chunks });
    mark('sync:put', { ms: putMs });
    mark('sync:write-wait', { ms: waitMs });
    pending.push(tx.objectStore('feeds').put(rec));
    // The match index was built from the old entries: drop it and bump the list's generation in
    // the same transaction, so an index being built from the old entries is never saved (see
    // ./matcher.ts); the next lookup rebuilds it from what is stored.
    pending.push(bumpListGeneration(tx.objectStore('matchIndex')));
  } catch (e) {
    // A check that failed at the end of the entries, or a write refused as it is made: undo the
    // writes already made — left alone, the transaction would commit them, half an update.
    try {
      tx.abort();
    } catch {
      // Already aborted (a refused write aborts it).
    }
    await Promise.allSettled([...pending, tx.done]);
    throw e;
  }
  await Promise.all([...pending, tx.done]);
  mark('sync:committed');
}

/** Syncs one feed. Never throws: the outcome and the reason are recorded on the feed's record. */
export async function syncFeed(sub: FeedSubscription, ctx: SyncContext): Promise<{ outcome: SyncOutcome; record: FeedRecord; unrecorded?: true }> {
  const random = ctx.random ?? Math.random;
  mark('sync:start');
  const stored = (await ctx.db.get('feeds', sub.url)) ?? newFeedRecord(sub.url);
  const now = ctx.now();
  const attempt = { lastAttemptAt: now.toISOString() };
  try {
    const keys = [publicKeyFromBase64(sub.publicKey)];
    const res = await fetchLimited(sub.url, { maxBytes: LIMITS.maxIndexBytes, etag: stored.etag, allowUrl: feedFileRule(sub.url, ctx.testHosts), redirect: 'error' });
    if (res.status === 304) {
      const record: FeedRecord = { ...stored, ...attempt, ...success(now, undefined, random) };
      await ctx.db.put('feeds', record);
      return { outcome: 'unchanged', record };
    }
    const allow = feedFileRule(sub.url, ctx.testHosts);
    // Every check a reader makes, shared with the CLI's `verify` (src/core/feed/accept.ts).
    const { index, update } = await acceptFeed(res.bytes, {
      keys,
      held: { feedId: stored.feedId, epoch: stored.epoch, seq: stored.seq },
      now,
      testHosts: ctx.testHosts,
      read: (ref) => fetchFile(new URL(ref.path, sub.url).href, ref, allow),
      loadHeld: () => loadEntries(ctx.db, sub.url),
      onDeltaFailure: (e) => console.warn(`[already-debunked] delta sync of ${sub.url} failed, fetching the snapshot:`, e),
      phase: (name) => mark(`sync:${name}`),
    });
    mark('sync:accepted');
    // Never below the highest accepted: the floor kept outside the database survives its loss.
    checkFloor(index, (await ctx.floors?.get(sub.url)) ?? null);
    if (stored.feedId !== null && stored.epoch !== null) checkFloor(index, { feedId: stored.feedId, epoch: stored.epoch, seq: stored.highestSeq });
    const record: FeedRecord = {
      ...stored,
      ...attempt,
      ...success(now, index.minimumWaitSeconds, random),
      etag: res.etag,
      generatedAt: index.generatedAt,
      expiresAt: index.expiresAt,
      reportEndpoint: index.reportEndpoint ?? null,
    };
    if (update === null) {
      await ctx.db.put('feeds', record);
      await raise(ctx, sub.url, index);
      return { outcome: 'unchanged', record };
    }
    Object.assign(record, {
      feedId: index.feedId,
      epoch: index.epoch,
      seq: index.seq,
      highestSeq: Math.max(stored.highestSeq, index.seq),
      stateHash: update.stateHash,
      entryCount: update.entryCount,
      publisherName: update.publisherName ?? stored.publisherName,
    });
    await commit(ctx.db, record, update);
    await raise(ctx, sub.url, index);
    return { outcome: 'updated', record };
  } catch (e) {
    const failures = stored.failures + 1;
    const record: FeedRecord = {
      ...stored,
      ...attempt,
      lastError: describe(e),
      failures,
      nextTryAt: new Date(now.getTime() + backoffMs(failures, random)).toISOString(),
    };
    // Recording the failure must not hide it: if even this write fails (full disk), say so, and
    // hand the record back marked as not stored, for the caller to keep and show.
    const kept = await ctx.db.put('feeds', record).then(
      () => true,
      (w: unknown) => (console.error('[already-debunked] could not record a sync failure:', w), false),
    );
    return kept ? { outcome: 'failed', record } : { outcome: 'failed', record, unrecorded: true };
  }
}

/** Raises the feed's floor to an index just accepted. A failed write is logged: the database keeps highestSeq too. */
async function raise(ctx: SyncContext, url: string, index: FeedIndex): Promise<void> {
  await ctx.floors?.raise(url, { feedId: index.feedId, epoch: index.epoch, seq: index.seq }).catch((e: unknown) => {
    console.warn('[already-debunked] could not keep the rollback floor of', url, e);
  });
}

function success(now: Date, minimumWaitSeconds: number | undefined, random: () => number) {
  const wait = Math.max(SYNC_PERIOD_MINUTES * 60_000, (minimumWaitSeconds ?? 0) * 1000);
  return { lastSuccessAt: now.toISOString(), lastError: null, failures: 0, nextTryAt: new Date(now.getTime() + jitter(wait, random)).toISOString() };
}

export function describe(e: unknown): string {
  if (e instanceof FeedError || e instanceof NetError) return e.message;
  if (e instanceof DOMException && e.name === 'QuotaExceededError') return 'not enough disk space to store the feed';
  return e instanceof Error ? e.message : String(e);
}
