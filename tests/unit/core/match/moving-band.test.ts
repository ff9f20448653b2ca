// findSharpBand's rules pinned one at a time (src/core/match/moving-band.ts; docs/matching.md, "The
// moving picture", "The poster"): a line's detail is the mean |difference| of luma (0.299 R +
// 0.587 G + 0.114 B) between pixels s = long side / 256 apart; the band's detail is the median of
// the middle third's lines, at least 4; a wrapper line is blurred below min(3, 0.3 × that); each
// blurred side covers at least 2.5% (10% for columns), the band at least a quarter; at least half
// the wrapper's lines vary along their length by more than 12 levels (sampled every second pixel);
// at most a quarter of the band's lines are plain; rows are read in frames at least 0.95 as tall as
// wide, columns in frames at least 1.2 as wide as tall, nothing under 32 px; the band is a
// candidate when its sides differ by at most ceil(2% of the dimension), and so are the centred 16:9
// and 4:3 rectangles that hold it within that slack (not twice), two at most.
//
// No picture is taken from a camera here: each frame is drawn line by line, so every line's detail
// (the mean of its steps) and range along its length are known by construction, and the expected
// rectangles are where the band was drawn, or the centred 16:9 / 4:3 rectangles worked out by hand
// in the comments. None was copied from the code's output.
import { describe, expect, it } from 'vitest';
import { SHARP_BAND_DEFAULTS, findSharpBand, lineDetail } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';
import type { Rect } from '../../../../src/core/match/geometry';

/** One line's values: grey, or [R, G, B]. */
type Line = number[] | [number[], number[], number[]];

/** A frame drawn line by line: line i (a row when rows, else a column) carries line(i)[j] along it. */
function drawn(n: number, across: number, rows: boolean, line: (i: number) => Line, channels: 1 | 3 = 1): Pixels {
  const width = rows ? across : n;
  const height = rows ? n : across;
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < n; i++) {
    const l = line(i);
    const planes = typeof l[0] === 'number' ? [l as number[], l as number[], l as number[]] : (l as number[][]);
    for (let j = 0; j < across; j++) {
      const p = (rows ? i * width + j : j * width + i) * channels;
      for (let k = 0; k < channels; k++) data[p + k] = planes[k]![j]!;
    }
  }
  return { width, height, channels, data };
}

/**
 * A zigzag along a line: step k (1-based) is mags[(k − 1) % mags.length] levels, up for `half`
 * steps, then down for `half`, and so on, from `base`. Its detail is the mean of its step sizes;
 * with half even, its range at the even positions is the sum of the first `half` steps.
 */
function zigzag(len: number, mags: number[], half = 1, base = 100): number[] {
  const out = [base];
  for (let k = 1; k < len; k++) out.push(out[k - 1]! + (Math.floor((k - 1) / half) % 2 ? -1 : 1) * mags[(k - 1) % mags.length]!);
  return out;
}
const flat = (len: number, v = 100): number[] => new Array<number>(len).fill(v);
/** Rises `r` levels over the first 100 px (r × x / 100, rounded), then flat: range r at even positions, detail r / (len − 1). */
const ramp = (len: number, r: number, base = 100): number[] => Array.from({ length: len }, (_, x) => base + Math.round((r * Math.min(x, 100)) / 100));
/**
 * The clip's texture: ±40 at every pixel, and a 30-level step every 8 px (detail about 40; range 30
 * at the even positions, so a band line varies along its length too).
 */
const texture = (len: number): number[] => Array.from({ length: len }, (_, x) => 60 + 40 * (x % 2) + 30 * (Math.floor(x / 8) % 2));
/** A blurred copy's line: one level a step, 20 up and 20 down (detail 1, range 20). */
const blurredLine = (len: number): number[] => zigzag(len, [1], 20);

/** The mean step along a line: the documented line detail at s = 1. */
const meanStep = (v: number[]) => v.slice(1).reduce((s, x, j) => s + Math.abs(x - v[j]!), 0) / (v.length - 1);

/**
 * n lines of `across` pixels: lines a..b−1 the clip's texture (or inside(i)), the others a blurred
 * copy's line (or side(i)). rows: the band is horizontal (a frame `across` wide, n tall).
 */
function band(n: number, a: number, b: number, o: { across?: number; rows?: boolean; side?: (i: number) => Line; inside?: (i: number) => Line; channels?: 1 | 3 } = {}): Pixels {
  const across = o.across ?? n;
  const side = o.side ?? (() => blurredLine(across));
  const inside = o.inside ?? (() => texture(across));
  return drawn(n, across, o.rows ?? true, (i) => (i < a || i >= b ? side(i) : inside(i)), o.channels ?? 1);
}

/** Rows from..to−1 of a W-wide frame; columns from..to−1 of an H-tall one. */
const rowsRect = (W: number, from: number, to: number): Rect => ({ x: 0, y: from, width: W, height: to - from });
const colsRect = (H: number, from: number, to: number): Rect => ({ x: from, y: 0, width: to - from, height: H });

describe('lineDetail: mean |luma difference| between pixels long side / 256 apart', () => {
  it('reads grey rows and columns at s = 1 below 512 px', () => {
    // Rows [10, 14, 11, 11] and [0, 0, 9, 0]: steps 4, 3, 0 and 0, 9, 9.
    const px: Pixels = { width: 4, height: 2, channels: 1, data: Uint8Array.from([10, 14, 11, 11, 0, 0, 9, 0]) };
    const r = lineDetail(px, true);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(7 / 3, 5);
    expect(r[1]).toBeCloseTo(6, 5);
    expect(Array.from(lineDetail(px, false))).toEqual([10, 14, 2, 11]);
  });

  it('weighs R, G and B as 0.299, 0.587 and 0.114 (each channel alone, and G with B)', () => {
    // Two pixels a row, black then: (100, 0, 0), (0, 100, 0), (0, 0, 100), (0, 100, 100).
    const second = [
      [100, 0, 0],
      [0, 100, 0],
      [0, 0, 100],
      [0, 100, 100],
    ];
    const data = new Uint8Array(2 * 4 * 3);
    second.forEach((c, y) => data.set(c, (y * 2 + 1) * 3));
    const r = lineDetail({ width: 2, height: 4, channels: 3, data }, true);
    expect(r[0]).toBeCloseTo(29.9, 4);
    expect(r[1]).toBeCloseTo(58.7, 4);
    expect(r[2]).toBeCloseTo(11.4, 4);
    expect(r[3]).toBeCloseTo(70.1, 4);
  });

  it('steps every second pixel from a 512 px long side (rows or columns, whichever is long), every pixel at 511', () => {
    // Even pixels 50, odd 200: seen every second pixel the line is flat; every pixel, 150 a step.
    const alt = (len: number) => Array.from({ length: len }, (_, x) => (x % 2 ? 200 : 50));
    expect(Array.from(lineDetail(drawn(2, 512, true, () => alt(512)), true))).toEqual([0, 0]);
    expect(Array.from(lineDetail(drawn(2, 512, false, () => alt(512)), false))).toEqual([0, 0]);
    expect(Array.from(lineDetail(drawn(2, 511, true, () => alt(511)), true))).toEqual([150, 150]);
  });
});

describe('findSharpBand: the blurred wrapper', () => {
  const W = 200;

  it('finds a band whose sides step 2.5 levels (below 3), and nothing when they step exactly 3', () => {
    expect(SHARP_BAND_DEFAULTS.blurred).toBe(3);
    const soft = zigzag(W, [2, 3], 10); // detail 497 / 199 ≈ 2.497, range 25
    expect(meanStep(soft)).toBeLessThan(3);
    expect(findSharpBand(band(W, 50, 150, { side: () => soft }))).toContainEqual(rowsRect(W, 50, 150));
    const three = zigzag(W, [3], 8); // detail 3 exactly: not below 3
    expect(meanStep(three)).toBe(3);
    expect(findSharpBand(band(W, 50, 150, { side: () => three }))).toEqual([]);
    // One line at exactly 3 at the top (then at the bottom) edge of blurred sides: that side starts with a sharp line.
    expect(findSharpBand(band(W, 50, 150, { side: (i) => (i === 0 ? three : blurredLine(W)) }))).toEqual([]);
    expect(findSharpBand(band(W, 50, 150, { side: (i) => (i === W - 1 ? three : blurredLine(W)) }))).toEqual([]);
  });

  it('takes the lower of 3 and 0.3 × the band\'s detail: a band of detail 8 needs sides under 2.4', () => {
    expect(SHARP_BAND_DEFAULTS.contrast).toBe(0.3);
    const eight = () => zigzag(W, [8]); // detail 8 exactly
    expect(findSharpBand(band(W, 50, 150, { inside: eight, side: () => zigzag(W, [2], 10) }))).toContainEqual(rowsRect(W, 50, 150));
    expect(findSharpBand(band(W, 50, 150, { inside: eight, side: () => zigzag(W, [2, 3], 10) }))).toEqual([]); // ≈ 2.497: under 3, over 2.4
  });

  it('needs the band\'s detail at least 4: 4 is enough, 3 is not', () => {
    const side = () => zigzag(W, [1, 0], 40); // detail ≈ 0.5, under 0.3 × 3 = 0.9; range 20
    expect(findSharpBand(band(W, 50, 150, { inside: () => zigzag(W, [4]), side }))).toContainEqual(rowsRect(W, 50, 150));
    expect(findSharpBand(band(W, 50, 150, { inside: () => zigzag(W, [3]), side }))).toEqual([]);
  });

  it('finds nothing when the limit is 0 (blurred or contrast 0): no line is below it', () => {
    expect(findSharpBand(band(W, 50, 150))).toContainEqual(rowsRect(W, 50, 150));
    expect(findSharpBand(band(W, 50, 150), { blurred: 0, minSide: 0 })).toEqual([]);
    expect(findSharpBand(band(W, 50, 150), { contrast: 0, minSide: 0 })).toEqual([]);
  });
});

describe('findSharpBand: sizes and orientation', () => {
  it('reads frames from 32 px: 32 x 32 yes, 31 wide or 31 tall no', () => {
    // Band rows 8..23 of 32: sides of 8 (over 2.5%), band of 16 (over a quarter), centred.
    expect(findSharpBand(band(32, 8, 24))).toContainEqual(rowsRect(32, 8, 24));
    expect(findSharpBand(band(32, 8, 24, { across: 31 }))).toEqual([]); // 31 wide, 32 tall
    expect(findSharpBand(band(31, 8, 23, { across: 32 }))).toEqual([]); // 32 wide, 31 tall
  });

  it('reads rows in a frame at least 0.95 as tall as wide (38 of 40 yes, 37 no)', () => {
    expect(findSharpBand(band(38, 10, 28, { across: 40 }))).toContainEqual(rowsRect(40, 10, 28));
    // 40 x 37: rows not read, and columns not either (40 < 1.2 × 37).
    expect(findSharpBand(band(37, 10, 27, { across: 40 }))).toEqual([]);
  });

  it('reads columns in a frame at least 1.2 as wide as tall (48 for 40 yes, 47 no)', () => {
    expect(findSharpBand(band(48, 12, 36, { across: 40, rows: false }))).toContainEqual(colsRect(40, 12, 36));
    expect(findSharpBand(band(47, 12, 35, { across: 40, rows: false }))).toEqual([]);
  });
});

describe('findSharpBand: the sides and the band', () => {
  const W = 200;

  it('needs each blurred side of rows at least 2.5% (5 of 200 rows)', () => {
    expect(SHARP_BAND_DEFAULTS.minSide).toBe(0.025);
    expect(findSharpBand(band(W, 5, 194))).toContainEqual(rowsRect(W, 5, 194)); // top 5, bottom 6
    expect(findSharpBand(band(W, 6, 195))).toContainEqual(rowsRect(W, 6, 195)); // top 6, bottom 5
    expect(findSharpBand(band(W, 4, 194))).toEqual([]); // top 4
    expect(findSharpBand(band(W, 6, 196))).toEqual([]); // bottom 4
  });

  it('needs each blurred side of columns at least 10% (26 of 256 columns, not 25)', () => {
    // 256 x 128: columns. 10% of 256 = 25.6.
    expect(findSharpBand(band(256, 26, 230, { across: 128, rows: false }))).toContainEqual(colsRect(128, 26, 230));
    expect(findSharpBand(band(256, 25, 231, { across: 128, rows: false }))).toEqual([]);
  });

  it('needs the band at least a quarter (50 of 200 rows, not 49)', () => {
    // Middle third rows 66..133: 50 (49) band rows of detail ≈ 40 and 18 (19) blurred: its median is the band's.
    expect(findSharpBand(band(W, 75, 125))).toContainEqual(rowsRect(W, 75, 125));
    expect(findSharpBand(band(W, 75, 124))).toEqual([]);
  });

  it('needs at least half the wrapper\'s lines varied along their length (more than 12 levels)', () => {
    // Band rows 50..149: 100 wrapper rows. Varied: blurred lines (range 20); the others flat (100)
    // or rising 12 levels exactly (not more than 12). All of them are blurred (detail ≤ 1).
    const twelve = ramp(W, 12);
    const wrapper = (varied: (i: number) => boolean, plain: (i: number) => number[] = () => flat(W)) => (i: number) => (varied(i) ? blurredLine(W) : plain(i));
    // 25 varied rows above (25..49) and 25 below (175..199): exactly half.
    const half = (i: number) => (i >= 25 && i < 50) || i >= 175;
    expect(findSharpBand(band(W, 50, 150, { side: wrapper(half) }))).toContainEqual(rowsRect(W, 50, 150));
    // 24 above (26..49) and 25 below: one short; the rows of range 12 exactly do not count.
    const short = (i: number) => (i >= 26 && i < 50) || i >= 175;
    expect(findSharpBand(band(W, 50, 150, { side: wrapper(short) }))).toEqual([]);
    expect(findSharpBand(band(W, 50, 150, { side: wrapper(short, (i) => (i === 0 || i === 150 ? twelve : flat(W))) }))).toEqual([]);
    // and with the 25th row above varied by 13 levels, half again.
    expect(findSharpBand(band(W, 50, 150, { side: wrapper(short, (i) => (i === 0 ? ramp(W, 13) : flat(W))) }))).toContainEqual(rowsRect(W, 50, 150));
  });

  it('reads a colour wrapper\'s variation in luma: R, G, B alone and G with B, just over and under 12 levels', () => {
    // Wrapper rows grey 100 but for one channel rising r levels: luma range = weight × r.
    const only = (k: number, r: number) => (): Line => {
      const planes: [number[], number[], number[]] = [flat(W), flat(W), flat(W)];
      planes[k] = ramp(W, r);
      return planes;
    };
    const find = (side: () => Line) => findSharpBand(band(W, 50, 150, { side, channels: 3 }));
    const found = [rowsRect(W, 50, 150)];
    expect(find(only(0, 41))).toEqual(expect.arrayContaining(found)); // 0.299 × 41 = 12.26
    expect(find(only(0, 40))).toEqual([]); // 11.96
    expect(find(only(1, 21))).toEqual(expect.arrayContaining(found)); // 0.587 × 21 = 12.33
    expect(find(only(1, 20))).toEqual([]); // 11.74
    expect(find(only(2, 106))).toEqual(expect.arrayContaining(found)); // 0.114 × 106 = 12.08
    expect(find(only(2, 104))).toEqual([]); // 11.86
    // G rising 12 and B 50 together: 0.587 × 12 + 0.114 × 50 = 12.74.
    expect(find(() => [flat(W), ramp(W, 12), ramp(W, 50)])).toEqual(expect.arrayContaining(found));
  });

  it('reads a grey wrapper every second pixel in a 512 px frame: odd pixels alone do not make it vary', () => {
    // Wrapper rows: even pixels 100, odd pixels rising 0..255. Seen every second pixel (s = 2, and the
    // range's own every second pixel) the rows are flat: bars, not a blurred copy.
    const N = 512;
    const oddOnly = Array.from({ length: N }, (_, x) => (x % 2 ? Math.floor(x / 2) : 100));
    const evenOnly = Array.from({ length: N }, (_, x) => (x % 2 ? 100 : 100 + (Math.floor(x / 2) % 20))); // every second pixel: range 19, detail (19 + 19) / 20 = 1.9
    const clip = Array.from({ length: N }, (_, x) => 60 + 40 * (Math.floor(x / 2) % 2) + 30 * (Math.floor(x / 16) % 2));
    expect(findSharpBand(band(N, 128, 384, { inside: () => clip, side: () => evenOnly }))).toContainEqual(rowsRect(N, 128, 384));
    expect(findSharpBand(band(N, 128, 384, { inside: () => clip, side: () => oddOnly }))).toEqual([]);
  });

  it('lets at most a quarter of the band\'s lines be plain (30 of 120, not 31)', () => {
    // Band rows 40..159; plain rows (blurred lines) inside it, away from its edges and from the middle third.
    const inside = (plain: (i: number) => boolean, other: (i: number) => number[] = () => texture(W)) => (i: number) => (plain(i) ? blurredLine(W) : other(i));
    const thirty = (i: number) => (i >= 42 && i < 57) || (i >= 144 && i < 159);
    expect(findSharpBand(band(W, 40, 160, { inside: inside(thirty) }))).toContainEqual(rowsRect(W, 40, 160));
    const thirtyOne = (i: number) => thirty(i) || i === 57;
    expect(findSharpBand(band(W, 40, 160, { inside: inside(thirtyOne) }))).toEqual([]);
    // A 31st line of detail exactly 3 is not plain (not below 3).
    expect(findSharpBand(band(W, 40, 160, { inside: inside(thirty, (i) => (i === 57 ? zigzag(W, [3], 8) : texture(W))) }))).toContainEqual(rowsRect(W, 40, 160));
  });
});

describe('findSharpBand: the candidates', () => {
  // 200 x 200: slack ceil(200 × 0.02) = 4. Centred 16:9: height round(200 / (16/9)) = round(112.5) =
  // 113 from round(87 / 2) = 44 (rows 44..156); 4:3: 150 from 25 (rows 25..174).
  const W = 200;
  const r169 = rowsRect(W, 44, 157);
  const r43 = rowsRect(W, 25, 175);

  it('keeps the band itself when its sides differ by at most 4 rows (not 5)', () => {
    expect(SHARP_BAND_DEFAULTS.centred).toBe(0.02);
    expect(findSharpBand(band(W, 40, 156))).toEqual([rowsRect(W, 40, 156), r169]); // sides 40 and 44
    expect(findSharpBand(band(W, 40, 155))).toEqual([r169, r43]); // sides 40 and 45: only the centred rectangles
  });

  it('adds the centred 16:9 rectangle when it holds the band within 4 rows, at both ends exactly; two candidates at most', () => {
    // Band 40..160: 16:9 starts 4 below its top (44 ≤ 40 + 4) and ends 4 above its bottom (157 ≥ 161 − 4).
    expect(findSharpBand(band(W, 40, 161))).toEqual([rowsRect(W, 40, 161), r169]);
    // One row more at the top: 44 > 39 + 4, only 4:3 holds it.
    expect(findSharpBand(band(W, 39, 161))).toEqual([rowsRect(W, 39, 161), r43]);
    // One row more at the bottom: 157 < 162 − 4.
    expect(findSharpBand(band(W, 40, 162))).toEqual([rowsRect(W, 40, 162), r43]);
  });

  it('does not add a centred rectangle twice, and adds one that differs in start or length only', () => {
    expect(findSharpBand(band(W, 44, 157))).toEqual([r169, r43]); // the band is the 16:9 rectangle
    expect(findSharpBand(band(W, 44, 156))).toEqual([rowsRect(W, 44, 156), r169]); // same start, one row shorter
    expect(findSharpBand(band(W, 43, 156))).toEqual([rowsRect(W, 43, 156), r169]); // same length, one row higher
  });

  it('does the same with columns (256 x 128: 9:16 is 72 wide from 92, 3:4 96 from 80; slack 6)', () => {
    const H = 128;
    const cols = (a: number, b: number) => findSharpBand(band(256, a, b, { across: H, rows: false }));
    const c916 = colsRect(H, 92, 164);
    expect(cols(92, 164)).toEqual([c916, colsRect(H, 80, 176)]);
    expect(cols(92, 163)).toEqual([colsRect(H, 92, 163), c916]);
    expect(cols(91, 163)).toEqual([colsRect(H, 91, 163), c916]);
  });
});
