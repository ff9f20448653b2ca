/**
 * The match index at scale: rows in groups, each group its own exact multi-index (see ./index.ts
 * for the method), all in ONE ArrayBuffer that is stored and loaded as it is (no rebuild on a cold
 * start: deserialize only makes views).
 *
 * Why groups: under the match rule a probe may meet only some kinds of stored hash (7 of the 8
 * dihedral hashes of a picture meet only the published originals, the centre probe only the
 * rotations, a caption cut only the same cut: src/core/match/rule.ts). The caller puts rows that
 * the same probes may meet into one group (src/core/match groupKinds) and a query names the groups
 * it may meet: the others are never touched. Which rows a query returns within a group is exactly
 * what a linear scan of that group returns (tests/unit/core/index/grouped.test.ts).
 *
 * Fewer hash reads (format 2): a stored row's 32-byte hash is a random memory read, and at millions
 * of rows most candidates a bucket yields are far from the probe. So each slice's table entry also
 * carries a fingerprint of the OTHER half of the same 32-bit lane (its top bits), and a candidate is
 * rejected from the table itself (read in bucket order, sequentially) when it cannot be a match:
 *   d ≤ D over 8 lanes ⇒ some lane differs in ≤ P = floor(D/8) bits, and within that lane one
 *   16-bit half differs in ≤ R = floor(D/16) bits (R = floor(P/2)). The search visits every bucket
 *   within R of each slice (as before); a candidate from slice s is kept only if the lower bounds
 *   it can see (bucket bits of s, fingerprint bits of its lane partner s^1) add up to ≤ P. For a
 *   row within D, the lane with ≤ P and its half with ≤ R keep it; the others may drop it.
 * Exactness against a linear scan: tests/unit/core/index/grouped.test.ts.
 *
 * Compact rows: the row number is the id (no id table; the caller's tables are in row order); a
 * table entry is one Uint32, (fingerprint << idBits) | row within the group, idBits = max(16,
 * bits for the group's rows), so the fingerprint keeps 32 − idBits ≤ 16 bits; offsets are Uint16
 * when a group has at most 65,535 rows; each group's bucket table is sized to the group (1–2 rows
 * per bucket, at most 2^16 buckets).
 *
 * Layout (little-endian, 4-byte aligned):
 *   header   Uint32[8]   magic "ADPG", version 2, rows n, groups g, 8 (hash lanes), 0…
 *   groups   Uint32[4g]  per group: first row, row count, bucket bits, id bits
 *   hashes   Uint32[8n]  row r's 8 lanes (../hash256 hashToWords32 layout), rows grouped
 *   per group: offsets[16·(2^bits+1)] (per slice, CSR offsets of its buckets; Uint16 or Uint32,
 *            padded to 4 bytes), entries Uint32[16·count] (per slice, in bucket order)
 */
import { HASH_WORDS, popcount32, type Hash256, hashToWords32 } from '../hash256';
import { IndexFormatError, MAX_INDEXED_DISTANCE, type Match } from './index';

export const GROUPED_MAGIC = 0x47504441; // "ADPG" little-endian
export const GROUPED_FORMAT_VERSION = 2;
const HEADER_WORDS = 8;
const GROUP_WORDS = 4;
const SLICES = 16;
const LANES = 8;
/** Groups a query can name in its mask. */
export const MAX_GROUPS = 32;

/** About 1 to 2 rows per bucket below the 16-bit cap (fewer candidates per probe; the offsets are 16-bit there), at least 16 buckets. */
function bucketBitsFor(n: number): number {
  return Math.max(4, Math.min(16, Math.ceil(Math.log2(Math.max(2, n))) - 1));
}

interface Group {
  start: number;
  count: number;
  bits: number;
  /** Bits of an entry that hold the row (within the group); the rest is the fingerprint. */
  idBits: number;
  offsets: Uint16Array | Uint32Array;
  entries: Uint32Array;
}

/** The largest group: its entries keep at least 8 fingerprint bits. */
export const MAX_GROUP_ROWS = 1 << 24;

/** Bits for a row number within a group of `count` rows: at least 16 (fingerprints of at most 16 bits). */
function idBitsFor(count: number): number {
  return Math.max(16, Math.ceil(Math.log2(Math.max(2, count))));
}

/** Offsets are 16-bit in a group of at most 65,535 rows, else 32-bit. */
const widthFor = (count: number) => (count <= 0xffff ? 2 : 4);

function groupBytes(count: number, bits: number): number {
  const offsets = widthFor(count) * SLICES * ((1 << bits) + 1);
  return ((offsets + 3) & ~3) + 4 * SLICES * count;
}

interface Spec {
  start: number;
  count: number;
  bits: number;
  idBits: number;
}

function layout(buffer: ArrayBuffer, n: number, specs: readonly Spec[]): { hashes: Uint32Array; groups: Group[]; end: number } {
  let at = (HEADER_WORDS + GROUP_WORDS * specs.length) * 4;
  const hashes = new Uint32Array(buffer, at, LANES * n);
  at += 32 * n;
  const groups = specs.map(({ start, count, bits, idBits }) => {
    const len = SLICES * ((1 << bits) + 1);
    const offsets = widthFor(count) === 2 ? new Uint16Array(buffer, at, len) : new Uint32Array(buffer, at, len);
    const entries = new Uint32Array(buffer, at + ((offsets.byteLength + 3) & ~3), SLICES * count);
    at += groupBytes(count, bits);
    return { start, count, bits, idBits, offsets, entries };
  });
  return { hashes, groups, end: at };
}

/** Slice s (0–15) of a row's lanes: the low (even s) or high (odd s) half of lane s >> 1. */
const sliceOf = (w: number, s: number) => (s & 1 ? w >>> 16 : w & 0xffff);

/** Distance between stored row r and the query lanes q, or some value > max once it exceeds max. */
function rowDistance(hashes: Uint32Array, r: number, q: Uint32Array, max: number): number {
  const b = r * LANES;
  let d = popcount32((hashes[b]! ^ q[0]!) >>> 0) + popcount32((hashes[b + 1]! ^ q[1]!) >>> 0) + popcount32((hashes[b + 2]! ^ q[2]!) >>> 0) + popcount32((hashes[b + 3]! ^ q[3]!) >>> 0);
  if (d > max) return d;
  d += popcount32((hashes[b + 4]! ^ q[4]!) >>> 0) + popcount32((hashes[b + 5]! ^ q[5]!) >>> 0) + popcount32((hashes[b + 6]! ^ q[6]!) >>> 0) + popcount32((hashes[b + 7]! ^ q[7]!) >>> 0);
  return d;
}

export class GroupedIndex {
  private readonly mark = new Uint32Array(1 << 16);
  private epoch = 0;
  private readonly found = new Set<number>();
  /** Scratch: the slice values to look up (1 + 16 + 120 + 560 at radius 3). */
  private readonly near = new Int32Array(697);
  /** Scratch: per bucket to read, its entries' span, fingerprint budget and query fingerprint. */
  private readonly spans = new Int32Array(SLICES * 697 * 4);

  private constructor(
    readonly size: number,
    readonly hashes: Uint32Array,
    private readonly groups: readonly Group[],
    private readonly buffer: ArrayBuffer,
  ) {}

  get groupCount(): number {
    return this.groups.length;
  }

  /** Rows [start, start + count) of group g. */
  groupRange(g: number): { start: number; count: number } {
    const { start, count } = this.groups[g]!;
    return { start, count };
  }

  /**
   * Builds from n hashes (8 lanes each, `hashes.length = 8n`) already in group order: group g is
   * rows [sum of counts before g, … + counts[g]). The caller keeps its per-row tables in the same
   * order. Counting sort per slice, O(16·n); the only memory besides the result is one bucket
   * cursor (the input lanes are copied in, so the caller may drop them).
   */
  static build(hashes: Uint32Array, counts: readonly number[]): GroupedIndex {
    const n = counts.reduce((s, c) => s + c, 0);
    if (hashes.length !== n * LANES) throw new RangeError(`expected ${n * LANES} hash words for ${n} rows, got ${hashes.length}`);
    return GroupedIndex.create(counts, (lanes) => lanes.set(hashes));
  }

  /**
   * As build, but `fill` writes the rows' lanes straight into the index's own hash table (group
   * order): no second copy of the hashes while building.
   */
  static create(counts: readonly number[], fill: (hashes: Uint32Array) => void): GroupedIndex {
    const n = counts.reduce((s, c) => s + c, 0);
    if (counts.length > MAX_GROUPS) throw new RangeError(`at most ${MAX_GROUPS} groups, got ${counts.length}`);
    let start = 0;
    const specs: Spec[] = counts.map((count) => {
      if (count > MAX_GROUP_ROWS) throw new RangeError(`at most ${MAX_GROUP_ROWS} rows in a group, got ${count}`);
      const spec = { start, count, bits: bucketBitsFor(count), idBits: idBitsFor(count) };
      start += count;
      return spec;
    });
    const bytes = (HEADER_WORDS + GROUP_WORDS * specs.length) * 4 + 32 * n + specs.reduce((s, g) => s + groupBytes(g.count, g.bits), 0);
    const buffer = new ArrayBuffer(bytes);
    const header = new Uint32Array(buffer, 0, HEADER_WORDS + GROUP_WORDS * specs.length);
    header.set([GROUPED_MAGIC, GROUPED_FORMAT_VERSION, n, specs.length, HASH_WORDS]);
    specs.forEach((g, i) => header.set([g.start, g.count, g.bits, g.idBits], HEADER_WORDS + GROUP_WORDS * i));
    const { hashes: lanes, groups } = layout(buffer, n, specs);
    fill(lanes);
    const cursor = new Uint32Array(1 << 16);
    for (const g of groups) {
      const buckets = 1 << g.bits;
      const shift = 16 - g.bits;
      const fpShift = 16 - (32 - g.idBits);
      const { offsets, entries, count, idBits } = g;
      for (let s = 0; s < SLICES; s++) {
        const lane = s >> 1;
        const off = s * (buckets + 1);
        for (let r = 0; r < count; r++) offsets[off + (sliceOf(lanes[(g.start + r) * LANES + lane]!, s) >>> shift) + 1]!++;
        for (let b = 0; b < buckets; b++) offsets[off + b + 1] = offsets[off + b + 1]! + offsets[off + b]!;
        cursor.set(offsets.subarray(off, off + buckets));
        const base = s * count;
        for (let r = 0; r < count; r++) {
          const w = lanes[(g.start + r) * LANES + lane]!;
          // The fingerprint: the top bits of the other half of the same lane.
          entries[base + cursor[sliceOf(w, s) >>> shift]!++] = (((sliceOf(w, s ^ 1) >>> fpShift) << idBits) | r) >>> 0;
        }
      }
    }
    return new GroupedIndex(n, lanes, groups, buffer);
  }

  /**
   * Rows within maxDistance of the probe in the groups whose bit is set in `groupMask` (bit g =
   * group g), with exact distances; `id` is the row number. Unsorted (the caller pairs and sorts).
   */
  query(probe: Hash256 | Uint32Array, maxDistance: number, groupMask = 0xffffffff, out: Match[] = [], probeNo = 0): Match[] {
    const q = probe instanceof Uint32Array && probe.length === LANES ? probe : hashToWords32(probe as Hash256);
    for (let g = 0; g < this.groups.length; g++) {
      if (!((groupMask >>> g) & 1)) continue;
      const group = this.groups[g]!;
      if (group.count === 0) continue;
      if (maxDistance > MAX_INDEXED_DISTANCE) this.scan(group, q, maxDistance, out, probeNo);
      else this.search(group, q, maxDistance, out, probeNo);
    }
    return out;
  }

  private scan(g: Group, q: Uint32Array, max: number, out: Match[], probe: number): void {
    for (let r = g.start; r < g.start + g.count; r++) {
      const d = rowDistance(this.hashes, r, q, max);
      if (d <= max) out.push({ id: r, distance: d, probe });
    }
  }

  private search(g: Group, q: Uint32Array, max: number, out: Match[], probe: number): void {
    const radius = Math.floor(Math.max(0, max) / 16);
    const lane = Math.floor(Math.max(0, max) / 8);
    const { offsets, entries, count, start, bits, idBits } = g;
    const { hashes, mark, found, near, spans } = this;
    const buckets = 1 << bits;
    const shift = 16 - bits;
    const fpShift = 16 - (32 - idBits);
    const idMask = idBits === 32 ? 0xffffffff : (1 << idBits) - 1;
    found.clear();
    // First every bucket's span (independent reads, which the CPU overlaps), then the entries.
    let spanCount = 0;
    for (let s = 0; s < SLICES; s++) {
      const word = q[s >> 1]!;
      const v = sliceOf(word, s);
      const qfp = sliceOf(word, s ^ 1) >>> fpShift;
      const off = s * (buckets + 1);
      const base = s * count;
      if (++this.epoch === 0xffffffff) {
        mark.fill(0);
        this.epoch = 1;
      }
      const epoch = this.epoch;
      // The slice values within `radius` bits of v (radius ≤ 3); each bucket is visited once.
      let m = 0;
      near[m++] = v;
      if (radius >= 1) {
        for (let a = 0; a < 16; a++) {
          const va = v ^ (1 << a);
          near[m++] = va;
          if (radius < 2) continue;
          for (let b = a + 1; b < 16; b++) {
            const vb = va ^ (1 << b);
            near[m++] = vb;
            if (radius >= 3) for (let c = b + 1; c < 16; c++) near[m++] = vb ^ (1 << c);
          }
        }
      }
      const vb = v >>> shift;
      for (let i = 0; i < m; i++) {
        const b = near[i]! >>> shift;
        if (mark[b] === epoch) continue;
        mark[b] = epoch;
        const at = spanCount++ * 4;
        spans[at] = base + offsets[off + b]!;
        spans[at + 1] = base + offsets[off + b + 1]!;
        // What the lane may still differ by in the partner half, given the bits this bucket differs by.
        spans[at + 2] = lane - popcount32(b ^ vb);
        spans[at + 3] = qfp;
      }
    }
    for (let i = 0; i < spanCount * 4; i += 4) {
      const end = spans[i + 1]!;
      const budget = spans[i + 2]!;
      const qfp = spans[i + 3]!;
      for (let k = spans[i]!; k < end; k++) {
        const e = entries[k]!;
        if (popcount32((e >>> idBits) ^ qfp) > budget) continue;
        const local = e & idMask;
        if (local >= count) continue; // a damaged entry never reads outside its group
        const r = start + local;
        const d = rowDistance(hashes, r, q, max);
        if (d <= max && !found.has(r)) {
          found.add(r);
          out.push({ id: r, distance: d, probe });
        }
      }
    }
  }

  /** The index as one ArrayBuffer; store it as it is and load it with deserialize. */
  serialize(): ArrayBuffer {
    return this.buffer;
  }

  static deserialize(buffer: ArrayBuffer): GroupedIndex {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_WORDS * 4) throw new IndexFormatError('not a serialised index (too short)');
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[0] !== GROUPED_MAGIC) throw new IndexFormatError('not a serialised index (bad magic)');
    if (header[1] !== GROUPED_FORMAT_VERSION) throw new IndexFormatError(`index format ${header[1]} is not ${GROUPED_FORMAT_VERSION}: rebuild it`);
    const n = header[2]!;
    const g = header[3]!;
    if (g > MAX_GROUPS || header[4] !== HASH_WORDS || buffer.byteLength < (HEADER_WORDS + GROUP_WORDS * g) * 4) throw new IndexFormatError('corrupt index header');
    const table = new Uint32Array(buffer, HEADER_WORDS * 4, GROUP_WORDS * g);
    const specs: Spec[] = [];
    let start = 0;
    for (let i = 0; i < g; i++) {
      const [s, count, bits, idBits] = table.subarray(GROUP_WORDS * i, GROUP_WORDS * i + 4);
      if (s !== start || count! > MAX_GROUP_ROWS || bits! < 4 || bits! > 16 || idBits !== idBitsFor(count!)) throw new IndexFormatError('corrupt index group table');
      specs.push({ start: s, count: count!, bits: bits!, idBits });
      start += count!;
    }
    if (start !== n) throw new IndexFormatError('corrupt index group table');
    const expected = (HEADER_WORDS + GROUP_WORDS * g) * 4 + 32 * n + specs.reduce((s, x) => s + groupBytes(x.count, x.bits), 0);
    if (buffer.byteLength !== expected) throw new IndexFormatError(`index is ${buffer.byteLength} bytes, expected ${expected} (truncated or corrupt)`);
    const { hashes, groups } = layout(buffer, n, specs);
    for (const grp of groups) {
      const buckets = 1 << grp.bits;
      // Structural check (one sequential pass): each slice's offsets start at 0, never go down, and
      // end at the group's row count, so no lookup can read outside the row tables.
      const o = grp.offsets;
      for (let s = 0; s < SLICES; s++) {
        const off = s * (buckets + 1);
        if (o[off] !== 0 || o[off + buckets] !== grp.count) throw new IndexFormatError('corrupt index offsets');
        for (let b = 0; b < buckets; b++) if (o[off + b]! > o[off + b + 1]!) throw new IndexFormatError('corrupt index offsets');
      }
    }
    return new GroupedIndex(n, hashes, groups, buffer);
  }
}
