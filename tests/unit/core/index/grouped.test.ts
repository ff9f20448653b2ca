// The grouped index must be exact at every level: the oracle is a linear scan (every row, every
// distance computed), never the index's own output. fast-check generates families of near hashes
// (an image's variants, near-duplicate images), kinds (the publisher's names, unknown names), and
// probes near stored rows or far away; a failure prints its seed and shrunk case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashFromWords32, popcount32 } from '../../../../src/core/hash256';
import { GroupedIndex, IndexFormatError, linearScan, type Match } from '../../../../src/core/index';
import { buildMatchIndex, findPairs, groupKinds, groupedRows, matchRule, type Probe, type ProbeName, type StoredRows } from '../../../../src/core/match';

const KINDS = ['original', 'crop:0.9', 'crop:0.85', 'crop:0.8', 'crop:0.75', 'rotate:3', 'rotate:-3', 'cut-top:0.125', 'cut-top:0.18', 'cut-top:0.25', 'cut-bottom:0.125', 'cut-bottom:0.18', 'cut-bottom:0.25', 'picture', 'halftone', 'crop:0.5'];
const PROBES: ProbeName[] = ['full', 'picture', 'inner', 'center', 'cut-top:0.125', 'cut-bottom:0.18', 'cut-top:0.25', 'cut-bottom:0.3' as ProbeName];

/** Lanes of `base` with the given bit positions flipped. */
function flip(base: Uint32Array, at: number, bits: readonly number[]): Uint32Array {
  const out = base.slice(at * 8, at * 8 + 8);
  for (const k of bits) out[k >> 5] = (out[k >> 5]! ^ (1 << (k & 31))) >>> 0;
  return out;
}

const lanesArb = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 8, maxLength: 8 }).map((a) => Uint32Array.from(a));
/**
 * Bit flips: few or many anywhere, all inside one 16-bit slice, or spread 0–3 bits in each slice
 * (the pigeonhole's edge: every slice differs, by at most floor(d/16) in the best one).
 */
const flipsArb = fc.oneof(
  fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.boolean())
    // `high`: flips in each slice's top 4 bits, so they change the bucket even in a small index
    .chain(([r, high]) => fc.array(fc.uniqueArray(fc.integer({ min: high ? 12 : 0, max: 15 }), { minLength: r, maxLength: r }), { minLength: 16, maxLength: 16 }))
    .map((per) => per.flatMap((b, s) => b.map((x) => s * 16 + x))),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 16 })).map(([s, b]) => b.map((x) => s * 16 + x)),
  laneEdgeArb(),
);

/**
 * The lane filter's edge (format 2): each 32-bit lane differs by lo + hi bits (0–4 in each 16-bit
 * half, near the halves' top bits when `high`, where the fingerprints and small indexes' buckets
 * are), so that often every lane differs by floor(d/8) + 1 but one, and in that one lane a single
 * half is within floor(d/16).
 */
function laneEdgeArb() {
  return fc
    .tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 8, maxLength: 8 }), fc.boolean(), fc.nat())
    .map(([lanes, high, seed]) =>
      lanes.flatMap(([lo, hi], l) => {
        const pick = (count: number, half: number) => Array.from({ length: count }, (_, i) => l * 32 + half * 16 + (high ? 15 - ((i + seed) % 6) : (i * 5 + seed) % 16));
        return [...new Set([...pick(lo, 0), ...pick(hi, 1)])];
      }),
    );
}

/** A store: families (a centre and its variants, near each other), each row with a kind. */
const storeArb = fc
  .array(fc.tuple(lanesArb, fc.array(fc.tuple(flipsArb, fc.integer({ min: 0, max: KINDS.length - 1 })), { minLength: 1, maxLength: 14 })), { minLength: 1, maxLength: 25 })
  .map((families) => {
    const lanes: number[] = [];
    const kind: number[] = [];
    const entry: number[] = [];
    families.forEach(([centre, rows], f) => {
      for (const [bits, k] of rows) {
        lanes.push(...flip(centre, 0, bits));
        kind.push(k);
        entry.push(f);
      }
    });
    return { lanes: Uint32Array.from(lanes), kind: Uint8Array.from(kind), entry: Uint32Array.from(entry) };
  });

type Store = { lanes: Uint32Array; kind: Uint8Array; entry: Uint32Array };
/** A probe hash: near a stored row (by some flips), or anything. */
const probeHashArb = (s: Store) =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: s.kind.length - 1 }), flipsArb).map(([r, bits]) => flip(s.lanes, r, bits)),
    lanesArb,
  );

const distance = (a: Uint32Array, at: number, q: Uint32Array) => {
  let d = 0;
  for (let j = 0; j < 8; j++) d += popcount32((a[at * 8 + j]! ^ q[j]!) >>> 0);
  return d;
};
/**
 * AD_INDEX_QUICK=1 (the index mutation group, tests/mutate-groups.sh): 25 fast-check runs instead
 * of 150. Through Stryker's instrumented loops each surviving mutant ran these properties in full
 * (minutes each at load 15); `npm test` runs all 150.
 */
const RUNS = process.env.AD_INDEX_QUICK === '1' ? 25 : 150;
const key = (m: readonly Match[]) => m.map((x) => `${x.id}:${x.distance}`).sort().join(',');

describe('GroupedIndex', () => {
  it('returns exactly the rows of the named groups a linear scan finds, at every distance where the search radius changes', () => {
    fc.assert(
      fc.property(
        storeArb.chain((s) => fc.tuple(fc.constant(s), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }), fc.array(probeHashArb(s), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 63 }))),
        ([s, groupOfRow, probes, mask]) => {
          // Group rows by a generated group number (groups 0..5, some empty).
          const n = s.kind.length;
          const groupOf = (r: number) => groupOfRow[r % groupOfRow.length]!;
          const order = Array.from({ length: n }, (_, r) => r).sort((a, b) => groupOf(a) - groupOf(b) || a - b);
          const lanes = new Uint32Array(n * 8);
          order.forEach((r, i) => lanes.set(s.lanes.subarray(r * 8, r * 8 + 8), i * 8));
          const counts = Array.from({ length: 6 }, (_, g) => order.filter((r) => groupOf(r) === g).length);
          const index = GroupedIndex.deserialize(GroupedIndex.build(lanes, counts).serialize().slice(0));
          const groupOfSorted = order.map(groupOf);
          for (const q of probes) {
            for (const d of [0, 1, 15, 16, 17, 31, 32, 47, 48, 63, 64, 90]) {
              const expected: Match[] = [];
              for (let r = 0; r < n; r++) {
                const dist = distance(lanes, r, q);
                if ((mask >>> groupOfSorted[r]!) & 1 && dist <= d) expected.push({ id: r, distance: dist, probe: 0 });
              }
              expect(key(index.query(q, d, mask))).toBe(key(expected));
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('uses 32-bit tables past 65,535 rows in a group, and stays exact', () => {
    const n = 70_000;
    const lanes = new Uint32Array(n * 8);
    let x = 12345;
    for (let i = 0; i < lanes.length; i++) lanes[i] = x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const ids = Uint32Array.from({ length: n }, (_, i) => i);
    const index = GroupedIndex.build(lanes, [n - 10, 10]);
    expect(index.serialize().byteLength).toBeGreaterThan(n * 32 + n * 16 * 4);
    // 65,535 rows: the largest group with 16-bit tables (its last offset is 65,535).
    const edge = GroupedIndex.build(lanes.subarray(0, 65_536 * 8), [65_535, 1]);
    for (const r of [0, 1, 65_534, 65_535, 65_536, 65_537, 69_989]) {
      const q = flip(lanes, r, [3, 40, 77, 130, 200, 201, 202, 255]);
      expect(key(index.query(q, 31, 1))).toBe(key(linearScan(lanes.subarray(0, (n - 10) * 8), ids.subarray(0, n - 10), q, 31)));
      expect(key(edge.query(q, 31, 1))).toBe(key(linearScan(lanes.subarray(0, 65_535 * 8), ids.subarray(0, 65_535), q, 31)));
    }
  });

  it('stays exact where the fingerprints are shorter than 16 bits (groups of 2^17 and 2^18 rows) at the lane filter’s edge', () => {
    // Rows: random lanes, and near-copies of some of them (families), in groups of 140,000 (18 id
    // bits: 14-bit fingerprints) and 70,000 (17: 15-bit) rows.
    const n = 210_000;
    const lanes = new Uint32Array(n * 8);
    let x = 987654321;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let r = 0; r < n; r++) {
      if (r % 7 === 3) lanes.set(flip(lanes, r - 1, [next() & 255, next() & 255, next() & 255]), r * 8);
      else for (let j = 0; j < 8; j++) lanes[r * 8 + j] = next() ^ (next() >>> 7);
    }
    const index = GroupedIndex.deserialize(GroupedIndex.build(lanes, [140_000, 70_000]).serialize().slice(0));
    const ids = Uint32Array.from({ length: n }, (_, i) => i);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: n - 1 }), laneEdgeArb(), fc.constantFrom(16, 23, 24, 31, 32, 40, 47, 63), (r, bits, d) => {
        const q = flip(lanes, r, bits);
        const g = r < 140_000 ? 0 : 1;
        const [from, to] = g === 0 ? [0, 140_000] : [140_000, n];
        const expected = linearScan(lanes.subarray(from * 8, to * 8), ids.subarray(from, to), q, d);
        expect(key(index.query(q, d, 1 << g))).toBe(key(expected));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a truncated, foreign or damaged buffer with an IndexFormatError', () => {
    const lanes = Uint32Array.from({ length: 8 * 50 }, (_, i) => (i * 2654435761) >>> 0);
    const good = GroupedIndex.build(lanes, [20, 30]).serialize();
    expect(() => GroupedIndex.deserialize(good.slice(0, good.byteLength - 4))).toThrow(IndexFormatError);
    expect(() => GroupedIndex.deserialize(new ArrayBuffer(64))).toThrow(IndexFormatError);
    const wrongCounts = good.slice(0);
    new Uint32Array(wrongCounts)[9] = 21; // group 0 claims 21 rows
    expect(() => GroupedIndex.deserialize(wrongCounts)).toThrow(IndexFormatError);
    const badOffsets = good.slice(0);
    const view = new Uint32Array(badOffsets);
    view[8 + 8 + 50 * 8 + 5] = 1_000_000; // inside group 0's offsets: a slice no longer ends at its count
    expect(() => GroupedIndex.deserialize(badOffsets)).toThrow(IndexFormatError);
  });
});

describe('the grouped match index under the rule', () => {
  /** The oracle: every row is a candidate (a linear scan), pairs filtered by findPairs' rule as before. */
  const linearRows = (lanes: Uint32Array, kind: ArrayLike<number>, entry: ArrayLike<number>): StoredRows => {
    const ids = Uint32Array.from({ length: kind.length }, (_, i) => i);
    return { query: (h, d) => linearScan(lanes, ids, h, d), entryOf: (r) => entry[r]!, kindOf: (r) => KINDS[kind[r]!]! };
  };

  it('finds the same pairs (probe, dihedral, entry, kind, distance) as a linear scan, at every strictness', () => {
    fc.assert(
      fc.property(
        storeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.array(fc.tuple(fc.constantFrom(...PROBES), fc.array(probeHashArb(s), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 6 }),
          ),
        ),
        ([s, rawProbes]) => {
          const probes: Probe[] = rawProbes.map(([probe, hs, quality]) => ({ probe, hashes: (probe === 'full' ? hs : hs.slice(0, 1)).map((h) => hashFromWords32(h)), quality }));
          const n = s.kind.length;
          const built = buildMatchIndex(s.lanes, s.kind, s.entry, new Uint16Array(n), KINDS);
          const index = GroupedIndex.deserialize(built.index.serialize());
          const grouped = groupedRows(index, KINDS, built.rowKind, built.rowEntry);
          const oracle = linearRows(s.lanes, s.kind, s.entry);
          // Row numbers differ (the index reorders rows): compare what a pair means.
          const describe = (rows: StoredRows, lanes: Uint32Array) => (hits: ReturnType<typeof findPairs>) =>
            hits
              .map((h) => {
                const [probe, rest] = h.pair.split('/') as [string, string];
                const [dih, row] = rest.split('|').map(Number) as [number, number];
                return `${probe}/${dih} e${h.entry} ${rows.kindOf(row)} ${h.distance} ${[...lanes.subarray(row * 8, row * 8 + 8)].join('.')}`;
              })
              .sort();
          for (const level of ['strict', 'standard', 'loose'] as const) {
            const rule = matchRule(level);
            expect(describe(grouped, index.hashes)(findPairs(probes, grouped, rule))).toEqual(describe(oracle, s.lanes)(findPairs(probes, oracle, rule)));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('groups the publisher’s kinds as the rule pairs them: originals alone, crops together, rotations together, each cut alone', () => {
    const g = groupKinds(KINDS);
    const of = (k: string) => g[KINDS.indexOf(k)];
    expect(new Set([of('crop:0.9'), of('crop:0.85'), of('crop:0.8'), of('crop:0.75'), of('crop:0.5')]).size).toBe(1);
    expect(of('rotate:3')).toBe(of('rotate:-3'));
    expect(new Set(KINDS.map(of)).size).toBe(1 + 1 + 1 + 6 + 1 + 1); // original, crops, rotations, 6 cuts, picture, unknown
    expect(of('original')).not.toBe(of('crop:0.9'));
  });
});
