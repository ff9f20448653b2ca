/**
 * Where the picture is inside what was re-shared: the detector behind query normalisation
 * (docs/matching.md). A re-share wraps the picture in lines of "interface": uniform borders,
 * letterbox and pillarbox bars, the white or black card of a post screenshot with its text lines,
 * a player's control bar, a caption band. Such a line (a row or a column) is mostly its side's
 * frame colour (the colour of an edge line that is nearly all one colour), and with one other
 * colour (text, a progress bar) nearly all of it; a line of text may be mostly glyphs, but text
 * lines are separated by blank ones. findPicture peels such lines off each side, rows then columns,
 * twice, and answers what is left and how much each side lost; bandDepth measures a caption band
 * at the top or the bottom.
 *
 * Colours are compared per channel (the largest of |ΔR|, |ΔG|, |ΔB|). Lines are sampled (at most
 * 160 pixels each), so a 512 px image costs well under a millisecond. Pure: no DOM.
 */
import type { Pixels } from '../pdq';
import type { Rect } from './geometry';

/** Per-channel difference below which two colours count as the same (JPEG noise, scaling blur). */
export const COLOUR_TOLERANCE = 16;
/**
 * A line is interface when its side's frame colour covers at least FRAME_SHARE of it, and with one
 * other colour at least UI_LINE_SHARE (the rest: antialiasing).
 */
export const UI_LINE_SHARE = 0.8;
export const FRAME_SHARE = 0.5;
/** An image's edge line is a frame when this share of it is one colour (a photo's flat edge seldom is). */
export const EDGE_SHARE = 0.95;
const SAMPLES = 160;

export interface Picture {
  rect: Rect;
  /** Lines removed from each side, in pixels. */
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const hist = new Uint16Array(4096);
const touched: number[] = [];
const sr = new Uint8Array(SAMPLES);
const sg = new Uint8Array(SAMPLES);
const sb = new Uint8Array(SAMPLES);
/** Sample i's colour at 4 bits per channel. */
const keyOf = (i: number) => ((sr[i]! >> 4) << 8) | ((sg[i]! >> 4) << 4) | (sb[i]! >> 4);

/** The main colour of a line and the share of the line within tolerance of it (sampled). */
export function lineColour(px: Pixels, x: number, y: number, dx: number, dy: number, n: number, tol = COLOUR_TOLERANCE): { colour: Colour; share: number } {
  const k = sample(px, x, y, dx, dy, n);
  const covered = new Uint8Array(k);
  const colour = dominant(k, covered);
  return { colour, share: cover(k, covered, colour, tol) / k };
}

export type Colour = [number, number, number];

function sample(px: Pixels, x: number, y: number, dx: number, dy: number, n: number): number {
  const k = Math.min(n, SAMPLES);
  const { data, channels: c, width } = px;
  for (let i = 0; i < k; i++) {
    const j = Math.floor(((i + 0.5) * n) / k);
    const p = ((y + j * dy) * width + x + j * dx) * c;
    sr[i] = data[p]!;
    sg[i] = c === 1 ? data[p]! : data[p + 1]!;
    sb[i] = c === 1 ? data[p]! : data[p + 2]!;
  }
  return k;
}

/** The mean colour of the most common 4-bit-per-channel colour among the samples not yet covered. */
function dominant(k: number, covered: Uint8Array): Colour {
  let best = -1;
  let bestCount = 0;
  for (let i = 0; i < k; i++) {
    if (covered[i]) continue;
    const key = keyOf(i);
    if (hist[key] === 0) touched.push(key);
    const h = ++hist[key]!;
    if (h > bestCount) {
      bestCount = h;
      best = key;
    }
  }
  for (const t of touched) hist[t] = 0;
  touched.length = 0;
  const c: Colour = [0, 0, 0];
  let m = 0;
  for (let i = 0; i < k; i++) {
    if (covered[i] || keyOf(i) !== best) continue;
    c[0] += sr[i]!;
    c[1] += sg[i]!;
    c[2] += sb[i]!;
    m++;
  }
  return m ? [c[0] / m, c[1] / m, c[2] / m] : c;
}

/** Marks the samples within tol of `c` as covered; answers how many it marked. */
function cover(k: number, covered: Uint8Array, c: Colour, tol: number): number {
  let n = 0;
  for (let i = 0; i < k; i++) {
    if (!covered[i] && Math.abs(sr[i]! - c[0]) <= tol && Math.abs(sg[i]! - c[1]) <= tol && Math.abs(sb[i]! - c[2]) <= tol) {
      covered[i] = 1;
      n++;
    }
  }
  return n;
}

/**
 * True if the line of n pixels from (x, y) in steps (dx, dy) is interface on a side whose frame
 * colour is `frame`: at least FRAME_SHARE of it is that colour, and with one other colour (text,
 * a progress bar) at least `share` of it. A side without a frame colour has no interface.
 */
export function isInterfaceLine(
  px: Pixels,
  x: number,
  y: number,
  dx: number,
  dy: number,
  n: number,
  frame: Colour | null,
  tol = COLOUR_TOLERANCE,
  share = UI_LINE_SHARE,
): boolean {
  if (!frame) return false;
  const k = sample(px, x, y, dx, dy, n);
  const covered = new Uint8Array(k);
  let total = cover(k, covered, frame, tol);
  if (total < FRAME_SHARE * k) return false;
  if (total < share * k) total += cover(k, covered, dominant(k, covered), tol);
  return total >= share * k;
}

/** The frame colour of a side: the main colour of its outermost line, if that line is nearly all of it. */
function frameOf(px: Pixels, x: number, y: number, dx: number, dy: number, n: number, tol: number): Colour | null {
  const { colour, share } = lineColour(px, x, y, dx, dy, n, tol);
  return share >= EDGE_SHARE ? colour : null;
}

export interface PictureOptions {
  tolerance?: number;
  share?: number;
  /** Report nothing unless some side loses at least this share of its dimension. */
  minStrip?: number;
  /** Never keep less than this share of either dimension. */
  minKeep?: number;
  /** Where a side's frame colour is read (see findPicture); default 'edges'. */
  frames?: 'edges' | 'inner';
}

type Side = 'top' | 'bottom' | 'left' | 'right';

/** The box being peeled: [left, right) x [top, bottom). */
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The line of a side at `depth` lines inward, as (x, y, dx, dy, n). */
function lineOf(b: Box, side: Side, depth: number): [number, number, number, number, number] {
  switch (side) {
    case 'top':
      return [b.left, b.top + depth, 1, 0, b.right - b.left];
    case 'bottom':
      return [b.left, b.bottom - 1 - depth, 1, 0, b.right - b.left];
    case 'left':
      return [b.left + depth, b.top, 0, 1, b.bottom - b.top];
    default:
      return [b.right - 1 - depth, b.top, 0, 1, b.bottom - b.top];
  }
}

/**
 * How many lines of one side are interface, at most `max`. A line of text is not interface by
 * itself (its glyphs may cover most of it), so when a line fails and a blank line (all frame
 * colour) follows within `skip` lines, peeling goes on past it: text lines are separated by blank
 * ones, a photograph's rows are not.
 */
function peel(px: Pixels, b: Box, side: Side, frame: Colour | null, max: number, skip: number, tol: number, share: number): number {
  let d = 0;
  while (d < max) {
    if (isInterfaceLine(px, ...lineOf(b, side, d), frame, tol, share)) {
      d++;
      continue;
    }
    let blank = 0;
    if (frame) {
      for (let j = 1; j <= skip && d + j < max; j++) {
        if (lineColourShare(px, lineOf(b, side, d + j), frame, tol) >= 0.97) {
          blank = j;
          break;
        }
      }
    }
    if (!blank) break;
    d += blank + 1;
  }
  return Math.min(d, max);
}

function lineColourShare(px: Pixels, line: [number, number, number, number, number], c: Colour, tol: number): number {
  const k = sample(px, ...line);
  return cover(k, new Uint8Array(k), c, tol) / k;
}

/**
 * How many rows, from the top or the bottom edge inward, are interface over the whole width (a
 * caption band, a letterbox bar, a card's header or footer), at most maxShare of the height.
 */
export function bandDepth(px: Pixels, side: 'top' | 'bottom', tol = COLOUR_TOLERANCE, maxShare = 0.45): number {
  const box = { top: 0, bottom: px.height, left: 0, right: px.width };
  const frame = frameOf(px, ...lineOf(box, side, 0), tol);
  return peel(px, box, side, frame, Math.floor(px.height * maxShare), Math.ceil(px.height * TEXT_LINE), tol, UI_LINE_SHARE);
}

/** The tallest line of text (with its spacing) peeled past, as a share of the image's side. */
export const TEXT_LINE = 0.06;

/**
 * The picture without the interface lines around it (borders, bars, a card with its text,
 * toolbars, a caption band at an edge): each side peeled in turn, rows then columns, twice (a
 * side's frame colour is that of its outermost line when first peeled). Null if no side loses at
 * least minStrip, or if less than minKeep of a side would remain.
 */
export function findPicture(px: Pixels, opts: PictureOptions = {}): Picture | null {
  const tol = opts.tolerance ?? COLOUR_TOLERANCE;
  const share = opts.share ?? UI_LINE_SHARE;
  const minStrip = opts.minStrip ?? 0.02;
  const minKeep = opts.minKeep ?? 0.2;
  const { width: W, height: H } = px;
  const box: Box = { top: 0, bottom: H, left: 0, right: W };
  const minW = Math.max(8, Math.ceil(W * minKeep));
  const minH = Math.max(8, Math.ceil(H * minKeep));
  // A side's frame colour is that of a line nearly all one colour (EDGE_SHARE); a side without one
  // is not peeled. 'edges': the image's own edge line on that side (a letterboxed photo's side edges
  // are bar and photo, so its flat sides are left alone). 'inner': the side's outermost line when
  // it is first peeled, after the sides before it (a player's black sides above its control bar).
  // Either way kept for the second round, so peeling stops at the picture rather than going on
  // into its flat parts.
  const inner = opts.frames === 'inner';
  const frames = new Map<Side, Colour | null>();
  if (!inner) for (const side of ['top', 'bottom', 'left', 'right'] as const) frames.set(side, frameOf(px, ...lineOf(box, side, 0), tol));
  for (let round = 0; round < 2; round++) {
    const before = JSON.stringify(box);
    for (const side of ['top', 'bottom', 'left', 'right'] as const) {
      const rows = side === 'top' || side === 'bottom';
      const room = rows ? box.bottom - box.top - minH : box.right - box.left - minW;
      if (room <= 0) continue;
      if (!frames.has(side)) frames.set(side, frameOf(px, ...lineOf(box, side, 0), tol));
      const d = peel(px, box, side, frames.get(side) ?? null, room, Math.ceil((rows ? H : W) * TEXT_LINE), tol, share);
      if (side === 'top') box.top += d;
      else if (side === 'bottom') box.bottom -= d;
      else if (side === 'left') box.left += d;
      else box.right -= d;
    }
    if (before === JSON.stringify(box)) break;
  }
  const rect = { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top };
  if (rect.width <= minW || rect.height <= minH) return null; // all interface: a text card, a flat image
  const sides = { top: box.top, bottom: H - box.bottom, left: box.left, right: W - box.right };
  if (Math.max(sides.top / H, sides.bottom / H, sides.left / W, sides.right / W) < minStrip) return null;
  return { rect, ...sides };
}
