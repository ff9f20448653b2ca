// groupedRows' queryFor (src/core/match/index.ts): a probe whose rule allows no stored kind must
// meet no row at all, not "whatever the index answers" — the grouped index is asked only for the
// groups some allowed kind lives in (docs/matching.md: a pair is allowed by the rule first).
import { describe, expect, it } from 'vitest';
import { buildMatchIndex, groupedRows } from '../../../../src/core/match';

const KINDS = ['original', 'crop:0.9', 'cut-top:0.125'];

/** Three rows, one of each kind, all the same hash (every bit 0): a query for 0 is at distance 0 of each. */
function rows() {
  const lanes = new Uint32Array(3 * 8);
  const built = buildMatchIndex(lanes, Uint8Array.from([0, 1, 2]), Uint32Array.from([10, 11, 12]), new Uint16Array(3), KINDS);
  return { built, stored: groupedRows(built.index, KINDS, built.rowKind, built.rowEntry) };
}

describe('groupedRows: queryFor asks only the groups of allowed kinds', () => {
  const zero = new Uint16Array(16); // a Hash256, every bit 0

  it('answers an empty list when no kind is allowed', () => {
    const { stored } = rows();
    expect(stored.queryFor!(zero, 31, () => false)).toEqual([]);
  });

  it('answers the rows of the allowed kinds only, at their distance (0 here)', () => {
    const { stored } = rows();
    const found = stored.queryFor!(zero, 31, (k) => k === 'crop:0.9');
    expect(found.map((m) => [stored.kindOf(m.id), stored.entryOf(m.id), m.distance])).toEqual([['crop:0.9', 11, 0]]);
    const all = stored.queryFor!(zero, 31, () => true);
    expect(all.map((m) => stored.entryOf(m.id)).sort()).toEqual([10, 11, 12]);
  });

  it('query (the StoredRows contract without a filter) answers every group, and a row of an unknown kind reads as the original', () => {
    const { stored } = rows();
    expect(stored.query(zero, 0).map((m) => stored.entryOf(m.id)).sort()).toEqual([10, 11, 12]);
    const lanes = new Uint32Array(8);
    const built = buildMatchIndex(lanes, Uint8Array.from([7]), Uint32Array.from([5]), new Uint16Array(1), KINDS);
    expect(groupedRows(built.index, KINDS, Uint8Array.from([7]), built.rowEntry).kindOf(0)).toBe('original');
  });
});
