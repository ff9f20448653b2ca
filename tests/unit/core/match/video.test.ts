// Video frames: the canonical frame size, the keyframe cover, and the moving picture found inside
// frames that wrap it (blurred 1:1 copy, a phone's interface, a caption band). Expected rectangles
// are where each test placed the picture when it built the frames, never the detector's output.
import { describe, expect, it } from 'vitest';
import { hammingDistance, type Hash256 } from '../../../../src/core/hash256';
import { ALIKE_SECONDS, EVIDENCE_RULE, VideoEvidence, clipLooksAlike, evidenceRule, boundedCover, findMovingPicture, findMovingPictures, keyframeCover, pairAllowed, matchRule, resizeArea, sourceRect, videoFrameSize, videoVariants, VIDEO_FRAME_SIDE } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

/** A deterministic textured "camera" picture: smooth blobs + fine grain, shifted by (dx, dy). */
function scene(w: number, h: number, dx: number, dy: number, seed = 1): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x + dx;
      const v = y + dy;
      const blob = 128 + 60 * Math.sin(u / (9 + seed)) * Math.cos(v / 7) + 40 * Math.sin((u + v) / 5);
      const grain = ((Math.imul(u * 73856093 ^ v * 19349663, 83492791) >>> 24) & 63) - 32;
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(blob + grain)));
    }
  }
  return out;
}

/** Box blur of a luma plane (radius r), as a "blurred background". */
function blur(src: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let j = -r; j <= r; j += 2) for (let i = -r; i <= r; i += 2) {
        const xx = Math.min(w - 1, Math.max(0, x + i));
        const yy = Math.min(h - 1, Math.max(0, y + j));
        s += src[yy * w + xx]!;
        n++;
      }
      out[y * w + x] = Math.round(s / n);
    }
  }
  return out;
}

function luma(w: number, h: number, data: Uint8Array): Pixels {
  return { width: w, height: h, channels: 1, data };
}

/** The picture (pw×ph, moving by `step` px a frame) placed at (px0, py0) on a background made by `bg`. */
function frames(W: number, H: number, pic: { x: number; y: number; w: number; h: number }, bg: (k: number) => Uint8Array, n = 3, step = 6): Pixels[] {
  return Array.from({ length: n }, (_, k) => {
    const out = bg(k).slice();
    const p = scene(pic.w, pic.h, k * step, k * 2);
    for (let y = 0; y < pic.h; y++) out.set(p.subarray(y * pic.w, (y + 1) * pic.w), (pic.y + y) * W + pic.x);
    return luma(W, H, out);
  });
}

describe('videoFrameSize', () => {
  it('scales the long side to the shared size, keeping the aspect ratio', () => {
    expect(videoFrameSize(1280, 720)).toEqual({ width: VIDEO_FRAME_SIDE, height: 144 });
    expect(videoFrameSize(720, 1280)).toEqual({ width: 144, height: VIDEO_FRAME_SIDE });
    expect(videoFrameSize(320, 240)).toEqual({ width: VIDEO_FRAME_SIDE, height: 192 });
    expect(videoFrameSize(720, 720)).toEqual({ width: VIDEO_FRAME_SIDE, height: VIDEO_FRAME_SIDE });
  });
});

describe('findMovingPicture', () => {
  const W = 256;
  const H = 256;
  const pic = { x: 0, y: 56, w: 256, h: 144 }; // a 16:9 clip in a 1:1 frame

  it('finds a clip inside a 1:1 frame of its own blurred copy', () => {
    const bg = (k: number) => blur(scene(W, H, k * 3, 0, 2), W, H, 12);
    const r = findMovingPicture(frames(W, H, pic, bg));
    expect(r).not.toBeNull();
    expect(Math.abs(r!.y - pic.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(r!.y + r!.height - (pic.y + pic.h))).toBeLessThanOrEqual(2);
    expect(r!.x).toBeLessThanOrEqual(2);
    expect(r!.x + r!.width).toBeGreaterThanOrEqual(W - 2);
  });

  it('finds a clip inside a still interface with text lines (a screen recording, a news graphic)', () => {
    const ui = new Uint8Array(W * H).fill(30);
    for (const y0 of [10, 24, 210, 230]) for (let y = y0; y < y0 + 6; y++) for (let x = 12; x < 200; x++) if ((x >> 2) % 3) ui[y * W + x] = 230;
    const inset = { x: 20, y: 50, w: 200, h: 140 };
    const r = findMovingPicture(frames(W, H, inset, () => ui));
    expect(r).toEqual({ x: inset.x, y: inset.y, width: inset.w, height: inset.h });
  });

  it('leaves out a caption band that stays over the picture for the whole clip', () => {
    const fr = frames(W, 144, { x: 0, y: 0, w: W, h: 144 }, () => new Uint8Array(W * 144)).map((f) => {
      const d = new Uint8Array(f.data);
      for (let y = 0; y < 19; y++) for (let x = 0; x < W; x++) d[y * W + x] = (y > 6 && y < 13 && (x >> 3) % 2) ? 250 : 10;
      return luma(W, 144, d);
    });
    // The band is 19 of 144 rows (13.2%): the picture is cut at a rung of the publisher's ladder,
    // 12.5% (round(144 × 0.875) = 126 rows kept, within a row of the band) or 18% (118 rows).
    const r = findMovingPicture(fr);
    expect([{ x: 0, y: 18, width: W, height: 126 }, { x: 0, y: 26, width: W, height: 118 }]).toContainEqual(r);
  });

  it('answers null for a clip that fills its frame, a still clip, and a single frame', () => {
    const full = frames(W, 144, { x: 0, y: 0, w: W, h: 144 }, () => new Uint8Array(W * 144));
    expect(findMovingPicture(full)).toBeNull();
    const still = frames(W, H, pic, () => new Uint8Array(W * H), 3, 0);
    expect(findMovingPicture(still.map((f, k) => (k ? { ...f, data: still[0]!.data } : f)))).toBeNull();
    expect(findMovingPicture(full.slice(0, 1))).toBeNull();
  });

  it('answers null where only part of a fixed-camera picture moves (no edge to snap to)', () => {
    // A still textured street, with one moving patch in the middle.
    const street = scene(W, 144, 0, 0, 3);
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = street.slice();
      const patch = scene(60, 50, k * 8, 0, 5);
      for (let y = 0; y < 50; y++) d.set(patch.subarray(y * 60, (y + 1) * 60), (40 + y) * W + 100);
      return luma(W, 144, d);
    });
    expect(findMovingPicture(fr)).toBeNull();
  });
});

describe('findMovingPictures: a clip centred in a square frame whose top and bottom edges do not show', () => {
  it('offers the centred 16:9 and 4:3 rectangles that hold all that moves', () => {
    // A 4:3 clip (256x192 at y 32) in a 1:1 frame, on a background of its own flat colour: its
    // top and bottom rows do not move and show no edge; only a band in the middle moves.
    const W = 256;
    const bg = new Uint8Array(W * W).fill(90);
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = bg.slice();
      const p = scene(W, 100, k * 6, k * 2);
      for (let y = 0; y < 100; y++) d.set(p.subarray(y * W, (y + 1) * W), (78 + y) * W);
      return luma(W, W, d);
    });
    const rects = findMovingPictures(fr);
    expect(rects).toContainEqual({ x: 0, y: 32, width: 256, height: 192 });
    expect(rects).toContainEqual({ x: 0, y: 56, width: 256, height: 144 });
  });
});

describe('sourceRect and resizeArea', () => {
  it('maps a rectangle of the 256 px frame to the video\'s own pixels', () => {
    expect(sourceRect({ x: 12, y: 24, width: 152, height: 86 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ x: 60, y: 120, width: 760, height: 430 });
  });
  it('averages the source pixels each output pixel covers', () => {
    const px = luma(4, 2, Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]));
    expect([...resizeArea(px, 2, 1).data]).toEqual([25, 45]); // (0+10+40+50)/4, (20+30+60+70)/4
  });
});

describe('the motion probe in the rule', () => {
  it('meets the originals, the crop ladder and the caption cuts, not the turns; never under strict', () => {
    const standard = matchRule('standard');
    expect(pairAllowed('motion', 0, 'original', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'crop:0.9', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'cut-top:0.125', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'rotate:3', standard)).toBe(false);
    expect(pairAllowed('motion', 0, 'original', matchRule('strict'))).toBe(false);
  });
});

describe('keyframeCover', () => {
  const h = (bits: number[]): Hash256 => {
    const x = new Uint16Array(16);
    for (const b of bits) x[b >> 4]! |= 1 << (b & 15);
    return x as Hash256;
  };
  // A drifting shot: frame i differs from frame 0 in its first 3i bits; then a cut.
  const drift = Array.from({ length: 10 }, (_, i) => ({ t: i / 5, hash: h(Array.from({ length: 3 * i }, (_, b) => b)), quality: 100 }));
  const cut = { t: 2, hash: h(Array.from({ length: 128 }, (_, b) => 2 * b)), quality: 100, scene: true };

  it('keeps the first frame, scene changes, and a frame whenever the picture drifted past the radius', () => {
    const kept = keyframeCover([...drift, cut], 12);
    // 0, then 15 bits (i=5) > 12 from frame 0, then i=10 would be next: only the cut.
    expect(kept.map((k) => k.t)).toEqual([0, 1, 2]);
    for (const f of drift) expect(Math.min(...kept.map((k) => hammingDistance(k.hash, f.hash)))).toBeLessThanOrEqual(12);
  });

  it('widens the radius until the frames fit the budget', () => {
    const { kept, radius } = boundedCover(drift, 2, 3);
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(radius).toBeGreaterThan(2);
  });
});

describe('videoVariants', () => {
  it('stores the crop ladder and the caption cuts of a keyframe', () => {
    const f = luma(256, 144, scene(256, 144, 0, 0));
    expect(videoVariants(f).map((v) => v.variant)).toEqual([
      'crop:0.9', 'crop:0.85', 'crop:0.8', 'crop:0.75', 'cut-top:0.125', 'cut-bottom:0.125', 'cut-top:0.18', 'cut-bottom:0.18', 'cut-top:0.25', 'cut-bottom:0.25',
    ]);
  });
});

describe('VideoEvidence', () => {
  it('accepts one frame within the reference distance at once', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 30, t: 4 }])).toEqual([3]);
  });
  it('accepts two consecutive frames near the same entry whose keyframes follow at the pace played', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 38, t: 4 }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 36, t: 5.2 }])).toEqual([3]);
  });
  it('refuses near frames out of the clip\'s order, too far apart in it, or broken by a frame near nothing', () => {
    const backwards = new VideoEvidence();
    backwards.add(0, [{ entry: 3, distance: 38, t: 9 }]);
    expect(backwards.add(1, [{ entry: 3, distance: 38, t: 4 }])).toEqual([]);
    const jump = new VideoEvidence();
    jump.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    expect(jump.add(1, [{ entry: 3, distance: 38, t: 8 }])).toEqual([]);
    const broken = new VideoEvidence();
    broken.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    broken.add(1, []);
    expect(broken.add(2, [{ entry: 3, distance: 38, t: 3 }])).toEqual([]);
    const other = new VideoEvidence();
    other.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    expect(other.add(1, [{ entry: 4, distance: 38, t: 2 }])).toEqual([]);
  });
});

describe('VideoEvidence on a clip that looks alike throughout (a fixed camera)', () => {
  it('needs one frame within `sure`, or frames in the clip\'s order: one frame at the edge of the rule is not enough', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 30, t: 4, alike: true }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 29, t: 5, alike: true }])).toEqual([3]); // the next frame, in order
    const sure = new VideoEvidence();
    expect(sure.add(0, [{ entry: 3, distance: EVIDENCE_RULE.sure, t: 4, alike: true }])).toEqual([3]);
    // Measured: the fixed street camera 45 s later had a frame 18 bits from a keyframe.
    expect(new VideoEvidence().add(0, [{ entry: 3, distance: 18, t: 0.8, alike: true }])).toEqual([]);
    expect(new VideoEvidence().add(0, [{ entry: 3, distance: 18, t: 0.8, alike: false }])).toEqual([3]);
    // Another moment of the scene: near frames whose keyframes jump about in the clip.
    const later = new VideoEvidence();
    expect(later.add(0, [{ entry: 3, distance: 28, t: 5.4, alike: true }])).toEqual([]);
    expect(later.add(1, [{ entry: 3, distance: 30, t: 17.2, alike: true }])).toEqual([]);
    expect(later.add(2, [{ entry: 3, distance: 31, t: 1.8, alike: true }])).toEqual([]);
  });
  it('a keyframe standing for a still stretch (until the next one) is where the clip is for all of it', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 28, t: 4, until: 8, alike: true }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 29, t: 4, until: 8, alike: true }])).toEqual([3]);
    // The same keyframe standing for an instant only: the clip did not move through it.
    const instant = new VideoEvidence();
    instant.add(0, [{ entry: 3, distance: 28, t: 4, until: 4.2, alike: true }]);
    expect(instant.add(1, [{ entry: 3, distance: 29, t: 4, until: 4.2, alike: true }])).toEqual([]);
  });
  it('never chains hits without a keyframe time (a picture or a poster met by a frame)', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 36, t: null }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 36, t: null }])).toEqual([]);
  });
  it('strict accepts nothing past 24 bits, alone or in sequence', () => {
    const ev = new VideoEvidence(evidenceRule('strict'));
    expect(ev.add(0, [{ entry: 3, distance: 26, t: 1 }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 26, t: 2 }])).toEqual([]);
    expect(ev.add(2, [{ entry: 3, distance: 24, t: 3 }])).toEqual([3]);
  });
});

describe('clipLooksAlike', () => {
  const h = (bits: number[]): Hash256 => {
    const out = new Uint16Array(16);
    for (const b of bits) out[b >> 4]! |= 1 << (b & 15);
    return out;
  };
  const ramp = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  it('is true when keyframes ALIKE_SECONDS apart are within the reference distance, or when none was kept for that long', () => {
    // A handheld pan: each kept frame 40 bits on from the last, never back.
    const pan = Array.from({ length: 20 }, (_, i) => ({ t: i * 0.5, hash: h(ramp(i * 12, 40)) }));
    expect(clipLooksAlike(pan, 10)).toBe(false);
    // A fixed camera: frames 6 s apart 20 bits from each other.
    const fixed = [{ t: 0, hash: h(ramp(0, 20)) }, { t: 3, hash: h(ramp(100, 40)) }, { t: 6, hash: h(ramp(10, 20)) }];
    expect(clipLooksAlike(fixed, 7)).toBe(true);
    // A static shot: one keyframe for 8 s.
    expect(clipLooksAlike([{ t: 0, hash: h([1, 2, 3]) }], 8)).toBe(true);
    expect(clipLooksAlike([{ t: 0, hash: h([1, 2, 3]) }], 3)).toBe(false);
    expect(ALIKE_SECONDS).toBe(5);
  });
});
