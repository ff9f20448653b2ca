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
import { FeedError, LIMITS, acceptFeed, publicKeyFromBase64, type FeedEntry, type FeedUpdate, type FileRef } from '../core/feed';
import { isAllowedFeedUrl, type FeedSubscription } from '../shared/settings';
import { newFeedRecord, type AdDB, type EntryRecord, type FeedRecord } from './db';
import { NetError, fetchLimited } from './net';

export const SYNC_PERIOD_MINUTES = 6 * 60;
const BACKOFF_BASE_MS = 5 * 60_000;
const BACKOFF_CAP_MS = 24 * 60 * 60_000;

export interface SyncContext {
  db: AdDB;
  now: () => Date;
  /** Loopback hosts allowed as feed hosts (test builds only). */
  testHosts: readonly string[];
  random?: () => number;
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
  // The cap is the size the signed index announces: a longer body is refused as it streams in.
  const res = await fetchLimited(url, { maxBytes: ref.bytes, allowUrl, redirect: 'error', timeoutMs: fileTimeoutMs(ref.bytes) });
  if (res.status !== 200) throw new NetError(`unexpected 304 for ${url}`);
  return res.bytes;
}

async function loadEntries(db: AdDB, feedUrl: string): Promise<Map<string, FeedEntry>> {
  const rows = await db.getAllFromIndex('entries', 'byFeed', feedUrl);
  return new Map(rows.map((r) => [r.id, r.entry]));
}



/** Commits an update atomically: entries, feed state and the index's invalidation together. */
async function commit(db: AdDB, rec: FeedRecord, u: FeedUpdate): Promise<void> {
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  const entries = tx.objectStore('entries');
  const writes: Promise<unknown>[] = [];
  try {
    if (u.replaceAll) writes.push(entries.delete(IDBKeyRange.bound([rec.url, ''], [rec.url, '\uffff'])));
    for (const id of u.remove) writes.push(entries.delete([rec.url, id]));
    for (const entry of u.put) writes.push(entries.put({ feedUrl: rec.url, id: entry.id, entry } satisfies EntryRecord));
    writes.push(tx.objectStore('feeds').put(rec));
    // The match index was built from the old entries: drop it in the same transaction; the next
    // lookup rebuilds it from what is stored (see ./matcher.ts).
    writes.push(tx.objectStore('matchIndex').delete('current'));
  } catch (e) {
    // A write refused as it is made (a full disk, an entry the store cannot hold): undo the ones
    // already made — left alone, the transaction would commit them, half an update.
    tx.abort();
    await Promise.allSettled([...writes, tx.done]);
    throw e;
  }
  await Promise.all([...writes, tx.done]);
}

/** Syncs one feed. Never throws: the outcome and the reason are recorded on the feed's record. */
export async function syncFeed(sub: FeedSubscription, ctx: SyncContext): Promise<{ outcome: SyncOutcome; record: FeedRecord; unrecorded?: true }> {
  const random = ctx.random ?? Math.random;
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
    });
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

function success(now: Date, minimumWaitSeconds: number | undefined, random: () => number) {
  const wait = Math.max(SYNC_PERIOD_MINUTES * 60_000, (minimumWaitSeconds ?? 0) * 1000);
  return { lastSuccessAt: now.toISOString(), lastError: null, failures: 0, nextTryAt: new Date(now.getTime() + jitter(wait, random)).toISOString() };
}

export function describe(e: unknown): string {
  if (e instanceof FeedError || e instanceof NetError) return e.message;
  if (e instanceof DOMException && e.name === 'QuotaExceededError') return 'not enough disk space to store the feed';
  return e instanceof Error ? e.message : String(e);
}
