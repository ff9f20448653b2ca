// Synthetic frames shared by the video tests (video.test.ts, moving.test.ts): a textured "camera"
// picture and a box blur of it, as a blurred background. Plain arithmetic, no detector's output.
import type { Pixels } from '../../../../src/core/pdq';

/** A deterministic textured picture (smooth blobs + fine grain), shifted by (dx, dy). */
export function scene(w: number, h: number, dx: number, dy: number, seed = 1): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x + dx;
      const v = y + dy;
      const blob = 128 + 60 * Math.sin(u / (9 + seed)) * Math.cos(v / 7) + 40 * Math.sin((u + v) / 5);
      const grain = ((Math.imul((u * 73856093) ^ (v * 19349663), 83492791) >>> 24) & 63) - 32;
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(blob + grain)));
    }
  }
  return out;
}

/**
 * A box blur of a luma plane (radius r, edges clamped), as a blurred background: the mean of the
 * pixels every `step` px within r (step 1: every pixel; 2: every second one).
 */
export function blur(src: Uint8Array, w: number, h: number, r: number, step = 1): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let j = -r; j <= r; j += step) {
        for (let i = -r; i <= r; i += step) {
          s += src[Math.min(h - 1, Math.max(0, y + j)) * w + Math.min(w - 1, Math.max(0, x + i))]!;
          n++;
        }
      }
      out[y * w + x] = Math.round(s / n);
    }
  }
  return out;
}

/** A one-channel frame. */
export const luma = (width: number, height: number, data: Uint8Array): Pixels => ({ width, height, channels: 1, data });
