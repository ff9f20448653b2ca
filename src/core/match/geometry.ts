/**
 * Pixel geometry for the matching strategies: rectangles, crops and small rotations of a Pixels
 * buffer (../pdq/pixels.ts). Pure and allocation-light: a crop copies only its rectangle; a
 * rotation samples bilinearly into a new buffer of the same size.
 */
import type { Pixels } from '../pdq';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const fullRect = (px: Pixels): Rect => ({ x: 0, y: 0, width: px.width, height: px.height });

export function isFull(r: Rect, px: Pixels): boolean {
  return r.x === 0 && r.y === 0 && r.width === px.width && r.height === px.height;
}

/** A copy of the rectangle (clamped to the image), same channel layout. */
export function crop(px: Pixels, r: Rect): Pixels {
  const x0 = Math.max(0, Math.min(px.width - 1, Math.round(r.x)));
  const y0 = Math.max(0, Math.min(px.height - 1, Math.round(r.y)));
  const w = Math.max(1, Math.min(px.width - x0, Math.round(r.width)));
  const h = Math.max(1, Math.min(px.height - y0, Math.round(r.height)));
  if (x0 === 0 && y0 === 0 && w === px.width && h === px.height) return px;
  const c = px.channels;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * px.width + x0) * c;
    out.set(px.data.subarray(from, from + w * c), y * w * c);
  }
  return { width: w, height: h, channels: c, data: out };
}

/** The centred rectangle of `scale` times each side (scale ≤ 1), optionally inside `within`. */
export function centerRect(width: number, height: number, scale: number, within: Rect = { x: 0, y: 0, width, height }): Rect {
  const w = Math.max(1, Math.round(within.width * scale));
  const h = Math.max(1, Math.round(within.height * scale));
  return { x: within.x + Math.floor((within.width - w) / 2), y: within.y + Math.floor((within.height - h) / 2), width: w, height: h };
}

/**
 * The image turned by `degrees` about its centre (positive = clockwise on screen, as
 * `convert -rotate`), onto a canvas of the rotated bounding box, the corners filled with `fill`
 * (0–255 in every channel). Bilinear sampling.
 */
export function rotate(px: Pixels, degrees: number, fill = 255): Pixels {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const { width: W, height: H, channels: c, data } = px;
  if (W < 2 || H < 2) return px;
  const w = Math.round(Math.abs(W * cos) + Math.abs(H * sin));
  const h = Math.round(Math.abs(W * sin) + Math.abs(H * cos));
  const out = new Uint8Array(w * h * c);
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const ox = (w - 1) / 2;
  const oy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // inverse map: output (x, y) comes from the source point turned back by -a
      const dx = x - ox;
      const dy = y - oy;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const o = (y * w + x) * c;
      if (sx < -0.5 || sy < -0.5 || sx > W - 0.5 || sy > H - 0.5) {
        for (let k = 0; k < c; k++) out[o + k] = fill;
        continue;
      }
      // Within half a pixel of the image: sample it, clamped to its edge.
      const cxs = Math.min(W - 1, Math.max(0, sx));
      const cys = Math.min(H - 1, Math.max(0, sy));
      const x0 = Math.min(W - 2, Math.floor(cxs));
      const y0 = Math.min(H - 2, Math.floor(cys));
      const fx = cxs - x0;
      const fy = cys - y0;
      const p = (y0 * W + x0) * c;
      const q = p + W * c;
      for (let k = 0; k < c; k++) {
        const top = data[p + k]! + (data[p + c + k]! - data[p + k]!) * fx;
        const bottom = data[q + k]! + (data[q + c + k]! - data[q + k]!) * fx;
        out[o + k] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/**
 * The luma of a rectangle, at half size in each dimension (2x2 means) when its long side is at
 * least `from` (so the result keeps at least ~256 px), else at full size: one pass, no copy of the
 * colour pixels. The extra query probes are hashed from this: PDQ works on 64x64 anyway, a quarter
 * of the pixels is a quarter of the cost, and one channel is cheaper than four. Luma is
 * (77 R + 150 G + 29 B) / 256, within a level of the reference's 0.299 R + 0.587 G + 0.114 B.
 */
export function lumaOf(px: Pixels, r: Rect, from = 460): Pixels {
  const x0 = Math.max(0, Math.round(r.x));
  const y0 = Math.max(0, Math.round(r.y));
  const rw = Math.max(1, Math.min(px.width - x0, Math.round(r.width)));
  const rh = Math.max(1, Math.min(px.height - y0, Math.round(r.height)));
  const f = Math.max(rw, rh) >= from ? 2 : 1;
  const w = Math.floor(rw / f);
  const h = Math.floor(rh / f);
  const c = px.channels;
  const src = px.data;
  const out = new Uint8Array(w * h);
  const row = px.width * c;
  const luma = (p: number) => (c === 1 ? src[p]! << 8 : 77 * src[p]! + 150 * src[p + 1]! + 29 * src[p + 2]!);
  for (let y = 0; y < h; y++) {
    let p = (y0 + y * f) * row + x0 * c;
    let o = y * w;
    if (f === 1) {
      for (let x = 0; x < w; x++, p += c) out[o++] = (luma(p) + 128) >> 8;
    } else {
      for (let x = 0; x < w; x++, p += 2 * c) out[o++] = (luma(p) + luma(p + c) + luma(p + row) + luma(p + row + c) + 512) >> 10;
    }
  }
  return { width: w, height: h, channels: 1, data: out };
}
