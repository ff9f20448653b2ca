// Hostile binary payloads, laid out byte by byte from the spec (docs/feed-format.md, "Binary
// payloads"; the layout comment of src/core/feed/binary.ts), never by the encoder: each check of
// the reader is reached on its own, and the test asks for *its* error (code, message, where), not
// just any FeedError — a file that fails a later check for another reason must not hide a missing
// earlier one. Also the limits at their exact boundaries (a head of 64 KiB, a chunk of 16 MiB,
// 500 000 entries) and the odd-but-valid shapes (no chunks, an empty chunk, a foreign hash).
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { specExampleHead } from './fixtures';
import { FeedError, encodeBinary, openBinary, parseBinaryDelta, parseBinarySnapshot, type FeedEntry } from '../../../../src/core/feed';

const H1 = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22'; // Meta's bridge-1-original.jpg
const H2 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const ascii = (s: string) => [...new TextEncoder().encode(s)];
const u16 = (n: number) => [n & 255, (n >>> 8) & 255];
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
const hexBytes = (h: string) => Array.from({ length: 32 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));

interface Chunk {
  count: number;
  bytes: number[];
  /** Defaults: both the length of `bytes`. */
  stored?: number;
  raw?: number;
}
interface Layout {
  version?: number;
  flags?: number;
  reserved?: number;
  head?: string | number[];
  hashes?: string[];
  /** Overrides the count written (default: hashes.length). */
  hashCount?: number;
  chunks?: Chunk[];
  chunkCount?: number;
  tail?: number[];
}

/** The spec's layout: magic, version, flags, reserved, headBytes, hashCount, chunkCount, head, blob, chunks. */
function layout(o: Layout): Uint8Array {
  const head = typeof o.head === 'string' || o.head === undefined ? ascii(o.head ?? '{}') : o.head;
  const hashes = o.hashes ?? [];
  const chunks = o.chunks ?? [];
  return Uint8Array.from([
    0x41, 0x44, 0x46, 0x42,
    o.version ?? 1,
    o.flags ?? 0,
    ...u16(o.reserved ?? 0),
    ...u32(head.length),
    ...u32(o.hashCount ?? hashes.length),
    ...u32(o.chunkCount ?? chunks.length),
    ...head,
    ...hashes.flatMap(hexBytes),
    ...chunks.flatMap((c) => [...u32(c.count), ...u32(c.stored ?? c.bytes.length), ...u32(c.raw ?? c.bytes.length), ...c.bytes]),
    ...(o.tail ?? []),
  ]);
}

/** A valid snapshot head (the JSON snapshot without `entries`), as in the spec's example. */
const snapshotHead = (entryCount: number) => JSON.stringify(specExampleHead(entryCount));


/** An entry as it sits in a chunk: its pdq hash objects and frame items without `value`. */
const chunkEntry = (id: string, media: unknown[] = [{ type: 'image', hashes: [{ alg: 'pdq', quality: 100 }] }]) => ({
  id,
  rev: 1,
  status: 'active',
  verdict: { label: 'false', textualRating: { en: 'False' } },
  claim: { text: { en: 'C' } },
  factCheck: { url: `https://x.org/${id}`, headline: { en: 'H' }, inLanguage: 'en', datePublished: '2026-01-01', publisher: { name: 'P' } },
  media,
});
const jsonChunk = (list: unknown, count = Array.isArray(list) ? list.length : 1): Chunk => ({ count, bytes: ascii(JSON.stringify(list)) });

/** The FeedError a decode throws (fails the test if it throws anything else or nothing). */
function errorOf(f: () => unknown): FeedError {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(FeedError);
  return thrown as FeedError;
}
const snapshotError = (bytes: Uint8Array) => errorOf(() => parseBinarySnapshot(bytes));
const openError = (bytes: Uint8Array) => errorOf(() => openBinary(bytes));

describe('binary payload: the fixed part, each check for itself', () => {
  it('a file shorter than the fixed 20 bytes, with the right magic, is "not a binary feed payload" (not a RangeError)', () => {
    const full = layout({});
    for (const n of [4, 6, 8, 19]) {
      const e = openError(full.subarray(0, n));
      expect([e.code, e.path, e.message]).toEqual(['schema', 'binary', 'binary: not a binary feed payload']);
    }
  });

  it('exactly 20 bytes with an empty head passes the size check and fails as a head that is not JSON', () => {
    const e = openError(layout({ head: [] }));
    expect([e.code, e.message]).toEqual(['not-json', 'the binary payload’s head is not JSON']);
  });

  it('each wrong magic byte is refused', () => {
    for (let i = 0; i < 4; i++) {
      const b = layout({});
      b[i] = b[i]! ^ 0x20;
      expect(openError(b).message).toBe('binary: not a binary feed payload');
    }
  });

  it('version 2 is "unsupported-version", naming both versions', () => {
    const e = openError(layout({ version: 2 }));
    expect([e.code, e.message]).toEqual(['unsupported-version', 'binary payload version 2; this client reads version 1']);
  });

  it('a flag bit other than bit 0, or a non-zero reserved field, is "unknown flags"', () => {
    for (const o of [{ flags: 2 }, { flags: 0x80 }, { reserved: 1 }, { reserved: 0x100 }]) {
      const e = openError(layout(o));
      expect([e.code, e.message]).toEqual(['schema', 'binary: unknown flags']);
    }
    expect(openBinary(layout({ flags: 1 })).entryCount).toBe(0);
  });

  it('a head of exactly 64 KiB is read; one byte more is "head too large"', () => {
    const pad = (n: number) => `{"x":"${'a'.repeat(n - 8)}"}`;
    expect(pad(65536).length).toBe(65536);
    expect(openBinary(layout({ head: pad(65536) })).head).toEqual({ x: 'a'.repeat(65528) });
    expect(openError(layout({ head: pad(65537) })).message).toBe('binary: head too large');
  });

  it('a head that is not UTF-8 is not JSON, even inside a string (the decoder is fatal)', () => {
    const e = openError(layout({ head: [...ascii('{"x":"'), 0xff, 0xfe, ...ascii('"}')] }));
    expect([e.code, e.message]).toEqual(['not-json', 'the binary payload’s head is not JSON']);
  });

  it('a head that is JSON but not an object (null, an array, a number, a string) is refused as such', () => {
    for (const head of ['null', '[]', '[{"a":1}]', '5', '"x"']) {
      const e = openError(layout({ head }));
      expect([e.code, e.message]).toEqual(['schema', 'binary: the head is not an object']);
    }
  });

  it('a hash blob that runs past the end of the file is "truncated"; one that ends exactly at it is read', () => {
    expect(openError(layout({ hashes: [H1], hashCount: 2 })).message).toBe('binary: truncated');
    expect(openError(layout({ hashCount: 0x08000000 })).message).toBe('binary: truncated');
    expect(openBinary(layout({ hashes: [H1, H2] })).entryCount).toBe(0);
  });
});

describe('binary payload: the chunk table', () => {
  it('a chunk header cut short is "truncated chunk table"; a whole header with an empty chunk is read', () => {
    const empty = layout({ chunks: [{ count: 0, bytes: [] }] });
    expect(openBinary(empty).entryCount).toBe(0);
    for (const cut of [1, 4, 11]) expect(openError(empty.subarray(0, empty.length - cut)).message).toBe('binary: truncated chunk table');
    expect(openError(layout({ chunkCount: 1 })).message).toBe('binary: truncated chunk table');
  });

  it('a chunk whose stored bytes run past the end is "chunk N is truncated"', () => {
    const ok = jsonChunk([]);
    const e = openError(layout({ chunks: [ok, { ...ok, stored: ok.bytes.length + 1, raw: ok.bytes.length + 1 }] }));
    expect(e.message).toBe('binary: chunk 1 is truncated');
  });

  it('uncompressed, stored and raw sizes must agree', () => {
    const e = openError(layout({ chunks: [{ count: 0, bytes: ascii('[]'), raw: 3 }] }));
    expect(e.message).toBe('binary: chunk 0: stored and raw sizes differ without compression');
  });

  it('a chunk may announce 16 MiB raw; one byte more is refused before anything is inflated', () => {
    const stored = [...deflateRawSync(Buffer.from('[]'))];
    expect(openBinary(layout({ flags: 1, chunks: [{ count: 0, bytes: stored, raw: 16 * 1024 * 1024 }] })).entryCount).toBe(0);
    const e = openError(layout({ flags: 1, chunks: [{ count: 0, bytes: stored, raw: 16 * 1024 * 1024 + 1 }] }));
    expect(e.message).toBe('binary: chunk 0 is larger than 16777216 bytes');
  });

  it('bytes after the last chunk are refused', () => {
    expect(openError(layout({ chunks: [jsonChunk([])], tail: [0] })).message).toBe('binary: bytes after the last chunk');
    expect(openError(layout({ tail: [0, 0, 0] })).message).toBe('binary: bytes after the last chunk');
  });

  it('the chunk counts may add up to 500 000 entries; one more is refused from the table alone', () => {
    const table = (counts: number[]) => layout({ chunks: counts.map((count) => ({ count, bytes: [] })) });
    expect(openBinary(table([250_000, 250_000])).entryCount).toBe(500_000);
    const e = openError(table([250_000, 250_001]));
    expect([e.code, e.path, e.message]).toEqual(['schema', 'binary', 'binary: more than 500000 entries']);
  });
});

describe('binary payload: chunks and the values they take from the blob', () => {
  const one = (media?: unknown[], hashes: string[] = [H1], extra: Layout = {}) =>
    layout({ head: snapshotHead(1), hashes, chunks: [jsonChunk([chunkEntry('e1', media)])], ...extra });

  it('the happy path the checks below depart from decodes', () => {
    expect(parseBinarySnapshot(one()).entries[0]!.media[0]!.hashes).toEqual([{ alg: 'pdq', value: H1, quality: 100 }]);
  });

  it('a compressed chunk that is not DEFLATE is "not valid DEFLATE"', () => {
    const e = snapshotError(layout({ head: snapshotHead(0), flags: 1, chunks: [{ count: 0, bytes: [0xff, 0xff, 0xff], raw: 2 }] }));
    expect(e.message).toBe('binary: chunk 0 is not valid DEFLATE');
  });

  it('a chunk that inflates short of its announced size is refused', () => {
    const stored = [...deflateRawSync(Buffer.from('[]'))];
    expect(snapshotError(layout({ head: snapshotHead(0), flags: 1, chunks: [{ count: 0, bytes: stored, raw: 3 }] })).message).toBe(
      'binary: chunk 0 inflates to another size than announced',
    );
  });

  it('a chunk that is not JSON (or not UTF-8) is "not-json", naming the chunk', () => {
    for (const bytes of [ascii('[{'), [0x5b, 0x22, 0xff, 0x22, 0x5d]]) {
      const e = snapshotError(layout({ head: snapshotHead(0), chunks: [{ count: 0, bytes }] }));
      expect([e.code, e.message]).toEqual(['not-json', 'chunk 0 is not JSON']);
    }
  });

  it('a chunk must be an array of exactly the entries it announces (not an object with a length)', () => {
    for (const chunk of [jsonChunk({ length: 1 }, 1), jsonChunk({}, 1), jsonChunk([chunkEntry('e1')], 2), jsonChunk([chunkEntry('e1'), chunkEntry('e2')], 1)]) {
      const e = snapshotError(layout({ head: snapshotHead(1), hashes: [H1, H1], chunks: [chunk] }));
      expect(e.message).toMatch(/^binary: chunk 0 does not hold the [12] entries it announces$/);
    }
  });

  it('null where an entry, a media item, a hash or a frame item should be is a schema error on that entry, not a crash', () => {
    const cases: [unknown[], string[]][] = [
      [[null], []],
      [[chunkEntry('e1', [null])], []],
      [[chunkEntry('e1', [{ type: 'image', hashes: [null] }])], []],
      [[chunkEntry('e1', [{ type: 'video', hashes: [{ alg: 'pdq', quality: 90, role: 'poster' }], frames: { alg: 'pdq', items: [null] } }])], [H1]],
    ];
    for (const [list, hashes] of cases) {
      const e = snapshotError(layout({ head: snapshotHead(1), hashes, chunks: [jsonChunk(list)] }));
      expect(e.code).toBe('schema');
      expect(e.path).toMatch(/^entries\[0\]/);
    }
  });

  it('a pdq value or a frame value written in the chunk is refused: values come from the blob only', () => {
    const e = snapshotError(one([{ type: 'image', hashes: [{ alg: 'pdq', value: H2, quality: 100 }] }]));
    expect([e.code, e.message]).toEqual(['schema', 'binary: entries[0]: a pdq value belongs in the hash blob']);
    const video = [{ type: 'video', hashes: [{ alg: 'pdq', quality: 90, role: 'poster' }], frames: { alg: 'pdq', items: [{ t: 0, value: H2, quality: 70 }] } }];
    expect(snapshotError(one(video, [H1, H2])).message).toBe('binary: entries[0]: a frame value belongs in the hash blob');
  });

  it('a video’s poster and frames take their values in order: hashes first, then frame items', () => {
    const video = [{ type: 'video', durationSec: 3, hashes: [{ alg: 'pdq', quality: 90, role: 'poster' }], frames: { alg: 'pdq', items: [{ t: 0, quality: 70 }, { t: 1.5, quality: 60 }] } }];
    const m = parseBinarySnapshot(one(video, [H1, H2, H1.replace('f8', '00')])).entries[0]!.media[0]!;
    expect(m.hashes[0]!.value).toBe(H1);
    expect(m.frames!.items.map((f) => f.value)).toEqual([H2, H1.replace('f8', '00')]);
  });

  it('another tool’s hash keeps its own value, takes none from the blob and is dropped (forward compatible)', () => {
    const media = [{ type: 'image', hashes: [{ alg: 'tmk', value: 'abc' }, { alg: 'pdq', quality: 100 }] }];
    expect(parseBinarySnapshot(one(media)).entries[0]!.media[0]!.hashes).toEqual([{ alg: 'pdq', value: H1, quality: 100 }]);
  });

  it('more pdq objects than the blob holds is refused on the entry that runs out', () => {
    const two = [{ type: 'image', hashes: [{ alg: 'pdq', quality: 100 }, { alg: 'pdq', quality: 90, role: 'variant', variant: 'crop:0.9' }] }];
    expect(snapshotError(one(two)).message).toBe('binary: entries[0]: more hash objects than the hash blob holds');
  });

  it('values left over in the blob are refused, with chunks and without any', () => {
    expect(snapshotError(one(undefined, [H1, H2])).message).toBe('binary: the hash blob holds more values than the entries use');
    expect(snapshotError(layout({ head: snapshotHead(0), hashes: [H1] })).message).toBe('binary: the hash blob holds more values than the entries use');
    expect(parseBinarySnapshot(layout({ head: snapshotHead(0) })).entries).toEqual([]);
  });

  it('a schema error names the entry by its place across chunks', () => {
    const bad = { ...chunkEntry('e3'), rev: 0 };
    const bytes = layout({ head: snapshotHead(3), hashes: [H1, H1, H1], chunks: [jsonChunk([chunkEntry('e1'), chunkEntry('e2')]), jsonChunk([bad])] });
    expect(snapshotError(bytes).path).toMatch(/^entries\[2\]/);
    const second = layout({ head: snapshotHead(2), hashes: [H1, H1], chunks: [jsonChunk([chunkEntry('e1'), { ...chunkEntry('e2'), rev: 0 }])] });
    expect(snapshotError(second).path).toMatch(/^entries\[1\]/);
  });

  it('a delta is decoded by the same reader', () => {
    const head = JSON.stringify({
      format: 'already-debunked/delta',
      formatVersion: 1,
      feedId: 'f',
      epoch: 1,
      fromSeq: 1,
      toSeq: 2,
      generatedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-02-01T00:00:00.000Z',
      remove: [],
      stateHash: 'sha256:' + '0'.repeat(64),
    });
    const d = parseBinaryDelta(layout({ head, hashes: [H2], chunks: [jsonChunk([chunkEntry('e9')])] }));
    expect(d.upsert.map((e) => [e.id, e.media[0]!.hashes[0]!.value])).toEqual([['e9', H2]]);
  });
});

describe('binary payload: what the encoder writes', () => {
  const entry = (id: string): FeedEntry => ({
    ...(chunkEntry(id, []) as unknown as FeedEntry),
    media: [{ type: 'image', hashes: [{ alg: 'pdq', value: H1, quality: 100 }] }],
  });

  it('20 entries at 10 a chunk are 2 chunks, not 3 (no empty chunk at the end)', () => {
    const bytes = encodeBinary({}, Array.from({ length: 20 }, (_, i) => entry(`e${i}`)), { chunkEntries: 10, compress: false });
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect([dv.getUint32(12, true), dv.getUint32(16, true)]).toEqual([20, 2]);
  });

  it('no entries: no chunks and no values', () => {
    expect([...encodeBinary({}, [], { compress: false })]).toEqual([...layout({})]);
  });
});
