// The rules of src/core/match/moving.ts (docs/matching.md "The moving picture"): findMovingPictures
// pinned on small synthetic frames whose moving map, mean frame and detail are known by
// construction (a "clip" that goes from flat to a checkerboard and back, inside a wrapper that does
// not change: flat, or a still texture), each threshold just inside and just outside; then
// ladderCuts, sourceRect / movingPictureSource, the cuts from the decoded frame, and resizeArea on
// hand-computed numbers.
//
// What moves: a pixel whose gradient (|dx| + |dy|, forward differences) changes by more than
// `motion` and whose own luma changes by more than motion / 4. A flat frame followed by a
// checkerboard v ± d changes every inner pixel's gradient from 0 to 4d and its luma by d, so the
// thresholds are crossed at known values. The expected rectangles are where each test put the
// clip, never the detector's own output.
import { describe, expect, it } from 'vitest';
import { MAX_PICTURES, WRAPPER_SHARE, findMovingPicture, findMovingPictures, ladderCuts, movingPictureFromVideo, movingPicturePixels, movingPictureSource, resizeArea, sourceRect } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const inside = (r: Box, x: number, y: number) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

/** n grey W x H frames, pixel (x, y) of frame k = f(x, y, k). */
function grey(W: number, H: number, n: number, f: (x: number, y: number, k: number) => number): Pixels[] {
  return Array.from({ length: n }, (_, k) => {
    const data = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = f(x, y, k);
    return { width: W, height: H, channels: 1, data };
  });
}

/**
 * Three frames of a "pulsing" clip on a still wrapper: the clip flat at v, then a checkerboard
 * v + d / v - d, then the same checkerboard inverted; the rest bg(x, y) (default flat 220). The
 * mean frame is v all over the clip (no step inside it), the last frame's detail in the clip is 2d
 * between neighbours, and from the first frame to the second every pixel of the clip changes its
 * luma by d and its gradient by 4d (inner pixels) or at least d (its last row and column, against
 * the wrapper). The wrapper never changes, so what moves is the clip.
 */
function pulse(W: number, H: number, clip: Box, o: { v?: number; d?: number; bg?: (x: number, y: number) => number; n?: number } = {}): Pixels[] {
  const v = o.v ?? 120;
  const d = o.d ?? 60;
  const bg = o.bg ?? (() => 220);
  return grey(W, H, o.n ?? 3, (x, y, k) => (!inside(clip, x, y) ? bg(x, y) : k === 0 ? v : ((x + y + k) % 2) ? v + d : v - d));
}

const CLIP = { x: 24, y: 12, width: 48, height: 40 }; // in 96 x 64; taller than 3/4 of its width: no ladder cuts

describe('findMovingPictures: frames it reads', () => {
  it('finds a pulsing clip in a flat wrapper from two frames and from three', () => {
    expect(findMovingPictures(pulse(96, 64, CLIP))).toEqual([CLIP]);
    // Two frames: flat 120, then 120 ± 10 (gradients change by 40, luma by 10; the mean steps by 10 inside the clip, under 12).
    expect(findMovingPictures(pulse(96, 64, CLIP, { n: 2, d: 10 }))).toEqual([CLIP]);
    expect(findMovingPicture(pulse(96, 64, CLIP, { n: 2, d: 10 }))).toEqual(CLIP);
  });

  it('answers nothing for one frame or none', () => {
    expect(findMovingPictures(pulse(96, 64, CLIP, { n: 1 }))).toEqual([]);
    expect(findMovingPictures([])).toEqual([]);
    expect(findMovingPicture([])).toBeNull();
  });

  it('needs 16 px both ways: 15 is too small, 16 is enough', () => {
    const band = (W: number, H: number) => ({ x: 0, y: 16, width: W, height: H - 32 });
    const col = (W: number, H: number) => ({ x: 16, y: 0, width: W - 32, height: H });
    expect(findMovingPictures(pulse(16, 64, band(16, 64)))).toContainEqual(band(16, 64));
    expect(findMovingPictures(pulse(15, 64, band(15, 64)))).toEqual([]);
    expect(findMovingPictures(pulse(64, 16, col(64, 16)))).toContainEqual(col(64, 16));
    expect(findMovingPictures(pulse(64, 15, col(64, 15)))).toEqual([]);
  });

  it('answers nothing when a frame differs in width or in height', () => {
    const a = pulse(96, 64, CLIP);
    const wider = pulse(97, 64, CLIP)[1]!;
    const taller = pulse(96, 65, CLIP)[1]!;
    expect(findMovingPictures([a[0]!, wider, a[2]!])).toEqual([]);
    expect(findMovingPictures([a[0]!, a[1]!, taller])).toEqual([]);
  });
});

describe('findMovingPictures: luma of colour frames', () => {
  /** The pulse in colour: the clip colour(0), then colour(±1) on a checkerboard, then inverted; the rest black. */
  const rgb = (colour: (s: number) => [number, number, number]): Pixels[] =>
    Array.from({ length: 3 }, (_, k) => {
      const data = new Uint8Array(96 * 64 * 3);
      for (let y = 0; y < 64; y++) for (let x = 0; x < 96; x++) if (inside(CLIP, x, y)) data.set(colour(k === 0 ? 0 : (x + y + k) % 2 ? 1 : -1), (y * 96 + x) * 3);
      return { width: 96, height: 64, channels: 3, data };
    });
  it('sees texture in red alone, green alone, blue alone (0.299 R + 0.587 G + 0.114 B)', () => {
    expect(findMovingPictures(rgb((s) => [128 + 100 * s, 0, 0]))).toEqual([CLIP]); // ± 29.9 levels on a mean of 38
    expect(findMovingPictures(rgb((s) => [0, 128 + 100 * s, 0]))).toEqual([CLIP]);
    expect(findMovingPictures(rgb((s) => [100, 100, 128 + 120 * s]))).toEqual([CLIP]); // ± 13.7 levels
  });
  it('adds the channels: red with blue, red with green, each pair equal in luma (a difference would cancel them)', () => {
    expect(findMovingPictures(rgb((s) => [128 + 40 * s, 0, 128 + 105 * s]))).toEqual([CLIP]); // 0.299 · 40 = 11.96, 0.114 · 105 = 11.97
    expect(findMovingPictures(rgb((s) => [128 + 120 * s, 128 + 61 * s, 0]))).toEqual([CLIP]); // 35.9 and 35.8
  });
  it('and sees nothing move when the channels cancel in luma', () => {
    expect(findMovingPictures(rgb((s) => [128 + 120 * s, 128 - 61 * s, 0]))).toEqual([]);
  });
});

describe('findMovingPictures: what moves', () => {
  // The pulse at 100 ± d: inner gradients change by 4d, luma by d.
  const WIDE = { x: 4, y: 6, width: 88, height: 68 }; // in 96 x 80
  it('a pixel moves when its gradient changes by more than `motion` (40: not at 40, at 39)', () => {
    const f = pulse(96, 80, WIDE, { v: 100, d: 10 });
    expect(findMovingPictures(f, { motion: 40 })).toEqual([]);
    expect(findMovingPictures(f, { motion: 39 })).toEqual([WIDE]);
  });
  it('the gradient threshold on its own: black squares +12, white −8 (gradients change by 40, luma by 12 and 8)', () => {
    // From a flat 100 to 112 / 92, then 88 / 108 (the mean stays 100): with motion 40 the white
    // squares never move (8 ≤ 10) and the black ones move only if 40 counts as more than 40.
    const f = grey(96, 80, 3, (x, y, k) => (!inside(WIDE, x, y) ? 220 : k === 0 ? 100 : (x + y) % 2 ? (k === 1 ? 112 : 88) : k === 1 ? 92 : 108));
    expect(findMovingPictures(f, { motion: 40 })).toEqual([]);
    expect(findMovingPictures(f, { motion: 39 })).toEqual([WIDE]);
  });
  it('and its own luma by more than motion / 4', () => {
    // From a flat 100, black squares to 100 + e, white ones to 40, then back through 100 − e and
    // 160 (the mean stays 100): each inner gradient changes by 2(60 + e), the black squares' luma
    // by e only. With lineShare 0.75 a row needs both colours moving.
    const f = (e: number) => grey(96, 80, 3, (x, y, k) => (!inside(WIDE, x, y) ? 220 : k === 0 ? 100 : (x + y) % 2 ? (k === 1 ? 100 + e : 100 - e) : k === 1 ? 40 : 160));
    expect(findMovingPictures(f(10), { motion: 40, lineShare: 0.75 })).toEqual([]);
    expect(findMovingPictures(f(11), { motion: 40, lineShare: 0.75 })).toEqual([WIDE]);
    expect(findMovingPictures(f(10), { motion: 39, lineShare: 0.75 })).toEqual([WIDE]);
  });
});

describe('findMovingPictures: clips at the frame edge', () => {
  it('a clip against the left edge, the top edge, the right edge, the bottom edge', () => {
    for (const c of [
      { x: 0, y: 12, width: 48, height: 40 },
      { x: 24, y: 0, width: 48, height: 40 },
      { x: 48, y: 12, width: 48, height: 40 },
      { x: 24, y: 24, width: 48, height: 40 },
    ]) expect(findMovingPictures(pulse(96, 64, c)), JSON.stringify(c)).toEqual([c]);
  });
});

describe('findMovingPictures: the wrapper', () => {
  it('nothing for a moving patch with a still texture all round it (a fixed camera\'s street)', () => {
    const street = (x: number, y: number) => ((Math.imul(x * 73856093 ^ y * 19349663, 83492791) >>> 24) & 1 ? 100 : 220);
    expect(findMovingPictures(pulse(96, 64, CLIP, { bg: street }))).toEqual([]);
  });
});

describe('ladderCuts: the publisher\'s caption-cut rungs (CUT_LADDER 0.125, 0.18, 0.25)', () => {
  const W = 100;
  const H = 1000;
  const below = (y: number) => ({ x: 0, y, width: W, height: H - y }); // a band over the top of a full-width clip
  const above = (bottom: number) => ({ x: 0, y: 0, width: W, height: bottom }); // a ticker over its bottom
  it('moves the cut side of a full-width rectangle to the first rung leaving none of the cover', () => {
    expect(ladderCuts([below(200)], W, H)).toEqual([below(250)]); // 0.2: rung 0.25; 0.2 − 0.18 > 0.015
    expect(ladderCuts([above(800)], W, H)).toEqual([above(750)]);
    expect(ladderCuts([below(100)], W, H)).toEqual([below(125)]); // 0.1: rung 0.125, none below
  });
  it('and to the rung below too when the cover reaches past it by at most 1.5%', () => {
    expect(ladderCuts([below(194)], W, H)).toEqual([below(250), below(180)]); // 0.194 − 0.18 = 0.014
    expect(ladderCuts([below(196)], W, H)).toEqual([below(250)]); // 0.016
    expect(ladderCuts([above(806)], W, H)).toEqual([above(750), above(820)]);
  });
  it('a rung within 0.008 above the cover still counts (0.133 − 0.008 = 0.125)', () => {
    expect(ladderCuts([below(133)], W, H)).toEqual([below(125)]);
    expect(ladderCuts([below(134)], W, H)).toEqual([below(180), below(125)]); // past 0.125 + 0.008: 0.18, and 0.125 within 1.5%
  });
  it('no rung under 3% (kept as found) and none past 0.258 (kept as found)', () => {
    expect(ladderCuts([below(29)], W, H)).toEqual([below(29)]);
    expect(ladderCuts([below(30)], W, H)).toEqual([below(125)]);
    expect(ladderCuts([below(258)], W, H)).toEqual([below(250)]);
    expect(ladderCuts([below(260)], W, H)).toEqual([below(260)]);
  });
  it('only a full-width rectangle with exactly one side at the frame edge is cut to the rung', () => {
    const whole = { x: 0, y: 0, width: W, height: H };
    expect(ladderCuts([whole], W, H)).toEqual([whole]);
    const band = { x: 0, y: 200, width: W, height: 600 }; // full width, neither side at an edge; 100 / (16/9) = 56.25 < 600: no aspect cut
    expect(ladderCuts([band], W, H)).toEqual([band]);
    const narrow = { x: 0, y: 200, width: 99, height: 800 }; // at the bottom, not full width
    expect(ladderCuts([narrow], W, H)).toEqual([narrow]);
    const offset = { x: 1, y: 200, width: 99, height: 800 };
    expect(ladderCuts([offset], W, H)).toEqual([offset]);
  });
  it('cuts a rectangle inside the frame at the rung its 16:9 (or 4:3) clip would be cut at, from the top and from the bottom, after all the rectangles', () => {
    // 160 wide: a 16:9 clip is 90 tall; 70 of it is a cut of 0.222 → rung 0.25 keeps 67.5 → 68.
    const r = { x: 10, y: 20, width: 160, height: 70 };
    const other = { x: 5, y: 100, width: 40, height: 40 }; // square: no clip of either aspect is taller
    expect(ladderCuts([r, other], 200, 200)).toEqual([r, other, { x: 10, y: 20, width: 160, height: 68 }, { x: 10, y: 22, width: 160, height: 68 }]);
    // 4:3: 120 wide is 90 tall; 75 of it is a cut of 0.167 → rung 0.18 keeps 73.8 → 74 (16:9: 67.5 < 75, no cut).
    const q = { x: 10, y: 20, width: 120, height: 75 };
    expect(ladderCuts([q], 200, 200)).toEqual([q]); // 74 ≥ 75 − 1: the cut is the rectangle itself
    const q2 = { x: 10, y: 20, width: 120, height: 76 }; // 0.156 → 0.18 still (0.148 ≥ 0.125): keeps 74, two rows short
    expect(ladderCuts([q2], 200, 200)).toEqual([q2, { x: 10, y: 20, width: 120, height: 74 }, { x: 10, y: 22, width: 120, height: 74 }]);
  });
  it('never cuts a rectangle taller than its rung would keep', () => {
    // 1600 wide: 900 tall as 16:9; 782 is a cut of 0.131 → rung 0.125 keeps 787.5 → 788, more than 782.
    const r = { x: 10, y: 50, width: 1600, height: 782 };
    expect(ladderCuts([r], 2000, 2000)).toEqual([r]);
  });
  it('drops rectangles under 8 px tall and near-duplicates (same x and width, y and height within 1)', () => {
    const a = { x: 20, y: 30, width: 10, height: 10 }; // square: no aspect cuts
    expect(ladderCuts([{ ...a, height: 7 }], 200, 200)).toEqual([]);
    expect(ladderCuts([{ ...a, height: 8 }], 200, 200)).toEqual([{ ...a, height: 8 }]);
    expect(
      ladderCuts([a, { ...a, y: 31 }, { ...a, y: 29 }, { ...a, height: 11 }, { ...a, height: 9 }, { ...a, y: 31, height: 11 }, { ...a, x: 21 }, { ...a, width: 11 }, { ...a, y: 32 }, { ...a, height: 12 }], 200, 200),
    ).toEqual([a, { ...a, x: 21 }, { ...a, width: 11 }, { ...a, y: 32 }, { ...a, height: 12 }]);
  });
});

describe('sourceRect and movingPictureSource: the rectangle in the video\'s own pixels', () => {
  it('scales each axis by its own ratio and rounds', () => {
    expect(sourceRect({ x: 10, y: 20, width: 100, height: 50 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ x: 50, y: 100, width: 500, height: 250 });
    // 640 x 480 from 256 x 144: 2.5 across, 10/3 down.
    expect(sourceRect({ x: 3, y: 3, width: 10, height: 9 }, { width: 256, height: 144 }, { width: 640, height: 480 })).toEqual({ x: 8, y: 10, width: 25, height: 30 });
  });
  it('clamps to the source: no negative corner, no side past the edge, at least 1 px', () => {
    expect(sourceRect({ x: 250, y: 140, width: 10, height: 10 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ x: 1250, y: 700, width: 30, height: 20 });
    expect(sourceRect({ x: -2, y: -1, width: 0, height: 0 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });
  it('draws the cut at its own size up to 640 on the long side', () => {
    expect(movingPictureSource({ x: 10, y: 20, width: 100, height: 50 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ source: { x: 50, y: 100, width: 500, height: 250 }, draw: { width: 500, height: 250 } });
    expect(movingPictureSource({ x: 0, y: 0, width: 256, height: 144 }, { width: 256, height: 144 }, { width: 1920, height: 1080 })).toEqual({ source: { x: 0, y: 0, width: 1920, height: 1080 }, draw: { width: 640, height: 360 } });
  });
});

/** The w x h block at (x0, y0) of a one-channel picture, copied by hand. */
function block(px: Pixels, x0: number, y0: number, w: number, h: number): Pixels {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = px.data[(y0 + y) * px.width + x0 + x]!;
  return { width: w, height: h, channels: 1, data };
}

describe('movingPicturePixels and movingPictureFromVideo: the cut, in the decoded frame or the video', () => {
  const big = grey(128, 96, 1, (x, y) => (x * 7 + y * 13) % 251)[0]!;
  it('cuts the rectangle found in a 64 x 48 frame from a 128 x 96 decoded frame (twice the size), small enough to stay as cut', () => {
    expect(movingPicturePixels(big, { width: 64, height: 48 }, { x: 8, y: 4, width: 32, height: 24 })).toEqual(block(big, 16, 8, 64, 48));
    expect(movingPictureFromVideo(big, { width: 64, height: 48 }, { x: 8, y: 4, width: 32, height: 24 })).toEqual(block(big, 16, 8, 64, 48));
  });
});

describe('resizeArea: each output pixel the mean of the source pixels it covers', () => {
  it('halves a grey picture by 2 x 2 means', () => {
    const px = { width: 4, height: 2, channels: 1 as const, data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]) };
    expect(resizeArea(px, 2, 1)).toEqual({ width: 2, height: 1, channels: 1 as const, data: Uint8Array.from([25, 45]) });
  });
  it('covers 2 then 3 source columns of 5, per channel', () => {
    const data = new Uint8Array(15);
    for (let i = 0; i < 5; i++) data.set([10 * i, 100 + i, 255 - 20 * i], i * 3);
    // (0 + 10) / 2, (100 + 101) / 2 = 100.5 → 101, (255 + 235) / 2; then (20 + 30 + 40) / 3, 103, (215 + 195 + 175) / 3.
    expect(resizeArea({ width: 5, height: 1, channels: 3 as const, data }, 2, 1).data).toEqual(Uint8Array.from([5, 101, 245, 30, 103, 195]));
  });
  it('covers 1 then 2 source rows and columns of 3', () => {
    const px = { width: 3, height: 3, channels: 1 as const, data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80]) };
    expect(resizeArea(px, 2, 2).data).toEqual(Uint8Array.from([0, 15, 45, 60]));
  });
  it('takes all three rows of a 4 x 3 picture into one, rounding the mean', () => {
    const px = { width: 4, height: 3, channels: 1 as const, data: Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) };
    expect(resizeArea(px, 2, 1).data).toEqual(Uint8Array.from([5, 7])); // 27 / 6 = 4.5 → 5, 39 / 6 = 6.5 → 7
  });
  it('copies each source pixel into the block it covers when enlarging', () => {
    const px = { width: 2, height: 2, channels: 1 as const, data: Uint8Array.from([1, 2, 3, 4]) };
    expect(resizeArea(px, 4, 4).data).toEqual(Uint8Array.from([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]));
  });
});

// --- The sides: snapped to a step of the mean frame, else walked out to two plain lines.
//
// Four frames, each pixel given its four levels: the picture "pulses" (160, a checkerboard
// 100 / 220, 160, the checkerboard inverted: its mean is 160 exactly, every pixel moves, and the
// last frame's detail is 120 between neighbours); a "blink" pixel goes 160, 220, 100, 160 (it moves,
// its mean is 160 and the last frame is flat there); anything else stands still. Means of four
// frames are exact, so a step of 12 or 13 levels is exactly that.
type Levels = readonly [number, number, number, number];
const PULSE = (x: number, y: number): Levels => ((x + y) % 2 ? [160, 220, 160, 100] : [160, 100, 160, 220]);
const BLINK: Levels = [160, 220, 100, 160];
const still = (v: number): Levels => [v, v, v, v];
/** A still fine checkerboard 160 ± a (detail 2a in every direction, mean steps of 2a between lines). */
const fine = (a: number) => (x: number, y: number): Levels => still((x + y) % 2 ? 160 + a : 160 - a);

function four(W: number, H: number, f: (x: number, y: number) => Levels): Pixels[] {
  const at = Array.from({ length: W * H }, (_, i) => f(i % W, Math.floor(i / W)));
  return [0, 1, 2, 3].map((k) => ({ width: W, height: H, channels: 1, data: Uint8Array.from(at, (l) => l[k]!) }));
}
/** The picture `pic` with the pulsing part `mov` (the rest of the picture `margin`), in a still `wrapper`. */
function picture(W: number, H: number, pic: Box, mov: Box, margin: (x: number, y: number) => Levels, wrapper: (x: number, y: number) => Levels = () => still(160)): Pixels[] {
  return four(W, H, (x, y) => (inside(mov, x, y) ? PULSE(x, y) : inside(pic, x, y) ? margin(x, y) : wrapper(x, y)));
}

describe('findMovingPictures: a side walks out over the picture\'s still part to two plain lines', () => {
  const P = { x: 16, y: 10, width: 64, height: 60 }; // in 96 x 80, no step anywhere (all means 160)
  it('walks up, down, left and right over a still margin with detail (a fixed camera\'s still street)', () => {
    expect(findMovingPictures(picture(96, 80, P, { x: 16, y: 24, width: 64, height: 46 }, fine(3)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, { x: 16, y: 10, width: 64, height: 46 }, fine(3)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, { x: 30, y: 10, width: 50, height: 60 }, fine(3)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, { x: 16, y: 10, width: 50, height: 60 }, fine(3)))).toEqual([P]);
  });
  it('starts outside what moves, even when its own first and last lines are plain in the last frame', () => {
    // The clip's first and last rows (then columns) blink: they move, but the last frame is flat there.
    const clip = { x: 16, y: 20, width: 64, height: 50 };
    const rows = four(96, 80, (x, y) => (inside(clip, x, y) ? (y === 20 || y === 69 ? BLINK : PULSE(x, y)) : still(160)));
    expect(findMovingPictures(rows)).toEqual([clip]);
    const cols = four(96, 80, (x, y) => (inside(clip, x, y) ? (x === 16 || x === 79 ? BLINK : PULSE(x, y)) : still(160)));
    expect(findMovingPictures(cols)).toEqual([clip]);
  });
  it('a line is plain under PLAIN_DETAIL = 2: a margin of detail 2 is picture, of detail 1 wrapper', () => {
    const tall = { x: 16, y: 8, width: 64, height: 62 };
    const mov = { x: 16, y: 20, width: 64, height: 50 }; // taller than 3/4 of its width: no ladder cuts
    expect(findMovingPictures(picture(96, 80, tall, mov, fine(1)))).toEqual([tall]); // 159 / 161
    expect(findMovingPictures(picture(96, 80, tall, mov, (x, y) => still((x + y) % 2 ? 161 : 160)))).toEqual([mov]);
    const side = { x: 30, y: 10, width: 50, height: 60 };
    expect(findMovingPictures(picture(96, 80, P, side, fine(1)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, side, (x, y) => still((x + y) % 2 ? 161 : 160)))).toEqual([side]);
  });
  it('a line\'s detail is read over the box\'s extent only: a wrapper 12 levels off just outside it does not count', () => {
    // Margin 159 / 161 but its last column (row) 160: 62 steps of 2 and one of 1 over 63 pairs, 1.98: plain.
    // The wrapper's column (row) just outside each side is 172: 12 levels off the picture, not a step.
    const tall = { x: 16, y: 8, width: 64, height: 62 };
    const mov = { x: 16, y: 20, width: 64, height: 50 };
    const rowsMargin = (x: number, y: number) => (x === 79 ? still(160) : fine(1)(x, y));
    expect(findMovingPictures(picture(96, 80, tall, mov, rowsMargin, (x) => still(x === 15 || x === 80 ? 172 : 160)))).toEqual([mov]);
    const side = { x: 30, y: 10, width: 50, height: 60 }; // margin columns 16–29 over rows 10–69: 58 steps of 2 and one of 1
    const colsMargin = (x: number, y: number) => (y === 69 ? still(160) : fine(1)(x, y));
    expect(findMovingPictures(picture(96, 80, P, side, colsMargin, (_x, y) => still(y === 9 || y === 70 ? 172 : 160)))).toEqual([side]);
  });
  it('needs two plain lines in a row: one plain line in the margin is walked over, three are not', () => {
    const mov = { x: 16, y: 24, width: 64, height: 46 };
    const gap = (rows: number[]) => (x: number, y: number) => (rows.includes(y) ? still(160) : fine(3)(x, y));
    expect(findMovingPictures(picture(96, 80, P, mov, gap([15])))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, mov, gap([14, 15, 16])))).toEqual([{ x: 16, y: 17, width: 64, height: 53 }]);
    const low = { x: 16, y: 10, width: 64, height: 46 }; // margin rows 56–69
    expect(findMovingPictures(picture(96, 80, P, low, gap([62])))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, low, gap([61, 62, 63])))).toEqual([{ x: 16, y: 10, width: 64, height: 51 }]);
  });
  it('a plain line next to a line of detail exactly 2 is not two plain lines; nor is a plain line next to the frame\'s first row with detail', () => {
    const mov = { x: 16, y: 24, width: 64, height: 46 };
    const gap1 = (x: number, y: number) => (y === 15 ? still(160) : fine(1)(x, y)); // row 15 plain, row 14 detail 2
    expect(findMovingPictures(picture(96, 80, P, mov, gap1))).toEqual([P]);
    const top = { x: 16, y: 0, width: 64, height: 70 };
    const row1 = (x: number, y: number) => (y === 1 ? still(160) : fine(3)(x, y)); // row 1 plain, row 0 detail
    expect(findMovingPictures(picture(96, 80, top, { x: 16, y: 14, width: 64, height: 56 }, row1))).toEqual([top]);
  });
  it('walks as far as the frame\'s edge, where one plain line is enough', () => {
    const mov = { x: 16, y: 14, width: 64, height: 56 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 0, width: 64, height: 70 }, mov, fine(3)))).toEqual([{ x: 16, y: 0, width: 64, height: 70 }]);
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 1, width: 64, height: 69 }, mov, fine(3)))).toEqual([{ x: 16, y: 1, width: 64, height: 69 }]);
    const up = { x: 16, y: 10, width: 64, height: 56 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 10, width: 64, height: 70 }, up, fine(3)))).toEqual([{ x: 16, y: 10, width: 64, height: 70 }]);
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 10, width: 64, height: 69 }, up, fine(3)))).toEqual([{ x: 16, y: 10, width: 64, height: 69 }]);
  });
});

describe('findMovingPictures: a side snaps to a step of the mean frame within `snap`', () => {
  // Wrapper 220, the picture's still margin flat 160 (plain: walking would stop where it moves).
  const wrap = () => still(220);
  const flat = () => still(160);
  const mov = { x: 16, y: 30, width: 64, height: 30 }; // reach: ceil(80 · 0.08) = 7 rows, ceil(96 · 0.08) = 8 columns
  it('reaches 7 rows up and down, 8 columns left and right', () => {
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 23, width: 64, height: 37 }, mov, flat, wrap))).toEqual([{ x: 16, y: 23, width: 64, height: 37 }]);
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 22, width: 64, height: 38 }, mov, flat, wrap))).toEqual([{ x: 16, y: 30, width: 64, height: 30 }]);
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 30, width: 64, height: 37 }, mov, flat, wrap))).toEqual([{ x: 16, y: 30, width: 64, height: 37 }]);
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 30, width: 64, height: 38 }, mov, flat, wrap))).toEqual([{ x: 16, y: 30, width: 64, height: 30 }]);
    const narrow = { x: 24, y: 20, width: 40, height: 40 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 20, width: 48, height: 40 }, narrow, flat, wrap))).toEqual([{ x: 16, y: 20, width: 48, height: 40 }]);
    expect(findMovingPictures(picture(96, 80, { x: 15, y: 20, width: 49, height: 40 }, narrow, flat, wrap))).toEqual([narrow]);
    expect(findMovingPictures(picture(96, 80, { x: 24, y: 20, width: 48, height: 40 }, narrow, flat, wrap))).toEqual([{ x: 24, y: 20, width: 48, height: 40 }]);
    expect(findMovingPictures(picture(96, 80, { x: 24, y: 20, width: 49, height: 40 }, narrow, flat, wrap))).toEqual([narrow]);
  });
  it('top and left from one line inside: a first line that moves but means the wrapper\'s level is spill', () => {
    // The clip's first row (or column) flickers around 220, the wrapper's level (220, 250, 220, 190).
    const SPILL: Levels = [220, 250, 220, 190];
    const clip = { x: 16, y: 20, width: 64, height: 50 };
    const rowSpill = four(96, 80, (x, y) => (inside(clip, x, y) ? (y === 20 ? SPILL : PULSE(x, y)) : still(220)));
    expect(findMovingPictures(rowSpill)).toEqual([{ x: 16, y: 21, width: 64, height: 49 }]);
    const colSpill = four(96, 80, (x, y) => (inside(clip, x, y) ? (x === 16 ? SPILL : PULSE(x, y)) : still(220)));
    expect(findMovingPictures(colSpill)).toEqual([{ x: 17, y: 20, width: 63, height: 50 }]);
  });
  it('to the frame\'s edge within reach', () => {
    const top = { x: 16, y: 7, width: 64, height: 40 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 0, width: 64, height: 47 }, top, flat, wrap))).toEqual([{ x: 16, y: 0, width: 64, height: 47 }]);
    const top8 = { x: 16, y: 8, width: 64, height: 40 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 0, width: 64, height: 48 }, top8, flat, wrap))).toEqual([top8]);
    const bottom = { x: 16, y: 33, width: 64, height: 40 }; // ends 7 rows from the bottom
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 33, width: 64, height: 47 }, bottom, flat, wrap))).toEqual([{ x: 16, y: 33, width: 64, height: 47 }]);
    const bottom8 = { x: 16, y: 32, width: 64, height: 40 };
    expect(findMovingPictures(picture(96, 80, { x: 16, y: 32, width: 64, height: 48 }, bottom8, flat, wrap))).toEqual([bottom8]);
    const left = { x: 8, y: 20, width: 48, height: 44 };
    expect(findMovingPictures(picture(96, 80, { x: 0, y: 20, width: 56, height: 44 }, left, flat, wrap))).toEqual([{ x: 0, y: 20, width: 56, height: 44 }]);
    const left9 = { x: 9, y: 20, width: 48, height: 44 };
    expect(findMovingPictures(picture(96, 80, { x: 0, y: 20, width: 57, height: 44 }, left9, flat, wrap))).toEqual([left9]);
    const right = { x: 40, y: 20, width: 48, height: 44 };
    expect(findMovingPictures(picture(96, 80, { x: 40, y: 20, width: 56, height: 44 }, right, flat, wrap))).toEqual([{ x: 40, y: 20, width: 56, height: 44 }]);
    const right9 = { x: 39, y: 20, width: 48, height: 44 };
    expect(findMovingPictures(picture(96, 80, { x: 39, y: 20, width: 57, height: 44 }, right9, flat, wrap))).toEqual([right9]);
  });
  it('one side snapped, the next walked: each keeps its own direction', () => {
    // The top margin flat (snaps to the wrapper's step 7 rows up; a walk would stop where it moves),
    // the left margin a still texture (no step within reach: walks out to the wrapper).
    const P = { x: 16, y: 10, width: 64, height: 60 };
    const m1 = (x: number, y: number) => (y < 17 ? still(160) : fine(3)(x, y));
    expect(findMovingPictures(picture(96, 80, P, { x: 30, y: 17, width: 50, height: 53 }, m1, wrap))).toEqual([P]);
    // The left margin flat (snaps to the wrapper 8 columns out), the top margin a still texture (walks).
    const m2 = (x: number, y: number) => (y < 24 ? fine(3)(x, y) : still(160));
    expect(findMovingPictures(picture(96, 80, P, { x: 24, y: 24, width: 56, height: 46 }, m2, wrap))).toEqual([P]);
  });
  it('a step is more than 12 levels over at least half the side', () => {
    const P = { x: 16, y: 23, width: 64, height: 37 };
    expect(findMovingPictures(picture(96, 80, P, mov, flat, () => still(173)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, mov, flat, () => still(172)))).toEqual([mov]);
    expect(findMovingPictures(picture(96, 80, P, mov, flat, () => still(147)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, mov, flat, () => still(148)))).toEqual([mov]);
    // The wrapper's row above the picture steps against it over the first k of its 64 columns only
    // (160 over the rest, the row above that 8 rows out of reach); the margin 160 / 161 (plain, but
    // with the detail to hold the wrapper's one step of 60 along that row under 35% of its own).
    const half = (k: number) => (x: number, y: number) => (y === 22 && x >= 16 + k ? still(160) : still(220));
    const faintMargin = (x: number, y: number) => still((x + y) % 2 ? 161 : 160);
    expect(findMovingPictures(picture(96, 80, P, mov, faintMargin, half(32)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, mov, faintMargin, half(31)))).toEqual([mov]);
  });
  it('the same on a column: more than 12 levels, over at least half the side', () => {
    const P = { x: 16, y: 8, width: 64, height: 64 };
    const right = { x: 24, y: 8, width: 56, height: 64 }; // the picture's 8 left columns still and flat
    expect(findMovingPictures(picture(96, 80, P, right, flat, () => still(173)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, right, flat, () => still(172)))).toEqual([right]);
    // The wrapper's column left of the picture steps against it over its first k of 64 rows only.
    const half = (k: number) => (x: number, y: number) => (x === 15 && y >= 8 + k ? still(160) : still(220));
    const faintMargin = (x: number, y: number) => still((x + y) % 2 ? 161 : 160);
    expect(findMovingPictures(picture(96, 80, P, right, faintMargin, half(32)))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, right, faintMargin, half(31)))).toEqual([right]);
  });
});

describe('findMovingPictures: peeling the lines that barely move', () => {
  const wrap = () => still(220);
  const flat = () => still(160);
  /** k blink pixels, every other column from x0 (none adjacent), on row y; else `rest`. */
  const sparseRow = (y: number, x0: number, k: number, rest: (x: number, y: number) => Levels) => (x: number, yy: number) => (yy === y && x >= x0 && x < x0 + 2 * k && (x - x0) % 2 === 0 ? BLINK : rest(x, yy));
  const sparseCol = (x: number, y0: number, k: number, rest: (x: number, y: number) => Levels) => (xx: number, y: number) => (xx === x && y >= y0 && y < y0 + 2 * k && (y - y0) % 2 === 0 ? BLINK : rest(xx, y));
  it('a row stays when lineShare of it moves (24 of 96 at 0.25), not one pixel less', () => {
    const P = { x: 16, y: 10, width: 64, height: 64 }; // in 97 x 80: the first pass reads 96 columns
    const top = { x: 16, y: 20, width: 64, height: 54 }; // rows 11–19 still and plain
    expect(findMovingPictures(picture(97, 80, P, top, sparseRow(10, 16, 24, flat), wrap), { lineShare: 0.25 })).toEqual([P]);
    expect(findMovingPictures(picture(97, 80, P, top, sparseRow(10, 16, 23, flat), wrap), { lineShare: 0.25 })).toEqual([top]);
    const bottom = { x: 16, y: 10, width: 64, height: 54 }; // rows 64–72 still, 73 sparse
    expect(findMovingPictures(picture(97, 80, P, bottom, sparseRow(73, 16, 24, flat), wrap), { lineShare: 0.25 })).toEqual([P]);
    expect(findMovingPictures(picture(97, 80, P, bottom, sparseRow(73, 16, 23, flat), wrap), { lineShare: 0.25 })).toEqual([bottom]);
    // Once the columns are peeled a row's share is of the box's width (24 of 56 here), not of more.
    const R = { x: 40, y: 10, width: 56, height: 64 };
    expect(findMovingPictures(picture(97, 80, R, { x: 40, y: 20, width: 56, height: 54 }, sparseRow(10, 40, 24, flat), wrap), { lineShare: 0.25 })).toEqual([R]);
  });
  it('a column stays when lineShare of it moves (4 of 64 at 0.0625), not one pixel less', () => {
    const P = { x: 10, y: 10, width: 70, height: 64 };
    const right = { x: 20, y: 10, width: 60, height: 64 };
    expect(findMovingPictures(picture(96, 80, P, right, sparseCol(10, 10, 4, flat), wrap), { lineShare: 0.0625 })).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, right, sparseCol(10, 10, 3, flat), wrap), { lineShare: 0.0625 })).toEqual([right]);
    const Q = { x: 16, y: 10, width: 70, height: 64 };
    const left = { x: 16, y: 10, width: 60, height: 64 };
    expect(findMovingPictures(picture(96, 80, Q, left, sparseCol(85, 10, 4, flat), wrap), { lineShare: 0.0625 })).toEqual([Q]);
    expect(findMovingPictures(picture(96, 80, Q, left, sparseCol(85, 10, 3, flat), wrap), { lineShare: 0.0625 })).toEqual([left]);
  });
  it('rows at the ends moving less than a fifth of the median row are peeled (a translucent caption band): 13 of 64 stay, 12 go', () => {
    // Band rows of k blink pixels (their last frame flat: plain), no step between band and picture.
    const band = (rows: [number, number], k: number) => (x: number, y: number) => (y >= rows[0] && y < rows[1] && x >= 16 && x < 80 && (x - 16) % 4 === (y % 2) * 2 && (x - 16 - (y % 2) * 2) / 4 < k ? BLINK : still(160));
    const P = { x: 16, y: 10, width: 64, height: 60 };
    const below = { x: 16, y: 20, width: 64, height: 50 };
    expect(findMovingPictures(picture(96, 80, P, below, band([10, 20], 13), wrap))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, below, band([10, 20], 12), wrap))).toEqual([below]);
    const above = { x: 16, y: 10, width: 64, height: 50 };
    expect(findMovingPictures(picture(96, 80, P, above, band([60, 70], 13), wrap))).toEqual([P]);
    expect(findMovingPictures(picture(96, 80, P, above, band([60, 70], 12), wrap))).toEqual([above]);
  });
  it('a band row moving exactly a fifth of the median row stays (12 of 64 against rows moving 60 of 64)', () => {
    // Four still columns in the picture (x ≡ 8 mod 16: their gradient changes, their luma does not):
    // its rows move 60 of 64, a fifth of that is 12 / 64 exactly.
    const band = (rows: [number, number], k: number) => (x: number, y: number) => (y >= rows[0] && y < rows[1] && x >= 16 && x < 80 && (x - 16) % 4 === (y % 2) * 2 && (x - 16 - (y % 2) * 2) / 4 < k ? BLINK : still(160));
    const f = (mov: Box, rows: [number, number], k: number) => four(96, 80, (x, y) => (inside(mov, x, y) ? (x % 16 === 8 ? still(160) : PULSE(x, y)) : inside({ x: 16, y: 10, width: 64, height: 60 }, x, y) ? band(rows, k)(x, y) : still(220)));
    const P = { x: 16, y: 10, width: 64, height: 60 };
    const below = { x: 16, y: 20, width: 64, height: 50 };
    expect(findMovingPictures(f(below, [10, 20], 12))).toEqual([P]);
    expect(findMovingPictures(f(below, [10, 20], 11))).toEqual([below]);
    const above = { x: 16, y: 10, width: 64, height: 50 };
    expect(findMovingPictures(f(above, [60, 70], 12))).toEqual([P]);
    expect(findMovingPictures(f(above, [60, 70], 11))).toEqual([above]);
  });
  it('the fifth is of the median row, not of the middle row: a half-moving stripe in the middle changes nothing', () => {
    const band = (x: number, y: number) => (y >= 10 && y < 20 && x >= 16 && x < 80 && (x - 16) % 4 === (y % 2) * 2 && (x - 16 - (y % 2) * 2) / 4 < 12 ? BLINK : still(160));
    // Rows 39–41 of the box (rows 10–69; row 40 its middle one) have only their odd columns moving.
    const f = four(96, 80, (x, y) => (inside({ x: 16, y: 20, width: 64, height: 50 }, x, y) ? (y >= 39 && y <= 41 && x % 2 === 0 ? still(160) : PULSE(x, y)) : inside({ x: 16, y: 10, width: 64, height: 60 }, x, y) ? band(x, y) : still(220)));
    expect(findMovingPictures(f)).toEqual([{ x: 16, y: 20, width: 64, height: 50 }]);
  });
});

describe('findMovingPictures: minMove', () => {
  const mov = { x: 32, y: 12, width: 64, height: 40 }; // in 128 x 64; 4:3 cut 0.167 → rung 0.18 keeps 39: no cut
  const f = picture(128, 64, mov, mov, () => still(160), () => still(220));
  it('what moves must span minMove of the height (40 of 64 at 0.625, not at 41/64) and of the width (64 of 128 at 0.5, not at 65/128)', () => {
    const wide = { x: 16, y: 12, width: 96, height: 40 }; // 16:9 cut 0.26, past the last rung; 4:3 0.44
    const g = picture(128, 64, wide, wide, () => still(160), () => still(220));
    expect(findMovingPictures(g, { minMove: 0.625 })).toEqual([wide]);
    expect(findMovingPictures(g, { minMove: 41 / 64 })).toEqual([]);
    expect(findMovingPictures(f, { minMove: 0.5 })).toEqual([mov]);
    expect(findMovingPictures(f, { minMove: 65 / 128 })).toEqual([]);
  });
  it('against the frame\'s bottom the last row never moves (gradients stop one short); against the top the first row does', () => {
    const low = { x: 16, y: 24, width: 96, height: 40 }; // rows 24–63: 39 of them move
    const g = picture(128, 64, low, low, () => still(160), () => still(220));
    expect(findMovingPictures(g, { minMove: 39 / 64 })).toEqual([low]);
    expect(findMovingPictures(g, { minMove: 40 / 64 })).toEqual([]);
    const high = { x: 16, y: 0, width: 96, height: 40 }; // rows 0–39: all 40 move
    expect(findMovingPictures(picture(128, 64, high, high, () => still(160), () => still(220)), { minMove: 40 / 64 })).toEqual([high]);
  });
});

describe('findMovingPictures: the centred rectangles of the common aspect ratios', () => {
  const wrap = () => still(220);
  it('a full-width clip in a square frame: the centred 4:3 that holds all that moves, after the clip', () => {
    const clip = { x: 0, y: 21, width: 96, height: 54 }; // 16:9 centred in 96 x 96: itself; 4:3 is rows 12–83; 1:1 is the frame
    expect(findMovingPictures(picture(96, 96, clip, clip, () => still(160), wrap))).toEqual([clip, { x: 0, y: 12, width: 96, height: 72 }]);
  });
  it('at most MAX_PICTURES = 4: the clip, the centred 16:9 and 4:3, then the ladder\'s cuts of the clip (the fifth, its bottom part, dropped)', () => {
    // 58 rows: as a cut of a 4:3 clip (72 rows) it is 0.194 → rung 0.25 keeps 54, from the top (19) and from the bottom (23).
    const clip = { x: 0, y: 19, width: 96, height: 58 };
    expect(MAX_PICTURES).toBe(4);
    expect(findMovingPictures(picture(96, 96, clip, clip, () => still(160), wrap))).toEqual([clip, { x: 0, y: 21, width: 96, height: 54 }, { x: 0, y: 12, width: 96, height: 72 }, { x: 0, y: 19, width: 96, height: 54 }]);
  });
  it('what moves may poke out of it by 5% (5 rows of 96), not 6', () => {
    const c = (y: number, height: number) => ({ x: 0, y, width: 96, height });
    expect(findMovingPictures(picture(96, 96, c(7, 82), c(7, 82), () => still(160), wrap))).toEqual([c(7, 82), c(12, 72)]);
    expect(findMovingPictures(picture(96, 96, c(6, 84), c(6, 84), () => still(160), wrap))).toEqual([c(6, 84)]);
    expect(findMovingPictures(picture(96, 96, c(7, 83), c(7, 83), () => still(160), wrap))).toEqual([c(7, 83)]);
  });
  it('in a landscape frame only when the clip spans its width', () => {
    const c = { x: 0, y: 8, width: 128, height: 80 }; // 128 x 96: 16:9 is rows 12–83
    expect(findMovingPictures(picture(128, 96, c, c, () => still(160), wrap))).toEqual([c, { x: 0, y: 12, width: 128, height: 72 }]);
    const inner = { x: 10, y: 8, width: 108, height: 80 };
    expect(findMovingPictures(picture(128, 96, inner, inner, () => still(160), wrap))).toEqual([inner]);
  });
  it('a frame at least 0.95 as tall as wide counts as square (95 of 100), 94 does not', () => {
    const c = { x: 10, y: 20, width: 80, height: 60 };
    expect(findMovingPictures(picture(100, 95, c, c, () => still(160), wrap))).toEqual([c, { x: 0, y: 20, width: 100, height: 56 }, { x: 0, y: 10, width: 100, height: 75 }]);
    expect(findMovingPictures(picture(100, 94, c, c, () => still(160), wrap))).toEqual([c]);
  });
  it('a full-height clip in a landscape frame: the centred portrait rectangles within 5% (7 columns of 128)', () => {
    const c = (x: number, width: number) => ({ x, y: 0, width, height: 64 }); // 128 x 64: 3:4 is columns 40–87, 1:1 32–95, 9:16 46–81
    expect(findMovingPictures(picture(128, 64, c(38, 52), c(38, 52), () => still(160), wrap))).toEqual([c(38, 52), c(40, 48), c(32, 64)]);
    expect(findMovingPictures(picture(128, 64, c(33, 62), c(33, 62), () => still(160), wrap))).toEqual([c(33, 62), c(40, 48), c(32, 64)]);
    expect(findMovingPictures(picture(128, 64, c(32, 63), c(32, 63), () => still(160), wrap))).toEqual([c(32, 63), c(32, 64)]);
    expect(findMovingPictures(picture(128, 64, c(33, 63), c(33, 63), () => still(160), wrap))).toEqual([c(33, 63), c(32, 64)]);
  });
  it('only when what moves spans minKeep both ways (45 rows of 96 at 45/96, not at 46/96; 48 columns at 0.5, not at 49/96)', () => {
    // The clip's top 9 rows are a still margin with detail: the side walks up to the clip's edge, what moves starts 9 rows lower.
    const clip = { x: 0, y: 21, width: 96, height: 54 };
    const f = picture(96, 96, clip, { x: 0, y: 30, width: 96, height: 45 }, fine(3), wrap);
    expect(findMovingPictures(f, { minKeep: 45 / 96 })).toEqual([clip, { x: 0, y: 12, width: 96, height: 72 }]);
    expect(findMovingPictures(f, { minKeep: 46 / 96 })).toEqual([clip]);
    // Its right half a still margin with detail: what moves is 48 columns of 96.
    const g = picture(96, 96, clip, { x: 0, y: 21, width: 48, height: 54 }, fine(3), wrap);
    expect(findMovingPictures(g, { minKeep: 0.5 })).toEqual([clip, { x: 0, y: 12, width: 96, height: 72 }]);
    expect(findMovingPictures(g, { minKeep: 49 / 96 })).toEqual([clip]);
    // Its left half the still margin: what moves is columns 48–94 (the frame's last column never moves), 47 of 96.
    const k = picture(96, 96, clip, { x: 48, y: 21, width: 48, height: 54 }, fine(3), wrap);
    expect(findMovingPictures(k, { minKeep: 47 / 96 })).toEqual([clip, { x: 0, y: 12, width: 96, height: 72 }]);
    expect(findMovingPictures(k, { minKeep: 0.5 })).toEqual([clip]);
  });
});

describe('findMovingPictures: a caption over the top or the bottom of a clip that fills the frame', () => {
  // 100 x 200: the caption band still with detail (no step, so the sides walk to the frame's edges: no rectangle of their own).
  const frame = (mov: Box) => picture(100, 200, { x: 0, y: 0, width: 100, height: 200 }, mov, fine(3));
  it('what moves reaches the bottom, its top 3–26.5% down: the picture below the band, cut at the rung', () => {
    expect(findMovingPictures(frame({ x: 0, y: 53, width: 100, height: 147 }))).toEqual([{ x: 0, y: 53, width: 100, height: 147 }]); // 0.265: past the last rung's reach
    expect(findMovingPictures(frame({ x: 0, y: 54, width: 100, height: 146 }))).toEqual([]);
    expect(findMovingPictures(frame({ x: 0, y: 6, width: 100, height: 194 }))).toEqual([{ x: 0, y: 25, width: 100, height: 175 }]); // 0.03 → rung 0.125
    expect(findMovingPictures(frame({ x: 0, y: 5, width: 100, height: 195 }))).toEqual([]);
  });
  it('a band under 3% is no caption, even when a strip that thin would count (minStrip 0.01)', () => {
    expect(findMovingPictures(frame({ x: 0, y: 5, width: 100, height: 195 }), { minStrip: 0.01 })).toEqual([]);
    expect(findMovingPictures(frame({ x: 0, y: 0, width: 100, height: 195 }), { minStrip: 0.01 })).toEqual([]);
  });
  it('within 5% of the bottom (10 rows of 200), and across 85% of the width', () => {
    expect(findMovingPictures(frame({ x: 0, y: 53, width: 100, height: 137 }))).toEqual([{ x: 0, y: 53, width: 100, height: 147 }]); // moves down to row 189
    expect(findMovingPictures(frame({ x: 0, y: 53, width: 100, height: 136 }))).toEqual([]);
    expect(findMovingPictures(frame({ x: 0, y: 53, width: 85, height: 147 }))).toEqual([{ x: 0, y: 53, width: 100, height: 147 }]);
    expect(findMovingPictures(frame({ x: 0, y: 53, width: 84, height: 147 }))).toEqual([]);
    // Against the right edge: the frame's last column never moves (gradients stop one short).
    expect(findMovingPictures(frame({ x: 14, y: 53, width: 86, height: 147 }))).toEqual([{ x: 0, y: 53, width: 100, height: 147 }]);
    expect(findMovingPictures(frame({ x: 15, y: 53, width: 85, height: 147 }))).toEqual([]);
  });
  it('what moves reaches the top, its bottom 3–26.5% up: the picture above the band (a ticker)', () => {
    expect(findMovingPictures(frame({ x: 0, y: 0, width: 100, height: 147 }))).toEqual([{ x: 0, y: 0, width: 100, height: 147 }]);
    expect(findMovingPictures(frame({ x: 0, y: 0, width: 100, height: 146 }))).toEqual([]);
    expect(findMovingPictures(frame({ x: 0, y: 0, width: 100, height: 194 }))).toEqual([{ x: 0, y: 0, width: 100, height: 175 }]);
    expect(findMovingPictures(frame({ x: 0, y: 0, width: 100, height: 195 }))).toEqual([]);
    expect(findMovingPictures(frame({ x: 0, y: 10, width: 100, height: 137 }))).toEqual([{ x: 0, y: 0, width: 100, height: 147 }]);
    expect(findMovingPictures(frame({ x: 0, y: 11, width: 100, height: 136 }))).toEqual([]);
  });
});

describe('findMovingPictures: what a rectangle must be', () => {
  const wrap = () => still(220);
  const only = (W: number, H: number, c: Box) => findMovingPictures(picture(W, H, c, c, () => still(160), wrap));
  it('it loses at least minStrip of the frame on some side (20 of 128 columns at 0.15625; 15 of 100 rows and 19 of 128 columns are less)', () => {
    expect(findMovingPictures(picture(128, 100, { x: 20, y: 15, width: 88, height: 70 }, { x: 20, y: 15, width: 88, height: 70 }, () => still(160), wrap), { minStrip: 0.15625 })).toEqual([{ x: 20, y: 15, width: 88, height: 70 }]);
    expect(findMovingPictures(picture(128, 100, { x: 19, y: 15, width: 90, height: 70 }, { x: 19, y: 15, width: 90, height: 70 }, () => still(160), wrap), { minStrip: 0.15625 })).toEqual([]);
  });
  it('it keeps at least minKeep (25%) of each dimension: 24 of 96 columns, 20 of 80 rows', () => {
    expect(only(96, 80, { x: 36, y: 20, width: 24, height: 40 })).toEqual([{ x: 36, y: 20, width: 24, height: 40 }]);
    expect(only(96, 80, { x: 36, y: 20, width: 23, height: 40 })).toEqual([]);
    expect(only(96, 80, { x: 20, y: 30, width: 40, height: 20 })).toEqual([{ x: 20, y: 30, width: 40, height: 20 }]); // 16:9 rung keeps 20: no cut
    expect(only(96, 80, { x: 20, y: 30, width: 40, height: 19 })).toEqual([]);
  });
});

describe('findMovingPictures: the wrapper is plainer than the picture\'s edge (WRAPPER_SHARE)', () => {
  // The clip pulses (its last frame's detail 120 between neighbours: 360 over the three lines inside
  // each side); the wrapper is a still checkerboard 220 ± a on one side (or all round): 6a over
  // the three lines outside. 6 · 20 = 120 is under 0.35 · 360 = 126, 6 · 21 = 126 is not (0.35 · 360 is a hair under 126 in doubles).
  const clip = { x: 16, y: 20, width: 64, height: 50 };
  const textured = (a: number, where: (x: number, y: number) => boolean) => (x: number, y: number) => (where(x, y) ? still((x + y) % 2 ? 220 + a : 220 - a) : still(220));
  const sides: Record<string, (x: number, y: number) => boolean> = {
    top: (_x, y) => y < 20,
    bottom: (_x, y) => y >= 70,
    left: (x) => x < 16,
    right: (x) => x >= 80,
  };
  it('holds with the wrapper\'s detail at 20 on every side, not at 21', () => {
    expect(WRAPPER_SHARE).toBe(0.35);
    expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), textured(20, () => true)))).toEqual([clip]);
    expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), textured(21, () => true)))).toEqual([]);
  });
  it('each side on its own', () => {
    for (const [side, where] of Object.entries(sides)) {
      expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), textured(20, where))), side).toEqual([clip]);
      expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), textured(21, where))), side).not.toContainEqual(clip);
    }
  });
  it('the three lines outside reach the frame\'s first row: a clip 2 rows down, the wrapper\'s row 0 over it alternating 58 / 198 (detail 140)', () => {
    // Not wrapped (140 > 126): the sides walk instead, the top over the plain row 1 and the detailed row 0 to the frame's edge.
    const clip = { x: 16, y: 2, width: 64, height: 50 };
    const f = picture(96, 80, clip, clip, () => still(160), (x, y) => (y === 0 && x >= 16 && x < 80 ? still(x % 2 ? 198 : 58) : still(220)));
    expect(findMovingPictures(f)).toEqual([{ x: 16, y: 0, width: 64, height: 52 }]);
  });
  it('the three lines outside: a line of detail 128 (96 / 224) three rows below the clip fails it, four rows below does not', () => {
    // Three rows below: out = 0 + 0 + 128 > 126; the walk stops at the same two plain rows, so nothing is wrapped.
    const clip = { x: 16, y: 20, width: 64, height: 50 };
    const line = (row: number) => (x: number, y: number) => (y === row && x >= 16 && x < 80 ? still(x % 2 ? 224 : 96) : still(220));
    expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), line(72)))).toEqual([]);
    expect(findMovingPictures(picture(96, 80, clip, clip, () => still(160), line(73)))).toEqual([clip]);
  });
  it('when a step inside the picture fails it (the edge of a crowd), the sides walk out from what moves to the plain wrapper instead', () => {
    // The picture's top 14 rows: a still checkerboard 160 ± 25 (steps of 25 against the clip's mean 160, detail 50: too much for a wrapper).
    const P = { x: 16, y: 10, width: 64, height: 60 };
    expect(findMovingPictures(picture(96, 80, P, { x: 16, y: 24, width: 64, height: 46 }, fine(25)))).toEqual([P]);
    const Q = { x: 16, y: 10, width: 64, height: 60 };
    expect(findMovingPictures(picture(96, 80, Q, { x: 30, y: 10, width: 50, height: 60 }, fine(25)))).toEqual([Q]);
  });
});
