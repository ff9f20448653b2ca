/**
 * The picture inside a frame of its own blurred copy, found in one frame (docs/matching.md, "The
 * moving picture"): a clip laid across the middle of a frame filled with a blurred copy of itself
 * (the 1:1 and 9:16 re-share formats), from a poster or a single frame, where nothing has moved
 * yet. The blurred copy above and below (or left and right of) the clip has almost no detail; the
 * clip has a lot. The image path hashes it as the 'picture' probe (./variants.ts queryProbes).
 *
 * Pure: pixels in, rectangles out.
 */
import type { Pixels } from '../pdq';
import type { Rect } from './geometry';

/** Width over height of the clips most often re-shared inside a frame (landscape; inverses for portrait). */
const ASPECTS = [16 / 9, 4 / 3];

export interface SharpBandOptions {
  /** A line of the wrapper has a mean gradient below this (levels per pixel)… */
  blurred?: number;
  /** …and below this share of the band's median line detail. */
  contrast?: number;
  /** Each blurred side covers at least this share of the dimension. */
  minSide?: number;
  /** The band's sides may differ by this share of the dimension (the clip is centred), unless a centred common aspect ratio holds the band. */
  centred?: number;
}

export const SHARP_BAND_DEFAULTS: Required<SharpBandOptions> = { blurred: 3, contrast: 0.3, minSide: 0.025, centred: 0.02 };


/**
 * Per row (rows) or per column: the mean |difference| of luma between pixels `s` apart along the
 * line, s = the frame's long side / 256 (so the figures are those of the 256 px frame at any size).
 */
export function lineDetail(px: Pixels, rows: boolean): Float32Array {
  const { width: w, height: h, channels: c, data } = px;
  const s = Math.max(1, Math.floor(Math.max(w, h) / 256));
  const lum = (x: number, y: number) => {
    const p = (y * w + x) * c;
    return c === 1 ? data[p]! : 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
  };
  const n = rows ? h : w;
  const len = rows ? w : h;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let k = 0;
    let prev = rows ? lum(0, i) : lum(i, 0);
    for (let j = s; j < len; j += s, k++) {
      const v = rows ? lum(j, i) : lum(i, j);
      sum += Math.abs(v - prev);
      prev = v;
    }
    out[i] = sum / Math.max(1, k);
  }
  return out;
}

function median(a: ArrayLike<number>): number {
  const s = Array.from(a).sort((p, q) => p - q);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

/**
 * The clip inside a frame of its own blurred copy, from one frame: the band of lines across the
 * middle whose detail stands far above that of the lines before and after it. Rows are tried
 * first (a landscape clip in a square or portrait frame), then columns (a portrait clip in a
 * landscape frame). Candidates: the band itself when it is centred; the centred 16:9 and 4:3
 * rectangles that hold it (the clip's own still edge — a sky, a wall — may look as plain as the
 * blur). Nothing when either side is not blurred all along (a photograph's plain sky above a
 * detailed street has a sharp horizon and buildings: only the sky is plain, not the ground), when
 * the sides are flat (bars: findPicture's work), or when the band is less than a quarter.
 */
export function findSharpBand(px: Pixels, opts: SharpBandOptions = {}): Rect[] {
  const o = { ...SHARP_BAND_DEFAULTS, ...opts };
  const { width: w, height: h } = px;
  if (w < 32 || h < 32) return [];
  for (const rows of [true, false]) {
    const n = rows ? h : w;
    const across = rows ? w : h;
    // A landscape clip spans the width of a square or portrait frame, a portrait clip the height of a landscape one.
    if (rows ? h < w * 0.95 : w < h * 1.2) continue;
    const detail = lineDetail(px, rows);
    const limit = (band: number) => Math.min(o.blurred, o.contrast * band);
    // The band's detail: the median of the middle third (always inside the clip when the sides are at least minSide).
    const mid = median(detail.subarray(Math.floor(n / 3), Math.ceil((2 * n) / 3)));
    const low = limit(mid);
    if (mid < 4 || low <= 0) continue;
    let a = 0;
    while (a < n && detail[a]! < low) a++;
    let b = n;
    while (b > a && detail[b - 1]! < low) b--;
    // A portrait clip in a landscape frame leaves wide sides (a 9:16 clip in 16:9: 34% each); narrow
    // plain columns are a diagram's margins.
    const side = rows ? o.minSide : Math.max(o.minSide, 0.1);
    if (a < n * side || n - b < n * side || b - a < n * 0.25) continue;
    // Bars and a diagram's margins are flat, not blurred: a blurred copy's lines vary slowly in
    // brightness along their length (a range of more than 12 levels on most of them).
    const range = (i: number) => {
      let lo = 255;
      let hi = 0;
      for (let j = 0; j < across; j += 2) {
        const p = ((rows ? i * w + j : j * w + i) * px.channels);
        const v = px.channels === 1 ? px.data[p]! : 0.299 * px.data[p]! + 0.587 * px.data[p + 1]! + 0.114 * px.data[p + 2]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return hi - lo;
    };
    let varied = 0;
    for (let i = 0; i < a; i++) if (range(i) > 12) varied++;
    for (let i = b; i < n; i++) if (range(i) > 12) varied++;
    if (varied < 0.5 * (a + n - b)) continue;
    // Lines inside the band are not blurred (a clip's plain stretch is still short of a quarter of it).
    let plain = 0;
    for (let i = a; i < b; i++) if (detail[i]! < low) plain++;
    if (plain > 0.25 * (b - a)) continue;
    const rect = (from: number, to: number): Rect => (rows ? { x: 0, y: from, width: w, height: to - from } : { x: from, y: 0, width: to - from, height: h });
    const out: Rect[] = [];
    const slack = Math.ceil(n * o.centred);
    if (Math.abs(a - (n - b)) <= slack) out.push(rect(a, b));
    for (const aspect of ASPECTS) {
      const len = Math.round(across / aspect);
      const from = Math.round((n - len) / 2);
      if (len < n && from <= a + slack && from + len >= b - slack && !out.some((r) => (rows ? r.y === from && r.height === len : r.x === from && r.width === len))) out.push(rect(from, from + len));
    }
    if (out.length) return out.slice(0, 2);
  }
  return [];
}

