// The match rule's table and second stage, from their definition (docs/matching.md §4, and Meta's
// reference for 'standard': distance ≤ 31), not from the code's output.
import { describe, expect, it } from 'vitest';
import { decide, matchRule, pairAllowed, type PairHit, type ProbeName } from '../../../../src/core/match';
import { viewFamily } from '../../../../src/core/match/rule';

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
    // `canonical` is the original hashed from the canonical pixels: met wherever the original is (§1)
    ['full', 0, 'canonical', true],
    ['full', 6, 'canonical', true],
    ['picture', 0, 'canonical', true],
    ['inner', 0, 'canonical', true],
    ['cut-top:0.125', 0, 'canonical', false],
    // a half against the stored half of the same side (§3, §4)
    ['half-top', 0, 'half-top', true],
    ['half-left', 0, 'half-left', true],
    ['half-top', 0, 'half-bottom', false],
    ['half-top', 0, 'original', false],
    ['half-top', 0, 'crop:0.9', false],
    ['half-top', 1, 'half-top', false],
    ['full', 0, 'half-top', false],
    // the moving picture inside a video frame: the originals, the crop ladder, the caption cuts (§ video)
    ['motion', 0, 'original', true],
    ['motion', 0, 'picture', true],
    ['motion', 0, 'crop:0.9', true],
    ['motion', 0, 'crop:0.75', true],
    ['motion', 0, 'cut-top:0.125', true],
    ['motion', 0, 'cut-bottom:0.18', true],
    ['motion', 0, 'crop-tl:0.9', false], // the corner crops are not the ladder
    ['motion', 0, 'rotate:3', false],
    ['motion', 0, 'half-top', false],
    ['motion', 0, 'xcrop:0.9', false],
    ['motion', 0, 'xcut-top:0.125', false],
    ['motion', 2, 'original', false],
  ];
  it.each(table)('%s/%i against %s: %s (standard, loose)', (probe, d, stored, allowed) => {
    expect(pairAllowed(probe, d, stored, standard)).toBe(allowed);
    expect(pairAllowed(probe, d, stored, loose)).toBe(allowed);
  });
  it.each(table)('%s/%i against %s in strict: only the dihedral hashes against the original', (probe, d, stored) => {
    expect(pairAllowed(probe, d, stored, strict)).toBe(probe === 'full' && (stored === 'original' || stored === 'canonical'));
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

describe('viewFamily: which stored hashes are one view of the entry (docs/matching.md §4, independent pairs)', () => {
  const same = (a: string, b: string) => viewFamily(a) === viewFamily(b);
  it('the original and its canonical hash are one view', () => {
    expect(same('original', 'canonical')).toBe(true);
    expect(same('canonical', 'original')).toBe(true);
  });
  it('the rungs of the crop ladder, centred and at the corners, are one view', () => {
    expect(same('crop:0.9', 'crop:0.75')).toBe(true);
    expect(same('crop:0.9', 'crop-tl:0.8')).toBe(true);
    expect(same('crop-br:0.85', 'crop:0.8')).toBe(true);
  });
  it('the turns are one view, the cuts of one side are one view', () => {
    expect(same('rotate:3', 'rotate:-3')).toBe(true);
    expect(same('cut-top:0.125', 'cut-top:0.18')).toBe(true);
  });
  it('the halves are one view (one family, "the rungs of one ladder", whichever half)', () => {
    expect(same('half-top', 'half-bottom')).toBe(true);
    expect(same('half-left', 'half-top')).toBe(true);
  });
  it('different geometries are different views', () => {
    const kinds = ['original', 'picture', 'crop:0.9', 'rotate:3', 'cut-top:0.125', 'cut-bottom:0.125', 'half-top'];
    for (const a of kinds) for (const b of kinds) if (a !== b) expect(same(a, b), `${a} / ${b}`).toBe(false);
    expect(same('canonical', 'crop:0.9')).toBe(false);
    expect(same('canonical', 'picture')).toBe(false);
  });
});

describe('decide: which pairs are independent evidence (loose, 32–40 bits)', () => {
  // As index.ts reports them: the probe and the kind of stored hash it met, with the pair's id.
  const hit = (distance: number, probe: string, d: number, row: number, stored?: string, entry = 0): PairHit => ({ entry, distance, pair: `${probe}/${d}|${row}`, ...(stored === undefined ? {} : { probe, stored }) });
  const accepted = (hits: PairHit[], rule = loose) => decide(hits, rule).has(0);
  it('two probes against two views of the entry agree', () => {
    expect(accepted([hit(35, 'full', 0, 1, 'original'), hit(36, 'picture', 0, 7, 'crop:0.9')])).toBe(true);
    expect(accepted([hit(35, 'picture', 0, 7, 'crop:0.9'), hit(36, 'cut-top:0.125', 0, 9, 'cut-top:0.125')])).toBe(true);
  });
  it("a probe's 8 dihedral hashes are one probe", () => {
    expect(accepted([hit(35, 'full', 0, 1, 'original'), hit(36, 'full', 2, 4, 'crop:0.9')])).toBe(false);
    expect(accepted([hit(35, 'full', 0, 1), hit(36, 'full', 2, 4)]), 'pairs without probe and kind: read from the pair').toBe(false);
    expect(accepted([hit(36, 'full', 2, 4), hit(35, 'full', 0, 1)])).toBe(false);
  });
  it("the picture found two ways ('picture', 'inner') is one probe", () => {
    expect(accepted([hit(35, 'picture', 0, 1, 'original'), hit(36, 'inner', 0, 7, 'crop:0.9')])).toBe(false);
    expect(accepted([hit(35, 'inner', 0, 1, 'original'), hit(36, 'picture', 0, 7, 'crop:0.9')])).toBe(false);
  });
  it('two probes meeting one view (the original and its canonical hash; two crop rungs) are one piece of evidence', () => {
    expect(accepted([hit(35, 'full', 0, 1, 'original'), hit(36, 'picture', 0, 2, 'canonical')])).toBe(false);
    expect(accepted([hit(35, 'full', 0, 3, 'crop:0.9'), hit(36, 'picture', 0, 5, 'crop-tl:0.8')])).toBe(false);
  });
  it('two probes meeting the same stored hash are one piece of evidence', () => {
    expect(accepted([hit(35, 'full', 0, 1), hit(36, 'picture', 0, 1)])).toBe(false);
    expect(accepted([hit(35, 'full', 0, 1), hit(36, 'picture', 0, 2)])).toBe(true);
    expect(accepted([hit(35, 'cut-top:0.125', 0, 1), hit(36, 'center', 0, 2)]), 'two probes with one first letter').toBe(true);
  });
  it('a standard pair at exactly 31 is a candidate and a match', () => {
    expect(decide([hit(31, 'full', 0, 1, 'original')], standard).get(0)).toEqual({ distance: 31, pair: 'full/0|1' });
  });
});

describe('decide: the halves (docs/matching.md, "Text and stickers over the picture")', () => {
  const half = (distance: number, side: string, row: number, withKind = true): PairHit => ({ entry: 0, distance, pair: `half-${side}/0|${row}`, ...(withKind ? { probe: `half-${side}`, stored: `half-${side}` } : {}) });
  const full = (distance: number, row: number): PairHit => ({ entry: 0, distance, pair: `full/0|${row}`, probe: 'full', stored: 'original' });
  it('a half alone is no match, however near', () => {
    expect(decide([half(3, 'top', 1)], standard).size).toBe(0);
    expect(decide([half(3, 'top', 1, false)], standard).size, 'read from the pair').toBe(0);
    expect(decide([half(3, 'top', 1), half(5, 'top', 1)], standard).size, 'one half twice is one half').toBe(0);
  });
  it('two different halves within 31 are a match, reported at the best of them', () => {
    expect(decide([half(20, 'top', 1), half(12, 'left', 2)], standard).get(0)).toEqual({ distance: 12, pair: 'half-left/0|2' });
    expect(decide([half(20, 'top', 1, false), half(12, 'left', 2, false)], standard).get(0)).toEqual({ distance: 12, pair: 'half-left/0|2' });
    expect(decide([half(31, 'top', 1), half(31, 'left', 2)], standard).get(0)).toEqual({ distance: 31, pair: 'half-top/0|1' });
    expect(decide([half(31, 'top', 1), half(20, 'left', 2)], standard).get(0)).toEqual({ distance: 20, pair: 'half-left/0|2' });
  });
  it("halves beyond the accept distance never count, even in loose's wider first stage", () => {
    expect(decide([half(20, 'top', 1), half(35, 'left', 2)], loose).size).toBe(0);
    expect(decide([half(35, 'top', 1), half(36, 'left', 2)], loose).size).toBe(0);
  });
  it('another probe does not make a single half count', () => {
    expect(decide([half(20, 'top', 1), full(38, 3)], loose).size).toBe(0);
    expect(decide([half(10, 'top', 1), full(30, 3)], standard).get(0)).toEqual({ distance: 30, pair: 'full/0|3' });
  });
});
