/**
 * The client's sync decisions, pure: the state hash of a set of entries, applying a delta to a
 * working copy, and checking an index against what is held (no rollback, no other feed, no
 * expired index, a bounded jump) to choose between nothing, a delta chain, or the snapshot.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FeedError } from './errors';
import { LIMITS } from './limits';
import type { FeedDelta, FeedEntry, FeedIndex } from './schema';

/** SHA-256 over the lines `id TAB rev LF`, sorted by id (code units; ids are ASCII). */
export function computeStateHash(entries: Iterable<{ id: string; rev: number }>): string {
  const lines = [...entries].map((e) => `${e.id}\t${e.rev}\n`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `sha256:${bytesToHex(sha256(new TextEncoder().encode(lines.join(''))))}`;
}

/** A new working copy: removals first, then upserts (each rev must grow), then the state hash must match. */
export function applyDelta(current: ReadonlyMap<string, FeedEntry>, delta: FeedDelta): Map<string, FeedEntry> {
  const next = new Map(current);
  for (const r of delta.remove) next.delete(r.id); // unknown ids: tolerated, but the state hash will tell
  delta.upsert.forEach((e, i) => {
    // Compared with what was held before the removals: removing an entry and adding it back in
    // the same delta cannot change its content without a new rev.
    const held = current.get(e.id);
    if (held && held.rev >= e.rev) throw new FeedError('stale-rev', `rev ${e.rev} is not newer than the ${held.rev} held`, `upsert[${i}].rev`);
    next.set(e.id, e);
  });
  const hash = computeStateHash(next.values());
  if (hash !== delta.stateHash) throw new FeedError('state-hash', 'the entries after this delta do not match its state hash');
  return next;
}

export interface HeldState {
  feedId: string | null;
  epoch: number | null;
  seq: number | null;
}

export type SyncPlan = 'unchanged' | 'snapshot' | { deltas: FeedIndex['deltas'] };

export function checkIndexAgainstState(index: FeedIndex, held: HeldState | null, now: Date): SyncPlan {
  if (Date.parse(index.expiresAt) <= now.getTime()) throw new FeedError('expired', `the feed index expired at ${index.expiresAt}`);
  if (!held || held.seq === null) return 'snapshot';
  if (held.feedId && held.feedId !== index.feedId) throw new FeedError('wrong-feed', `this is feed ${index.feedId}, not ${held.feedId}`);
  if (held.epoch !== null && index.epoch !== held.epoch) {
    // v1 has no recovery key yet: an epoch change needs the reader to re-subscribe.
    throw new FeedError('epoch', `the feed moved from epoch ${held.epoch} to ${index.epoch}`);
  }
  if (index.seq < held.seq) throw new FeedError('rollback', `sequence ${index.seq} is older than the ${held.seq} held`);
  if (index.seq === held.seq) return 'unchanged';
  if (index.seq - held.seq > LIMITS.maxSeqJump) throw new FeedError('fast-forward', `sequence jumps from ${held.seq} to ${index.seq}`);
  const chain: FeedIndex['deltas'] = [];
  let at = held.seq;
  while (at < index.seq) {
    const next = index.deltas.find((d) => d.fromSeq === at && d.toSeq === at + 1);
    if (!next) return 'snapshot';
    chain.push(next);
    at++;
  }
  const bytes = chain.reduce((s, d) => s + d.bytes, 0);
  return bytes < index.snapshot.bytes ? { deltas: chain } : 'snapshot';
}
