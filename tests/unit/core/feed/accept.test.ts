// acceptFeed (src/core/feed/accept.ts), the one acceptance the extension's sync and `verify` share,
// tested directly: which files it reads, what it tells the caller to store after a delta chain, and
// each check of a delta and a snapshot against the index that announces them. Expected values are
// worked out by hand from docs/feed-format.md (the state hash is recomputed here with node:crypto
// from its definition: SHA-256 over the sorted lines `id TAB rev LF`).
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  BINARY_PAYLOAD_TYPES,
  FeedError,
  LIMITS,
  acceptFeed,
  encodeBinarySnapshot,
  openSnapshotStream,
  signEnvelope,
  openDelta,
  buildDelta,
  buildIndex,
  buildSnapshot,
  signFile,
  type AcceptContext,
  type BuiltFile,
  type FeedEntry,
  type FeedIndex,
  type FileRef,
} from '../../../../src/core/feed';
import { META, NOW, entry, keys } from './fixtures';

const stateHash = (pairs: string[]) => `sha256:${createHash('sha256').update(pairs.map((p) => `${p.replace('@', '\t')}\n`).sort().join('')).digest('hex')}`;

/** 30 entries e00…e29 at rev 1: enough that a one-step delta is smaller than the snapshot. */
const BEFORE = Array.from({ length: 30 }, (_, i) => entry(`e${String(i).padStart(2, '0')}`));
/** Seq 2: e01 gets rev 2, e02 is removed, n01 is new (still 30 entries). */
const AFTER = [...BEFORE.filter((e) => e.id !== 'e01' && e.id !== 'e02'), entry('e01', 2), entry('n01')];

interface Feed {
  files: Map<string, Uint8Array>;
  index: FeedIndex;
  indexBytes: Uint8Array;
}

/** Seq 2 of the feed, with its snapshot and the delta 1→2; `edit` may change a file before the index is signed. */
function feed(edit?: { snapshot?: BuiltFile; delta?: BuiltFile; index?: (i: FeedIndex) => void }): Feed {
  const snap = edit?.snapshot ?? signFile('snapshots/2.json', buildSnapshot(META, AFTER, 2, 1, NOW), 'snapshot', keys.secretKey);
  const delta = edit?.delta ?? signFile('deltas/1-2.json', buildDelta(META.id, BEFORE, AFTER, 1, 1, NOW), 'delta', keys.secretKey);
  const index = buildIndex(META, { seq: 2, epoch: 1, file: snap }, [{ fromSeq: 1, toSeq: 2, file: delta }], NOW);
  edit?.index?.(index);
  const files = new Map([
    [snap.path, snap.bytes],
    [delta.path, delta.bytes],
  ]);
  return { files, index, indexBytes: signFile('index.json', index, 'index', keys.secretKey).bytes };
}

function context(f: Feed, held: AcceptContext['held'], extra: Partial<AcceptContext> = {}) {
  const reads: string[] = [];
  const failures: unknown[] = [];
  const ctx: AcceptContext = {
    keys: [keys.publicKey],
    held,
    now: NOW,
    testHosts: [],
    read: async (ref: FileRef, maxBytes: number) => {
      reads.push(`${ref.path} ≤${maxBytes}`);
      const bytes = f.files.get(ref.path);
      if (!bytes) throw new Error(`404 ${ref.path}`);
      return bytes;
    },
    loadHeld: async () => new Map(BEFORE.map((e) => [e.id, e])),
    onDeltaFailure: (e) => failures.push(e),
    ...extra,
  };
  return { ctx, reads, failures };
}

const HELD_1 = { feedId: META.id, epoch: 1, seq: 1 };
const ids = (chunks: Iterable<readonly FeedEntry[]>) => [...chunks].flat().map((e) => `${e.id}@${e.rev}`).sort();
const codeOf = (e: unknown) => (e instanceof FeedError ? e.code : String(e));

describe('acceptFeed: what a reader stores', () => {
  it('holding seq 1, follows the delta: puts only the new and changed entries, removes the removed one, reads only the delta', async () => {
    const f = feed();
    const { ctx, reads, failures } = context(f, HELD_1);
    const r = await acceptFeed(f.indexBytes, ctx);
    expect(failures).toEqual([]);
    expect(reads).toEqual([`deltas/1-2.json ≤${4 * 1024 * 1024}`]);
    expect(r.update).not.toBeNull();
    expect(ids(r.update!.put)).toEqual(['e01@2', 'n01@1']);
    expect(r.update!.remove).toEqual(['e02']);
    expect(r.update!.replaceAll).toBe(false);
    expect(r.update!.entryCount).toBe(30);
    expect(r.update!.stateHash).toBe(stateHash(AFTER.map((e) => `${e.id}@${e.rev}`)));
    expect(r.update!.publisherName).toBeNull();
    expect(r.index.seq).toBe(2);
  });

  it('a new reader takes the whole snapshot (replace all, the publisher’s name), reading only the snapshot', async () => {
    const f = feed();
    const { ctx, reads } = context(f, null);
    const r = await acceptFeed(f.indexBytes, ctx);
    expect(reads).toEqual([`snapshots/2.json ≤${256 * 1024 * 1024}`]);
    expect(ids(r.update!.put)).toEqual(AFTER.map((e) => `${e.id}@${e.rev}`).sort());
    expect(r.update).toMatchObject({ remove: [], replaceAll: true, entryCount: 30, publisherName: 'AFP Fact Check' });
    expect(r.update!.stateHash).toBe(stateHash(AFTER.map((e) => `${e.id}@${e.rev}`)));
  });

  it('holding the current seq: nothing to store and nothing read', async () => {
    const f = feed();
    const { ctx, reads } = context(f, { ...HELD_1, seq: 2 });
    const r = await acceptFeed(f.indexBytes, ctx);
    expect(r.update).toBeNull();
    expect(reads).toEqual([]);
  });

  it('checkIndex runs on the accepted index before any file is read; throwing refuses the feed', async () => {
    const f = feed();
    const seen: number[] = [];
    const { ctx, reads } = context(f, null, {
      checkIndex: (index) => {
        seen.push(index.seq);
        throw new FeedError('rollback', 'below the floor');
      },
    });
    await expect(acceptFeed(f.indexBytes, ctx)).rejects.toMatchObject({ code: 'rollback' });
    expect(seen).toEqual([2]);
    expect(reads).toEqual([]);
  });

  it('without loadHeld, a delta is applied to nothing: its state hash fails and the snapshot is used', async () => {
    const f = feed();
    const { ctx, failures } = context(f, HELD_1, { loadHeld: undefined });
    const r = await acceptFeed(f.indexBytes, ctx);
    expect(failures.map(codeOf)).toEqual(['state-hash']);
    expect(r.update!.replaceAll).toBe(true);
  });
});

describe('acceptFeed: a delta that is not this index’s falls back to the snapshot', () => {
  it.each([
    ['another feed id', buildDelta('https://feeds.example.org/other/v1', BEFORE, AFTER, 1, 1, NOW)],
    ['another epoch', buildDelta(META.id, BEFORE, AFTER, 1, 2, NOW)],
  ])('%s: refused as wrong-feed (signed by the right key, listed by the index)', async (_, payload) => {
    const f = feed({ delta: signFile('deltas/1-2.json', payload, 'delta', keys.secretKey) });
    const { ctx, failures, reads } = context(f, HELD_1);
    const r = await acceptFeed(f.indexBytes, ctx);
    expect(failures.map(codeOf)).toEqual(['wrong-feed']);
    expect((failures[0] as Error).message).toBe('deltas/1-2.json belongs to another feed or epoch');
    expect(reads.map((x) => x.split(' ')[0])).toEqual(['deltas/1-2.json', 'snapshots/2.json']);
    expect(r.update!.replaceAll).toBe(true);
  });

  it('without onDeltaFailure (the CLI’s verify), a broken delta still falls back to the snapshot', async () => {
    const f = feed({ delta: signFile('deltas/1-2.json', buildDelta(META.id, BEFORE, AFTER, 1, 2, NOW), 'delta', keys.secretKey) });
    const { ctx } = context(f, HELD_1, { onDeltaFailure: undefined });
    expect((await acceptFeed(f.indexBytes, ctx)).update!.replaceAll).toBe(true);
  });

  it('openDelta on its own (as verify calls it) checks the file against its ref first', () => {
    const f = feed();
    const ref = f.index.deltas[0]!;
    const bytes = f.files.get('deltas/1-2.json')!;
    expect(openDelta(bytes, ref, f.index, { keys: [keys.publicKey], now: NOW, testHosts: [] }).toSeq).toBe(2);
    expect(() => openDelta(bytes, { ...ref, bytes: LIMITS.maxDeltaBytes + 1 }, f.index, { keys: [keys.publicKey], now: NOW, testHosts: [] })).toThrow(
      expect.objectContaining({ code: 'too-large', message: `deltas/1-2.json is ${LIMITS.maxDeltaBytes + 1} bytes, more than ${LIMITS.maxDeltaBytes}` }),
    );
    expect(() => openDelta(bytes.subarray(1), ref, f.index, { keys: [keys.publicKey], now: NOW, testHosts: [] })).toThrow(/does not match the size and SHA-256/);
  });

  it('a delta the index announces at exactly the delta limit is read (and then fails its checksum), one byte over is not read', async () => {
    for (const [bytes, code, read] of [
      [LIMITS.maxDeltaBytes, 'checksum', true],
      [LIMITS.maxDeltaBytes + 1, 'too-large', false],
    ] as const) {
      // The chain is followed only when smaller than the snapshot: announce a snapshot larger still.
      const big = feed({ index: (i) => ((i.deltas[0]!.bytes = bytes), (i.snapshot.bytes = LIMITS.maxDeltaBytes + 10)) });
      const { ctx, failures, reads } = context(big, HELD_1);
      await expect(acceptFeed(big.indexBytes, ctx)).rejects.toMatchObject({ code: 'checksum' }); // the snapshot's size is wrong too
      expect(failures.map(codeOf)).toEqual([code]);
      expect(reads.some((x) => x.startsWith('deltas/'))).toBe(read);
    }
  });
});

describe('acceptFeed: the snapshot must be the one the index announces', () => {
  const other = (meta: typeof META, seq: number, epoch: number) => signFile('snapshots/2.json', buildSnapshot(meta, AFTER, seq, epoch, NOW), 'snapshot', keys.secretKey);
  it.each([
    ['another feed id', other({ ...META, id: 'https://feeds.example.org/other/v1' }, 2, 1)],
    ['another epoch', other(META, 2, 2)],
    ['another sequence', other(META, 3, 1)],
  ])('%s: refused as wrong-feed', async (_, snapshot) => {
    const f = feed({ snapshot });
    const { ctx } = context(f, null);
    await expect(acceptFeed(f.indexBytes, ctx)).rejects.toMatchObject({ code: 'wrong-feed', message: 'snapshots/2.json is not the snapshot this index announces' });
  });

  it('a snapshot whose entries do not give its own state hash is refused (state-hash)', async () => {
    const snap = buildSnapshot(META, AFTER, 2, 1, NOW);
    snap.stateHash = stateHash(BEFORE.map((e) => `${e.id}@${e.rev}`));
    const f = feed({ snapshot: signFile('snapshots/2.json', snap, 'snapshot', keys.secretKey) });
    await expect(acceptFeed(f.indexBytes, context(f, null).ctx)).rejects.toMatchObject({ code: 'state-hash', message: 'snapshots/2.json: the entries do not match its state hash' });
  });

  it('the size the index gives must be the file’s: one byte more is refused even with the right SHA-256', async () => {
    const f = feed({ index: (i) => (i.snapshot.bytes += 1) });
    await expect(acceptFeed(f.indexBytes, context(f, null).ctx)).rejects.toMatchObject({ code: 'checksum' });
  });

  it('a snapshot announced over the snapshot limit is refused before it is read', async () => {
    const f = feed({ index: (i) => (i.snapshot.bytes = LIMITS.maxBinarySnapshotBytes + 1) }); // the file limit is the binary form's; the JSON form's is checked once its payload type is known
    const read = vi.fn();
    const { ctx } = context(f, null, { read });
    await expect(acceptFeed(f.indexBytes, ctx)).rejects.toMatchObject({
      code: 'too-large',
      message: `snapshots/2.json is ${LIMITS.maxBinarySnapshotBytes + 1} bytes, more than ${LIMITS.maxBinarySnapshotBytes}`,
    });
    expect(read).not.toHaveBeenCalled();
  });
});

describe('acceptFeed: the reader’s test hosts reach every file’s schema', () => {
  // A desk on this machine (a test build or `verify --allow-loopback`): plain-http loopback URLs in
  // the index (report endpoint), the snapshot (publisher) and a delta (an entry's fact-check).
  const LOCAL = 'http://127.0.0.1:8080/';
  const meta = { ...META, reportEndpoint: `${LOCAL}reports`, publisher: { name: 'Local desk', url: LOCAL } };
  const local = (id: string) => {
    const e = entry(id);
    return { ...e, factCheck: { ...e.factCheck, url: `${LOCAL}${id}` } };
  };
  const before = Array.from({ length: 30 }, (_, i) => local(`l${String(i).padStart(2, '0')}`));
  const after = [...before, local('new')];
  const snap = signFile('snapshots/2.json', buildSnapshot(meta, after, 2, 1, NOW), 'snapshot', keys.secretKey);
  const delta = signFile('deltas/1-2.json', buildDelta(meta.id, before, after, 1, 1, NOW), 'delta', keys.secretKey);
  const indexBytes = signFile('index.json', buildIndex(meta, { seq: 2, epoch: 1, file: snap }, [{ fromSeq: 1, toSeq: 2, file: delta }], NOW), 'index', keys.secretKey).bytes;
  const f: Feed = { files: new Map([[snap.path, snap.bytes], [delta.path, delta.bytes]]), index: null as unknown as FeedIndex, indexBytes };

  it('a new reader allowing 127.0.0.1 takes the snapshot; one allowing nothing refuses the index', async () => {
    const { ctx } = context(f, null, { testHosts: ['127.0.0.1'] });
    expect((await acceptFeed(indexBytes, ctx)).update).toMatchObject({ replaceAll: true, entryCount: 31, publisherName: 'Local desk' });
    await expect(acceptFeed(indexBytes, context(f, null).ctx)).rejects.toMatchObject({ code: 'schema' });
  });

  it('a reader holding seq 1 follows the delta with the loopback entry', async () => {
    const { ctx, failures } = context(f, HELD_1, { testHosts: ['127.0.0.1'], loadHeld: async () => new Map(before.map((e) => [e.id, e])) });
    const r = await acceptFeed(indexBytes, ctx);
    expect(failures).toEqual([]);
    expect(r.update).toMatchObject({ replaceAll: false, entryCount: 31, remove: [] });
    expect(ids(r.update!.put)).toEqual(['new@1']);
  });
});

describe('openSnapshotStream: a binary snapshot', () => {
  /** Seq 2 with a binary snapshot whose head is `head` (the JSON snapshot beside it, as the CLI publishes). */
  function binaryFeed(head: (s: ReturnType<typeof buildSnapshot>) => ReturnType<typeof buildSnapshot>) {
    const snapshot = buildSnapshot(META, AFTER, 2, 1, NOW);
    const json = signFile('snapshots/2.json', snapshot, 'snapshot', keys.secretKey);
    const bin = { path: 'snapshots/2.adfb', bytes: signEnvelope(encodeBinarySnapshot(head(snapshot)), BINARY_PAYLOAD_TYPES.snapshot, keys.secretKey) };
    const index = buildIndex(META, { seq: 2, epoch: 1, file: json }, [], NOW, 2, 3600, { snapshot: bin, deltas: [] });
    return { bin, index };
  }

  it('tells each step as it ends (the phase marks the sync bench reads), the binary head opened before any entry', () => {
    const { bin, index } = binaryFeed((s) => s);
    const steps: string[] = [];
    const opened = openSnapshotStream(bin.bytes, index, { keys: [keys.publicKey], now: NOW, testHosts: [], phase: (p) => steps.push(p) });
    expect(steps).toEqual(['file-checked', 'envelope-parsed', 'payload-decoded', 'signature-verified', 'binary-opened']);
    expect([...opened.entries].flat().length).toBe(AFTER.length);
  });

  it('a head whose entry count is not the chunk table’s is refused when the file is opened, before any chunk is read', () => {
    const { bin, index } = binaryFeed((s) => ({ ...s, entryCount: AFTER.length + 1 }));
    let thrown: unknown;
    try {
      openSnapshotStream(bin.bytes, index, { keys: [keys.publicKey], now: NOW, testHosts: [] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FeedError);
    const e = thrown as FeedError;
    expect([e.code, e.path, e.message]).toEqual(['schema', 'entryCount', `entryCount: says ${AFTER.length + 1} entries, has ${AFTER.length}`]);
  });
});
