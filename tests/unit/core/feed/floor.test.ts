// The rollback floor (docs/feed-format.md, "How clients sync": a client never goes back to an
// older sequence of a feed, nor to another feed or epoch under the same subscription).
import { describe, expect, it } from 'vitest';
import { FeedError, checkFloor, raiseFloor, type FeedFloor } from '../../../../src/core/feed';

const FEED = 'https://feeds.example.org/afp-media/v1';
const floor: FeedFloor = { feedId: FEED, epoch: 2, seq: 10 };
const code = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e instanceof FeedError ? e.code : 'other';
  }
  return null;
};

describe('checkFloor', () => {
  it('no floor yet (a first subscription): anything signed is taken', () => {
    expect(code(() => checkFloor({ feedId: FEED, epoch: 1, seq: 0 }, null))).toBeNull();
  });
  it('the same sequence and above pass; one below is a rollback', () => {
    expect(code(() => checkFloor({ feedId: FEED, epoch: 2, seq: 10 }, floor))).toBeNull();
    expect(code(() => checkFloor({ feedId: FEED, epoch: 2, seq: 11 }, floor))).toBeNull();
    expect(code(() => checkFloor({ feedId: FEED, epoch: 2, seq: 9 }, floor))).toBe('rollback');
    expect(() => checkFloor({ feedId: FEED, epoch: 2, seq: 9 }, floor)).toThrow('sequence 9 is older than the 10 already accepted');
  });
  it('another epoch, older or newer, is refused (re-subscribing is how a reader follows a new epoch)', () => {
    expect(code(() => checkFloor({ feedId: FEED, epoch: 1, seq: 99 }, floor))).toBe('epoch');
    expect(code(() => checkFloor({ feedId: FEED, epoch: 3, seq: 0 }, floor))).toBe('epoch');
    expect(() => checkFloor({ feedId: FEED, epoch: 1, seq: 99 }, floor)).toThrow('the feed moved from epoch 2 to 1');
  });
  it('another feed is refused', () => {
    expect(code(() => checkFloor({ feedId: `${FEED}x`, epoch: 2, seq: 10 }, floor))).toBe('wrong-feed');
    expect(() => checkFloor({ feedId: `${FEED}x`, epoch: 2, seq: 10 }, floor)).toThrow(`this is feed ${FEED}x, not ${FEED}`);
  });
});

describe('raiseFloor', () => {
  it('starts at the first index accepted', () => {
    expect(raiseFloor(null, { feedId: FEED, epoch: 1, seq: 3 })).toEqual({ feedId: FEED, epoch: 1, seq: 3 });
  });
  it('goes up, never down', () => {
    expect(raiseFloor(floor, { feedId: FEED, epoch: 2, seq: 12 })).toEqual({ feedId: FEED, epoch: 2, seq: 12 });
    expect(raiseFloor(floor, { feedId: FEED, epoch: 2, seq: 10 })).toEqual(floor);
    expect(raiseFloor(floor, { feedId: FEED, epoch: 2, seq: 4 })).toEqual(floor);
  });
  it('a new subscription of another feed or epoch starts a new floor', () => {
    expect(raiseFloor(floor, { feedId: FEED, epoch: 3, seq: 1 })).toEqual({ feedId: FEED, epoch: 3, seq: 1 });
    expect(raiseFloor(floor, { feedId: 'https://other.example.org/v1', epoch: 2, seq: 1 })).toEqual({ feedId: 'https://other.example.org/v1', epoch: 2, seq: 1 });
  });
});
