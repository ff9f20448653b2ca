// Subscriptions and the sync schedule (fake-indexeddb, a scripted feed server, the extension API
// faked in memory): one sync at a time, a new feed's first sync included; each feed's rollback
// floor kept in storage.local, and forgotten with the feed.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string | string[]) => Object.fromEntries((Array.isArray(key) ? key : [key]).filter((k) => local.has(k)).map((k) => [k, structuredClone(local.get(k))])),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
    permissions: { contains: async () => true },
    alarms: { create: async () => undefined },
  },
}));

import { openDatabase } from '../../../src/background/db';
import { addFeed, removeFeed, syncAll } from '../../../src/background/feeds';
import { SETTINGS_KEY, defaultSettings } from '../../../src/shared/settings';
import { META, NOW, entry } from '../core/feed/fixtures';
import { BASE, feedServer, sub } from './feed-server';

let server: ReturnType<typeof feedServer>;
beforeEach(async () => {
  const db = await openDatabase();
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([tx.objectStore('feeds').clear(), tx.objectStore('entries').clear(), tx.objectStore('matchIndex').clear(), tx.done]);
  local.clear();
  server = feedServer();
  vi.stubGlobal('fetch', server.fetch);
  vi.useFakeTimers({ toFake: ['Date'] }); // the background's clock reads the feeds' time
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Lets every pending promise and IndexedDB event run (event-loop turns, not wall time). */
const settle = async (turns = 100) => {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
};

describe('feeds', () => {
  it('a feed added while a sync is running is synced after it, never beside it', async () => {
    server.publish([entry('a')]);
    local.set(SETTINGS_KEY, defaultSettings([sub]));
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const serve = server.fetch.getMockImplementation()!;
    server.fetch.mockImplementation(async (url: string) => {
      most = Math.max(most, ++inFlight);
      try {
        if (url === sub.url) await gate; // the running sync's index request hangs
        return await serve(url);
      } finally {
        inFlight--;
      }
    });
    const running = syncAll({ force: true });
    await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(1));
    const second = { name: 'Second', url: `${BASE}second/index.json`, publicKey: sub.publicKey, enabled: true };
    const adding = addFeed(second);
    await vi.waitFor(() => expect((local.get(SETTINGS_KEY) as { subscriptions: unknown[] }).subscriptions).toHaveLength(2));
    await settle(); // time enough for the new feed's sync to start, were it not queued
    expect(server.fetch, 'the new feed waits for the running sync').toHaveBeenCalledTimes(1);
    release();
    await Promise.all([running, adding]);
    expect((await (await openDatabase()).get('feeds', sub.url))?.seq, 'the running sync completed').toBe(1);
    expect(most, 'never two feed requests at once').toBe(1);
    expect(server.fetch.mock.calls.map((c) => String(c[0]))).toContain(second.url);
  });

  it('keeps each feed’s rollback floor in storage.local, and forgets it with the feed', async () => {
    server.publish([entry('a')]);
    server.publish([entry('a'), entry('b')]);
    local.set(SETTINGS_KEY, defaultSettings([]));
    await addFeed(sub);
    expect(local.get('feedFloors')).toEqual({ [sub.url]: { feedId: META.id, epoch: 1, seq: 2 } });
    await removeFeed(sub.url);
    expect(local.get('feedFloors')).toEqual({});
  });
});
