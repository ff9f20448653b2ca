// The match rule's table and second stage, from their definition (docs/matching.md §4, and Meta's
// reference for 'standard': distance ≤ 31), not from the code's output.
import { describe, expect, it } from 'vitest';
import { decide, matchRule, pairAllowed, type PairHit, type ProbeName } from '../../../../src/core/match';

const strict = matchRule('strict');
const standard = matchRule('standard');
const loose = matchRule('loose');

describe('matchRule', () => {
  it('names its level; anything unknown is standard', () => {
    expect([strict.level, standard.level, loose.level]).toEqual(['strict', 'standard', 'loose']);
    expect(matchRule('other' as 'standard')).toEqual(standard);
    expect(standard).toMatchObject({ candidateDistance: 31, acceptDistance: 31, agreeingPairs: 1, minQuality: 50, variants: true });
    expect(strict).toMatchObject({ candidateDistance: 24, acceptDistance: 24, minQuality: 50, variants: false });
    expect(loose).toMatchObject({ candidateDistance: 40, acceptDistance: 31, agreeingPairs: 2, minQuality: 50, variants: true });
  });
});

describe('pairAllowed: which probe meets which stored hash (docs/matching.md §4)', () => {
  // [probe, dihedral, stored kind, allowed in standard and loose]
  const table: [ProbeName, number, string, boolean][] = [
    ['full', 0, 'original', true],
    ['full', 5, 'original', true], // the 8 dihedral hashes against the original
    ['full', 0, 'crop:0.9', true], // the whole image, as is, against the crop ladder
    ['full', 1, 'crop:0.9', false],
    ['full', 0, 'picture', false],
    ['full', 0, 'rotate:3', false],
    ['full', 0, 'cut-top:0.125', false],
    ['picture', 0, 'original', true], // the picture found inside interface: original, picture, crops
    ['picture', 0, 'picture', true],
    ['picture', 0, 'crop:0.85', true],
    ['picture', 0, 'rotate:-3', false],
    ['picture', 0, 'cut-bottom:0.125', false],
    ['picture', 2, 'original', false],
    ['inner', 0, 'original', true],
    ['inner', 0, 'picture', true],
    ['inner', 0, 'crop:0.8', true],
    ['inner', 0, 'rotate:3', false],
    ['center', 0, 'rotate:3', true], // the centre 90% against the turns
    ['center', 0, 'rotate:-3', true],
    ['center', 0, 'original', false],
    ['center', 0, 'crop:0.9', false],
    ['center', 0, 'xrotate:3', false],
    ['center', 3, 'rotate:3', false],
    ['turn', 0, 'crop:0.9', true], // a turned picture turned back, against the centred crop
    ['turn', 0, 'crop-tl:0.9', true],
    ['turn', 0, 'original', false],
    ['turn', 0, 'canonical', false],
    ['turn', 0, 'rotate:3', false],
    ['turn', 1, 'crop:0.9', false],
    ['full', 0, 'crop-br:0.85', true], // the whole image against a corner crop
    ['full', 2, 'crop-br:0.85', false],
    ['cut-top:0.125', 0, 'cut-top:0.125', true], // a caption cut against the same side and height
    ['cut-top:0.125', 0, 'cut-top:0.18', false],
    ['cut-top:0.125', 0, 'cut-bottom:0.125', false],
    ['cut-top:0.125', 0, 'original', false],
    ['cut-bottom:0.25', 0, 'cut-bottom:0.25', true],
  ];
  it.each(table)('%s/%i against %s: %s (standard, loose)', (probe, d, stored, allowed) => {
    expect(pairAllowed(probe, d, stored, standard)).toBe(allowed);
    expect(pairAllowed(probe, d, stored, loose)).toBe(allowed);
  });
  it.each(table)('%s/%i against %s in strict: only the dihedral hashes against the original', (probe, d, stored) => {
    expect(pairAllowed(probe, d, stored, strict)).toBe(probe === 'full' && stored === 'original');
  });
});

describe('decide: the second stage', () => {
  const hit = (distance: number, pair: string, entry = 0): PairHit => ({ entry, distance, pair });
  it('standard: the best pair within 31, reported with its distance and pair', () => {
    expect(decide([hit(30, 'full/0|1'), hit(12, 'full/2|4')], standard).get(0)).toEqual({ distance: 12, pair: 'full/2|4' });
    expect(decide([hit(32, 'full/0|1')], standard).size).toBe(0);
  });
  it('loose: two different pairs within 40 agree; the best of them is reported', () => {
    expect(decide([hit(38, 'full/0|1'), hit(35, 'picture/0|2')], loose).get(0)).toEqual({ distance: 35, pair: 'picture/0|2' });
    expect(decide([hit(35, 'full/0|1'), hit(35, 'full/0|1')], loose).size, 'the same pair twice is one pair').toBe(0);
    expect(decide([hit(41, 'full/0|1'), hit(41, 'picture/0|2')], loose).size, 'pairs beyond 40 are not candidates').toBe(0);
    expect(decide([hit(41, 'full/0|1'), hit(35, 'picture/0|2')], loose).size).toBe(0);
    expect(decide([hit(31, 'full/0|1')], loose).get(0)).toEqual({ distance: 31, pair: 'full/0|1' });
  });
  it('decides per entry', () => {
    const out = decide([hit(10, 'a', 1), hit(32, 'b', 2), hit(5, 'c', 3)], standard);
    expect([...out.keys()].sort()).toEqual([1, 3]);
  });
});
