/**
 * A reader's acceptance of a feed, in ONE place (docs/feed-format.md, "How clients sync"): the
 * extension's sync and the publisher's `verify` both call acceptFeed, so a desk never publishes
 * what readers refuse. Pure: the files come through the caller's `read` (the network in the
 * extension, the disk in the CLI), the clock is the caller's `now`.
 *
 * Order of checks: the index's size, signature, payload type and schema; against what is held
 * (expiry, feed id, epoch, rollback, jump); then the delta chain (each file's size and SHA-256
 * against the index, signature, payload type, schema, feed id and epoch, revs that grow, the state
 * hash) or the snapshot (the same file checks; feed id, epoch and sequence those of the index; its
 * state hash that of its entries). A broken delta chain falls back to the snapshot.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { openEnvelope } from './envelope';
import { FeedError } from './errors';
import { LIMITS, PAYLOAD_TYPES } from './limits';
import { parseDelta, parseIndex, parseSnapshot, type FeedDelta, type FeedEntry, type FeedIndex, type FeedSnapshot, type FileRef } from './schema';
import { applyDelta, checkIndexAgainstState, computeStateHash, type HeldState } from './state';

export interface AcceptContext {
  /** The keys the reader pinned for this feed. */
  keys: readonly Uint8Array[];
  /** What the reader holds (null: nothing yet). */
  held: HeldState | null;
  now: Date;
  /** Hosts allowed over plain http (loopback in test builds and with the CLI's --allow-loopback). */
  testHosts: readonly string[];
  /** Reads a file the index names; `maxBytes` is the limit for its kind (never more is needed). */
  read(ref: FileRef, maxBytes: number): Promise<Uint8Array>;
  /** The entries held, for a delta chain (only called when there is one to follow). */
  loadHeld?(): Promise<ReadonlyMap<string, FeedEntry>>;
  /** Told when a delta chain fails and the snapshot is used instead. */
  onDeltaFailure?(e: unknown): void;
  /**
   * More checks of the index against what this reader keeps elsewhere (e.g. a rollback floor that
   * outlives its database), run once the index is accepted and before any other file is read;
   * throwing refuses the feed.
   */
  checkIndex?(index: FeedIndex): void | Promise<void>;
}

/** What to store: entries to write and ids to delete; `replaceAll` drops every stored entry first. */
export interface FeedUpdate {
  put: FeedEntry[];
  remove: string[];
  replaceAll: boolean;
  entryCount: number;
  stateHash: string;
  publisherName: string | null;
}

export type Acceptance = { index: FeedIndex; update: null } | { index: FeedIndex; update: FeedUpdate };

/** A file must be exactly the size and SHA-256 the signed index gives, and within its kind's limit. */
export function checkFileAgainstRef(bytes: Uint8Array, ref: FileRef, maxBytes: number): void {
  if (ref.bytes > maxBytes) throw new FeedError('too-large', `${ref.path} is ${ref.bytes} bytes, more than ${maxBytes}`);
  if (bytes.byteLength !== ref.bytes || bytesToHex(sha256(bytes)) !== ref.sha256) {
    throw new FeedError('checksum', `${ref.path} does not match the size and SHA-256 the index gives`);
  }
}

async function readChecked(ctx: AcceptContext, ref: FileRef, maxBytes: number): Promise<Uint8Array> {
  if (ref.bytes > maxBytes) throw new FeedError('too-large', `${ref.path} is ${ref.bytes} bytes, more than ${maxBytes}`);
  const bytes = await ctx.read(ref, maxBytes);
  checkFileAgainstRef(bytes, ref, maxBytes);
  return bytes;
}

/** The index: signature, payload type, schema, then against what is held. */
export function acceptIndex(bytes: Uint8Array, ctx: Pick<AcceptContext, 'keys' | 'held' | 'now' | 'testHosts'>) {
  const { payload } = openEnvelope(bytes, ctx.keys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes);
  const index = parseIndex(payload, { testHosts: ctx.testHosts, now: ctx.now });
  const plan = checkIndexAgainstState(index, ctx.held, ctx.now);
  return { index, plan };
}

/** One delta file of this index: file checks, signature, schema, and that it is this feed's and epoch's. */
export function openDelta(bytes: Uint8Array, ref: FileRef, index: FeedIndex, ctx: Pick<AcceptContext, 'keys' | 'now' | 'testHosts'>): FeedDelta {
  checkFileAgainstRef(bytes, ref, LIMITS.maxDeltaBytes);
  const { payload } = openEnvelope(bytes, ctx.keys, PAYLOAD_TYPES.delta, LIMITS.maxDeltaBytes);
  const delta = parseDelta(payload, { testHosts: ctx.testHosts, now: ctx.now });
  if (delta.feedId !== index.feedId || delta.epoch !== index.epoch) throw new FeedError('wrong-feed', `${ref.path} belongs to another feed or epoch`);
  return delta;
}

/** The snapshot of this index: file checks, signature, schema, the index's feed, epoch and seq, its own state hash. */
export function openSnapshot(bytes: Uint8Array, index: FeedIndex, ctx: Pick<AcceptContext, 'keys' | 'now' | 'testHosts'>): FeedSnapshot {
  const ref = index.snapshot;
  checkFileAgainstRef(bytes, ref, LIMITS.maxSnapshotBytes);
  const { payload } = openEnvelope(bytes, ctx.keys, PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes);
  const snapshot = parseSnapshot(payload, { testHosts: ctx.testHosts, now: ctx.now });
  if (snapshot.feed.id !== index.feedId || snapshot.epoch !== index.epoch || snapshot.seq !== index.seq) {
    throw new FeedError('wrong-feed', `${ref.path} is not the snapshot this index announces`);
  }
  if (computeStateHash(snapshot.entries) !== snapshot.stateHash) throw new FeedError('state-hash', `${ref.path}: the entries do not match its state hash`);
  return snapshot;
}

/**
 * Everything a reader checks before it stores a feed. Returns the index and what to store
 * (`update: null` when the held sequence is current); throws FeedError (or the reader's error).
 */
export async function acceptFeed(indexBytes: Uint8Array, ctx: AcceptContext): Promise<Acceptance> {
  const { index, plan } = acceptIndex(indexBytes, ctx);
  await ctx.checkIndex?.(index);
  if (plan === 'unchanged') return { index, update: null };
  if (plan !== 'snapshot') {
    try {
      const current = (await ctx.loadHeld?.()) ?? new Map<string, FeedEntry>();
      let working: ReadonlyMap<string, FeedEntry> = current;
      for (const ref of plan.deltas) {
        const delta = openDelta(await readChecked(ctx, ref, LIMITS.maxDeltaBytes), ref, index, ctx);
        working = applyDelta(working, delta);
      }
      const put = [...working.values()].filter((e) => current.get(e.id)?.rev !== e.rev);
      const remove = [...current.keys()].filter((id) => !working.has(id));
      return { index, update: { put, remove, replaceAll: false, entryCount: working.size, stateHash: computeStateHash(working.values()), publisherName: null } };
    } catch (e) {
      // A broken delta chain is not fatal: the snapshot is always the fallback.
      ctx.onDeltaFailure?.(e);
    }
  }
  const snapshot = openSnapshot(await readChecked(ctx, index.snapshot, LIMITS.maxSnapshotBytes), index, ctx);
  return {
    index,
    update: {
      put: snapshot.entries,
      remove: [],
      replaceAll: true,
      entryCount: snapshot.entries.length,
      stateHash: snapshot.stateHash,
      publisherName: snapshot.feed.publisher.name,
    },
  };
}
