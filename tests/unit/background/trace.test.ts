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

  it('keeps the last 10,000 marks', () => {
    for (let i = 0; i < 10_005; i++) mark(`m${i}`);
    const marks = traceMarks.take();
    expect(marks.length).toBe(10_000);
    expect(marks[0]!.name).toBe('m5');
  });
});
