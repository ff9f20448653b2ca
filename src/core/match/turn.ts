/**
 * Turned re-shares, undone on the reader's side (docs/matching.md, "Turns").
 *
 * A picture turned by a few degrees is re-shared on the canvas of its turned bounding box, the
 * four corners filled with one colour (white, black, a transparent area flattened). Each side of
 * that canvas then shows a fill triangle whose inner edge is the picture's own edge: a straight
 * line at the turn's angle. estimateTurn measures, along the middle of each side, how far the
 * fill reaches in from the edge; the fill's depth changes by tan(angle) per line. Three or four
 * sides agreeing give the angle to a tenth of a degree, whatever it is; the picture is then turned
 * back (unturn) and its centre compared with the publisher's centred crop of the same share —
 * no stored hash per angle.
 *
 * Pure: no DOM. Works on any Pixels (the canonical form, ≤ 512 px).
 */
import type { Pixels } from '../pdq';
import { centerRect, crop, lumaOf, rotate, type Rect } from './geometry';

/** Turns estimated outside this range (degrees) are not undone: a straight picture, or not a turn. */
export const MIN_TURN = 0.4;
export const MAX_TURN = 10;
/** Per-channel tolerance of the fill colour (JPEG ringing at the picture's edge). */
const FILL_TOLERANCE = 28;

function pixel(px: Pixels, x: number, y: number): [number, number, number] {
  const p = (y * px.width + x) * px.channels;
  const d = px.data;
  return px.channels === 1 ? [d[p]!, d[p]!, d[p]!] : [d[p]!, d[p + 1]!, d[p + 2]!];
}

/** The colour of all four corners (a 3x3 mean at each), if they agree. */
function cornerFill(px: Pixels): [number, number, number] | null {
  const { width: W, height: H } = px;
  if (W < 32 || H < 32) return null;
  const corners: [number, number, number][] = [];
  for (const [cx, cy] of [
    [0, 0],
    [W - 3, 0],
    [0, H - 3],
    [W - 3, H - 3],
  ] as const) {
    const m: [number, number, number] = [0, 0, 0];
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 3; x++) {
        const c = pixel(px, cx + x, cy + y);
        for (let k = 0; k < 3; k++) m[k]! += c[k]! / 9;
      }
    }
    corners.push(m);
  }
  const mean: [number, number, number] = [0, 0, 0];
  for (const c of corners) for (let k = 0; k < 3; k++) mean[k]! += c[k]! / 4;
  for (const c of corners) for (let k = 0; k < 3; k++) if (Math.abs(c[k]! - mean[k]!) > FILL_TOLERANCE / 2) return null;
  return mean;
}

/**
 * Depth of the fill from one side, along lines in the middle 30–70% of that side: the slope of
 * depth against position (least squares) when the depths lie on a line (mean residual ≤ 1.5 px)
 * and reach in from the edge on most lines; null otherwise.
 */
function sideSlope(px: Pixels, fill: [number, number, number], side: 'left' | 'right' | 'top' | 'bottom'): number | null {
  const { width: W, height: H } = px;
  const along = side === 'left' || side === 'right' ? H : W;
  const across = side === 'left' || side === 'right' ? W : H;
  const cap = Math.floor(across * 0.25);
  const xs: number[] = [];
  const ds: number[] = [];
  const step = Math.max(1, Math.floor(along / 120));
  for (let t = Math.floor(along * 0.3); t <= Math.floor(along * 0.7); t += step) {
    let d = 0;
    // Walk in from the edge: start pixel and step (in samples) of this line.
    const ch = px.channels;
    const g = ch === 1 ? 0 : 1;
    const b = ch === 1 ? 0 : 2;
    const data = px.data;
    let p = side === 'left' ? t * W * ch : side === 'right' ? (t * W + W - 1) * ch : side === 'top' ? t * ch : ((H - 1) * W + t) * ch;
    const stepP = side === 'left' ? ch : side === 'right' ? -ch : side === 'top' ? W * ch : -W * ch;
    for (; d < cap; d++, p += stepP) {
      if (Math.abs(data[p]! - fill[0]) > FILL_TOLERANCE || Math.abs(data[p + g]! - fill[1]) > FILL_TOLERANCE || Math.abs(data[p + b]! - fill[2]) > FILL_TOLERANCE) break;
    }
    if (d >= cap) return null;
    xs.push(t);
    ds.push(d);
  }
  const n = xs.length;
  if (n < 8) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const md = ds.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ds[i]! - md);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  let residual = 0;
  for (let i = 0; i < n; i++) residual += Math.abs(ds[i]! - (md + slope * (xs[i]! - mx)));
  if (residual / n > 1.5) return null;
  // The fill must reach in on most lines (a fill that is just the picture's own flat edge does not slope).
  if (ds.filter((d) => d > 0).length < n * 0.8) return null;
  return slope;
}

/**
 * The turn of a re-shared picture, degrees (positive: clockwise, as `convert -rotate`), or null
 * when the corners are not one fill colour, fewer than three sides show a straight fill edge, the
 * sides disagree by more than 0.5°, or the turn is under MIN_TURN or over MAX_TURN.
 */
export function estimateTurn(px: Pixels): number | null {
  const fill = cornerFill(px);
  if (!fill) return null;
  // For a clockwise turn the fill deepens down the right side and along the top, and thins down
  // the left side and along the bottom.
  const sides: [('left' | 'right' | 'top' | 'bottom'), number][] = [
    ['left', -1],
    ['right', 1],
    ['top', 1],
    ['bottom', -1],
  ];
  const est: number[] = [];
  for (const [side, sign] of sides) {
    const s = sideSlope(px, fill, side);
    if (s !== null) est.push((Math.atan(sign * s) * 180) / Math.PI);
  }
  if (est.length < 3) return null;
  est.sort((a, b) => a - b);
  const median = est.length === 4 ? (est[1]! + est[2]!) / 2 : est[1]!;
  if (est.filter((e) => Math.abs(e - median) <= 0.5).length < 3) return null;
  if (Math.abs(median) < MIN_TURN || Math.abs(median) > MAX_TURN) return null;
  return median;
}

/**
 * Where the picture lies in its turned-back canvas: a turn by `degrees` put a W x H picture on a
 * (W cos + H sin) x (W sin + H cos) canvas; turned back, the picture is the centred W x H.
 */
export function unturnedRect(turnedWidth: number, turnedHeight: number, degrees: number, canvasWidth: number, canvasHeight: number): Rect {
  const a = (Math.abs(degrees) * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const det = c * c - s * s;
  const w = (turnedWidth * c - turnedHeight * s) / det;
  const h = (turnedHeight * c - turnedWidth * s) / det;
  return { x: (canvasWidth - w) / 2, y: (canvasHeight - h) / 2, width: w, height: h };
}

/**
 * The picture turned back by `degrees`, as luma, and the centred `share` of it: the view the
 * publisher's centred crop of that share shows (crop:share).
 */
export function unturn(px: Pixels, degrees: number, share: number): Pixels {
  const luma = lumaOf(px, { x: 0, y: 0, width: px.width, height: px.height }, Infinity);
  const back = rotate(luma, -degrees, 0);
  const pic = unturnedRect(px.width, px.height, degrees, back.width, back.height);
  return crop(back, centerRect(back.width, back.height, share, pic));
}
