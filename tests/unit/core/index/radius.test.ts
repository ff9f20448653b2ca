// The pigeonhole radius at its worst case. Multi-index hashing (Norouzi, Punjani & Fleet, TPAMI
// 2014; src/core/index/index.ts) promises: two hashes within distance d share a slice (of the 16
// slices of 16 bits) that differs in at most floor(d/16) bits. The random properties of
// index.test.ts and grouped.test.ts nearly always have some slice closer than that; here every
// slice differs in exactly k bits (distance 16k), so a row is found only if the search enumerates
// every slice value k bits away — and past 63 bits (where no radius enumeration is done) only by a
// scan. Expected answers are the distances set by construction.
import { describe, expect, it } from 'vitest';
import { GroupedIndex, PdqIndex, type Match } from '../../../../src/core/index';
import { prng } from '../../../lib/prng';

const rand = prng(2026);
const base = Uint32Array.from({ length: 8 }, () => rand());

/**
 * `base` with `perSlice[s]` bits of slice s flipped, all among its top 4 bits: a small index
 * buckets rows by the top 4 to 8 bits of a slice, so a flip below them would stay in the probe's
 * own bucket and be found at any radius.
 */
function flipped(perSlice: readonly number[]): Uint32Array {
  const out = base.slice();
  perSlice.forEach((k, s) => {
    for (let j = 0; j < k; j++) {
      const bit = 12 + ((s + j) % 4); // k ≤ 4 distinct bits of the slice's top 4
      out[s >> 1] = (out[s >> 1]! ^ (1 << ((s & 1) * 16 + bit))) >>> 0;
    }
  });
  return out;
}
const every = (k: number) => Array.from({ length: 16 }, () => k);

/** Two rows: row 0 is the base, row 1 far from everything (its complement). */
const lanes = Uint32Array.from([...base, ...base.map((w) => ~w >>> 0)]);
const flat = PdqIndex.build(lanes, Uint32Array.from([10, 11]));
const grouped = GroupedIndex.build(lanes, [2]);
const found = (m: Match[]) => m.map((x) => [x.id, x.distance]);

describe('exact at the pigeonhole’s worst case: every slice k bits away', () => {
  const cases: [string, number[], number][] = [
    ['1 bit in every slice (16)', every(1), 16],
    ['2 bits in every slice (32)', every(2), 32],
    ['3 bits in every slice (48)', every(3), 48],
    ['3 bits in 15 slices, 2 in one (47: radius 2 finds it through that slice)', [...every(3).slice(1), 2], 47],
    ['3 bits in 15 slices, 4 in one (49)', [...every(3).slice(1), 4], 49],
    ['4 bits in every slice (64: past 63, a scan)', every(4), 64],
  ];
  for (const [name, perSlice, d] of cases) {
    it(name, () => {
      const probe = flipped(perSlice);
      for (const max of [d, Math.max(d, Math.min(d + 5, 63)), 70]) {
        expect(found(flat.query(probe, max)), `flat, max ${max}`).toEqual([[10, d]]);
        expect(found(grouped.query(probe, max)), `grouped, max ${max}`).toEqual([[0, d]]);
      }
      expect(found(flat.query(probe, d - 1)), `flat, max ${d - 1}`).toEqual([]);
      expect(found(grouped.query(probe, d - 1)), `grouped, max ${d - 1}`).toEqual([]);
    });
  }

  it('queryMany: the closest probe wins, and of two at the same distance the first', () => {
    const probes = [flipped(every(3)), flipped(every(2)), flipped(every(2).map((k, s) => (s === 0 ? 3 : k))), flipped(every(2))];
    expect(flat.queryMany(probes, 60)).toEqual([{ id: 10, distance: 32, probe: 1 }]);
    expect(flat.queryMany([probes[0]!, probes[2]!], 60)).toEqual([{ id: 10, distance: 33, probe: 1 }]);
  });
});
