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
import { BINARY_PAYLOAD_TYPES, openBinary, parseBinaryDelta } from './binary';
import { openEnvelope } from './envelope';
import { FeedError } from './errors';
import { LIMITS, PAYLOAD_TYPES } from './limits';
import { parseDelta, parseIndex, parseSnapshot, parseSnapshotHead, parseSnapshotValue, type FeedDelta, type FeedEntry, type FeedIndex, type FeedSnapshot, type FileRef } from './schema';
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
  /** Told as each step of opening a snapshot ends (the benchmarks' phase marks; see openSnapshotStream). */
  phase?(name: string): void;
}

/** What to store: entries to write and ids to delete; `replaceAll` drops every stored entry first. */
export interface FeedUpdate {
  /**
   * The entries to write, a chunk at a time (a binary snapshot is decoded as it is iterated, never
   * whole). Iterating runs the checks left — each entry's schema, the count, unique ids, the state
   * hash after the last chunk — and throws FeedError: store nothing unless the iteration ends
   * without one (the extension writes the chunks in one transaction and aborts it on a throw).
   */
  put: Iterable<FeedEntry[]>;
  remove: string[];
  replaceAll: boolean;
  entryCount: number;
  stateHash: string;
  publisherName: string | null;
}

export type Acceptance = { index: FeedIndex; update: null } | { index: FeedIndex; update: FeedUpdate };

/** A file must be exactly the size and SHA-256 the signed index gives, and within its kind's limit. */
export function checkFileAgainstRef(bytes: Uint8Array, ref: FileRef, maxBytes: number, digest?: FileDigest): void {
  if (ref.bytes > maxBytes) throw new FeedError('too-large', `${ref.path} is ${ref.bytes} bytes, more than ${maxBytes}`);
  if (bytes.byteLength !== ref.bytes || (digest?.of === bytes ? digest.hex : bytesToHex(sha256(bytes))) !== ref.sha256) {
    throw new FeedError('checksum', `${ref.path} does not match the size and SHA-256 the index gives`);
  }
}

/** The SHA-256 of one file's bytes, made by fileSha256 (checkFileAgainstRef uses it only for those very bytes). */
export interface FileDigest {
  of: Uint8Array;
  hex: string;
}

/**
 * The SHA-256 of a file: the platform's WebCrypto where there is one (native code: the Chromium
 * sync of a 171 MiB snapshot spent 2.2 s of CPU in the JS SHA-256, BENCHMARKS.md issue 17), else
 * noble's.
 */
export async function fileSha256(bytes: Uint8Array): Promise<FileDigest> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  const hex = subtle ? bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))) : bytesToHex(sha256(bytes));
  return { of: bytes, hex };
}

/**
 * Reads a file the index names, refusing one announced over its kind's limit before reading it.
 * Its size and SHA-256 are checked by what opens it (openDelta, openSnapshotStream): once, since a
 * SHA-256 of a 171 MiB snapshot costs seconds of a reader's CPU (BENCHMARKS.md, issue 17).
 */
async function readLimited(ctx: AcceptContext, ref: FileRef, maxBytes: number): Promise<Uint8Array> {
  if (ref.bytes > maxBytes) throw new FeedError('too-large', `${ref.path} is ${ref.bytes} bytes, more than ${maxBytes}`);
  return ctx.read(ref, maxBytes);
}

/**
 * The files a reader of this version fetches: the binary form when the index lists it (older
 * readers ignore `binary` and read `snapshot` and `deltas`), else the JSON form.
 */
export function filesToRead(index: FeedIndex): Pick<FeedIndex, 'snapshot' | 'deltas'> {
  return index.binary ?? { snapshot: index.snapshot, deltas: index.deltas };
}

/** The index: signature, payload type, schema, then against what is held. */
export function acceptIndex(bytes: Uint8Array, ctx: Pick<AcceptContext, 'keys' | 'held' | 'now' | 'testHosts'>) {
  const { payload } = openEnvelope(bytes, ctx.keys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes);
  const index = parseIndex(payload, { testHosts: ctx.testHosts, now: ctx.now });
  const plan = checkIndexAgainstState({ ...index, ...filesToRead(index) }, ctx.held, ctx.now);
  return { index, plan };
}

const SNAPSHOT_TYPES = [PAYLOAD_TYPES.snapshot, BINARY_PAYLOAD_TYPES.snapshot];
const DELTA_TYPES = [PAYLOAD_TYPES.delta, BINARY_PAYLOAD_TYPES.delta];

/** One delta file of this index: file checks, signature, schema, and that it is this feed's and epoch's. */
export function openDelta(bytes: Uint8Array, ref: FileRef, index: FeedIndex, ctx: Pick<AcceptContext, 'keys' | 'now' | 'testHosts'>, digest?: FileDigest): FeedDelta {
  checkFileAgainstRef(bytes, ref, LIMITS.maxDeltaBytes, digest);
  const { payload, payloadType } = openEnvelope(bytes, ctx.keys, DELTA_TYPES, LIMITS.maxDeltaBytes);
  const opts = { testHosts: ctx.testHosts, now: ctx.now };
  const delta = payloadType === BINARY_PAYLOAD_TYPES.delta ? parseBinaryDelta(payload, opts) : parseDelta(payload, opts);
  if (delta.feedId !== index.feedId || delta.epoch !== index.epoch) throw new FeedError('wrong-feed', `${ref.path} belongs to another feed or epoch`);
  return delta;
}

/** The limit for a snapshot file: the binary form's (the JSON form's is checked once the payload type is known). */
export const maxSnapshotFileBytes = () => Math.max(LIMITS.maxSnapshotBytes, LIMITS.maxBinarySnapshotBytes);

/** A snapshot opened: its fields, and its entries a chunk at a time (checked as they are iterated). */
export interface OpenedSnapshot {
  head: Omit<FeedSnapshot, 'entries'>;
  entries: Iterable<FeedEntry[]>;
}

/**
 * The snapshot of this index, in either form: file checks (size, SHA-256), signature, payload type,
 * the schema of its fields, the index's feed, epoch and seq. Its entries are checked as they are
 * iterated (a binary snapshot is decoded one chunk at a time): each entry's schema, the count, unique
 * ids, and after the last chunk its state hash.
 */
export function openSnapshotStream(
  bytes: Uint8Array,
  index: FeedIndex,
  ctx: Pick<AcceptContext, 'keys' | 'now' | 'testHosts' | 'phase'>,
  ref: FileRef = filesToRead(index).snapshot,
  digest?: FileDigest,
): OpenedSnapshot {
  checkFileAgainstRef(bytes, ref, maxSnapshotFileBytes(), digest);
  ctx.phase?.('file-checked');
  const { payload, payloadType } = openEnvelope(bytes, ctx.keys, SNAPSHOT_TYPES, maxSnapshotFileBytes(), ctx.phase);
  const opts = { testHosts: ctx.testHosts, now: ctx.now };
  const isThis = (h: Omit<FeedSnapshot, 'entries'>) => {
    if (h.feed.id !== index.feedId || h.epoch !== index.epoch || h.seq !== index.seq) throw new FeedError('wrong-feed', `${ref.path} is not the snapshot this index announces`);
  };
  if (payloadType === PAYLOAD_TYPES.snapshot) {
    if (bytes.length > LIMITS.maxSnapshotBytes) throw new FeedError('too-large', `${ref.path} is ${bytes.length} bytes, more than the ${LIMITS.maxSnapshotBytes} of a JSON snapshot`);
    const { entries, ...head } = parseSnapshot(payload, opts);
    isThis(head);
    if (computeStateHash(entries) !== head.stateHash) throw new FeedError('state-hash', `${ref.path}: the entries do not match its state hash`);
    return { head, entries: [entries] };
  }
  const opened = openBinary(payload);
  const head = parseSnapshotHead(opened.head, opts);
  ctx.phase?.('binary-opened');
  isThis(head);
  if (head.entryCount !== opened.entryCount) throw new FeedError('schema', `says ${head.entryCount} entries, has ${opened.entryCount}`, 'entryCount');
  return {
    head,
    entries: {
      *[Symbol.iterator]() {
        const ids: { id: string; rev: number }[] = [];
        for (const chunk of opened.entries(opts)) {
          for (const e of chunk) ids.push({ id: e.id, rev: e.rev });
          yield chunk;
        }
        // The count and unique ids, as parseSnapshotValue checks them for the JSON form.
        parseSnapshotValue({ ...opened.head, entries: ids }, opts, true);
        if (computeStateHash(ids) !== head.stateHash) throw new FeedError('state-hash', `${ref.path}: the entries do not match its state hash`);
      },
    },
  };
}

/** The snapshot of this index, whole (either form): every check of openSnapshotStream. */
export function openSnapshot(bytes: Uint8Array, index: FeedIndex, ctx: Pick<AcceptContext, 'keys' | 'now' | 'testHosts'>, ref?: FileRef): FeedSnapshot {
  const { head, entries } = openSnapshotStream(bytes, index, ctx, ref);
  const all: FeedEntry[] = [];
  for (const chunk of entries) for (const e of chunk) all.push(e);
  return { ...head, entries: all };
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
        const bytes = await readLimited(ctx, ref, LIMITS.maxDeltaBytes);
        const delta = openDelta(bytes, ref, index, ctx, await fileSha256(bytes));
        working = applyDelta(working, delta);
      }
      const put = [...working.values()].filter((e) => current.get(e.id)?.rev !== e.rev);
      const remove = [...current.keys()].filter((id) => !working.has(id));
      return { index, update: { put: [put], remove, replaceAll: false, entryCount: working.size, stateHash: computeStateHash(working.values()), publisherName: null } };
    } catch (e) {
      // A broken delta chain is not fatal: the snapshot is always the fallback.
      ctx.onDeltaFailure?.(e);
    }
  }
  const ref = filesToRead(index).snapshot;
  const bytes = await readLimited(ctx, ref, maxSnapshotFileBytes());
  const snapshot = openSnapshotStream(bytes, index, ctx, ref, await fileSha256(bytes));
  return {
    index,
    update: {
      put: snapshot.entries,
      remove: [],
      replaceAll: true,
      entryCount: snapshot.head.entryCount,
      stateHash: snapshot.head.stateHash,
      publisherName: snapshot.head.feed.publisher.name,
    },
  };
}
