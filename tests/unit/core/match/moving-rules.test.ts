// findMovingPictures' rules (src/core/match/moving.ts, docs/matching.md "The moving picture"),
// each pinned on small synthetic frames whose moving map, mean frame and detail are known by
// construction: a "clip" region that changes between frames (fresh binary noise, or a flat frame
// then a checkerboard) inside a wrapper that does not change (flat, or a still texture).
//
// What moves: a pixel whose gradient (|dx| + |dy|, forward differences) changes by more than
// `motion` and whose own luma changes by more than motion / 4. A flat frame followed by a
// checkerboard v ± d changes every inner pixel's gradient from 0 to 4d and its luma by d, so the
// thresholds are crossed at known values. The expected rectangles are where each test put the
// clip, never the detector's own output.
import { describe, expect, it } from 'vitest';
import { findMovingPicture, findMovingPictures } from '../../../../src/core/match';
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
