/**
 * The binary form of snapshot and delta payloads (docs/feed-format.md, "Binary payloads"): the
 * format's reserved `hashBlob` — every PDQ value as its 32 bytes, packed — and the rest of the
 * entries as JSON in chunks of at most CHUNK_ENTRIES entries, each optionally raw-DEFLATE
 * compressed (RFC 1951, fflate). Same entries, same schema and limits as the JSON form: decoding
 * rebuilds each entry's JSON value with its hex values and validates it with the same parser, so
 * both forms give the same stored entries and the same matches. A reader decodes one chunk at a
 * time (decodeEntries is a generator): the feed never becomes one JSON string in memory.
 *
 * Layout (integers little-endian):
 *   0  "ADFB"             magic, 4 bytes 41 44 46 42
 *   4  version  u8        1
 *   5  flags    u8        bit 0: chunks are raw-DEFLATE compressed; other bits 0
 *   6  reserved u16       0
 *   8  headBytes u32      UTF-8 JSON of the payload without its entry list
 *  12  hashCount u32      PDQ values in the hash blob
 *  16  chunkCount u32
 *  20  head, then hashBlob (32 × hashCount bytes), then per chunk:
 *      entryCount u32, storedBytes u32, rawBytes u32, stored bytes
 * A chunk is a JSON array of entries in which every `alg: "pdq"` hash object and every frame item
 * has no `value`: the values come from the hash blob in order (entries, their media, each media's
 * hashes then its frame items).
 */
import { deflateSync, inflateSync } from 'fflate';
import { FeedError } from './errors';
import { LIMITS } from './limits';
import { entryParser, parseDeltaValue, parseSnapshotValue, type FeedDelta, type FeedEntry, type FeedSnapshot, type ParseOptions } from './schema';

export const BINARY_MAGIC = [0x41, 0x44, 0x46, 0x42] as const; // "ADFB"
export const BINARY_VERSION = 1;
export const BINARY_PAYLOAD_TYPES = {
  snapshot: 'application/vnd.already-debunked.snapshot+adfb',
  delta: 'application/vnd.already-debunked.delta+adfb',
} as const;
export const CHUNK_ENTRIES = 1000;
const FIXED = 20;
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_RAW_BYTES = 16 * 1024 * 1024;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

interface RawHash {
  alg: string;
  value?: string;
}
interface RawMedia {
  hashes?: RawHash[];
  frames?: { items?: { value?: string }[] };
}

function withoutValue<T extends { value: string }>(o: T): Omit<T, 'value'> {
  const copy: Partial<T> = { ...o };
  delete copy.value;
  return copy as Omit<T, 'value'>;
}

/** The pdq values of an entry, in blob order, and the entry without them. */
function split(entry: FeedEntry, values: string[]): unknown {
  return {
    ...entry,
    media: entry.media.map((m) => {
      const hashes = m.hashes.map((h) => {
        if (h.alg !== 'pdq') return h;
        values.push(h.value);
        return withoutValue(h);
      });
      const frames = m.frames && {
        ...m.frames,
        items: m.frames.items.map((f) => {
          values.push(f.value);
          return withoutValue(f);
        }),
      };
      return frames ? { ...m, hashes, frames } : { ...m, hashes };
    }),
  };
}

/** Encodes a payload (without its entry list) and its entries. `compress: false` for hand-checkable output. */
export function encodeBinary(head: Record<string, unknown>, entries: readonly FeedEntry[], opts: { compress?: boolean; chunkEntries?: number } = {}): Uint8Array {
  const compress = opts.compress ?? true;
  const per = opts.chunkEntries ?? CHUNK_ENTRIES;
  const values: string[] = [];
  const chunks: { count: number; stored: Uint8Array; raw: number }[] = [];
  for (let i = 0; i < entries.length; i += per) {
    const slice = entries.slice(i, i + per);
    const raw = enc.encode(JSON.stringify(slice.map((e) => split(e, values))));
    chunks.push({ count: slice.length, stored: compress ? deflateSync(raw, { level: 9 }) : raw, raw: raw.length });
  }
  const headBytes = enc.encode(JSON.stringify(head));
  const size = FIXED + headBytes.length + 32 * values.length + chunks.reduce((s, c) => s + 12 + c.stored.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(BINARY_MAGIC, 0);
  out[4] = BINARY_VERSION;
  out[5] = compress ? 1 : 0;
  dv.setUint32(8, headBytes.length, true);
  dv.setUint32(12, values.length, true);
  dv.setUint32(16, chunks.length, true);
  let at = FIXED;
  out.set(headBytes, at);
  at += headBytes.length;
  for (const hex of values) {
    for (let k = 0; k < 32; k++) out[at + k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
    at += 32;
  }
  for (const c of chunks) {
    dv.setUint32(at, c.count, true);
    dv.setUint32(at + 4, c.stored.length, true);
    dv.setUint32(at + 8, c.raw, true);
    out.set(c.stored, at + 12);
    at += 12 + c.stored.length;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export interface BinaryPayload {
  /** The payload's fields other than its entry list, as JSON (not yet validated). */
  head: Record<string, unknown>;
  entryCount: number;
  /** Entries, chunk by chunk, each validated; throws FeedError on the first problem. */
  entries(opts?: ParseOptions): Generator<FeedEntry[]>;
}

/** Reads the fixed part and the head; entries are decoded lazily, a chunk at a time. Throws FeedError. */
export function openBinary(bytes: Uint8Array): BinaryPayload {
  const bad = (msg: string): never => {
    throw new FeedError('schema', msg, 'binary');
  };
  if (bytes.length < FIXED || BINARY_MAGIC.some((b, i) => bytes[i] !== b)) bad('not a binary feed payload');
  if (bytes[4] !== BINARY_VERSION) throw new FeedError('unsupported-version', `binary payload version ${bytes[4]}; this client reads version ${BINARY_VERSION}`);
  const flags = bytes[5]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (flags & ~1 || dv.getUint16(6, true) !== 0) bad('unknown flags');
  const headBytes = dv.getUint32(8, true);
  const hashCount = dv.getUint32(12, true);
  const chunkCount = dv.getUint32(16, true);
  if (headBytes > MAX_HEAD_BYTES) bad('head too large');
  const blobAt = FIXED + headBytes;
  const chunksAt = blobAt + 32 * hashCount;
  if (chunksAt > bytes.length) bad('truncated');
  let head: unknown;
  try {
    head = JSON.parse(dec.decode(bytes.subarray(FIXED, blobAt)));
  } catch {
    throw new FeedError('not-json', 'the binary payload’s head is not JSON');
  }
  if (typeof head !== 'object' || head === null || Array.isArray(head)) bad('the head is not an object');
  // Walk the chunk table once (sizes only) so a truncated file fails before anything is decoded.
  const table: { count: number; at: number; stored: number; raw: number }[] = [];
  let at = chunksAt;
  let entryCount = 0;
  for (let c = 0; c < chunkCount; c++) {
    if (at + 12 > bytes.length) bad('truncated chunk table');
    const count = dv.getUint32(at, true);
    const stored = dv.getUint32(at + 4, true);
    const raw = dv.getUint32(at + 8, true);
    if (raw > MAX_CHUNK_RAW_BYTES) bad(`chunk ${c} is larger than ${MAX_CHUNK_RAW_BYTES} bytes`);
    if (!(flags & 1) && stored !== raw) bad(`chunk ${c}: stored and raw sizes differ without compression`);
    if (at + 12 + stored > bytes.length) bad(`chunk ${c} is truncated`);
    table.push({ count, at: at + 12, stored, raw });
    entryCount += count;
    at += 12 + stored;
  }
  if (at !== bytes.length) bad('bytes after the last chunk');
  if (entryCount > LIMITS.maxEntries) throw new FeedError('schema', `more than ${LIMITS.maxEntries} entries`, 'binary');
  return {
    head: head as Record<string, unknown>,
    entryCount,
    *entries(opts: ParseOptions = {}) {
      const parseEntry = entryParser(opts);
      let next = 0;
      let index = 0;
      const take = (where: string): string => {
        if (next >= hashCount) bad(`${where}: more hash objects than the hash blob holds`);
        const o = blobAt + 32 * next++;
        let s = '';
        for (let k = 0; k < 32; k++) s += HEX[bytes[o + k]!];
        return s;
      };
      for (const [c, chunk] of table.entries()) {
        let raw = bytes.subarray(chunk.at, chunk.at + chunk.stored);
        if (flags & 1) {
          // Inflate into one byte more than announced: a longer stream (a bomb) shows as a wrong size.
          try {
            raw = inflateSync(raw, { out: new Uint8Array(chunk.raw + 1) });
          } catch {
            bad(`chunk ${c} is not valid DEFLATE`);
          }
          if (raw.length !== chunk.raw) bad(`chunk ${c} inflates to another size than announced`);
        }
        let list: unknown;
        try {
          list = JSON.parse(dec.decode(raw));
        } catch {
          throw new FeedError('not-json', `chunk ${c} is not JSON`);
        }
        if (!Array.isArray(list) || list.length !== chunk.count) bad(`chunk ${c} does not hold the ${chunk.count} entries it announces`);
        const out: FeedEntry[] = [];
        for (const e of list as { media?: RawMedia[] }[]) {
          const where = `entries[${index}]`;
          for (const m of Array.isArray(e?.media) ? e.media : []) {
            for (const h of Array.isArray(m?.hashes) ? m.hashes : []) {
              if (h?.alg !== 'pdq') continue;
              if ('value' in h) bad(`${where}: a pdq value belongs in the hash blob`);
              h.value = take(where);
            }
            for (const f of Array.isArray(m?.frames?.items) ? m.frames.items : []) {
              if (f && 'value' in f) bad(`${where}: a frame value belongs in the hash blob`);
              if (f) f.value = take(where);
            }
          }
          try {
            out.push(parseEntry(e));
          } catch (err) {
            if (err instanceof FeedError) throw new FeedError(err.code, err.message, where);
            throw err;
          }
          index++;
        }
        if (c === table.length - 1 && next !== hashCount) bad('the hash blob holds more values than the entries use');
        yield out;
      }
      if (table.length === 0 && hashCount !== 0) bad('the hash blob holds more values than the entries use');
    },
  };
}

/** A snapshot in the binary form (head = the JSON snapshot without `entries`). */
export function encodeBinarySnapshot(snapshot: FeedSnapshot, opts?: { compress?: boolean; chunkEntries?: number }): Uint8Array {
  const { entries, ...head } = snapshot;
  return encodeBinary(head, entries, opts);
}

export function encodeBinaryDelta(delta: FeedDelta, opts?: { compress?: boolean; chunkEntries?: number }): Uint8Array {
  const { upsert, ...head } = delta;
  return encodeBinary(head, upsert, opts);
}

/** Decodes and validates a whole binary snapshot (the same checks as parseSnapshot). */
export function parseBinarySnapshot(bytes: Uint8Array, opts: ParseOptions = {}): FeedSnapshot {
  const p = openBinary(bytes);
  const entries: FeedEntry[] = [];
  for (const chunk of p.entries(opts)) for (const e of chunk) entries.push(e);
  return parseSnapshotValue({ ...p.head, entries }, opts, true);
}

export function parseBinaryDelta(bytes: Uint8Array, opts: ParseOptions = {}): FeedDelta {
  const p = openBinary(bytes);
  const upsert: FeedEntry[] = [];
  for (const chunk of p.entries(opts)) for (const e of chunk) upsert.push(e);
  return parseDeltaValue({ ...p.head, upsert }, opts, true);
}
