/**
 * The rollback floor of a feed: the highest (feed id, epoch, sequence) the reader has accepted
 * from it. Kept where losing the feed database does not lose it (the background keeps it in
 * storage.local), so that after the database is lost a resync cannot be served an older, still
 * unexpired signed snapshot. Pure.
 */
import { FeedError } from './errors';
import type { FeedIndex } from './schema';

export interface FeedFloor {
  feedId: string;
  epoch: number;
  seq: number;
}

/**
 * Throws unless the index is at or above the floor: the same feed, the same epoch (an epoch
 * change needs the reader to re-subscribe, as with a database), a sequence not below the floor's.
 */
export function checkFloor(index: Pick<FeedIndex, 'feedId' | 'epoch' | 'seq'>, floor: FeedFloor | null): void {
  if (!floor) return;
  if (index.feedId !== floor.feedId) throw new FeedError('wrong-feed', `this is feed ${index.feedId}, not ${floor.feedId}`);
  if (index.epoch !== floor.epoch) throw new FeedError('epoch', `the feed moved from epoch ${floor.epoch} to ${index.epoch}`);
  if (index.seq < floor.seq) throw new FeedError('rollback', `sequence ${index.seq} is older than the ${floor.seq} already accepted`);
}

/** The floor after accepting `index`: never lower than before. */
export function raiseFloor(floor: FeedFloor | null, index: Pick<FeedIndex, 'feedId' | 'epoch' | 'seq'>): FeedFloor {
  if (floor && floor.feedId === index.feedId && floor.epoch === index.epoch && floor.seq >= index.seq) return floor;
  return { feedId: index.feedId, epoch: index.epoch, seq: index.seq };
}
