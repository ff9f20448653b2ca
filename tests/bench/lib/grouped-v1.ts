/**
 * The previous layout of the grouped index (format 1: per-slice row tables of row numbers only, every
 * candidate verified on its 32-byte hash), kept for the scale bench to measure side by side with the
 * current one (src/core/index/grouped.ts). Not used by the extension.
 *
 * Why groups: under the match rule a probe may meet only some kinds of stored hash (7 of the 8
 * dihedral hashes of a picture meet only the published originals, the centre probe only the
 * rotations, a caption cut only the same cut: src/core/match/rule.ts). The caller puts rows that
 * the same probes may meet into one group (src/core/match groupKinds) and a query names the groups
 * it may meet: the others are never touched. Which rows a query returns within a group is exactly
 * what a linear scan of that group returns (tests/unit/core/index/grouped.test.ts).
 *
 * Compact rows: the row number is the id (no id table; the caller's tables are in row order), the
 * per-slice row tables and bucket offsets are Uint16 when a group has at most 65,535 rows, and each
 * group's bucket table is sized to the group (1–2 rows per bucket, at most 2^16 buckets).
 *
 * Layout (little-endian, 4-byte aligned):
 *   header   Uint32[8]   magic "ADPG", version, rows n, groups g, 0…
 *   groups   Uint32[4g]  per group: first row, row count, bucket bits, width (2: ≤ 65,535 rows, else 4)
 *   hashes   Uint32[8n]  row r's 8 lanes (../hash256 hashToWords32 layout), rows grouped
 *   per group: offsets then rows, each Uint16 or Uint32 by the width, each padded to 4 bytes:
 *            offsets[16·(2^bits+1)] (per slice, CSR offsets of its buckets), rows[16·count]
 */
import { HASH_WORDS, popcount32, type Hash256, hashToWords32 } from '../../../src/core/hash256';
import { IndexFormatError, MAX_INDEXED_DISTANCE, type Match } from '../../../src/core/index/index';

export const GROUPED_MAGIC = 0x47504441; // "ADPG" little-endian
export const GROUPED_FORMAT_VERSION = 1;
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
  offsets: Uint16Array | Uint32Array;
  rows: Uint16Array | Uint32Array;
}

/** Offsets and row numbers are 16-bit in a group of at most 65,535 rows, else 32-bit. */
const widthFor = (count: number) => (count <= 0xffff ? 2 : 4);

function groupBytes(count: number, bits: number, width: number): number {
  const offsets = width * SLICES * ((1 << bits) + 1);
  const rows = width * SLICES * count;
  return ((offsets + 3) & ~3) + ((rows + 3) & ~3);
}

function layout(buffer: ArrayBuffer, n: number, specs: readonly { start: number; count: number; bits: number; width: number }[]): { hashes: Uint32Array; groups: Group[]; end: number } {
  let at = (HEADER_WORDS + GROUP_WORDS * specs.length) * 4;
  const hashes = new Uint32Array(buffer, at, LANES * n);
  at += 32 * n;
  const groups = specs.map(({ start, count, bits, width }) => {
    const len = SLICES * ((1 << bits) + 1);
    const offsets = width === 2 ? new Uint16Array(buffer, at, len) : new Uint32Array(buffer, at, len);
    const rowsAt = at + ((offsets.byteLength + 3) & ~3);
    const rows = width === 2 ? new Uint16Array(buffer, rowsAt, SLICES * count) : new Uint32Array(buffer, rowsAt, SLICES * count);
    at += groupBytes(count, bits, width);
    return { start, count, bits, offsets, rows };
  });
  return { hashes, groups, end: at };
}

/** Distance between stored row r and the query lanes q, or some value > max once it exceeds max. */
function rowDistance(hashes: Uint32Array, r: number, q: Uint32Array, max: number): number {
  const b = r * LANES;
  let d = popcount32((hashes[b]! ^ q[0]!) >>> 0) + popcount32((hashes[b + 1]! ^ q[1]!) >>> 0) + popcount32((hashes[b + 2]! ^ q[2]!) >>> 0) + popcount32((hashes[b + 3]! ^ q[3]!) >>> 0);
  if (d > max) return d;
  d += popcount32((hashes[b + 4]! ^ q[4]!) >>> 0) + popcount32((hashes[b + 5]! ^ q[5]!) >>> 0) + popcount32((hashes[b + 6]! ^ q[6]!) >>> 0) + popcount32((hashes[b + 7]! ^ q[7]!) >>> 0);
  return d;
}

export class GroupedIndexV1 {
  private readonly mark = new Uint32Array(1 << 16);
  private epoch = 0;
  private readonly found = new Set<number>();
  /** Scratch: the slice values to look up (1 + 16 + 120 + 560 at radius 3). */
  private readonly near = new Int32Array(697);

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
  static build(hashes: Uint32Array, counts: readonly number[]): GroupedIndexV1 {
    const n = counts.reduce((s, c) => s + c, 0);
    if (hashes.length !== n * LANES) throw new RangeError(`expected ${n * LANES} hash words for ${n} rows, got ${hashes.length}`);
    return GroupedIndexV1.create(counts, (lanes) => lanes.set(hashes));
  }

  /**
   * As build, but `fill` writes the rows' lanes straight into the index's own hash table (group
   * order): no second copy of the hashes while building.
   */
  static create(counts: readonly number[], fill: (hashes: Uint32Array) => void): GroupedIndexV1 {
    const n = counts.reduce((s, c) => s + c, 0);
    if (counts.length > MAX_GROUPS) throw new RangeError(`at most ${MAX_GROUPS} groups, got ${counts.length}`);
    let start = 0;
    const specs = counts.map((count) => {
      const s = { start, count, bits: bucketBitsFor(count), width: widthFor(count) };
      start += count;
      return s;
    });
    const bytes = (HEADER_WORDS + GROUP_WORDS * specs.length) * 4 + 32 * n + specs.reduce((s, g) => s + groupBytes(g.count, g.bits, g.width), 0);
    const buffer = new ArrayBuffer(bytes);
    const header = new Uint32Array(buffer, 0, HEADER_WORDS + GROUP_WORDS * specs.length);
    header.set([GROUPED_MAGIC, GROUPED_FORMAT_VERSION, n, specs.length, HASH_WORDS]);
    specs.forEach((g, i) => header.set([g.start, g.count, g.bits, g.width], HEADER_WORDS + GROUP_WORDS * i));
    const { hashes: lanes, groups } = layout(buffer, n, specs);
    fill(lanes);
    const cursor = new Uint32Array(1 << 16);
    for (const g of groups) {
      const buckets = 1 << g.bits;
      const shift = 16 - g.bits;
      const { offsets, rows, count } = g;
      for (let s = 0; s < SLICES; s++) {
        const lane = s >> 1;
        const hi = s & 1;
        const off = s * (buckets + 1);
        for (let r = 0; r < count; r++) {
          const w = lanes[(g.start + r) * LANES + lane]!;
          offsets[off + ((hi ? w >>> 16 : w & 0xffff) >>> shift) + 1]!++;
        }
        for (let b = 0; b < buckets; b++) offsets[off + b + 1] = offsets[off + b + 1]! + offsets[off + b]!;
        cursor.set(offsets.subarray(off, off + buckets));
        const base = s * count;
        for (let r = 0; r < count; r++) {
          const w = lanes[(g.start + r) * LANES + lane]!;
          rows[base + cursor[(hi ? w >>> 16 : w & 0xffff) >>> shift]!++] = r;
        }
      }
    }
    return new GroupedIndexV1(n, lanes, groups, buffer);
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
    const { offsets, rows, count, start, bits } = g;
    const { hashes, mark, found, near } = this;
    const buckets = 1 << bits;
    const shift = 16 - bits;
    found.clear();
    for (let s = 0; s < SLICES; s++) {
      const word = q[s >> 1]!;
      const v = s & 1 ? word >>> 16 : word & 0xffff;
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
      for (let i = 0; i < m; i++) {
        const b = near[i]! >>> shift;
        if (mark[b] === epoch) continue;
        mark[b] = epoch;
        const end = offsets[off + b + 1]!;
        for (let k = offsets[off + b]!; k < end; k++) {
          const r = start + rows[base + k]!;
          const d = rowDistance(hashes, r, q, max);
          if (d <= max && !found.has(r)) {
            found.add(r);
            out.push({ id: r, distance: d, probe });
          }
        }
      }
    }
  }

  /** The index as one ArrayBuffer; store it as it is and load it with deserialize. */
  serialize(): ArrayBuffer {
    return this.buffer;
  }

  static deserialize(buffer: ArrayBuffer): GroupedIndexV1 {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_WORDS * 4) throw new IndexFormatError('not a serialised index (too short)');
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[0] !== GROUPED_MAGIC) throw new IndexFormatError('not a serialised index (bad magic)');
    if (header[1] !== GROUPED_FORMAT_VERSION) throw new IndexFormatError(`index format ${header[1]} is not ${GROUPED_FORMAT_VERSION}: rebuild it`);
    const n = header[2]!;
    const g = header[3]!;
    if (g > MAX_GROUPS || header[4] !== HASH_WORDS || buffer.byteLength < (HEADER_WORDS + GROUP_WORDS * g) * 4) throw new IndexFormatError('corrupt index header');
    const table = new Uint32Array(buffer, HEADER_WORDS * 4, GROUP_WORDS * g);
    const specs: { start: number; count: number; bits: number; width: number }[] = [];
    let start = 0;
    for (let i = 0; i < g; i++) {
      const [s, count, bits, width] = table.subarray(GROUP_WORDS * i, GROUP_WORDS * i + 4);
      if (s !== start || bits! < 4 || bits! > 16 || (width !== 2 && width !== 4) || width !== widthFor(count!)) throw new IndexFormatError('corrupt index group table');
      specs.push({ start: s, count: count!, bits: bits!, width });
      start += count!;
    }
    if (start !== n) throw new IndexFormatError('corrupt index group table');
    const expected = (HEADER_WORDS + GROUP_WORDS * g) * 4 + 32 * n + specs.reduce((s, x) => s + groupBytes(x.count, x.bits, x.width), 0);
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
    return new GroupedIndexV1(n, hashes, groups, buffer);
  }
}
