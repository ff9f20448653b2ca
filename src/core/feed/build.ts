/**
 * Writing feeds (the publisher tool): payloads from entries, signed envelopes, and the index that
 * names them with their sizes and SHA-256. Files are laid out as
 *   index.json  snapshots/<seq>.json  deltas/<from>-<to>.json
 * relative to the index, whose URL is what readers subscribe to.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BINARY_PAYLOAD_TYPES, encodeBinaryDelta, encodeBinarySnapshot } from './binary';
import { signEnvelope } from './envelope';
import { FORMAT_VERSION, PAYLOAD_TYPES } from './limits';
import type { FeedDelta, FeedEntry, FeedIndex, FeedSnapshot } from './schema';
import { computeStateHash } from './state';

export interface FeedMeta {
  id: string;
  name: FeedSnapshot['feed']['name'];
  publisher: FeedSnapshot['feed']['publisher'];
  license?: string;
  defaultLanguage?: string;
  reportEndpoint?: string;
}

export interface BuiltFile {
  path: string;
  bytes: Uint8Array;
}

const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));

function times(now: Date, validDays: number) {
  return { generatedAt: now.toISOString(), expiresAt: new Date(now.getTime() + validDays * 86_400_000).toISOString() };
}

export function buildSnapshot(meta: FeedMeta, entries: FeedEntry[], seq: number, epoch: number, now: Date, validDays = 14): FeedSnapshot {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
  const feed: FeedSnapshot['feed'] = { id: meta.id, name: meta.name, publisher: meta.publisher };
  if (meta.license) feed.license = meta.license;
  if (meta.defaultLanguage) feed.defaultLanguage = meta.defaultLanguage;
  return {
    format: 'already-debunked/snapshot',
    formatVersion: FORMAT_VERSION,
    feed,
    epoch,
    seq,
    ...times(now, validDays),
    entryCount: sorted.length,
    stateHash: computeStateHash(sorted),
    entries: sorted,
  };
}

/** The change from `before` to `after`: removed ids, and entries that are new or have a new rev. */
export function buildDelta(feedId: string, before: readonly FeedEntry[], after: readonly FeedEntry[], fromSeq: number, epoch: number, now: Date, validDays = 14): FeedDelta {
  const old = new Map(before.map((e) => [e.id, e]));
  const next = new Map(after.map((e) => [e.id, e]));
  return {
    format: 'already-debunked/delta',
    formatVersion: FORMAT_VERSION,
    feedId,
    epoch,
    fromSeq,
    toSeq: fromSeq + 1,
    ...times(now, validDays),
    remove: [...old.values()].filter((e) => !next.has(e.id)).map((e) => ({ id: e.id, rev: e.rev })),
    upsert: [...next.values()].filter((e) => old.get(e.id)?.rev !== e.rev),
    stateHash: computeStateHash(after),
  };
}

export function signFile(path: string, payload: unknown, type: keyof typeof PAYLOAD_TYPES, secretKey: Uint8Array | readonly Uint8Array[]): BuiltFile {
  return { path, bytes: signEnvelope(json(payload), PAYLOAD_TYPES[type], secretKey) };
}

/** A snapshot or delta in the binary form (ADFB, docs/feed-format.md "Binary payloads"), signed. */
export function signBinaryFile(path: string, payload: FeedSnapshot | FeedDelta, secretKey: Uint8Array | readonly Uint8Array[]): BuiltFile {
  if ('entries' in payload) return { path, bytes: signEnvelope(encodeBinarySnapshot(payload), BINARY_PAYLOAD_TYPES.snapshot, secretKey) };
  return { path, bytes: signEnvelope(encodeBinaryDelta(payload), BINARY_PAYLOAD_TYPES.delta, secretKey) };
}

function ref(file: BuiltFile) {
  return { path: file.path, sha256: bytesToHex(sha256(file.bytes)), bytes: file.bytes.length };
}

export function buildIndex(
  meta: FeedMeta,
  snapshot: { seq: number; epoch: number; file: BuiltFile },
  deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[],
  now: Date,
  validDays = 2,
  minimumWaitSeconds = 3600,
  /** The same sequence in the binary form, for readers that know it. */
  binary?: { snapshot: BuiltFile; deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] },
): FeedIndex {
  const index: FeedIndex = {
    format: 'already-debunked/index',
    formatVersion: FORMAT_VERSION,
    feedId: meta.id,
    epoch: snapshot.epoch,
    seq: snapshot.seq,
    ...times(now, validDays),
    minimumWaitSeconds,
    snapshot: { ...ref(snapshot.file), seq: snapshot.seq },
    deltas: deltas.map((d) => ({ ...ref(d.file), fromSeq: d.fromSeq, toSeq: d.toSeq })),
  };
  if (binary) {
    index.binary = {
      snapshot: { ...ref(binary.snapshot), seq: snapshot.seq },
      deltas: binary.deltas.map((d) => ({ ...ref(d.file), fromSeq: d.fromSeq, toSeq: d.toSeq })),
    };
  }
  if (meta.reportEndpoint) index.reportEndpoint = meta.reportEndpoint;
  return index;
}
