// The indexes' edges that the exactness properties (index.test.ts, grouped.test.ts) never reach:
// each field of a stored buffer checked on load (the layouts documented at the top of
// src/core/index/index.ts and grouped.ts), the table sizes those comments promise, the limits on
// groups, a damaged entry, and the bucket marks after their epoch counter wraps (after 2^32 slice
// look-ups: set here by hand). Expected values are the documented layouts and limits, and rows
// whose distances are worked out by hand (all-zero hashes: distance = bits set in the probe).
import { describe, expect, it } from 'vitest';
import { GroupedIndex, IndexFormatError, MAX_GROUPS, MAX_GROUP_ROWS, PdqIndex, linearScan } from '../../../../src/core/index';

const ids = (m: { id: number }[]) => m.map((x) => x.id).sort((a, b) => a - b);
/** A hash whose slice s (the low, then the high half of lane s >> 1) is s << 12: each slice in another bucket. */
const spread = Uint32Array.from({ length: 8 }, (_, l) => (((2 * l) << 12) | (((2 * l + 1) << 12) << 16)) >>> 0);

/** A load that must fail with an IndexFormatError whose message matches `re`. */
function refused(load: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    load();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IndexFormatError);
  expect((err as Error).message).toMatch(re);
}

describe('PdqIndex (flat): sizes and stored fields', () => {
  // Layout (index.ts): header Uint32[8] = magic, version, n, bucket bits, 16; then hashes, ids,
  // offsets (16 slices × (2^bits + 1)), rows.
  it('uses 8 to 16 bucket bits, about one to four rows per bucket', () => {
    expect(PdqIndex.build(new Uint32Array(0), new Uint32Array(0)).bucketBits).toBe(8);
    expect(PdqIndex.build(new Uint32Array(8 * 300), new Uint32Array(300)).bucketBits).toBe(8);
    for (const n of [600, 1000, 1025, 5000, 40_000]) {
      const bits = PdqIndex.build(new Uint32Array(8 * n), new Uint32Array(n)).bucketBits;
      expect(n / 2 ** bits, `n = ${n}`).toBeGreaterThanOrEqual(1);
      expect(n / 2 ** bits, `n = ${n}`).toBeLessThanOrEqual(4);
    }
    // 200,000 rows would be 1.5 per bucket at 17 bits: capped at 16.
    expect(PdqIndex.build(new Uint32Array(8 * 200_000), new Uint32Array(200_000)).bucketBits).toBe(16);
  });

  it('says how many hash words it expected', () => {
    expect(() => PdqIndex.build(new Uint32Array(9), new Uint32Array(1))).toThrow('expected 8 hash words for 1 ids, got 9');
  });

  it('refuses each damaged header field with its own message', () => {
    const good = PdqIndex.build(new Uint32Array(8 * 10), Uint32Array.from({ length: 10 }, (_, i) => i)).serialize();
    const tamper = (word: number, value: number) => {
      const b = good.slice(0);
      new Uint32Array(b)[word] = value;
      return b;
    };
    // The header as documented: "ADPI" (0x41445049), format 1, 10 rows, 8 bucket bits, 16 hash words.
    expect([...new Uint32Array(good, 0, 8)]).toEqual([0x41445049, 1, 10, 8, 16, 0, 0, 0]);
    refused(() => PdqIndex.deserialize(new ArrayBuffer(28)), /too short/);
    refused(() => PdqIndex.deserialize(new Uint8Array(good) as unknown as ArrayBuffer), /too short/);
    // Exactly a header (32 bytes) is long enough to be read: its magic is what is wrong.
    refused(() => PdqIndex.deserialize(new ArrayBuffer(32)), /bad magic/);
    refused(() => PdqIndex.deserialize(tamper(1, 2)), /index format 2 is not 1: rebuild it/);
    refused(() => PdqIndex.deserialize(tamper(3, 7)), /^corrupt index header$/);
    refused(() => PdqIndex.deserialize(tamper(3, 17)), /^corrupt index header$/);
    refused(() => PdqIndex.deserialize(tamper(4, 8)), /^corrupt index header$/);
    // 9 bucket bits: a valid header, but the buffer is sized for 8.
    refused(() => PdqIndex.deserialize(tamper(3, 9)), /truncated or corrupt/);
    expect(PdqIndex.deserialize(good.slice(0)).query(new Uint32Array(8), 0)).toHaveLength(10);
  });

  it('still finds every row after its bucket marks’ epoch counter wraps around', () => {
    // Four rows of the same hash, whose 16 slices each fall in another bucket (slice s = s << 12).
    const index = PdqIndex.build(new Uint32Array(8 * 4).map((_, i) => spread[i % 8]!), Uint32Array.from([10, 11, 12, 13]));
    expect(ids(index.query(spread, 0))).toEqual([10, 11, 12, 13]);
    // That query left slice s's bucket marked s + 1. The next slice look-up takes the counter to
    // 2^32 − 1: the marks must be cleared as the count starts at 1 again, or every bucket is skipped.
    (index as unknown as { bucketEpoch: number }).bucketEpoch = 0xfffffffe;
    expect(ids(index.query(spread, 0))).toEqual([10, 11, 12, 13]);
    expect(ids(index.query(spread, 0))).toEqual([10, 11, 12, 13]);
  });

  it('linearScan (the oracle) keeps rows at exactly the distance asked, sorted by distance then id', () => {
    const lanes = new Uint32Array(8 * 3);
    lanes[0] = 0b111; // row 0: 3 bits
    lanes[8] = 0b1; // row 1: 1 bit
    const got = linearScan(lanes, Uint32Array.from([7, 5, 9]), new Uint32Array(8), 1);
    expect(got).toEqual([
      { id: 9, distance: 0, probe: 0 },
      { id: 5, distance: 1, probe: 0 },
    ]);
    expect(linearScan(lanes, Uint32Array.from([7, 5, 9]), new Uint32Array(8), 3).map((m) => m.id)).toEqual([9, 5, 7]);
  });
});

describe('GroupedIndex: sizes, limits and stored fields', () => {
  // Layout (grouped.ts): header Uint32[8] = magic, version, n, groups, 16, 0…; then per group
  // Uint32[4] = first row, row count, bucket bits, id bits.
  const table = (ix: GroupedIndex) => new Uint32Array(ix.serialize(), 0, 8 + 4 * ix.groupCount);

  it('sizes each group’s tables to it: 1 to 2 rows per bucket (4 to 16 bits), id bits = max(16, bits of the row count)', () => {
    const counts = [0, 1, 40, 1000, 1025, 65_535, 65_536, 65_537, 140_000];
    const n = counts.reduce((a, b) => a + b, 0);
    const ix = GroupedIndex.build(new Uint32Array(8 * n), counts);
    const t = table(ix);
    let start = 0;
    counts.forEach((count, g) => {
      const [first, c, bits, idBits] = t.subarray(8 + 4 * g, 12 + 4 * g);
      expect([first, c]).toEqual([start, count]);
      expect(ix.groupRange(g)).toEqual({ start, count });
      start += count;
      if (count <= 32) expect(bits, `count ${count}`).toBe(4);
      else if (count > 2 ** 17) expect(bits, `count ${count}`).toBe(16);
      else {
        expect(count / 2 ** bits!, `count ${count}`).toBeGreaterThanOrEqual(1);
        expect(count / 2 ** bits!, `count ${count}`).toBeLessThanOrEqual(2);
      }
      expect(idBits, `count ${count}`).toBe(Math.max(16, Math.ceil(Math.log2(Math.max(2, count)))));
    });
    expect(t.subarray(0, 5)).toEqual(Uint32Array.from([0x47504441, 2, n, counts.length, 16]));
    expect(ix.groupCount).toBe(counts.length);
    expect(ix.size).toBe(n);
  });

  it('takes at most 32 groups and 2^24 rows in a group, and says so', () => {
    expect(MAX_GROUPS).toBe(32);
    expect(GroupedIndex.build(new Uint32Array(0), new Array(32).fill(0)).groupCount).toBe(32);
    expect(() => GroupedIndex.build(new Uint32Array(0), new Array(33).fill(0))).toThrow('at most 32 groups, got 33');
    expect(MAX_GROUP_ROWS).toBe(2 ** 24);
    expect(() => GroupedIndex.create([MAX_GROUP_ROWS + 1], () => undefined)).toThrow(`at most ${2 ** 24} rows in a group, got ${2 ** 24 + 1}`);
    expect(() => GroupedIndex.build(new Uint32Array(9), [1])).toThrow('expected 8 hash words for 1 rows, got 9');
  });

  it('refuses each damaged field of the header and the group table with its own message', () => {
    // Two groups of 3 and 5 all-zero rows.
    const good = GroupedIndex.build(new Uint32Array(8 * 8), [3, 5]).serialize();
    const tamper = (...edits: [number, number][]) => {
      const b = good.slice(0);
      for (const [word, value] of edits) new Uint32Array(b)[word] = value;
      return b;
    };
    refused(() => GroupedIndex.deserialize(new ArrayBuffer(28)), /too short/);
    refused(() => GroupedIndex.deserialize(new Uint8Array(good) as unknown as ArrayBuffer), /too short/);
    refused(() => GroupedIndex.deserialize(new ArrayBuffer(32)), /bad magic/);
    refused(() => GroupedIndex.deserialize(tamper([1, 1])), /index format 1 is not 2: rebuild it/);
    refused(() => GroupedIndex.deserialize(tamper([3, 33])), /^corrupt index header$/);
    refused(() => GroupedIndex.deserialize(tamper([4, 8])), /^corrupt index header$/);
    // The header says 2 groups but the buffer ends inside the group table.
    refused(() => GroupedIndex.deserialize(good.slice(0, 40)), /^corrupt index header$/);
    // Group table: words 8–11 group 0, 12–15 group 1.
    refused(() => GroupedIndex.deserialize(tamper([8, 1])), /^corrupt index group table$/); // first row not 0
    refused(() => GroupedIndex.deserialize(tamper([10, 3])), /^corrupt index group table$/); // 3 bucket bits
    refused(() => GroupedIndex.deserialize(tamper([10, 17])), /^corrupt index group table$/); // 17 bucket bits
    refused(() => GroupedIndex.deserialize(tamper([11, 17])), /^corrupt index group table$/); // id bits not max(16, …)
    refused(() => GroupedIndex.deserialize(tamper([12, 4])), /^corrupt index group table$/); // group 1 does not start after group 0
    refused(() => GroupedIndex.deserialize(tamper([2, 9])), /^corrupt index group table$/); // rows ≠ the groups' sum
    // A group of 2^24 + 1 rows (with the id bits and total that go with it): over the limit.
    refused(() => GroupedIndex.deserialize(tamper([2, 2 ** 24 + 6], [9, 2 ** 24 + 1], [11, 25], [12, 2 ** 24 + 1])), /^corrupt index group table$/);
    // 5 bucket bits for group 0: a consistent table, but the buffer is sized for 4.
    refused(() => GroupedIndex.deserialize(tamper([10, 5])), /truncated or corrupt/);
    expect(GroupedIndex.deserialize(good.slice(0)).query(new Uint32Array(8), 0)).toHaveLength(8);
  });

  it('refuses offsets that do not start at 0, go down, or do not end at the group’s count', () => {
    // One group of 3 all-zero rows: 16-bit offsets after the header (8 + 4 words) and the hashes (24 words).
    // Every row is in bucket 0, so each slice's offsets are 0, 3, 3, … 3 (17 of them: 4 bucket bits).
    const good = GroupedIndex.build(new Uint32Array(8 * 3), [3]).serialize();
    const at = (8 + 4 + 24) * 4;
    expect([...new Uint16Array(good, at, 17)]).toEqual([0, ...new Array(16).fill(3)]);
    const tamper = (slot: number, value: number) => {
      const b = good.slice(0);
      new Uint16Array(b, at)[slot] = value;
      return b;
    };
    refused(() => GroupedIndex.deserialize(tamper(0, 1)), /^corrupt index offsets$/); // starts at 1, still ≤ 3
    refused(() => GroupedIndex.deserialize(tamper(5, 2)), /^corrupt index offsets$/); // 3, 3, 2, 3: goes down
    refused(() => GroupedIndex.deserialize(tamper(1, 4)), /^corrupt index offsets$/); // 4 then 3: goes down
    refused(() => GroupedIndex.deserialize(tamper(17 + 16, 4)), /^corrupt index offsets$/); // slice 1 ends at 4, not 3
  });

  it('never answers a row of another group from a damaged entry', () => {
    // Group 0: rows 0–2, group 1: rows 3–4, all-zero hashes. An entry is (fingerprint << 16) | row
    // within the group; the first entry of group 0's slice 0 is made to say "row 3" (not in a group of 3).
    const good = GroupedIndex.build(new Uint32Array(8 * 5), [3, 2]).serialize();
    const entries = (8 + 8 + 40) * 4 + 17 * 16 * 2; // after the header, the hashes and group 0's Uint16 offsets
    const b = good.slice(0);
    new Uint32Array(b, entries)[0] = 3;
    const ix = GroupedIndex.deserialize(b);
    expect(ids(ix.query(new Uint32Array(8), 0, 0b01))).toEqual([0, 1, 2]);
    expect(ids(ix.query(new Uint32Array(8), 0, 0b10))).toEqual([3, 4]);
  });

  it('still finds every row after its bucket marks’ epoch counter wraps around', () => {
    const ix = GroupedIndex.build(new Uint32Array(8 * 4).map((_, i) => spread[i % 8]!), [4]);
    expect(ids(ix.query(spread, 0))).toEqual([0, 1, 2, 3]);
    (ix as unknown as { epoch: number }).epoch = 0xfffffffe;
    expect(ids(ix.query(spread, 0))).toEqual([0, 1, 2, 3]);
    expect(ids(ix.query(spread, 0))).toEqual([0, 1, 2, 3]);
  });

  it('answers every group by default, and only the named ones with a mask; past 63 bits by a scan of each', () => {
    // Rows: 0 (group 0) zero; 1, 2 (group 1): 70 and 0 bits set; 3 (group 2): 1 bit.
    const lanes = new Uint32Array(8 * 4);
    lanes.set([0xffffffff, 0xffffffff, 0x3f], 8);
    lanes[24] = 1;
    const ix = GroupedIndex.build(lanes, [1, 2, 1]);
    const zero = new Uint32Array(8);
    expect(ids(ix.query(zero, 1))).toEqual([0, 2, 3]);
    expect(ids(ix.query(zero, 1, 0b100))).toEqual([3]);
    expect(ids(ix.query(zero, 69, 0b010))).toEqual([2]);
    expect(ix.query(zero, 70, 0b010).sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, distance: 70, probe: 0 },
      { id: 2, distance: 0, probe: 0 },
    ]);
    expect(ids(ix.query(zero, 64, 0b001))).toEqual([0]);
    // The probe number is passed through; answers are appended to `out`.
    const out = [{ id: 99, distance: 0, probe: 0 }];
    expect(ix.query(zero, 0, 0b001, out, 5)).toEqual([{ id: 99, distance: 0, probe: 0 }, { id: 0, distance: 0, probe: 5 }]);
  });
});
