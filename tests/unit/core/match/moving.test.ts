// The moving picture and the sharp band (src/core/match/moving.ts, moving-band.ts): expected
// rectangles are where each test put the picture when it built the frames (by hand, or in ffmpeg's
// filter graph), and the ladder's rungs are the publisher's (cut-top:b keeps the frame without its
// top b), never the detector's own output.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CUT_LADDER, findMovingPictures, findSharpBand, ladderCuts, lumaOf, movingPictureSource, queryProbes } from '../../../../src/core/match';
import { pdqHash } from '../../../../src/core/pdq';
import { hashToHex } from '../../../../src/core/hash256';
import type { Pixels } from '../../../../src/core/pdq';
import { blur, luma, scene } from './frames';

/** Two passes of an 8 px box blur, as ffmpeg's boxblur=24:2 on a 720 px frame leaves it at 256 px. */
const blur2 = (src: Uint8Array, w: number, h: number) => blur(blur(src, w, h, 8), w, h, 8);

function paste(dst: Uint8Array, W: number, src: Uint8Array, w: number, h: number, x0: number, y0: number) {
  for (let y = 0; y < h; y++) dst.set(src.subarray(y * w, (y + 1) * w), (y0 + y) * W + x0);
}

describe('findSharpBand: a clip in a frame of its own blurred copy, from one frame', () => {
  it('finds a 16:9 clip centred in a square frame', () => {
    const W = 256;
    const d = blur2(scene(W, W, 0, 0, 2), W, W);
    paste(d, W, scene(W, 144, 5, 3), W, 144, 0, 56);
    expect(findSharpBand(luma(W, W, d))).toContainEqual({ x: 0, y: 56, width: 256, height: 144 });
  });

  it('finds a portrait clip centred in a landscape frame (blurred pillars)', () => {
    const W = 256;
    const H = 144;
    const d = blur2(scene(W, H, 0, 0, 3), W, H);
    paste(d, W, scene(80, H, 7, 1), 80, H, 88, 0); // 88 + 80 + 88
    expect(findSharpBand(luma(W, H, d))[0]).toEqual({ x: 88, y: 0, width: 80, height: 144 });
  });

  it('holds the band in a centred 4:3 rectangle when the clip\'s own top is plain (a sky against the blur)', () => {
    const W = 256;
    const d = blur2(scene(W, W, 0, 0, 2), W, W);
    const clip = scene(W, 192, 1, 1);
    clip.fill(170, 0, W * 40); // the clip's top 40 rows: a plain sky
    paste(d, W, clip, W, 192, 0, 32);
    const r = findSharpBand(luma(W, W, d));
    expect(r).toContainEqual({ x: 0, y: 32, width: 256, height: 192 });
    expect(r).not.toContainEqual({ x: 0, y: 56, width: 256, height: 144 }); // 16:9 would cut the clip's bottom
  });

  it('answers nothing for flat bars, a diagram\'s white margins, a detailed picture, a plain sky over a street, or a blurred side on one side only', () => {
    const W = 256;
    const bars = new Uint8Array(W * W);
    paste(bars, W, scene(W, 144, 0, 0), W, 144, 0, 56);
    expect(findSharpBand(luma(W, W, bars))).toEqual([]);
    expect(findSharpBand(luma(W, W, scene(W, W, 0, 0)))).toEqual([]);
    const sky = scene(W, W, 0, 0);
    sky.fill(200, 0, W * 100); // a plain sky above a detailed street: no plain band below
    expect(findSharpBand(luma(W, W, sky))).toEqual([]);
    const margins = new Uint8Array(W * W).map((_, i) => 250 - ((i * 7) % 3)); // a diagram's white margins (a level or two of noise)
    paste(margins, W, scene(W, 144, 0, 0), W, 144, 0, 56);
    expect(findSharpBand(luma(W, W, margins))).toEqual([]);
    const oneSide = blur2(scene(W, W, 0, 0, 2), W, W);
    paste(oneSide, W, scene(W, 200, 0, 0), W, 200, 0, 56); // blurred above only
    expect(findSharpBand(luma(W, W, oneSide))).toEqual([]);
  });

  it('gives the image path a picture probe for the poster of a blurred 1:1 re-share, and none for its bars twin', () => {
    const W = 256;
    const d = blur2(scene(W, W, 0, 0, 2), W, W);
    paste(d, W, scene(W, 144, 5, 3), W, 144, 0, 56);
    expect(queryProbes(luma(W, W, d)).filter((p) => p.probe === 'picture').length).toBeGreaterThanOrEqual(1);
    expect(queryProbes(luma(W, W, scene(W, W, 0, 0))).filter((p) => p.probe === 'picture')).toHaveLength(0);
  });
});

/** n frames: the picture (moving `step` px a frame) placed at `pic` on a still background. */
function frames(W: number, H: number, pic: { x: number; y: number; w: number; h: number }, bg: Uint8Array, n = 3, step = 6, picture = (k: number) => scene(pic.w, pic.h, k * step, k * 2)): Pixels[] {
  return Array.from({ length: n }, (_, k) => {
    const d = bg.slice();
    paste(d, W, picture(k), pic.w, pic.h, pic.x, pic.y);
    return luma(W, H, d);
  });
}

describe('the poster of a screen recording (interface inside interface)', () => {
  it('peels the phone\'s bottom bar, then the app\'s background and text below the clip: a picture probe of the clip itself', () => {
    const W = 118;
    const H = 256;
    const d = new Uint8Array(W * H).fill(40); // the app's background
    for (const y0 of [10, 24, 50, 200]) for (let y = y0; y < y0 + 5; y++) for (let x = 8; x < 100; x++) if ((x >> 2) % 3) d[y * W + x] = 220; // text lines
    d.fill(12, 240 * W); // the phone's bottom bar, another colour
    paste(d, W, scene(W, 66, 3, 1), W, 66, 0, 72);
    const px = luma(W, H, d);
    const want = hashToHex(pdqHash(lumaOf(px, { x: 0, y: 72, width: 118, height: 66 })).hash);
    expect(queryProbes(px).filter((p) => p.probe === 'picture').map((p) => hashToHex(p.hashes[0]!))).toContain(want);
  });
});

describe('findMovingPictures: the wrapped picture', () => {
  it('finds a fixed camera\'s picture, where only a patch moves, inside a flat interface (walking out to the plain wrapper)', () => {
    // A phone's screen recording: 118x256, the clip 118x66 at y 72; only a patch of it moves.
    const W = 118;
    const H = 256;
    const ui = new Uint8Array(W * H).fill(30);
    for (const y0 of [10, 24, 200]) for (let y = y0; y < y0 + 5; y++) for (let x = 8; x < 100; x++) if ((x >> 2) % 3) ui[y * W + x] = 220;
    const street = scene(W, 66, 0, 0, 3);
    const fr = frames(W, H, { x: 0, y: 72, w: W, h: 66 }, ui, 3, 0, (k) => {
      const d = street.slice();
      for (let i = 0; i < 3; i++) for (let y = 30; y < 54; y++) for (let x = 0; x < 4; x++) d[y * W + 8 + 36 * i + 5 * k + x] = 40 + 3 * y; // three people walking: 9% of the frame's height
      return d;
    });
    expect(findMovingPictures(fr)[0]).toEqual({ x: 0, y: 72, width: 118, height: 66 });
  });

  it('leaves out a translucent caption band (the picture faint under it) and cuts at the publisher\'s rung', () => {
    const W = 256;
    const H = 144;
    const band = 21; // 14.6% of 144
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = scene(W, H, k * 6, k * 2);
      for (let y = 0; y < band; y++) for (let x = 0; x < W; x++) d[y * W + x] = Math.round(0.2 * d[y * W + x]!) + ((y > 6 && y < 13 && (x >> 3) % 2) ? 200 : 0);
      return luma(W, H, d);
    });
    // 21/144 = 14.6% lost (20–22 rows if the edge is found a row off): the rung that leaves none
    // of the band is 18% — cut-top:0.18 keeps the bottom round(144 × 0.82) = 118 rows.
    expect(findMovingPictures(fr)[0]).toEqual({ x: 0, y: 26, width: 256, height: 118 });
  });

  it('cuts a caption over the top of a clip filling the frame at the rung, where the band shows no edge', () => {
    // A 4:3 frame (256x192); a band over the top 30 rows (15.6%), with the picture's own plain sky
    // under it faded: no step between band and sky. What moves spans the width below the band.
    const W = 256;
    const H = 192;
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = scene(W, H, k * 6, k * 2);
      d.fill(60, 0, W * 40); // the sky, plain, rows 0–39
      for (let y = 0; y < 30; y++) for (let x = 0; x < W; x++) d[y * W + x] = (y > 8 && y < 18 && (x >> 3) % 2) ? 250 : 48; // the band and its text
      return luma(W, H, d);
    });
    // What moves starts at row 40 (20.8%): rung 25% keeps round(192 × 0.75) = 144 rows, from y 48.
    expect(findMovingPictures(fr)).toContainEqual({ x: 0, y: 48, width: 256, height: 144 });
  });

  it('answers nothing for a fixed camera\'s full frame where only a patch moves', () => {
    const W = 256;
    const H = 144;
    const street = scene(W, H, 0, 0, 3);
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = street.slice();
      paste(d, W, scene(60, 50, k * 8, 0, 5), 60, 50, 100, 40);
      return luma(W, H, d);
    });
    expect(findMovingPictures(fr)).toEqual([]);
  });
});

describe('ladderCuts', () => {
  it('moves the open side of a full-width rectangle to the rung of the caption-cut ladder', () => {
    // Top 20 of 144 rows lost (13.9%): the next rung is 18%, which keeps round(144 × 0.82) = 118
    // rows; 12.5% (126 rows) leaves 1.4% of the cover, within 1.5%: tried second.
    expect(ladderCuts([{ x: 0, y: 20, width: 256, height: 124 }], 256, 144)).toEqual([{ x: 0, y: 26, width: 256, height: 118 }, { x: 0, y: 18, width: 256, height: 126 }]);
    // Top 22 rows lost (15.3%): 18% only.
    expect(ladderCuts([{ x: 0, y: 22, width: 256, height: 122 }], 256, 144)).toEqual([{ x: 0, y: 26, width: 256, height: 118 }]);
    // Bottom 34 rows lost (23.6%): 25% keeps 108 rows from the top.
    expect(ladderCuts([{ x: 0, y: 0, width: 256, height: 110 }], 256, 144)).toEqual([{ x: 0, y: 0, width: 256, height: 108 }]);
    expect(CUT_LADDER).toEqual([0.125, 0.18, 0.25]);
  });

  it('adds the rung cuts of a 4:3 clip whose bottom a news ticker covers', () => {
    // 152 px wide: a 4:3 clip is 114 tall; 104 visible is 8.8% lost → rung 12.5% keeps round(114 × 0.875) = 100 rows.
    const r = { x: 12, y: 24, width: 152, height: 104 };
    const out = ladderCuts([r], 256, 144);
    expect(out[0]).toEqual(r);
    expect(out).toContainEqual({ x: 12, y: 24, width: 152, height: 100 });
    expect(out).toContainEqual({ x: 12, y: 28, width: 152, height: 100 });
    // A 16:9 clip shown whole: nothing more.
    expect(ladderCuts([{ x: 12, y: 24, width: 152, height: 86 }], 256, 144)).toEqual([{ x: 12, y: 24, width: 152, height: 86 }]);
  });
});

describe('movingPictureSource', () => {
  it('maps the rectangle to the video\'s own pixels and draws it at its own size up to 640 px', () => {
    // The news graphic's box, 12,24 152x86 of 256x144 → 60,120 760x430 of 1280x720, drawn at 640x362.
    expect(movingPictureSource({ x: 12, y: 24, width: 152, height: 86 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({
      source: { x: 60, y: 120, width: 760, height: 430 },
      draw: { width: 640, height: 362 },
    });
    // The phone recording: 0,72 118x66 of 118x256 → 0,329 540x302 of 540x1170 (72 × 1170/256 = 329.1, 66 × 4.57 = 301.6), drawn at its own size.
    expect(movingPictureSource({ x: 0, y: 72, width: 118, height: 66 }, { width: 118, height: 256 }, { width: 540, height: 1170 })).toEqual({
      source: { x: 0, y: 329, width: 540, height: 302 },
      draw: { width: 540, height: 302 },
    });
  });
});

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasFfmpeg && process.env.CI) throw new Error('ffmpeg missing under CI');

/** Frames of an ffmpeg filter graph (lavfi sources), `n` of them `every` seconds apart, gray, at w×h. */
function ffFrames(graph: string, w: number, h: number, n: number, every: number): Pixels[] {
  const data = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', graph, '-vf', `fps=1/${every},scale=${w}:${h}:flags=area`, '-frames:v', String(n), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { maxBuffer: 1 << 26 });
  return Array.from({ length: n }, (_, k) => luma(w, h, new Uint8Array(data.subarray(k * w * h, (k + 1) * w * h))));
}

describe.skipIf(!hasFfmpeg)('ffmpeg-made re-shares', () => {
  it('the blurred 1:1 re-share (the corpus\'s filter graph): the band is where the overlay put the clip', () => {
    // A 640x360 clip, in 720x720: scaled to 720x405, overlaid at y (720-405)/2 = 157 → 55.8..199.8 of 256.
    const graph = 'mandelbrot=size=640x360:rate=10,split[a][b];[a]scale=720:720:force_original_aspect_ratio=increase,crop=720:720,boxblur=24:2[bg];[b]scale=720:720:force_original_aspect_ratio=decrease[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2';
    const [f] = ffFrames(graph, 256, 256, 1, 1);
    const r = findSharpBand(f!)[0]!;
    expect(Math.abs(r.y - 56)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.y + r.height - 200)).toBeLessThanOrEqual(1);
  });

  it('the screen recording: the clip inside the phone\'s interface, from three frames a second apart', () => {
    // testsrc2 540x304 overlaid at y 330 on 540x1170 → at 118x256: y 72.2, height 66.5.
    const graph = 'testsrc2=size=540x304:rate=10[v];color=c=0x15202b:s=540x1170:r=10[bg];[bg][v]overlay=0:330:shortest=1,drawbox=x=24:y=110:w=400:h=20:color=white:t=fill,drawbox=x=0:y=1100:w=540:h=70:color=0x0b1016:t=fill';
    const fr = ffFrames(graph, 118, 256, 3, 1);
    const r = findMovingPictures(fr)[0]!;
    expect(r.x).toBe(0);
    expect(r.width).toBe(118);
    expect(Math.abs(r.y - 72)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.y + r.height - 139)).toBeLessThanOrEqual(1);
  });
});
