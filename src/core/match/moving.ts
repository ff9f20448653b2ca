/**
 * The moving picture (docs/matching.md, "The moving picture"): where the clip is inside a frame
 * that wraps it in something that moves differently or not at all (a 1:1 frame of a blurred copy
 * of itself, a phone's screen recording with its interface, a picture-in-picture in a news
 * graphic, a caption laid over it for the whole clip), from what changes between a few sampled
 * frames, and where to cut it from the video's own pixels.
 *
 *  - findMovingPictures: the candidate rectangles, cut where the publisher's caption cuts are
 *    (ladderCuts) when a caption or a ticker covers part of the clip.
 *  - movingPictureSource: the rectangle found in the hashed frame, in the video's own pixels, and
 *    the size to draw it at (its own, up to VIDEO_DECODE_SIDE): a clip inside a phone's screen
 *    recording or a news graphic is a small part of the frame, and cut from the frame decoded at
 *    640 px it loses the detail the publisher's keyframes were hashed with.
 *  - The single-frame detector for the poster (no motion yet) is ./moving-band.ts.
 *
 * Pure: pixels in, rectangles out.
 */
import { canonicalPixels, type Pixels } from '../pdq';
import { crop, type Rect } from './geometry';
import { CUT_LADDER } from './variants';
import { VIDEO_DECODE_SIDE, videoDecodeSize, videoFramePixels } from './video';

/** The moving picture `rect` (found in the hashed frame) cut from the decoded frame and made canonical, as a keyframe is. */
export function movingPicturePixels(decoded: Pixels, frame: { width: number; height: number }, rect: Rect): Pixels {
  return videoFramePixels(crop(decoded, sourceRect(rect, frame, decoded)));
}

// --- the moving picture

/** Luma at each pixel (0–255). */
function lumaPlane(px: Pixels): Float32Array {
  const { width: w, height: h, channels: c, data } = px;
  const out = new Float32Array(w * h);
  for (let i = 0, p = 0; i < w * h; i++, p += c) out[i] = c === 1 ? data[p]! : 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
  return out;
}

/** Gradient magnitude (|dx| + |dy|, forward differences). */
function gradient(l: Float32Array, w: number, h: number): Float32Array {
  const g = new Float32Array(w * h);
  for (let y = 0; y < h - 1; y++) {
    for (let x = 0; x < w - 1; x++) {
      const i = y * w + x;
      g[i] = Math.abs(l[i + 1]! - l[i]!) + Math.abs(l[i + w]! - l[i]!);
    }
  }
  return g;
}

export interface MovingPictureOptions {
  /** A pixel moves when its gradient changes by more than this between two frames. */
  motion?: number;
  /** A line belongs to the picture when at least this share of it moves. */
  lineShare?: number;
  /** A side of the moving area snaps outward to an edge within this share of the dimension. */
  snap?: number;
  /** Report nothing unless some side loses at least this share of its dimension. */
  minStrip?: number;
  /** Never keep less than this share of either dimension. */
  minKeep?: number;
  /** No rectangle when what moves spans less than this share of either dimension. */
  minMove?: number;
}

export const MOVING_PICTURE_DEFAULTS: Required<MovingPictureOptions> = { motion: 24, lineShare: 0.04, snap: 0.08, minStrip: 0.03, minKeep: 0.25, minMove: 0.08 };

/**
 * The rectangle of the moving picture in `frames` (same size, in time order, at least two, best a
 * second or more apart), or null when the whole frame moves (nothing wraps the picture) or too
 * little moves to tell.
 *
 * A pixel moves when its gradient changes between two frames (a change of detail, not of
 * brightness: a blurred copy of the picture changes its brightness but has no detail; interface
 * and caption bands do not change at all). The rectangle is peeled from each side while a line has
 * less than `lineShare` of its pixels moving (rows, then columns, then rows again), then each side
 * snaps outward to the nearest line where the mean picture steps across most of its length (the
 * edge between the picture and its wrapper) or to the frame's edge, within `snap`: a picture's
 * still margin (a sky, a wall) does not move, but its edge against the wrapper still shows. A side
 * that finds neither ends inside the picture (a fixed camera's still street): null, rather than a
 * rectangle that is not the picture's.
 */
export function findMovingPicture(frames: readonly Pixels[], opts: MovingPictureOptions = {}): Rect | null {
  return findMovingPictures(frames, opts)[0] ?? null;
}

/**
 * findMovingPicture's candidates: the rectangle whose four sides snapped to an edge, and, for a
 * clip that spans its frame's whole width (or height; always so in a square or portrait frame)
 * but whose other edges need not show, the centred rectangles of the common aspect ratios (16:9,
 * 4:3) that hold all that moves. At most three; none when nothing wraps the picture.
 */
export function findMovingPictures(frames: readonly Pixels[], opts: MovingPictureOptions = {}): Rect[] {
  const o = { ...MOVING_PICTURE_DEFAULTS, ...opts };
  if (frames.length < 2) return [];
  const { width: w, height: h } = frames[0]!;
  if (w < 16 || h < 16 || frames.some((f) => f.width !== w || f.height !== h)) return [];
  const lumas = frames.map(lumaPlane);
  const grads = lumas.map((l) => gradient(l, w, h));
  const moving = new Uint8Array(w * h);
  for (let k = 1; k < grads.length; k++) {
    const a = grads[k - 1]!;
    const b = grads[k]!;
    const la = lumas[k - 1]!;
    const lb = lumas[k]!;
    // The pixel itself must change too: the still side of an overlay's edge over a moving
    // background changes its gradient, not its value.
    for (let i = 0; i < w * h; i++) if (Math.abs(b[i]! - a[i]!) > o.motion && Math.abs(lb[i]! - la[i]!) > o.motion / 4) moving[i] = 1;
  }
  const mean = new Float32Array(w * h);
  for (const l of lumas) for (let i = 0; i < w * h; i++) mean[i]! += l[i]! / lumas.length;

  const box = { top: 0, bottom: h - 1, left: 0, right: w - 1 }; // inclusive (gradients stop one short)
  const rowShare = (y: number) => {
    let n = 0;
    for (let x = box.left; x < box.right; x++) n += moving[y * w + x]!;
    return n / Math.max(1, box.right - box.left);
  };
  const colShare = (x: number) => {
    let n = 0;
    for (let y = box.top; y < box.bottom; y++) n += moving[y * w + x]!;
    return n / Math.max(1, box.bottom - box.top);
  };
  const peelRows = () => {
    while (box.top < box.bottom && rowShare(box.top) < o.lineShare) box.top++;
    while (box.bottom > box.top && rowShare(box.bottom - 1) < o.lineShare) box.bottom--;
  };
  const peelCols = () => {
    while (box.left < box.right && colShare(box.left) < o.lineShare) box.left++;
    while (box.right > box.left && colShare(box.right - 1) < o.lineShare) box.right--;
  };
  peelRows();
  peelCols();
  peelRows();
  // A caption band laid over the picture, translucent (the picture shows through it faintly):
  // its rows move, but far less than the picture's. Rows moving less than a fifth of the box's
  // median row are peeled too.
  const shares = [];
  for (let y = box.top; y < box.bottom; y++) shares.push(rowShare(y));
  shares.sort((p, q) => p - q);
  const faint = Math.max(o.lineShare, 0.2 * (shares[Math.floor(shares.length / 2)] ?? 0));
  while (box.top < box.bottom && rowShare(box.top) < faint) box.top++;
  while (box.bottom > box.top && rowShare(box.bottom - 1) < faint) box.bottom--;
  if (box.bottom - box.top < h * o.minMove || box.right - box.left < w * o.minMove) return [];
  // Only a box this large may be centred in a square frame by chance: the centred candidates need it.
  const large = box.bottom - box.top >= h * o.minKeep && box.right - box.left >= w * o.minKeep;

  // Snap outward to the picture's edge: the nearest line across which the mean frame steps (by
  // more than 12 levels) over at least half of the box's extent.
  const stepRow = (y: number) => {
    // between rows y-1 and y
    let n = 0;
    for (let x = box.left; x < box.right; x++) if (Math.abs(mean[y * w + x]! - mean[(y - 1) * w + x]!) > 12) n++;
    return n / Math.max(1, box.right - box.left);
  };
  const stepCol = (x: number) => {
    let n = 0;
    for (let y = box.top; y < box.bottom; y++) if (Math.abs(mean[y * w + x]! - mean[y * w + x - 1]!) > 12) n++;
    return n / Math.max(1, box.bottom - box.top);
  };
  const reachY = Math.ceil(h * o.snap);
  const reachX = Math.ceil(w * o.snap);
  // The side snaps to the nearest step line within reach, or to the frame's own edge when that is
  // within reach; a side that finds neither ends inside the picture's still part: no rectangle.
  const snapTo = (from: number, dir: -1 | 1, limit: number, step: (i: number) => number, reach: number): number | null => {
    // from: the first line inside (top/left) or one past the last (bottom/right)
    // Top and left from one line inside: a moving gradient spills one line up and left of the picture.
    for (let d = dir < 0 ? -1 : 0; d <= reach; d++) {
      const i = from + dir * d;
      if (i <= 0) return 0;
      if (i >= limit) return limit;
      if (step(i) >= 0.5) return i;
    }
    return null;
  };
  const act = { ...box };
  const out: Rect[] = [];
  const add = (r: Rect) => {
    const lost = Math.max(r.y / h, (h - r.y - r.height) / h, r.x / w, (w - r.x - r.width) / w);
    if (lost >= o.minStrip && r.width >= w * o.minKeep && r.height >= h * o.minKeep && !out.some((q) => JSON.stringify(q) === JSON.stringify(r))) out.push(r);
  };
  // Failing a step within reach, a side walks outward, as far as the frame's edge, to the first
  // two plain lines (detail below PLAIN_DETAIL in the last frame, over the box's extent): the
  // wrapper (a flat interface colour, a blurred copy, the faint part of a caption band) against
  // the still part of the picture (a fixed camera's street has detail everywhere).
  const last = lumas[lumas.length - 1]!;
  const rowDetail = (y: number) => {
    let d = 0;
    for (let x = box.left + 1; x < box.right; x++) d += Math.abs(last[y * w + x]! - last[y * w + x - 1]!);
    return d / Math.max(1, box.right - box.left - 1);
  };
  const colDetail = (x: number) => {
    let d = 0;
    for (let y = box.top + 1; y < box.bottom; y++) d += Math.abs(last[y * w + x]! - last[(y - 1) * w + x]!);
    return d / Math.max(1, box.bottom - box.top - 1);
  };
  // from: the first line inside (top/left) or one past the last (bottom/right); the answer is the
  // side's position in the same sense.
  const walk = (from: number, dir: -1 | 1, limit: number, detail: (i: number) => number): number => {
    for (let i = dir < 0 ? from - 1 : from; dir < 0 ? i >= 0 : i < limit; i += dir) {
      const next = i + dir;
      if (detail(i) < PLAIN_DETAIL && (next < 0 || next >= limit || detail(next) < PLAIN_DETAIL)) return dir < 0 ? i + 1 : i;
    }
    return dir < 0 ? 0 : limit;
  };
  const top = snapTo(box.top, -1, h, stepRow, reachY) ?? walk(box.top, -1, h, rowDetail);
  const bottom = snapTo(box.bottom, 1, h, stepRow, reachY) ?? walk(box.bottom, 1, h, rowDetail);
  box.top = top;
  box.bottom = bottom;
  const left = snapTo(box.left, -1, w, stepCol, reachX) ?? walk(box.left, -1, w, colDetail);
  const right = snapTo(box.right, 1, w, stepCol, reachX) ?? walk(box.right, 1, w, colDetail);
  // The wrapper is plainer than the picture's edge: the three lines outside each side that is not
  // the frame's edge have less than WRAPPER_SHARE of the detail of the three lines inside it (a
  // moving patch of a fixed camera's street has street all round it).
  const seg = (rows: boolean, i: number, from: number, to: number) => {
    let d = 0;
    for (let j = from + 1; j < to; j++) d += rows ? Math.abs(last[i * w + j]! - last[i * w + j - 1]!) : Math.abs(last[j * w + i]! - last[(j - 1) * w + i]!);
    return d / Math.max(1, to - from - 1);
  };
  const ring = (rows: boolean, edge: number, dir: -1 | 1, from: number, to: number, limit: number) => {
    if (edge <= 0 || edge >= limit) return true;
    let out = 0;
    let inside = 0;
    for (let k = 0; k < 3; k++) {
      const o = dir < 0 ? edge - 1 - k : edge + k;
      const n = dir < 0 ? edge + k : edge - 1 - k;
      out += o >= 0 && o < limit ? seg(rows, o, from, to) : 0;
      inside += seg(rows, Math.max(0, Math.min(limit - 1, n)), from, to);
    }
    return out <= WRAPPER_SHARE * inside;
  };
  const wrapped = (t: number, b: number, l: number, r: number) => ring(true, t, -1, l, r, h) && ring(true, b, 1, l, r, h) && ring(false, l, -1, t, b, w) && ring(false, r, 1, t, b, w);
  if (wrapped(top, bottom, left, right)) add({ x: left, y: top, width: right - left, height: bottom - top });
  else {
    // A step inside the picture (the edge of a crowd a fixed camera films): the sides walked out
    // from what moves to the plain wrapper instead.
    Object.assign(box, act);
    box.top = walk(act.top, -1, h, rowDetail);
    box.bottom = walk(act.bottom, 1, h, rowDetail);
    const l = walk(act.left, -1, w, colDetail);
    const r = walk(act.right, 1, w, colDetail);
    if (wrapped(box.top, box.bottom, l, r)) add({ x: l, y: box.top, width: r - l, height: box.bottom - box.top });
  }
  // A clip centred across the whole width (or height) of its frame — the blurred 1:1 re-share —
  // whose edge against the wrapper does not show (a sky against a blurred sky): the centred
  // rectangle of the commonest aspect ratios that holds all that moves.
  // What moves may poke out of the clip by a few lines: the edge of a caption box over the moving
  // blurred copy flickers with the encoder's noise.
  const slackY = Math.ceil(h * 0.05);
  const slackX = Math.ceil(w * 0.05);
  // The snapped sides reach both frame edges, or the frame is square or portrait (the 1:1 and 9:16
  // re-share formats, where a landscape clip always spans the width).
  if (!large) {
    // no centred candidates
  } else if ((left === 0 && right === w) || h >= w * 0.95) {
    for (const aspect of ASPECTS) {
      const ch = Math.round(w / aspect);
      const cy = Math.round((h - ch) / 2);
      if (ch < h && cy <= act.top + slackY && cy + ch >= act.bottom - slackY) add({ x: 0, y: cy, width: w, height: ch });
    }
  } else if (top === 0 && bottom === h) {
    for (const aspect of ASPECTS) {
      const cw = Math.round(h / aspect);
      const cx = Math.round((w - cw) / 2);
      if (cw < w && cx <= act.left + slackX && cx + cw >= act.right - slackX) add({ x: cx, y: 0, width: cw, height: h });
    }
  }
  // A caption over the top (or the bottom) of a clip that fills the frame, whatever its edge looks
  // like (a translucent band shows the picture faintly, a fixed camera's still sky shows no step):
  // what moves spans the width and reaches the other edge; the picture below (above) the band, cut
  // at the ladder's rung below.
  if (act.right - act.left >= 0.85 * w) {
    if (act.bottom >= h - slackY && act.top >= 0.03 * h && act.top <= 0.265 * h) add({ x: 0, y: act.top, width: w, height: h - act.top });
    if (act.top <= slackY && h - act.bottom >= 0.03 * h && h - act.bottom <= 0.265 * h) add({ x: 0, y: 0, width: w, height: act.bottom });
  }
  return ladderCuts(out, w, h).slice(0, MAX_PICTURES);
}

/** At most this many moving-picture rectangles per frame (a PDQ hash each). */
export const MAX_PICTURES = 4;

/**
 * The rungs of the publisher's caption-cut ladder a picture cut by `lost` of its height may meet:
 * the first that leaves none of the cover (within about a row of the 144 px frame), and the one
 * below it when the cover reaches past that by at most 1.5% (a row or two of it, against a few
 * rows of the picture lost).
 */
function rungs(lost: number): number[] {
  if (lost < 0.03) return [];
  const i = CUT_LADDER.findIndex((b) => b >= lost - 0.008);
  if (i < 0) return [];
  const below = CUT_LADDER[i - 1];
  return below !== undefined && lost - below <= 0.015 ? [CUT_LADDER[i]!, below] : [CUT_LADDER[i]!];
}

/**
 * The moving rectangles cut where the publisher's caption cuts are (cut-top:b, cut-bottom:b, b in
 * CUT_LADDER: the keyframe without its top or bottom b): a caption band laid over the clip's top
 * leaves the moving picture at the band's height, a news graphic's ticker covers a 4:3 clip's
 * bottom. A rectangle across the whole frame with one side at the frame's edge: its other side
 * moved to the rung (replacing it). A rectangle inside the frame: for each common aspect ratio
 * that makes the visible part a cut of 3–25% of the clip, the part a stored cut of that rung
 * shows (kept from the top, and from the bottom), after the rectangle itself.
 */
export function ladderCuts(rects: readonly Rect[], w: number, h: number): Rect[] {
  const out: Rect[] = [];
  const push = (r: Rect) => {
    if (r.height >= 8 && !out.some((q) => q.x === r.x && q.width === r.width && Math.abs(q.y - r.y) <= 1 && Math.abs(q.height - r.height) <= 1)) out.push(r);
  };
  const extra: Rect[] = [];
  for (const r of rects) {
    const bottom = r.y + r.height;
    if (r.x === 0 && r.width === w && (r.y === 0) !== (bottom === h)) {
      const bs = rungs(r.y === 0 ? 1 - bottom / h : r.y / h);
      if (!bs.length) push(r);
      for (const b of bs) {
        const keep = Math.round(h * (1 - b));
        push(r.y === 0 ? { ...r, height: keep } : { ...r, y: h - keep, height: keep });
      }
      continue;
    }
    push(r);
    for (const aspect of [16 / 9, 4 / 3]) {
      const full = r.width / aspect;
      const b = rungs(1 - r.height / full)[0];
      if (b === undefined) continue;
      const keep = Math.round(full * (1 - b));
      if (keep >= r.height - 1) continue;
      extra.push({ ...r, height: keep }, { ...r, y: bottom - keep, height: keep });
    }
  }
  for (const r of extra) push(r);
  return out;
}

/** Width over height of the clips most often re-shared inside a frame, widest first (landscape); their inverses for portrait. */
const ASPECTS = [16 / 9, 4 / 3, 1];
/** A line of the wrapper around a moving picture: mean |difference| between neighbours (levels) below this, in the 256 px frame. */
export const PLAIN_DETAIL = 2;
/** The lines around a moving picture have at most this share of the detail of its edge lines. */
export const WRAPPER_SHARE = 0.35;

/** A rectangle found in a frame of `frame` size, in the pixels of the `source` it was scaled from. */
export function sourceRect(rect: Rect, frame: { width: number; height: number }, source: { width: number; height: number }): Rect {
  const sx = source.width / frame.width;
  const sy = source.height / frame.height;
  const x = Math.max(0, Math.round(rect.x * sx));
  const y = Math.max(0, Math.round(rect.y * sy));
  return { x, y, width: Math.max(1, Math.min(source.width - x, Math.round(rect.width * sx))), height: Math.max(1, Math.min(source.height - y, Math.round(rect.height * sy))) };
}

/**
 * The image scaled to width × height by area averaging (each output pixel the mean of the source
 * pixels it covers, whole pixels): for node callers (the bench) that scale decoded frames the way a
 * canvas scales them down.
 */
export function resizeArea(px: Pixels, width: number, height: number): Pixels {
  const { width: W, height: H, channels: c, data } = px;
  const out = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * H) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * H) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * W) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * W) / width));
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += data[(yy * W + xx) * c + k]!;
        out[(y * width + x) * c + k] = Math.round(s / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width, height, channels: c, data: out };
}


/**
 * Where to cut the moving picture `rect` (found in the hashed `frame`) from a video of `video`
 * size, and the size to draw the cut at: its own, up to VIDEO_DECODE_SIDE on the long side (what a
 * keyframe of the clip alone was decoded at). The content script draws this part of the video
 * frame, not the part of the frame it decoded at 640 px.
 */
/**
 * The moving picture `rect` (found in the hashed `frame`) cut from the video's own pixels as the
 * content script cuts it: the source rectangle drawn at its own size up to VIDEO_DECODE_SIDE (here
 * the canonical scaler stands for the canvas), then made canonical as a keyframe is.
 */
export function movingPictureFromVideo(video: Pixels, frame: { width: number; height: number }, rect: Rect): Pixels {
  const { source } = movingPictureSource(rect, frame, video);
  return videoFramePixels(canonicalPixels(crop(video, source), VIDEO_DECODE_SIDE));
}

export function movingPictureSource(rect: Rect, frame: { width: number; height: number }, video: { width: number; height: number }): { source: Rect; draw: { width: number; height: number } } {
  const source = sourceRect(rect, frame, video);
  return { source, draw: videoDecodeSize(source.width, source.height) };
}
