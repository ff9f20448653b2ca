// The next version of a feed folder (src/core/feed/publish.ts), against docs/feed-format.md "Files"
// and "Payloads": index.json, snapshots/<seq>.json, deltas/<from>-<to>.json (to = from + 1); seq
// starts at 1 and grows by one per build; the epoch is kept; a changed record's rev grows by itself,
// an unchanged one keeps its rev; at most LIMITS.maxDeltas (64) deltas are kept; the index's own
// validity is at most 2 days. Expected values are written from those rules, not read back.
import { describe, expect, it } from 'vitest';
import {
  FeedError,
  LIMITS,
  PAYLOAD_TYPES,
  carryRevisions,
  nextFeed,
  openEnvelope,
  parseDelta,
  parseIndex,
  parseSnapshot,
  readPreviousFeed,
  verifyFeed,
  type FeedEntry,
} from '../../../../src/core/feed';
import { META, NOW, entry, keys, otherKeys } from './fixtures';

const DAY = 86_400_000;
type Folder = Map<string, Uint8Array>;
const folderOf = (files: { path: string; bytes: Uint8Array }[], into: Folder = new Map()) => {
  for (const f of files) into.set(f.path, f.bytes);
  return into;
};
const reader = (folder: Folder) => (p: string) => folder.get(p) ?? null;
const payload = (folder: Folder, path: string, type: string) => openEnvelope(folder.get(path)!, [keys.publicKey], type, 1 << 30).payload;

/** Builds `n` versions in a row (each a day later), entries given per build. */
function builds(list: FeedEntry[][]) {
  const folder: Folder = new Map();
  let out: ReturnType<typeof nextFeed> | undefined;
  list.forEach((entries, i) => {
    const previous = readPreviousFeed(reader(folder), keys.secretKey);
    out = nextFeed(META, entries, previous, keys.secretKey, new Date(NOW.getTime() + i * DAY));
    folderOf(out.files, folder);
  });
  return { folder, out: out! };
}

describe('nextFeed: the first build', () => {
  it('is sequence 1 of epoch 1, a snapshot and the index (the index last), no delta', () => {
    const first = nextFeed(META, [entry('a'), entry('b')], null, keys.secretKey, NOW);
    expect(first.seq).toBe(1);
    expect(first.epoch).toBe(1);
    expect(first.delta).toBe(false);
    expect(first.files.map((f) => f.path)).toEqual(['snapshots/1.json', 'index.json']);
    const folder = folderOf(first.files);
    const index = parseIndex(payload(folder, 'index.json', PAYLOAD_TYPES.index));
    expect(index.seq).toBe(1);
    expect(index.epoch).toBe(1);
    expect(index.deltas).toEqual([]);
    expect(index.snapshot.path).toBe('snapshots/1.json');
    // validDays 14 by default for the snapshot; the index is valid min(14, 2) = 2 days.
    expect(index.generatedAt).toBe('2026-11-24T00:00:00.000Z');
    expect(index.expiresAt).toBe('2026-11-26T00:00:00.000Z');
    const snap = parseSnapshot(payload(folder, 'snapshots/1.json', PAYLOAD_TYPES.snapshot));
    expect(snap.expiresAt).toBe('2026-12-08T00:00:00.000Z');
    expect(snap.entries.map((e) => [e.id, e.rev])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('keeps a shorter validity for the index too (validDays 1 → the index 1 day)', () => {
    const first = nextFeed(META, [entry('a')], null, keys.secretKey, NOW, 1);
    const index = parseIndex(payload(folderOf(first.files), 'index.json', PAYLOAD_TYPES.index));
    expect(index.expiresAt).toBe('2026-11-25T00:00:00.000Z');
  });
});

describe('nextFeed: a build on the previous one', () => {
  it('is the next sequence, with the delta from the previous one, and the revs carried', () => {
    const changed = entry('b');
    changed.claim.claimant = 'A page on X';
    const { folder, out } = builds([[entry('a'), entry('b'), entry('c')], [entry('a'), changed, entry('d')]]);
    expect(out.seq).toBe(2);
    expect(out.epoch).toBe(1);
    expect(out.delta).toBe(true);
    expect(out.files.map((f) => f.path)).toEqual(['snapshots/2.json', 'deltas/1-2.json', 'index.json']);
    const index = parseIndex(payload(folder, 'index.json', PAYLOAD_TYPES.index));
    expect(index.deltas.map((d) => [d.path, d.fromSeq, d.toSeq])).toEqual([['deltas/1-2.json', 1, 2]]);
    const delta = parseDelta(payload(folder, 'deltas/1-2.json', PAYLOAD_TYPES.delta));
    expect([delta.fromSeq, delta.toSeq]).toEqual([1, 2]);
    // c removed; b changed (rev 1 → 2); d new (rev 1); a unchanged (not in the delta).
    expect(delta.remove).toEqual([{ id: 'c', rev: 1 }]);
    expect(delta.upsert.map((e) => [e.id, e.rev]).sort()).toEqual([
      ['b', 2],
      ['d', 1],
    ]);
    const snap = parseSnapshot(payload(folder, 'snapshots/2.json', PAYLOAD_TYPES.snapshot));
    expect(snap.seq).toBe(2);
    expect(snap.entries.map((e) => [e.id, e.rev])).toEqual([
      ['a', 1],
      ['b', 2],
      ['d', 1],
    ]);
  });

  it('keeps the previous epoch', () => {
    const first = nextFeed(META, [entry('a')], null, keys.secretKey, NOW);
    const previous = readPreviousFeed(reader(folderOf(first.files)), keys.secretKey)!;
    previous.index.epoch = 3;
    const next = nextFeed(META, [entry('a')], previous, keys.secretKey, NOW);
    expect(next.epoch).toBe(3);
    expect(parseIndex(payload(folderOf(next.files), 'index.json', PAYLOAD_TYPES.index)).epoch).toBe(3);
  });

  it('keeps the last 64 deltas (LIMITS.maxDeltas), the oldest dropped', () => {
    expect(LIMITS.maxDeltas).toBe(64);
    const first = nextFeed(META, [entry('a')], null, keys.secretKey, NOW);
    const previous = readPreviousFeed(reader(folderOf(first.files)), keys.secretKey)!;
    // As if 64 builds had happened: seq 65 with deltas 1-2 … 64-65 (the files themselves are not read).
    previous.index.seq = 65;
    previous.deltas = Array.from({ length: 64 }, (_, i) => ({ fromSeq: i + 1, toSeq: i + 2, file: { path: `deltas/${i + 1}-${i + 2}.json`, bytes: new Uint8Array(1) } }));
    const next = nextFeed(META, [entry('a')], previous, keys.secretKey, NOW);
    expect(next.seq).toBe(66);
    const deltaPaths = next.files.map((f) => f.path).filter((p) => p.startsWith('deltas/'));
    expect(deltaPaths).toHaveLength(64);
    expect(deltaPaths[0]).toBe('deltas/2-3.json');
    expect(deltaPaths[63]).toBe('deltas/65-66.json');
  });
});

describe('carryRevisions', () => {
  it('an unchanged record keeps its rev, whatever rev the new build gave it', () => {
    const out = carryRevisions([entry('a', 1)], [entry('a', 7)]);
    expect(out[0]!.rev).toBe(7);
  });

  it('a changed record gets the previous rev + 1, or its own if higher', () => {
    const moved = entry('a', 1);
    moved.originalContext!.location = 'Moscow, Russia';
    expect(carryRevisions([moved], [entry('a', 7)])[0]!.rev).toBe(8);
    const ahead = entry('a', 12);
    ahead.originalContext!.location = 'Moscow, Russia';
    expect(carryRevisions([ahead], [entry('a', 7)])[0]!.rev).toBe(12);
  });

  it('a new record keeps the rev it has', () => {
    expect(carryRevisions([entry('n', 3)], [entry('a', 7)])[0]!.rev).toBe(3);
  });
});

describe('readPreviousFeed', () => {
  it('is null when the folder has no index.json', () => {
    expect(readPreviousFeed(() => null, keys.secretKey)).toBeNull();
  });

  it('reads the index, the snapshot and each delta of the previous build', () => {
    const { folder } = builds([[entry('a')], [entry('a'), entry('b')]]);
    const prev = readPreviousFeed(reader(folder), keys.secretKey)!;
    expect(prev.index.seq).toBe(2);
    expect(prev.snapshot.entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(prev.deltas.map((d) => [d.fromSeq, d.toSeq, d.file.path])).toEqual([[1, 2, 'deltas/1-2.json']]);
    expect(prev.deltas[0]!.file.bytes).toEqual(folder.get('deltas/1-2.json'));
  });

  it('refuses a folder signed with another key than the one that signs the next build', () => {
    const { folder } = builds([[entry('a')]]);
    expect(() => readPreviousFeed(reader(folder), otherKeys.secretKey)).toThrow(FeedError);
  });

  it('names the missing snapshot or delta', () => {
    const { folder } = builds([[entry('a')], [entry('a'), entry('b')]]);
    const noDelta = new Map(folder);
    noDelta.delete('deltas/1-2.json');
    expect(() => readPreviousFeed(reader(noDelta), keys.secretKey)).toThrow(expect.objectContaining({ code: 'checksum', message: expect.stringContaining('a previous delta is missing') }));
    const noSnap = new Map(folder);
    noSnap.delete('snapshots/2.json');
    expect(() => readPreviousFeed(reader(noSnap), keys.secretKey)).toThrow(expect.objectContaining({ code: 'checksum', message: expect.stringContaining('the previous snapshot is missing') }));
  });
});

describe('verifyFeed', () => {
  it('counts every hash and every keyframe of the snapshot', () => {
    // The fixture's entry: one video with one poster hash and one frame → 2 per entry.
    const { folder } = builds([[entry('a'), entry('b')]]);
    const v = verifyFeed(reader(folder), [keys.publicKey]);
    expect(v.hashes).toBe(4);
    expect(v.index.seq).toBe(1);
    expect(v.snapshot.entries).toHaveLength(2);
  });

  it('counts a media item without frames by its hashes alone', () => {
    const still = entry('a');
    still.media = [{ type: 'image', hashes: [{ alg: 'pdq', value: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f', quality: 93 }] }];
    const { folder } = builds([[still]]);
    expect(verifyFeed(reader(folder), [keys.publicKey]).hashes).toBe(1);
  });

  it('refuses a missing file, and a file whose size or SHA-256 is not the index’s', () => {
    const { folder } = builds([[entry('a')], [entry('a'), entry('b')]]);
    expect(() => verifyFeed(reader(folder), [keys.publicKey])).not.toThrow();
    const missing = new Map(folder);
    missing.delete('deltas/1-2.json');
    expect(() => verifyFeed(reader(missing), [keys.publicKey])).toThrow(expect.objectContaining({ code: 'checksum', message: expect.stringContaining('missing') }));
    // Same size, one byte changed: the SHA-256 differs.
    const changed = new Map(folder);
    const bytes = Uint8Array.from(folder.get('snapshots/2.json')!);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
    changed.set('snapshots/2.json', bytes);
    expect(() => verifyFeed(reader(changed), [keys.publicKey])).toThrow(expect.objectContaining({ code: 'checksum', message: expect.stringContaining('SHA-256') }));
    // One byte longer (a trailing space: still a valid envelope): the size differs.
    const longer = new Map(folder);
    const d = folder.get('deltas/1-2.json')!;
    const grown = new Uint8Array(d.length + 1);
    grown.set(d);
    grown[d.length] = 0x20;
    longer.set('deltas/1-2.json', grown);
    expect(() => verifyFeed(reader(longer), [keys.publicKey])).toThrow(expect.objectContaining({ code: 'checksum', message: expect.stringContaining('size') }));
  });

  it('refuses a folder signed by another key', () => {
    const { folder } = builds([[entry('a')]]);
    expect(() => verifyFeed(reader(folder), [otherKeys.publicKey])).toThrow(FeedError);
  });
});
