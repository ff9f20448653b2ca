// PictureClusterer against the documented rule (docs/desk.md, src/core/report/cluster.ts's header):
// a hash joins the cluster of its nearest member within the match rule's accept distance (31 bits
// under 'standard', 24 under 'strict'), ties go to the lower cluster number, hashes of quality below
// 50 are not compared, clusters are numbered from `firstCluster` (1) unless the caller numbers them.
// The hashes are written bit by bit here, so each distance is known without the code under test.
import { describe, expect, it } from 'vitest';
import { hashFromHex } from '../../../../src/core/hash256';
import { matchRule } from '../../../../src/core/match/rule';
import { PictureClusterer } from '../../../../src/core/report';

/** A hash (64 hex digits) with exactly these bits set: bit b is bit (b % 4) of hex digit 63 − ⌊b / 4⌋. */
function bits(set: Iterable<number>): string {
  const digits = new Array<number>(64).fill(0);
  for (const b of set) digits[63 - (b >> 2)]! |= 1 << (b & 3);
  return digits.map((d) => d.toString(16)).join('');
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const ZERO = '0'.repeat(64);

describe('PictureClusterer: the accept distance and quality', () => {
  it('31 bits away joins the cluster, 32 starts a new one (standard)', () => {
    const c = new PictureClusterer();
    expect(c.add(ZERO, 100)).toEqual({ cluster: 1, distance: 0, isNew: true });
    expect(c.add(bits(range(0, 31)), 100)).toEqual({ cluster: 1, distance: 31, isNew: false });
    const d = new PictureClusterer();
    d.add(ZERO, 100);
    expect(d.add(bits(range(0, 32)), 100)).toEqual({ cluster: 2, distance: 0, isNew: true });
  });

  it('the rule it is given decides: 24 joins and 25 does not under strict', () => {
    const c = new PictureClusterer({ rule: matchRule('strict') });
    c.add(ZERO, 100);
    expect(c.add(bits(range(0, 24)), 100).cluster).toBe(1);
    expect(c.add(bits(range(100, 125)), 100)).toEqual({ cluster: 2, distance: 0, isNew: true });
  });

  it('quality 50 is compared, 49 is not (and is not counted)', () => {
    const c = new PictureClusterer();
    expect(c.comparable(50)).toBe(true);
    expect(c.comparable(49)).toBe(false);
    expect(c.add(ZERO, 49)).toEqual({ cluster: null, distance: 0, isNew: false });
    expect(c.size).toBe(0);
    expect(c.add(ZERO, 50)).toEqual({ cluster: 1, distance: 0, isNew: true });
    expect(c.size).toBe(1);
  });

  it('the nearest cluster wins, a tie goes to the lower number whatever the order they were made in', () => {
    const c = new PictureClusterer();
    const numbers = [9, 4];
    const a = c.add(ZERO, 100, () => numbers.shift()!); // cluster 9
    const b = c.add(bits(range(0, 40)), 100, () => numbers.shift()!); // 40 bits from a: cluster 4
    expect([a.cluster, b.cluster]).toEqual([9, 4]);
    expect(c.nearest(bits(range(0, 20)))).toEqual({ cluster: 4, distance: 20 }); // 20 from each
    expect(c.nearest(bits(range(0, 12)))).toEqual({ cluster: 9, distance: 12 }); // 12 from a, 28 from b
    expect(c.nearest(bits(range(0, 30)))).toEqual({ cluster: 4, distance: 10 }); // 30 from a, 10 from b
    expect(c.nearest(hashFromHex(bits(range(0, 30))))).toEqual({ cluster: 4, distance: 10 });
    expect(c.nearest(bits(range(200, 240)))).toBeNull();
  });
});

describe('PictureClusterer: numbering', () => {
  it('numbers new clusters from firstCluster, never reusing a number a caller or a loaded member took', () => {
    const c = new PictureClusterer({ firstCluster: 10 });
    expect(c.add(ZERO, 100).cluster).toBe(10);
    expect(c.add(bits(range(0, 64)), 100, () => 5).cluster).toBe(5); // the caller's number, lower: the next stays 11
    expect(c.add(bits(range(64, 128)), 100).cluster).toBe(11);
    expect(c.add(bits(range(128, 192)), 100, () => 20).cluster).toBe(20); // higher: the next is 21
    expect(c.add(bits(range(192, 256)), 100).cluster).toBe(21);
  });

  it('members loaded from the database are found, and new clusters are numbered after the highest', () => {
    const c = new PictureClusterer();
    c.load(ZERO, 7);
    c.load(bits(range(0, 64)), 3);
    expect(c.size).toBe(2);
    expect(c.add(bits(range(0, 5)), 100)).toEqual({ cluster: 7, distance: 5, isNew: false });
    expect(c.add(bits(range(0, 60)), 100)).toEqual({ cluster: 3, distance: 4, isNew: false });
    expect(c.add(bits(range(128, 192)), 100)).toEqual({ cluster: 8, distance: 0, isNew: true });
    c.load(bits(range(192, 256)), 8);
    expect(c.add(bits(range(64, 128)), 100).cluster).toBe(9);
  });
});

describe('PictureClusterer: the index and the pending list together', () => {
  /** Far-apart hashes: bits of a fixed pseudo-random stream (xorshift), about 128 bits from each other. */
  function spread(n: number): string[] {
    let x = 0x9e3779b9;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    return Array.from({ length: n }, () => Array.from({ length: 8 }, () => next().toString(16).padStart(8, '0')).join(''));
  }

  it('members folded into the index and members still pending are both found', () => {
    const c = new PictureClusterer({ rebuildEvery: 2 });
    const [a, b, d] = spread(3) as [string, string, string];
    c.add(a, 100);
    c.add(b, 100); // the second member fills the pending list: both go to the index
    c.add(d, 100); // pending
    expect(c.nearest(a)).toEqual({ cluster: 1, distance: 0 });
    expect(c.nearest(b)).toEqual({ cluster: 2, distance: 0 });
    expect(c.nearest(d)).toEqual({ cluster: 3, distance: 0 });
    expect(c.size).toBe(3);
  });

  it('keeps every member past its first 1024 (storage grows) and across rebuilds', () => {
    const hashes = spread(1100);
    const c = new PictureClusterer({ rebuildEvery: 64 });
    hashes.forEach((h, i) => expect(c.add(h, 100), `member ${i}`).toEqual({ cluster: i + 1, distance: 0, isNew: true }));
    expect(c.size).toBe(1100);
    for (const i of [0, 1, 511, 1023, 1024, 1099]) expect(c.nearest(hashes[i]!), `member ${i}`).toEqual({ cluster: i + 1, distance: 0 });
  });
});

describe('PictureClusterer: the report run\'s survivors', () => {
  it('a tie between a member in the index and one still pending goes to the lower number', () => {
    const c = new PictureClusterer({ rebuildEvery: 2 });
    const numbers = [9, 20, 4];
    c.add(ZERO, 100, () => numbers.shift()!); // 9
    c.add(bits(range(128, 256)), 100, () => numbers.shift()!); // 20: the list is full, both go to the index
    c.add(bits(range(0, 40)), 100, () => numbers.shift()!); // 4, pending
    expect(c.nearest(bits(range(0, 20)))).toEqual({ cluster: 4, distance: 20 });
  });
  it('loading a member numbered as the next free number moves the next one on', () => {
    const c = new PictureClusterer();
    c.load(ZERO, 1);
    expect(c.add(bits(range(0, 64)), 100)).toEqual({ cluster: 2, distance: 0, isNew: true });
  });
});
