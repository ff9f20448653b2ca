/**
 * An exact Hamming-distance index over 256-bit PDQ hashes: multi-index hashing (Norouzi, Punjani &
 * Fleet, "Fast Exact Search in Hamming Space with Multi-Index Hashing", TPAMI 2014), the approach of
 * the reference's own index (facebook/ThreatExchange pdq/cpp/index/mih.h).
 *
 * The hash is cut into 16 slices of 16 bits. If two hashes are within distance d, some slice of
 * theirs differs in at most floor(d/16) bits (pigeonhole). So for each slice we look up the buckets
 * of the query's slice value and its neighbours within that radius, and verify each candidate with
 * the full 256-bit distance. Results are exact: the property tests compare with a linear scan.
 *
 * Layout: flat typed arrays only, one ArrayBuffer when serialised (for IndexedDB: stored and loaded
 * as views, no JSON, no per-entry objects):
 *   hashes  Uint32Array(8n)       row r's 8 lanes (../hash256 hashToWords32 layout)
 *   ids     Uint32Array(n)        the caller's id for row r
 *   offsets Uint32Array(16·(B+1)) per slice, CSR offsets of the B = 2^bucketBits buckets
 *   rows    Uint32Array(16·n)     per slice, row numbers sorted by bucket
 * A bucket is the top `bucketBits` bits of a slice (16 for large indexes; fewer for small ones, so
 * the offset tables do not dwarf the data). Pure: no DOM, no I/O.
 */
import { HASH_WORDS, hashToWords32, popcount32, type Hash256 } from '../hash256';

export const INDEX_MAGIC = 0x41445049; // "ADPI"
export const INDEX_FORMAT_VERSION = 1;
const HEADER_WORDS = 8;
const SLICES = 16;
const LANES = 8;
/** Beyond this distance the neighbour enumeration costs more than a scan. */
export const MAX_INDEXED_DISTANCE = 63;

export interface Match {
  id: number;
  distance: number;
  /** For queryMany: which probe (e.g. dihedral variant) matched best. */
  probe: number;
}

export class IndexFormatError extends Error {
  override name = 'IndexFormatError';
}

function bucketBitsFor(n: number): number {
  // About one to four rows per bucket, between 8 and 16 bits.
  return Math.max(8, Math.min(16, Math.ceil(Math.log2(Math.max(2, n))) - 1));
}

/** Distance between row `r` of `hashes` and the query lanes `q`, or > max as soon as it exceeds max. */
function rowDistance(hashes: Uint32Array, r: number, q: Uint32Array, max: number): number {
  const base = r * LANES;
  let d = 0;
  for (let j = 0; j < LANES; j++) {
    d += popcount32((hashes[base + j]! ^ q[j]!) >>> 0);
    if (d > max) return d;
  }
  return d;
}

/** Every 16-bit value within `radius` bits of v (radius ≤ 3), v first. */
function neighbours(v: number, radius: number, out: number[]): number[] {
  out.length = 0;
  out.push(v);
  if (radius >= 1) {
    for (let a = 0; a < 16; a++) {
      const va = v ^ (1 << a);
      out.push(va);
      if (radius >= 2) {
        for (let b = a + 1; b < 16; b++) {
          const vb = va ^ (1 << b);
          out.push(vb);
          if (radius >= 3) for (let c = b + 1; c < 16; c++) out.push(vb ^ (1 << c));
        }
      }
    }
  }
  return out;
}

function sortMatches(m: Match[]): Match[] {
  return m.sort((a, b) => a.distance - b.distance || a.id - b.id);
}

function toLanes(h: Hash256 | Uint32Array): Uint32Array {
  return h.length === LANES && h instanceof Uint32Array ? h : hashToWords32(h as Hash256);
}

/** The baseline and the oracle: every row within maxDistance, by a full scan. */
export function linearScan(hashes: Uint32Array, ids: Uint32Array, probe: Hash256 | Uint32Array, maxDistance: number): Match[] {
  const q = toLanes(probe);
  const out: Match[] = [];
  for (let r = 0; r < ids.length; r++) {
    const d = rowDistance(hashes, r, q, maxDistance);
    if (d <= maxDistance) out.push({ id: ids[r]!, distance: d, probe: 0 });
  }
  return sortMatches(out);
}

export class PdqIndex {
  private readonly scratch: number[] = [];
  private readonly bucketMark: Uint32Array;
  private bucketEpoch = 0;

  private constructor(
    readonly size: number,
    readonly bucketBits: number,
    readonly hashes: Uint32Array,
    readonly ids: Uint32Array,
    private readonly offsets: Uint32Array,
    private readonly rows: Uint32Array,
    private readonly buffer: ArrayBuffer,
  ) {
    this.bucketMark = new Uint32Array(1 << bucketBits);
  }

  /**
   * Builds from n hashes as 8 uint32 lanes each (hashes.length = 8n) and their ids. Counting sort per
   * slice: O(16·n), no comparisons. Adding or removing entries is a rebuild (fast; see the bench).
   */
  static build(hashes: Uint32Array, ids: Uint32Array): PdqIndex {
    const n = ids.length;
    if (hashes.length !== n * LANES) throw new RangeError(`expected ${n * LANES} hash words for ${n} ids, got ${hashes.length}`);
    const bits = bucketBitsFor(n);
    const buckets = 1 << bits;
    const { buffer, views } = allocate(n, bits);
    views.hashes.set(hashes);
    views.ids.set(ids);
    const { offsets, rows } = views;
    const shift = 16 - bits;
    const cursor = new Uint32Array(buckets);
    for (let s = 0; s < SLICES; s++) {
      const lane = s >> 1;
      const hi = s & 1;
      const off = s * (buckets + 1);
      const bucketOf = (r: number) => ((hi ? hashes[r * LANES + lane]! >>> 16 : hashes[r * LANES + lane]! & 0xffff) >>> shift);
      for (let r = 0; r < n; r++) offsets[off + bucketOf(r) + 1]!++;
      for (let b = 0; b < buckets; b++) offsets[off + b + 1] = offsets[off + b + 1]! + offsets[off + b]!;
      cursor.set(offsets.subarray(off, off + buckets));
      for (let r = 0; r < n; r++) rows[s * n + cursor[bucketOf(r)]!++] = r;
    }
    return new PdqIndex(n, bits, views.hashes, views.ids, offsets, rows, buffer);
  }

  static fromHashes(hashes: readonly Hash256[], ids: ArrayLike<number>): PdqIndex {
    const lanes = new Uint32Array(hashes.length * LANES);
    hashes.forEach((h, i) => hashToWords32(h, lanes, i * LANES));
    return PdqIndex.build(lanes, Uint32Array.from(ids));
  }

  /** All rows within maxDistance of the probe, with exact distances, sorted by distance then id. */
  query(probe: Hash256 | Uint32Array, maxDistance: number): Match[] {
    const out: Match[] = [];
    this.collect(toLanes(probe), maxDistance, 0, out);
    return sortMatches(out);
  }

  /**
   * Several probes at once (e.g. the 8 dihedral hashes of a picture): per id, the best distance and
   * the probe that gave it.
   */
  queryMany(probes: readonly (Hash256 | Uint32Array)[], maxDistance: number): Match[] {
    const best = new Map<number, Match>();
    const found: Match[] = [];
    probes.forEach((p, i) => {
      found.length = 0;
      this.collect(toLanes(p), maxDistance, i, found);
      for (const m of found) {
        const prev = best.get(m.id);
        if (!prev || m.distance < prev.distance) best.set(m.id, m);
      }
    });
    return sortMatches([...best.values()]);
  }

  private collect(q: Uint32Array, maxDistance: number, probe: number, out: Match[]): void {
    if (this.size === 0) return;
    if (maxDistance > MAX_INDEXED_DISTANCE) {
      for (const m of linearScan(this.hashes, this.ids, q, maxDistance)) out.push({ ...m, probe });
      return;
    }
    const radius = Math.floor(Math.max(0, maxDistance) / 16);
    const n = this.size;
    // A row can be a candidate in several slices. Deduplicating candidates would cost a random
    // memory access each (most are far away); only matches are deduplicated, which are few.
    const matched = new Set<number>();
    const buckets = 1 << this.bucketBits;
    const shift = 16 - this.bucketBits;
    const { offsets, rows, hashes, ids, bucketMark } = this;
    for (let s = 0; s < SLICES; s++) {
      const word = q[s >> 1]!;
      const v = s & 1 ? word >>> 16 : word & 0xffff;
      const off = s * (buckets + 1);
      if (++this.bucketEpoch === 0xffffffff) {
        bucketMark.fill(0);
        this.bucketEpoch = 1;
      }
      for (const nv of neighbours(v, radius, this.scratch)) {
        const b = nv >>> shift;
        if (bucketMark[b] === this.bucketEpoch) continue; // several neighbours share a bucket when bucketBits < 16
        bucketMark[b] = this.bucketEpoch;
        const end = offsets[off + b + 1]!;
        for (let k = offsets[off + b]!; k < end; k++) {
          const r = rows[s * n + k]!;
          const d = rowDistance(hashes, r, q, maxDistance);
          if (d <= maxDistance && !matched.has(r)) {
            matched.add(r);
            out.push({ id: ids[r]!, distance: d, probe });
          }
        }
      }
    }
  }

  /** The index as one ArrayBuffer (a header, then the four arrays). Store it; load with deserialize. */
  serialize(): ArrayBuffer {
    return this.buffer;
  }

  static deserialize(buffer: ArrayBuffer): PdqIndex {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_WORDS * 4) {
      throw new IndexFormatError('not a serialised index (too short)');
    }
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[0] !== INDEX_MAGIC) throw new IndexFormatError('not a serialised index (bad magic)');
    if (header[1] !== INDEX_FORMAT_VERSION) {
      throw new IndexFormatError(`index format ${header[1]} is not ${INDEX_FORMAT_VERSION}: rebuild it`);
    }
    const n = header[2]!;
    const bits = header[3]!;
    if (bits < 8 || bits > 16 || header[4] !== HASH_WORDS) throw new IndexFormatError('corrupt index header');
    if (buffer.byteLength !== byteLength(n, bits)) {
      throw new IndexFormatError(`index is ${buffer.byteLength} bytes, expected ${byteLength(n, bits)} (truncated or corrupt)`);
    }
    const views = viewsOf(buffer, n, bits);
    const buckets = 1 << bits;
    for (let s = 0; s < SLICES; s++) {
      // Cheap structural check: each slice's offsets must end at n.
      if (views.offsets[s * (buckets + 1) + buckets] !== n) throw new IndexFormatError('corrupt index offsets');
    }
    return new PdqIndex(n, bits, views.hashes, views.ids, views.offsets, views.rows, buffer);
  }
}

function byteLength(n: number, bits: number): number {
  return 4 * (HEADER_WORDS + LANES * n + n + SLICES * ((1 << bits) + 1) + SLICES * n);
}

function viewsOf(buffer: ArrayBuffer, n: number, bits: number) {
  let at = HEADER_WORDS * 4;
  const take = (len: number) => {
    const v = new Uint32Array(buffer, at, len);
    at += len * 4;
    return v;
  };
  return {
    hashes: take(LANES * n),
    ids: take(n),
    offsets: take(SLICES * ((1 << bits) + 1)),
    rows: take(SLICES * n),
  };
}

function allocate(n: number, bits: number) {
  const buffer = new ArrayBuffer(byteLength(n, bits));
  new Uint32Array(buffer, 0, HEADER_WORDS).set([INDEX_MAGIC, INDEX_FORMAT_VERSION, n, bits, HASH_WORDS]);
  return { buffer, views: viewsOf(buffer, n, bits) };
}

export * from './grouped';
