/**
 * Each feed's rollback floor (src/core/feed/floor.ts), in storage.local beside the settings: it
 * survives the loss of the IndexedDB database that holds the feeds, so a resync after that loss
 * still refuses an older signed snapshot. Forgotten when the reader removes the feed.
 */
import browser from 'webextension-polyfill';
import { raiseFloor, type FeedFloor } from '../core/feed';

const FLOORS_KEY = 'feedFloors';

/** What sync needs of the floors (./sync.ts); tests give an in-memory one. */
export interface FloorStore {
  get(url: string): Promise<FeedFloor | null>;
  /** Raises the floor of `url` to `seen` (never lowers it). */
  raise(url: string, seen: FeedFloor): Promise<void>;
}

async function all(): Promise<Record<string, FeedFloor>> {
  const stored = (await browser.storage.local.get(FLOORS_KEY))[FLOORS_KEY];
  return stored && typeof stored === 'object' ? (stored as Record<string, FeedFloor>) : {};
}

export const storedFloors: FloorStore = {
  async get(url) {
    const f = (await all())[url];
    return f && typeof f.feedId === 'string' && Number.isInteger(f.epoch) && Number.isInteger(f.seq) ? f : null;
  },
  async raise(url, seen) {
    const floors = await all();
    await browser.storage.local.set({ [FLOORS_KEY]: { ...floors, [url]: raiseFloor(floors[url] ?? null, seen) } });
  },
};

export async function forgetFloor(url: string): Promise<void> {
  const floors = await all();
  delete floors[url];
  await browser.storage.local.set({ [FLOORS_KEY]: floors });
}
