/**
 * The next version of a feed folder, as the publisher tool writes it (`build --base`) and the desk
 * publishes it: the previous build's files in, the new snapshot, the delta from the previous
 * sequence, and the index out. The callers do the I/O (reading the previous folder, writing files);
 * this is pure. Also `verifyFeed`: every check of `verify`, over a file reader.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { buildDelta, buildIndex, buildSnapshot, signFile, type BuiltFile, type FeedMeta } from './build';
import { openEnvelope, publicKeyFromSecret } from './envelope';
import { FeedError } from './errors';
import { LIMITS, PAYLOAD_TYPES } from './limits';
import { parseDelta, parseIndex, parseSnapshot, type FeedEntry, type FeedIndex, type FeedSnapshot, type ParseOptions } from './schema';

/** Reads a file of the previous build by its path relative to the index (null: there is none). */
export type ReadFeedFile = (relativePath: string) => Uint8Array | null;

export interface PreviousFeed {
  index: FeedIndex;
  snapshot: FeedSnapshot;
  deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[];
}

/** The previous build, checked with the key that signs the next one; null when there is no index. */
export function readPreviousFeed(read: ReadFeedFile, secretKey: Uint8Array, opts: ParseOptions = {}): PreviousFeed | null {
  const indexBytes = read('index.json');
  if (!indexBytes) return null;
  const keys = [publicKeyFromSecret(secretKey)];
  const index = parseIndex(openEnvelope(indexBytes, keys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes).payload, opts);
  const snapBytes = read(index.snapshot.path);
  if (!snapBytes) throw new FeedError('checksum', 'the previous snapshot is missing', index.snapshot.path);
  const snapshot = parseSnapshot(openEnvelope(snapBytes, keys, PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes).payload, opts);
  const deltas = index.deltas.map((d) => {
    const bytes = read(d.path);
    if (!bytes) throw new FeedError('checksum', 'a previous delta is missing', d.path);
    return { fromSeq: d.fromSeq, toSeq: d.toSeq, file: { path: d.path, bytes } };
  });
  return { index, snapshot, deltas };
}

/**
 * A record that changed since the previous build gets a new rev (publishers need not count
 * revisions by hand); one that did not keeps its rev. Mutates and returns `entries`.
 */
export function carryRevisions(entries: FeedEntry[], previous: readonly FeedEntry[]): FeedEntry[] {
  const old = new Map(previous.map((e) => [e.id, e]));
  for (const e of entries) {
    const before = old.get(e.id);
    if (before && JSON.stringify({ ...before, rev: 0 }) !== JSON.stringify({ ...e, rev: 0 })) e.rev = Math.max(e.rev, before.rev + 1);
    else if (before) e.rev = before.rev;
  }
  return entries;
}

export interface NextFeed {
  seq: number;
  epoch: number;
  /** Every file to write, relative to the folder: the snapshot, the kept deltas, the index last. */
  files: BuiltFile[];
  /** Whether a delta from the previous sequence was made. */
  delta: boolean;
}

/** The next build: sequence previous+1 (or 1), a delta from the previous one, at most LIMITS.maxDeltas kept. */
export function nextFeed(meta: FeedMeta, entries: FeedEntry[], previous: PreviousFeed | null, secretKey: Uint8Array, now: Date, validDays = 14): NextFeed {
  const seq = previous ? previous.index.seq + 1 : 1;
  const epoch = previous ? previous.index.epoch : 1;
  if (previous) carryRevisions(entries, previous.snapshot.entries);
  const deltas = previous ? [...previous.deltas] : [];
  const snapshot = signFile(`snapshots/${seq}.json`, buildSnapshot(meta, entries, seq, epoch, now, validDays), 'snapshot', secretKey);
  if (previous) {
    deltas.push({ fromSeq: seq - 1, toSeq: seq, file: signFile(`deltas/${seq - 1}-${seq}.json`, buildDelta(meta.id, previous.snapshot.entries, entries, seq - 1, epoch, now, validDays), 'delta', secretKey) });
  }
  const keep = deltas.slice(-LIMITS.maxDeltas);
  const index = signFile('index.json', buildIndex(meta, { seq, epoch, file: snapshot }, keep, now, Math.min(validDays, 2)), 'index', secretKey);
  return { seq, epoch, files: [snapshot, ...keep.map((d) => d.file), index], delta: !!previous };
}

export interface VerifiedFeed {
  index: FeedIndex;
  snapshot: FeedSnapshot;
  hashes: number;
}

/** Every check of `verify`: signatures, sizes and SHA-256 against the index, schemas, limits. Throws FeedError. */
export function verifyFeed(read: ReadFeedFile, publicKeys: readonly Uint8Array[], opts: ParseOptions = {}): VerifiedFeed {
  const get = (p: string) => {
    const bytes = read(p);
    if (!bytes) throw new FeedError('checksum', 'missing', p);
    return bytes;
  };
  const index = parseIndex(openEnvelope(get('index.json'), publicKeys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes).payload, opts);
  const checked = (ref: { path: string; sha256: string; bytes: number }) => {
    const bytes = get(ref.path);
    if (bytes.length !== ref.bytes || bytesToHex(sha256(bytes)) !== ref.sha256) throw new FeedError('checksum', 'size or SHA-256 differs from the index', ref.path);
    return bytes;
  };
  const snapshot = parseSnapshot(openEnvelope(checked(index.snapshot), publicKeys, PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes).payload, opts);
  for (const d of index.deltas) parseDelta(openEnvelope(checked(d), publicKeys, PAYLOAD_TYPES.delta, LIMITS.maxDeltaBytes).payload, opts);
  const hashes = snapshot.entries.reduce((n, e) => n + e.media.reduce((m, x) => m + x.hashes.length + (x.frames?.items.length ?? 0), 0), 0);
  return { index, snapshot, hashes };
}
