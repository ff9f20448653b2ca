/**
 * Video frames on both sides (docs/matching.md, "Video"):
 *
 *  - videoFrameSize: the one size every video frame is hashed at, by the publisher tool's keyframes
 *    and by the extension's sampler alike (the same frame is 0–2 bits apart at equal sizes, 8–20
 *    at 256 vs 512 px).
 *  - keyframeCover: which of the publisher's densely sampled frames to keep, so that every frame of
 *    the clip lies within a few bits of a kept one, wherever the reader's playback starts.
 *  - findMovingPicture: where the moving picture is inside a frame that wraps it in something that
 *    moves differently or not at all (a 1:1 frame of a blurred copy of itself, a phone's screen
 *    recording with its interface, a picture-in-picture in a news graphic, a caption laid over it
 *    for the whole clip), from what changes between a few sampled frames.
 *  - VideoEvidence: frames matching the same entry in time order, as evidence across frames.
 *
 * Pure: frames in, rectangles and hashes out.
 */
import { hammingDistance, hashFromHex, type Hash256 } from '../hash256';
import { PDQ_MIN_QUALITY, canonicalPixels, canonicalSize, pdqHash, type Pixels } from '../pdq';
import { crop, type Rect } from './geometry';
import { findPicture } from './regions';
import { pairAllowed, type MatchRule } from './rule';
import type { Probe, VariantHash } from './variants';

/** Long side of a hashed video frame, in px, on both sides. */
export const VIDEO_FRAME_SIDE = 256;
/**
 * Frames are decoded at the video's own size up to this long side; a larger rendition is drawn
 * down to it first (by the canvas, by ffmpeg's area filter: the one step where the two sides'
 * scalers differ, at 2.5× the hashed size or more; X's 1280x720 rendition halves exactly). Measured
 * in the browser (BENCHMARKS.md, "Video sampling in the browser"): drawing and scaling 1280x720 in
 * full cost about 4× the main-thread time of 640x360.
 */
export const VIDEO_DECODE_SIDE = 640;

/** The size a w×h video frame is hashed at: canonicalSize at VIDEO_FRAME_SIDE (down, never up). */
export function videoFrameSize(width: number, height: number): { width: number; height: number } {
  return canonicalSize(Math.max(1, width), Math.max(1, height), VIDEO_FRAME_SIDE);
}

/** The size a w×h video frame is decoded (drawn, piped) at before videoFramePixels: its own, up to VIDEO_DECODE_SIDE. */
export function videoDecodeSize(width: number, height: number): { width: number; height: number } {
  return canonicalSize(Math.max(1, width), Math.max(1, height), VIDEO_DECODE_SIDE);
}

/**
 * The pixels a video frame is hashed from, on both sides (the publisher's keyframes, the frames
 * the reader plays): the decoded frame through the image path's canonical scaler (exact area
 * average, src/core/pdq/canonical.ts) down to VIDEO_FRAME_SIDE — plain arithmetic, so node,
 * Chromium and Firefox make the same bytes from the same decoded frame.
 */
export function videoFramePixels(decoded: Pixels): Pixels {
  return canonicalPixels(decoded, VIDEO_FRAME_SIDE);
}

/** The moving picture `rect` (found in the hashed frame) cut from the decoded frame and made canonical, as a keyframe is. */
export function movingPicturePixels(decoded: Pixels, frame: { width: number; height: number }, rect: Rect): Pixels {
  return videoFramePixels(crop(decoded, sourceRect(rect, frame, decoded)));
}

export interface SampledFrame {
  t: number;
  hash: Hash256;
  quality: number;
  /** A scene change (the publisher's ffmpeg scene score), kept whatever its distance. */
  scene?: boolean;
}

/**
 * The frames to keep so that every sampled frame is within `radius` bits of a kept one at or
 * before it (greedy, in time order): a static shot gives one frame, a handheld pan one every few
 * tenths of a second. The first frame and scene changes are always kept.
 */
export function keyframeCover(frames: readonly SampledFrame[], radius: number): SampledFrame[] {
  const kept: SampledFrame[] = [];
  let last: SampledFrame | null = null;
  for (const f of frames) {
    if (!last || f.scene || hammingDistance(f.hash, last.hash) > radius) {
      kept.push(f);
      last = f;
    }
  }
  return kept;
}

/**
 * keyframeCover at the smallest radius from `radius` up (in steps of 2) that keeps at most
 * `budget` frames.
 */
export function boundedCover(frames: readonly SampledFrame[], radius: number, budget: number): { kept: SampledFrame[]; radius: number } {
  let r = radius;
  let kept = keyframeCover(frames, r);
  while (kept.length > budget && r < 128) {
    r += 2;
    kept = keyframeCover(frames, r);
  }
  return { kept: kept.slice(0, budget), radius: r };
}

/** The height of the plain bar captionBarPictures lays above or below a keyframe, as a share of its height (a caption bar is 15–25%; measured, the finder's cut does not depend on it). */
export const CAPTION_BAR_SHARE = 0.2;

/**
 * What the reader's picture probe (findPicture, the image path) cuts from this keyframe when a
 * re-share lays a plain caption bar over or under it, white or black: where the picture's own edge
 * rows are of the bar's colour (a bright sky under a white bar), the finder peels them with the
 * bar, and the picture it finds is no longer the whole frame. One `picture` variant for each bar
 * that cuts into the frame; none where the finder stops at the bar's edge (the frame itself is
 * then what is found).
 */
export function captionBarPictures(px: Pixels): VariantHash[] {
  const out: VariantHash[] = [];
  const { width: w, height: h, channels: c } = px;
  const bar = Math.max(1, Math.round(h * CAPTION_BAR_SHARE));
  for (const level of [255, 0]) {
    for (const above of [true, false]) {
      const data = new Uint8Array(w * (h + bar) * c).fill(level);
      data.set(px.data.subarray(0, w * h * c), above ? w * bar * c : 0);
      const padded: Pixels = { width: w, height: h + bar, channels: c, data };
      const pic = findPicture(padded);
      // The frame's own rows start at `bar` (above) or end at `h` (below).
      const frame = { x: 0, y: above ? bar : 0, width: w, height: h };
      if (!pic || (pic.rect.x === frame.x && pic.rect.y === frame.y && pic.rect.width === frame.width && pic.rect.height === frame.height)) continue;
      const inside = pic.rect.y >= frame.y && pic.rect.y + pic.rect.height <= frame.y + frame.height;
      if (!inside) continue; // the bar was not peeled whole: not what a reader's finder would take for the picture
      const { hash, quality } = pdqHash(crop(padded, pic.rect));
      // The same cut under another bar (a frame whose own top edge is peeled whichever bar is added) is stored once.
      if (!out.some((v) => hammingDistance(v.hash, hash) === 0)) out.push({ variant: 'picture', hash, quality });
    }
  }
  return out;
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
}

export const MOVING_PICTURE_DEFAULTS: Required<MovingPictureOptions> = { motion: 24, lineShare: 0.04, snap: 0.08, minStrip: 0.03, minKeep: 0.25 };

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
  if (box.bottom - box.top < h * o.minKeep || box.right - box.left < w * o.minKeep) return [];

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
  const top = snapTo(box.top, -1, h, stepRow, reachY);
  const bottom = snapTo(box.bottom, 1, h, stepRow, reachY);
  box.top = top ?? box.top;
  box.bottom = bottom ?? box.bottom;
  const left = snapTo(box.left, -1, w, stepCol, reachX);
  const right = snapTo(box.right, 1, w, stepCol, reachX);
  if (top !== null && bottom !== null && left !== null && right !== null) add({ x: left, y: top, width: right - left, height: bottom - top });
  // A clip centred across the whole width (or height) of its frame — the blurred 1:1 re-share —
  // whose edge against the wrapper does not show (a sky against a blurred sky): the centred
  // rectangle of the commonest aspect ratios that holds all that moves.
  // What moves may poke out of the clip by a few lines: the edge of a caption box over the moving
  // blurred copy flickers with the encoder's noise.
  const slackY = Math.ceil(h * 0.05);
  const slackX = Math.ceil(w * 0.05);
  // The snapped sides reach both frame edges, or the frame is square or portrait (the 1:1 and 9:16
  // re-share formats, where a landscape clip always spans the width).
  if ((left === 0 && right === w) || h >= w * 0.95) {
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
  return out;
}

/** Width over height of the clips most often re-shared inside a frame, widest first (landscape); their inverses for portrait. */
const ASPECTS = [16 / 9, 4 / 3, 1];

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

// --- evidence across frames

/** One stored hash a sampled frame came near: its entry, the distance, and the keyframe's time. */
export interface FrameHit<K = number> {
  entry: K;
  distance: number;
  /** The keyframe's time in the published clip, seconds; null when the hash met is not a keyframe (a picture, a poster). */
  t: number | null;
  /**
   * Up to when the keyframe stands for the clip (the next keyframe's time, or the clip's end): the
   * publisher keeps a frame whenever the picture drifts, so the clip is at [t, until] — a still
   * stretch has one keyframe for several seconds. Default: t.
   */
  until?: number | null;
  /**
   * The entry's clip looks alike throughout (clipLooksAlike: a fixed camera, a static shot): other
   * moments of the same scene come as close as a re-share, so one frame short of `sure` is not
   * enough.
   */
  alike?: boolean;
}

export interface EvidenceRule {
  /** One frame this close is a match by itself (the reference rule)… */
  accept: number;
  /** …and, for a clip that looks alike throughout, one frame this close (within the publisher's cover radius). */
  sure: number;
  /** Frames this close count towards a sequence. */
  near: number;
  /** This many consecutive sampled frames near the same entry, in the clip's time order, are a match. */
  frames: number;
}

/**
 * `sure` is the publisher's cover radius (src/cli/keyframes.ts COVER_BITS: every frame of the
 * clip is within 12 bits of a keyframe): measured, another moment of the fixed street camera,
 * 45 s later, had a frame 18 bits from a keyframe.
 */
export const EVIDENCE_RULE: EvidenceRule = { accept: 31, sure: 12, near: 40, frames: 2 };

/** The evidence rule of the reader's strictness: strict accepts nothing past 24 bits, frame or sequence. */
export function evidenceRule(level: 'strict' | 'standard' | 'loose'): EvidenceRule {
  return level === 'strict' ? { accept: 24, sure: 12, near: 24, frames: 2 } : EVIDENCE_RULE;
}

/** Keyframes this far apart in time that are still within `accept` bits: the clip looks alike throughout. */
export const ALIKE_SECONDS = 5;

/**
 * Does a published clip look alike throughout (a fixed camera's street, a static shot)? True when
 * two keyframes at least ALIKE_SECONDS apart are within `accept` bits of each other, or when no
 * keyframe was kept for ALIKE_SECONDS (the publisher keeps one whenever the picture drifts 12 bits:
 * so long a stretch without one did not change). Other moments of such a scene — not the published
 * clip — then come as close to its keyframes as a re-share does.
 */
export function clipLooksAlike(frames: readonly { t: number; hash: Hash256 }[], durationSec: number | null = null, accept = 31): boolean {
  const f = [...frames].sort((a, b) => a.t - b.t);
  for (let i = 0; i < f.length; i++) {
    const next = f[i + 1]?.t ?? durationSec;
    if (next !== null && next - f[i]!.t >= ALIKE_SECONDS) return true;
    for (let j = i + 1; j < f.length; j++) if (f[j]!.t - f[i]!.t >= ALIKE_SECONDS && hammingDistance(f[i]!.hash, f[j]!.hash) <= accept) return true;
  }
  return false;
}

/**
 * Evidence across the frames of one playing video (docs/matching.md, "Video"). Per frame, each
 * entry's nearest hit counts (the keyframe the frame most likely is):
 *  - a clip that changes: one frame within `accept` is a match, as for pictures; or `frames`
 *    consecutive sampled frames each within `near`, whose keyframes follow in the clip's order at
 *    about the pace they were played (half to twice it, a second's slack);
 *  - a clip that looks alike throughout (a fixed camera, where other moments of the scene come as
 *    close as a re-share): one frame within `sure`; or `frames` consecutive frames each within
 *    `accept` whose keyframes advance at the pace played (half to twice it, a quarter second's
 *    slack — a moment of the clip itself moves through its keyframes as it plays; another moment
 *    meets whichever keyframe it resembles).
 * Unrelated frames that come near an entry by chance do not line up in time.
 */
export class VideoEvidence<K = number> {
  /** Per entry: when the last frame of the chain was played, where in the clip it can be ([lo, hi]), the chain's length. */
  private chains = new Map<K, { at: number; lo: number; hi: number; n: number }>();

  constructor(private readonly rule: EvidenceRule = EVIDENCE_RULE) {}

  /** A sampled frame, played at `at` seconds (the re-share's own time), and its hits: the entries it makes a match. */
  add(at: number, hits: readonly FrameHit<K>[]): K[] {
    const nearest = new Map<K, FrameHit<K>>();
    for (const h of hits) {
      const b = nearest.get(h.entry);
      if (!b || h.distance < b.distance) nearest.set(h.entry, h);
    }
    const accepted: K[] = [];
    const next = new Map<K, { at: number; lo: number; hi: number; n: number }>();
    for (const h of nearest.values()) {
      const alone = h.alike ? this.rule.sure : this.rule.accept;
      const near = h.alike ? this.rule.accept : this.rule.near;
      const slack = h.alike ? 0.25 : 1;
      let n = 0;
      if (h.distance <= near && h.t !== null) {
        const prev = this.chains.get(h.entry);
        const dt = prev ? at - prev.at : 0;
        // Where the clip can be now, by the pace played, against where this keyframe stands.
        let lo = h.t;
        let hi = Math.max(h.t, h.until ?? h.t);
        const from = prev ? prev.lo + 0.5 * dt - slack : 0;
        const to = prev ? prev.hi + 2 * dt + slack : 0;
        const follows = prev && dt > 0 && hi >= from && lo <= to;
        if (follows) {
          lo = Math.max(lo, from);
          hi = Math.min(hi, to);
        }
        n = follows ? prev.n + 1 : 1;
        next.set(h.entry, { at, lo, hi, n });
      }
      if (h.distance <= alone || n >= this.rule.frames) accepted.push(h.entry);
    }
    this.chains = next; // a frame without a near hit breaks the chain
    return accepted;
  }
}

/** The hashes of one media item of an entry, as a feed stores them (docs/feed-format.md: `hashes`, `frames`). */
export interface StoredMediaHashes {
  hashes: readonly { value: string; quality: number; role?: string; variant?: string }[];
  frames?: { items: readonly { t: number; value: string; quality: number; variants?: readonly { variant: string; value: string; quality: number }[] }[] };
  durationSec?: number;
}

/**
 * Does a picture's match with an entry hold, `distance` being the best distance the image rule
 * found (a video's poster — X shows the clip's first frame — is looked up as a picture)? Yes when
 * it is within `sure` (the publisher's cover radius), or when some pair the rule allows, within
 * `distance` (or the rule's accept distance, if larger), meets a picture of the entry or a
 * keyframe of a clip that changes. Through the keyframes of a clip that looks alike throughout
 * (clipLooksAlike: a fixed camera) it holds past `sure` only as the clip's first frame — the first
 * keyframe is the nearest one — which is what the poster of a re-share that starts where the clip
 * starts is: another moment of the scene comes as close as a re-share but meets whichever keyframe
 * it resembles (measured: the street camera 45 s later, its first frame 18 bits from the keyframe
 * at 0.8 s, 30 from those at 0.6 and 1 s; a mirrored re-share's poster 28 bits from the first).
 */
export function pictureMatchHolds(media: readonly StoredMediaHashes[], probes: readonly Probe[], distance: number, rule: MatchRule, evidence: EvidenceRule = EVIDENCE_RULE): boolean {
  if (distance <= evidence.sure) return true;
  const within = Math.max(distance, rule.acceptDistance);
  /** The nearest of `stored` over the pairs the rule allows (Infinity: none). */
  const nearest = (stored: readonly { kind: string; value: string }[]): number => {
    let best = Infinity;
    for (const p of probes) {
      if (p.quality < rule.minQuality) continue;
      p.hashes.forEach((h, d) => {
        for (const s of stored) if (pairAllowed(p.probe, d, s.kind, rule)) best = Math.min(best, hammingDistance(h, hashFromHex(s.value)));
      });
    }
    return best;
  };
  type Frame = NonNullable<StoredMediaHashes['frames']>['items'][number];
  // The rows of a keyframe, as the index holds them (src/core/match/lookup.ts entryRows).
  const rowsOf = (f: Frame) => [...(f.quality >= PDQ_MIN_QUALITY ? [{ kind: 'original', value: f.value }] : []), ...(f.variants ?? []).filter((v) => v.quality >= PDQ_MIN_QUALITY).map((v) => ({ kind: v.variant, value: v.value }))];
  for (const m of media) {
    const pictures = m.hashes.filter((h) => h.quality >= PDQ_MIN_QUALITY).map((h) => ({ kind: h.role === 'variant' && h.variant ? h.variant : 'original', value: h.value }));
    if (nearest(pictures) <= within) return true;
    const items = [...(m.frames?.items ?? [])].sort((a, b) => a.t - b.t);
    const all = nearest(items.flatMap(rowsOf));
    if (all > within) continue;
    const keyframes = items.filter((f) => f.quality >= PDQ_MIN_QUALITY).map((f) => ({ t: f.t, hash: hashFromHex(f.value) }));
    if (!clipLooksAlike(keyframes, m.durationSec ?? null)) return true;
    if (items[0] && nearest(rowsOf(items[0])) <= all) return true;
  }
  return false;
}
