/**
 * The canonical pixels every matching hash is made from, on both sides (docs/matching.md).
 *
 * The publisher (CLI: sharp decodes the file) and the reader (extension: the browser decodes the
 * bytes X serves, at whatever `name=` size) must hash the same pixels, or the same picture lands
 * bits apart before any re-share edit. Decoders agree closely on pixels at the file's own size;
 * resizers do not (a browser's "high quality" scaler, libvips' and the reference CLI's
 * nearest-neighbour 512x512 squash each give other pixels). So neither side lets its decoder
 * resize: both decode at full size and call this one function, which is plain JavaScript
 * arithmetic (IEEE doubles, stored as bytes), hence bit for bit the same in node, Chromium and
 * Firefox. A video frame goes through it too (the content script's frame, the CLI's keyframes).
 *
 * The form: an exact area average (each output pixel is the mean of the source area it covers,
 * fractional pixels weighted by their share) down to CANONICAL_SIDE on the long side, aspect kept;
 * smaller images are kept at their size. Colour stays (the picture finder reads frame colours);
 * alpha is dropped (PDQ ignores it). Measured in BENCHMARKS.md ("Canonical decode").
 *
 * CANONICAL_VERSION names this form in feeds: a hash object made from it carries `canon: 1`. If
 * the form ever changes, the version grows, and clients know which stored hashes were made from
 * which pixels.
 */
import type { Pixels } from './pixels';
import { checkPixels } from './pixels';

export const CANONICAL_VERSION = 1;
/** The long side of the canonical form, px. */
export const CANONICAL_SIDE = 512;

/** For each output index: the first source index and the weights of the source indices it covers. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  /** Offset of each output's weights in `weights`. */
  at: Int32Array;
}

/** Area-average taps for shrinking `from` samples to `to` (to ≤ from). */
function taps(from: number, to: number): Taps {
  const scale = from / to;
  const start = new Int32Array(to);
  const count = new Int32Array(to);
  const at = new Int32Array(to);
  const w: number[] = [];
  for (let o = 0; o < to; o++) {
    const lo = o * scale;
    const hi = Math.min(from, (o + 1) * scale);
    const first = Math.floor(lo);
    const last = Math.min(from - 1, Math.ceil(hi) - 1);
    start[o] = first;
    count[o] = last - first + 1;
    at[o] = w.length;
    for (let s = first; s <= last; s++) w.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
  }
  return { start, count, weights: Float64Array.from(w), at };
}

/** The size of the canonical form of a width x height image. */
export function canonicalSize(width: number, height: number, side = CANONICAL_SIDE): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= side) return { width, height };
  const s = side / long;
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * The canonical form of a decoded image (any size, 1, 3 or 4 channels): RGB (or grey for 1
 * channel), long side at most CANONICAL_SIDE, by exact area averaging. Pure and deterministic.
 */
export function canonicalPixels(px: Pixels, side = CANONICAL_SIDE): Pixels {
  checkPixels(px);
  const { width: W, height: H, channels: c, data } = px;
  const oc = c === 1 ? 1 : 3;
  const { width: w, height: h } = canonicalSize(W, H, side);
  if (w === W && h === H) {
    if (c === oc) return px;
    const out = new Uint8Array(W * H * 3);
    for (let i = 0, p = 0, o = 0; i < W * H; i++, p += c, o += 3) {
      out[o] = data[p]!;
      out[o + 1] = data[p + 1]!;
      out[o + 2] = data[p + 2]!;
    }
    return { width: W, height: H, channels: 3, data: out };
  }
  const tx = taps(W, w);
  const ty = taps(H, h);
  // Each source row is averaged along x once (into `line`, doubles), and added with its weight to
  // the output row(s) covering it: rows of output are finished in order, memory stays two lines.
  const n = w * oc;
  const line = new Float64Array(n);
  const acc = new Float64Array(n);
  const out = new Uint8Array(w * h * oc);
  const along = (y: number) => {
    const src = y * W * c;
    for (let x = 0; x < w; x++) {
      const s0 = tx.start[x]!;
      const a = tx.at[x]!;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0, cnt = tx.count[x]!; k < cnt; k++) {
        const wt = tx.weights[a + k]!;
        const p = src + (s0 + k) * c;
        r += wt * data[p]!;
        if (oc === 3) {
          g += wt * data[p + 1]!;
          b += wt * data[p + 2]!;
        }
      }
      const o = x * oc;
      line[o] = r;
      if (oc === 3) {
        line[o + 1] = g;
        line[o + 2] = b;
      }
    }
  };
  let lineRow = -1;
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    const s0 = ty.start[y]!;
    const a = ty.at[y]!;
    for (let k = 0, cnt = ty.count[y]!; k < cnt; k++) {
      if (lineRow !== s0 + k) along((lineRow = s0 + k));
      const wt = ty.weights[a + k]!;
      for (let i = 0; i < n; i++) acc[i] = acc[i]! + wt * line[i]!;
    }
    const o = y * n;
    for (let i = 0; i < n; i++) out[o + i] = Math.min(255, Math.max(0, Math.round(acc[i]!)));
  }
  return { width: w, height: h, channels: oc, data: out };
}
