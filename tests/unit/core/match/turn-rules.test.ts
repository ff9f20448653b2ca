// estimateTurn's heuristics, each pinned by a picture drawn to sit just inside and just outside one
// rule (src/core/match/turn.ts): the four corners one colour (each channel within FILL_TOLERANCE / 2
// = 14 of the corners' mean), the fill matched per channel within FILL_TOLERANCE = 28, a side read
// on the lines of its middle 30–70% (every max(1, floor(side / 120))-th line), its fill reaching
// under 25% of the canvas across, its depths on a line (mean residual ≤ 1.5 px) and reaching in on
// at least 80% of the lines, three or four sides agreeing within 0.5° of their median (the middle
// reading of three, the mean of the middle two of four), and the turn kept within MIN_TURN–MAX_TURN.
//
// No picture is turned here: each side's fill is drawn directly, its depth chosen line by line, so
// each side's slope, residual and reach are known exactly. The expected angles come from that
// construction and the documented rule — the least-squares slope of the drawn depths over the
// sampled lines (lsSlope below, its own formula), atan of it in degrees with the side's sign (a
// clockwise turn deepens the fill down the right side and along the top) — never from running
// estimateTurn. Where the slope is 1/8 exactly (8-line sampling, one pixel deeper per sample) the
// expected angle is atan(1/8) exactly.
import { describe, expect, it } from 'vitest';
import { MAX_TURN, MIN_TURN, estimateTurn } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

type RGB = [number, number, number];
/** Fill pixels in from one edge on line t (a row for left and right, a column for top and bottom). */
type Depth = (t: number) => number;
interface Edges {
  left?: Depth;
  right?: Depth;
  top?: Depth;
  bottom?: Depth;
}

const WHITE: RGB = [255, 255, 255];
/** The picture's own colour: more than 28 from white and from black in every channel. */
const PICTURE: RGB = [90, 120, 150];

/**
 * A W x H canvas: each side's fill drawn `edges` deep (in `edgeFill`, by default the fill), the
 * 3x3 corners in `fill`, the rest the picture's colour.
 */
function drawn(W: number, H: number, edges: Edges, o: { fill?: RGB; edgeFill?: RGB; channels?: 1 | 3 } = {}): Pixels {
  const fill = o.fill ?? WHITE;
  const edgeFill = o.edgeFill ?? fill;
  const ch = o.channels ?? 3;
  const none: Depth = () => 0;
  const depths = (f: Depth | undefined, n: number) => Array.from({ length: n }, (_, t) => (f ?? none)(t));
  const [L, R, T, B] = [depths(edges.left, H), depths(edges.right, H), depths(edges.top, W), depths(edges.bottom, W)];
  const data = new Uint8Array(W * H * ch);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const corner = (x < 3 || x >= W - 3) && (y < 3 || y >= H - 3);
      const inFill = x < L[y]! || x >= W - R[y]! || y < T[x]! || y >= H - B[x]!;
      const c = corner ? fill : inFill ? edgeFill : PICTURE;
      for (let k = 0; k < ch; k++) data[(y * W + x) * ch + k] = c[k]!;
    }
  }
  return { width: W, height: H, channels: ch, data };
}

/** Paint the 3x3 block at (cx, cy): colour(i) for its i-th pixel. */
function paint(px: Pixels, cx: number, cy: number, colour: (i: number) => RGB) {
  for (let i = 0; i < 9; i++) px.data.set(colour(i), ((cy + Math.floor(i / 3)) * px.width + cx + (i % 3)) * 3);
}

/** The lines a side of length `along` is read on: floor(30%) to floor(70%), every max(1, floor(along / 120)). */
function samples(along: number): number[] {
  const step = Math.max(1, Math.floor(along / 120));
  const out: number[] = [];
  for (let t = Math.floor(along * 0.3); t <= Math.floor(along * 0.7); t += step) out.push(t);
  return out;
}

/** Least-squares slope of d against t: (n Σtd − Σt Σd) / (n Σt² − (Σt)²). */
function lsSlope(ts: number[], ds: number[]): number {
  const n = ts.length;
  let st = 0;
  let sd = 0;
  let std = 0;
  let stt = 0;
  for (let i = 0; i < n; i++) {
    st += ts[i]!;
    sd += ds[i]!;
    std += ts[i]! * ds[i]!;
    stt += ts[i]! * ts[i]!;
  }
  return (n * std - st * sd) / (n * stt - st * st);
}

const deg = (r: number) => (r * 180) / Math.PI;
const tan = (d: number) => Math.tan((d * Math.PI) / 180);
/** The turn one side reads: atan of its fill's least-squares slope, + for right and top, − for left and bottom. */
const reading = (depth: Depth, along: number, sign: 1 | -1) => {
  const ts = samples(along);
  return deg(Math.atan(sign * lsSlope(ts, ts.map(depth))));
};
/** Depth `c` at `mid`, changing by `slope` per line, rounded half away from zero (so ±slope mirror exactly). */
const line =
  (slope: number, c: number, mid: number): Depth =>
  (t) =>
    c + Math.sign(slope * (t - mid)) * Math.round(Math.abs(slope * (t - mid)));
/** Line t of a side of length `along` mirrored within its sampled lines: floor(30%) + floor(70%) − t. */
const mirror = (along: number, t: number) => Math.floor(along * 0.3) + Math.floor(along * 0.7) - t;
/**
 * The four sides of a W x H canvas reading alike: the right and top fills deepening by `slope` per
 * line from `c` px at the middle of the sampled lines, the left and bottom ones their mirrors.
 */
const framed = (W: number, H: number, slope: number, c: number): Edges => {
  const right = line(slope, c, mirror(H, 0) / 2);
  const top = line(slope, c, mirror(W, 0) / 2);
  return { left: (t) => right(mirror(H, t)), right, top, bottom: (t) => top(mirror(W, t)) };
};
/** The four sides of an a x a canvas reading alike: the right and top fills `rising`, the left and bottom ones its mirror. */
const square = (a: number, rising: Depth): Edges => {
  const falling: Depth = (t) => rising(mirror(a, t));
  return { left: falling, right: rising, top: rising, bottom: falling };
};

describe('estimateTurn: the canvas at least 32 px each way', () => {
  it('32 x 40 and 40 x 32 are read; 31 x 40 and 40 x 31 are not', () => {
    for (const [W, H, kept] of [
      [32, 40, true],
      [40, 32, true],
      [31, 40, false],
      [40, 31, false],
    ] as const) {
      const edges = framed(W, H, tan(8), 4);
      // Left and right read alike, top and bottom alike: the median is the mean of the two readings.
      const expected = (reading(edges.right!, H, 1) + reading(edges.top!, W, 1)) / 2;
      expect(Math.abs(reading(edges.right!, H, 1) - reading(edges.top!, W, 1)), `${W} x ${H}`).toBeLessThan(1);
      const got = estimateTurn(drawn(W, H, edges));
      if (kept) expect(got, `${W} x ${H}`).toBeCloseTo(expected, 9);
      else expect(got, `${W} x ${H}`).toBeNull();
    }
    // The same sides on a 40 x 40 canvas are read: what refuses 31 px is the size alone.
    expect(estimateTurn(drawn(40, 40, framed(40, 40, tan(8), 4)))).not.toBeNull();
  });
});

describe('estimateTurn: the median of the sides', () => {
  // 1020 px sides, read every 8th line from 306 to 714 (52 lines), the fill about 14 px deep at the middle.
  const A = 1020;
  const side = (degrees: number, sign: 1 | -1) => line(sign * tan(degrees), 14, A / 2);

  it('four sides reading about 2.0, 2.2, 2.4, 2.6: the mean of the middle two (not the second, nor in side order)', () => {
    // left 2.6, right 2.0, top 2.4, bottom 2.2 (in side order: 2.6, 2.0, 2.4, 2.2).
    const edges: Edges = { left: side(2.6, -1), right: side(2.0, 1), top: side(2.4, 1), bottom: side(2.2, -1) };
    const r = { left: reading(edges.left!, A, -1), right: reading(edges.right!, A, 1), top: reading(edges.top!, A, 1), bottom: reading(edges.bottom!, A, -1) };
    // The rounded depths read 2.00, 2.22, 2.46 and 2.60: the same order as drawn.
    expect(r.right).toBeLessThan(r.bottom);
    expect(r.bottom).toBeLessThan(r.top);
    expect(r.top).toBeLessThan(r.left);
    const expected = (r.bottom + r.top) / 2;
    expect(Math.abs(expected - 2.3)).toBeLessThan(0.05);
    expect(estimateTurn(drawn(A, A, edges))).toBeCloseTo(expected, 9);
  });

  it('three sides (the right one shows no fill) reading about 2.0, 2.6, 2.4: the middle one, 2.4', () => {
    const edges: Edges = { left: side(2.0, -1), top: side(2.6, 1), bottom: side(2.4, -1) };
    const expected = reading(edges.bottom!, A, -1);
    expect(reading(edges.left!, A, -1)).toBeLessThan(expected);
    expect(reading(edges.top!, A, 1)).toBeGreaterThan(expected);
    expect(Math.abs(expected - 2.4)).toBeLessThan(0.1);
    expect(estimateTurn(drawn(A, A, edges))).toBeCloseTo(expected, 9);
  });

  it('three sides, one of them 0.4° off the median: read; 0.6° off: the sides disagree', () => {
    const near: Edges = { left: side(3.0, -1), top: side(3.4, 1), bottom: side(3.0, -1) };
    const median = reading(near.left!, A, -1); // left and bottom mirror each other: the same reading
    expect(reading(near.top!, A, 1) - median).toBeGreaterThan(0.3);
    expect(reading(near.top!, A, 1) - median).toBeLessThan(0.5);
    expect(estimateTurn(drawn(A, A, near))).toBeCloseTo(median, 9);
    const far: Edges = { ...near, top: side(3.6, 1) };
    expect(reading(far.top!, A, 1) - median).toBeGreaterThan(0.5);
    expect(estimateTurn(drawn(A, A, far))).toBeNull();
  });

  it(`a turn of about 0.44° is read, about 0.35° is not (under ${MIN_TURN}°); about 9.8° is read, about 10.2° is not (over ${MAX_TURN}°)`, () => {
    for (const [degrees, kept] of [
      [0.45, true],
      [0.35, false],
      [9.8, true],
      [10.2, false],
      [-9.8, true],
      [-10.2, false],
    ] as const) {
      const rising = line(tan(degrees), 60, A / 2);
      const expected = reading(rising, A, 1);
      expect(Math.abs(expected) > MIN_TURN && Math.abs(expected) < MAX_TURN, `${degrees}`).toBe(kept);
      const got = estimateTurn(drawn(A, A, square(A, rising)));
      if (kept) expect(got, `${degrees}`).toBeCloseTo(expected, 9);
      else expect(got, `${degrees}`).toBeNull();
    }
  });
});

describe('estimateTurn on a wide canvas: each side read along its own length, capped by the canvas across', () => {
  // 1020 x 210. Left and right: read on rows 63…147 (every row), capped at 1020 / 4 = 255 px; top and
  // bottom: on columns 306 + 8i up to 714, capped at 210 / 4 = 52 px. Every other line of each side
  // is drawn reaching its cap, so a side read on any other line would not count. The left and right
  // fills are about 80 px deep (over 52: they count only because their cap is a quarter of the width).
  const [W, H] = [1020, 210];
  const outside =
    (f: Depth, along: number, cap: number): Depth =>
    (t) =>
      t < Math.floor(along * 0.3) || t > Math.floor(along * 0.7) ? cap : f(t);
  const topLine = line(tan(2.4), 14, 510);
  const edges: Edges = {
    left: outside(line(-tan(2.6), 80, 105), H, 255),
    right: outside(line(tan(2.1), 80, 105), H, 255),
    top: outside(topLine, W, 52),
    bottom: outside(line(-tan(2.2), 14, 510), W, 52),
  };
  const r = { left: reading(edges.left!, H, -1), right: reading(edges.right!, H, 1), top: reading(edges.top!, W, 1), bottom: reading(edges.bottom!, W, -1) };

  it('four sides reading about 2.6, 2.0, 2.5, 2.2 (left, right, top, bottom): the mean of the middle two', () => {
    expect(r.right).toBeLessThan(r.bottom);
    expect(r.bottom).toBeLessThan(r.top);
    expect(r.top).toBeLessThan(r.left);
    expect(estimateTurn(drawn(W, H, edges))).toBeCloseTo((r.bottom + r.top) / 2, 9);
  });

  it('the top fill reaching 52 px (a quarter of the height) on one sampled column: three sides, the bottom’s reading', () => {
    const deepest = Math.max(...samples(W).map(topLine));
    const top = outside((t) => topLine(t) + 52 - deepest, W, 52);
    expect(estimateTurn(drawn(W, H, { ...edges, top }))).toBeCloseTo(r.bottom, 9);
    // 51 px: still a fill edge, the same reading as before.
    const top51 = outside((t) => topLine(t) + 51 - deepest, W, 52);
    expect(estimateTurn(drawn(W, H, { ...edges, top: top51 }))).toBeCloseTo((r.bottom + r.top) / 2, 9);
    // The bottom fill reaching 51 px: still counted (its walk starts on the last row).
    const bottomLine = line(-tan(2.2), 14, 510);
    const bottom51 = outside((t) => bottomLine(t) + 51 - Math.max(...samples(W).map(bottomLine)), W, 52);
    expect(estimateTurn(drawn(W, H, { ...edges, bottom: bottom51 }))).toBeCloseTo((r.bottom + r.top) / 2, 9);
  });
});

describe('estimateTurn: a side’s fill edge', () => {
  // 1020 px sides, read on lines 306 + 8i (i = 0…51). Drawn one pixel deeper per sample (slope 1/8).
  const A = 1020;
  const at = (t: number) => Math.round((t - 306) / 8); // the sample index of line t
  const rising: Depth = (t) => 20 + at(t);
  const falling: Depth = (t) => 20 + 51 - at(t);
  const eighth = deg(Math.atan(1 / 8));

  it('a side whose depths leave the line by exactly 1.5 px on average still counts; by 2 px, not', () => {
    // The right side 0 or `bump` deeper, in the pattern +, 0, 0, + every four samples: its slope
    // stays exactly 1/8 and every depth lies bump / 2 from the line. Bottom: no fill. So the turn is
    // read only if the right side counts, as the third side.
    const noisy =
      (bump: number): Depth =>
      (t) =>
        rising(t) + (at(t) % 4 === 0 || at(t) % 4 === 3 ? bump : 0);
    for (const [bump, kept] of [
      [2, true], // 1 px
      [3, true], // 1.5 px
      [4, false], // 2 px
    ] as const) {
      const edges: Edges = { left: falling, right: noisy(bump), top: rising };
      expect(reading(edges.right!, A, 1)).toBe(eighth);
      const got = estimateTurn(drawn(A, A, edges));
      if (kept) expect(got, `${bump}`).toBe(eighth);
      else expect(got, `${bump}`).toBeNull();
    }
    // Four straight sides: atan(1/8).
    expect(estimateTurn(drawn(A, A, { left: falling, right: rising, top: rising, bottom: falling }))).toBe(eighth);
  });

  it('only the sampled lines are looked at: every line between them reaching 25% across changes nothing', () => {
    const sampled = (t: number) => (t - 306) % 8 === 0;
    const deep =
      (f: Depth): Depth =>
      (t) =>
        sampled(t) ? f(t) : A / 4;
    expect(estimateTurn(drawn(A, A, { left: deep(falling), right: deep(rising), top: deep(rising), bottom: deep(falling) }))).toBe(eighth);
  });

  it('a fill reaching to 1 px short of 25% across is read; reaching 25% (the cap) it is not a fill edge', () => {
    // 1020 across: the cap is 255 px. The left side 255 − 71 + 20 … − 1 deep: deepest on line 306.
    for (const [deepest, kept] of [
      [254, true],
      [255, false],
    ] as const) {
      const left: Depth = (t) => falling(t) - 71 + deepest;
      const edges: Edges = { left, right: rising, top: rising };
      const got = estimateTurn(drawn(A, A, edges));
      if (kept) expect(got, `${deepest}`).toBe(eighth);
      else expect(got, `${deepest}`).toBeNull();
      // The same on a grey canvas (one sample per pixel).
      const grey = estimateTurn(drawn(A, A, edges, { channels: 1 }));
      if (kept) expect(grey, `grey ${deepest}`).toBe(eighth);
      else expect(grey, `grey ${deepest}`).toBeNull();
    }
  });
});

describe('estimateTurn: the fill reaching in on 80% of the lines', () => {
  // 210 px sides: read on every line from 63 to 147 (85 lines). The fill about 5° steep, 4 px deep at
  // line 105, missing (0 px) on the first `missing` lines of the side where it is shallowest.
  const A = 210;
  const rising =
    (missing: number): Depth =>
    (t) =>
      t < 63 + missing ? 0 : line(tan(5), 4, 105)(t);

  it('68 of 85 lines (80%) reaching in: read; 67: no side counts', () => {
    const expected = reading(rising(17), A, 1);
    expect(Math.abs(expected - 5.6)).toBeLessThan(0.1);
    expect(estimateTurn(drawn(A, A, square(A, rising(17))))).toBeCloseTo(expected, 9);
    expect(estimateTurn(drawn(A, A, square(A, rising(18))))).toBeNull();
  });
});

describe('estimateTurn: the fill colour', () => {
  // 210 px sides, four sides reading about 5°, the fill 14 px deep at the middle.
  const A = 210;
  const rising = line(tan(5), 14, 105);
  const expected = reading(rising, A, 1);

  it('a fill drawn 28 off the corners’ colour in any one channel is still the fill; 29 off, it is not', () => {
    // Corners of 252 (252 / 9 = 28: their 3x3 means and the mean of the four are exact).
    const fill: RGB = [252, 252, 252];
    for (const k of [0, 1, 2]) {
      for (const [off, kept] of [
        [28, true],
        [29, false],
      ] as const) {
        const edgeFill: RGB = [...fill];
        edgeFill[k] = edgeFill[k]! - off;
        const got = estimateTurn(drawn(A, A, square(A, rising), { fill, edgeFill }));
        if (kept) expect(got, `channel ${k}, ${off} off`).toBeCloseTo(expected, 9);
        else expect(got, `channel ${k}, ${off} off`).toBeNull();
      }
    }
    // Black corners, the fill 28 above them; and a grey picture.
    expect(estimateTurn(drawn(A, A, square(A, rising), { fill: [0, 0, 0], edgeFill: [28, 28, 28] }))).toBeCloseTo(expected, 9);
    expect(estimateTurn(drawn(A, A, square(A, rising), { fill, edgeFill: [224, 224, 224], channels: 1 }))).toBeCloseTo(expected, 9);
    expect(estimateTurn(drawn(A, A, square(A, rising), { fill, edgeFill: [223, 223, 223], channels: 1 }))).toBeNull();
  });

  it('corners 14 from their mean in every channel are one colour; 13 too; 15 not', () => {
    // Top corners 252; bottom corners a 3x3 of mean 224 (eight 225s and a 216, every ninth exact):
    // the mean is 238, every corner exactly 14 from it. The sides' fill drawn in 238.
    const px = drawn(A, A, square(A, rising), { edgeFill: [238, 238, 238] });
    const level = (v: number): RGB => [v, v, v];
    for (const cx of [0, A - 3]) {
      paint(px, cx, 0, () => level(252));
      paint(px, cx, A - 3, (i) => level(i === 4 ? 216 : 225));
    }
    expect(estimateTurn(px)).toBeCloseTo(expected, 9);
    for (const [bottom, kept] of [
      [226, true], // 13 from the mean 239
      [222, false], // 15 from the mean 237
    ] as const) {
      for (const cx of [0, A - 3]) paint(px, cx, A - 3, () => level(bottom));
      if (kept) expect(estimateTurn(px), `${bottom}`).toBeCloseTo(expected, 9);
      else expect(estimateTurn(px), `${bottom}`).toBeNull();
    }
  });

  it('each corner is compared, and each channel: one corner off in green alone is not one colour', () => {
    for (const [cx, cy] of [
      [0, 0],
      [A - 3, 0],
      [0, A - 3],
      [A - 3, A - 3],
    ]) {
      const px = drawn(A, A, square(A, rising));
      paint(px, cx!, cy!, () => [255, 225, 255]); // 22.5 from the corners' mean green
      expect(estimateTurn(px), `${cx},${cy}`).toBeNull();
      paint(px, cx!, cy!, () => [255, 245, 255]); // 7.5: one colour
      expect(estimateTurn(px), `${cx},${cy}`).toBeCloseTo(expected, 9);
    }
  });
});
