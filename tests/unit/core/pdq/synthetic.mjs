// Synthetic test images made with integer arithmetic only (no Math.sin, no float rounding), so
// every engine makes the same bytes. Plain JavaScript, shared by the tests and by
// the tool that recorded the reference's outputs for them (outside this repository).

/** scene: bold structure; medium and soft: fainter (lower quality); flat: near-flat; constant; noise. */
export const KINDS = /** @type {const} */ (['scene', 'medium', 'soft', 'flat', 'constant', 'noise']);

/**
 * @typedef {(typeof KINDS)[number]} Kind
 * @typedef {{ width: number, height: number, channels: 1 | 3, kind: Kind, seed: number }} SyntheticSpec
 * @typedef {{ width: number, height: number, channels: 1 | 3 | 4, data: Uint8Array }} SyntheticPixels
 */

/** mulberry32: a small, well-mixed 32-bit generator. */
function random(/** @type {number} */ seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const AMPLITUDE = { scene: 90, medium: 16, soft: 5, flat: 1, constant: 0, noise: 0 };
const JITTER = { scene: 6, medium: 3, soft: 2, flat: 1, constant: 0, noise: 0 };

/**
 * Per channel a tilted triangle wave and a shared disc, plus jitter; `channels` 1 is grey.
 * @param {SyntheticSpec} spec
 * @returns {SyntheticPixels}
 */
export function synthesize({ width, height, channels, kind, seed }) {
  const rnd = random(seed);
  const amp = AMPLITUDE[kind];
  const jitter = JITTER[kind];
  const waves = Array.from({ length: channels }, (_, c) => {
    const period = 48 + (rnd() % 160);
    return { fx: 1 + (rnd() % 6), fy: 1 + (rnd() % 6), period, phase: rnd() % period, base: 50 + 41 * c + (rnd() % 100) };
  });
  const cx = rnd() % width;
  const cy = rnd() % height;
  const radius = 1 + (rnd() % Math.max(1, Math.min(width, height) >> 1));
  const data = new Uint8Array(width * height * channels);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inDisc = (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
      for (let c = 0; c < channels; c++, p++) {
        if (kind === 'noise') {
          data[p] = rnd() & 255;
          continue;
        }
        const w = waves[c];
        const t = (x * w.fx + y * w.fy + w.phase) % w.period;
        const triangle = Math.abs(2 * t - w.period) * 2 - w.period; // -period .. period
        let v = w.base + Math.trunc((triangle * amp) / w.period) + (inDisc ? amp >> 1 : 0);
        if (jitter) v += (rnd() % (2 * jitter + 1)) - jitter;
        data[p] = Math.max(0, Math.min(255, v));
      }
    }
  }
  return { width, height, channels, data };
}

/** True if every pixel of a 3-channel image has R = G = B. */
export function allGrey(/** @type {SyntheticPixels} */ px) {
  for (let p = 0; p < px.data.length; p += px.channels) {
    if (px.data[p] !== px.data[p + 1] || px.data[p] !== px.data[p + 2]) return false;
  }
  return true;
}
