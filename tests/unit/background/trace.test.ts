// The benchmarks' phase marks (src/background/trace.ts, test builds; vitest runs as one): a binary
// snapshot's sync leaves every phase of opening, decoding and storing it, in order, with the
// summed phases' totals — what tests/bench/chromium-sync.bench.ts lines up with memory samples.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/background/db';
import { syncFeed, type SyncContext } from '../../../src/background/sync';
import { mark, traceMarks } from '../../../src/background/trace';
import { entry, NOW } from '../core/feed/fixtures';
import { feedServer, sub } from './feed-server';

let ctx: SyncContext;
beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  ctx = { db: await openDatabase(`test-${Math.random()}`), now: () => NOW, testHosts: [], random: () => 0.5 };
  traceMarks.take();
});
afterEach(() => vi.unstubAllGlobals());

describe('trace marks', () => {
  it('a binary sync marks each phase in order; the summed ones carry their milliseconds and counts', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish([entry('a', 1), entry('b', 1), entry('c', 1)]);
    expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
    const marks = traceMarks.take();
    expect(marks.map((m) => m.name)).toEqual([
      'sync:start',
      'sync:file-fetch',
      'sync:file-fetched',
      'sync:file-checked',
      'sync:envelope-parsed',
      'sync:payload-decoded',
      'sync:signature-verified',
      'sync:binary-opened',
      'sync:accepted',
      'sync:first-chunk-stored',
      'sync:decode',
      'sync:put',
      'sync:write-wait',
      'sync:committed',
    ]);
    const at = marks.map((m) => m.at);
    expect(at).toEqual([...at].sort((x, y) => x - y));
    const byName = new Map(marks.map((m) => [m.name, m]));
    expect(byName.get('sync:decode')!.n).toBe(1); // one chunk of three entries
    for (const summed of ['sync:decode', 'sync:put', 'sync:write-wait']) expect(byName.get(summed)!.ms).toBeGreaterThanOrEqual(0);
    expect(byName.get('sync:file-fetched')!.n).toBe((server.files.get('snapshots/1.adfb') as Uint8Array).length);
    expect(traceMarks.peek()).toEqual([]); // taken
  });

  it('the summed phases add up what a clock measures: one tick per reading gives one per interval (1001 entries: two chunks of the binary form, 1000 per chunk and per write batch)', async () => {
    const server = feedServer({ binary: true });
    vi.stubGlobal('fetch', server.fetch);
    server.publish(Array.from({ length: 1001 }, (_, i) => entry(`e${String(i).padStart(4, '0')}`, 1)));
    // A clock that moves one millisecond each time it is read: each measured interval (a reading
    // before, one after) is then at least 1, and exactly 1 where nothing else reads the clock.
    let ticks = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => ++ticks);
    try {
      expect((await syncFeed(sub, ctx)).outcome).toBe('updated');
    } finally {
      now.mockRestore();
    }
    const marks = traceMarks.take();
    const byName = new Map(marks.map((m) => [m.name, m]));
    expect(marks.filter((m) => m.name === 'sync:first-chunk-stored').map((m) => m.n), 'marked once, after the first chunk').toEqual([1000]);
    expect(byName.get('sync:decode')!.n, 'two chunks').toBe(2);
    // three readings of the decoder (two chunks, then its end), each at least one tick
    expect(byName.get('sync:decode')!.ms).toBeGreaterThanOrEqual(3);
    expect(byName.get('sync:decode')!.ms).toBeLessThan(ticks);
    // one write batch per chunk: two intervals of making the requests, two of waiting for them
    expect(byName.get('sync:put')!.ms).toBe(2);
    expect(byName.get('sync:write-wait')!.ms).toBe(2);
    expect(byName.get('sync:file-fetched')!.n).toBe((server.files.get('snapshots/1.adfb') as Uint8Array).length);
    expect(await ctx.db.count('entries')).toBe(1001);
  });

  it('peek gives a copy: taking the marks later does not empty what was peeked', () => {
    traceMarks.take();
    mark('one');
    const peeked = traceMarks.peek();
    expect(traceMarks.take().map((m) => m.name)).toEqual(['one']);
    expect(peeked.map((m) => m.name)).toEqual(['one']);
  });

  it('keeps the last 10,000 marks', () => {
    for (let i = 0; i < 10_005; i++) mark(`m${i}`);
    const marks = traceMarks.take();
    expect(marks.length).toBe(10_000);
    expect(marks[0]!.name).toBe('m5');
  });
});
