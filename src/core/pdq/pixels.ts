/**
 * The pixel buffers PDQ takes, their validation, and the reference CLI's pre-resize.
 *
 * referenceCliResize follows facebook/ThreatExchange pdq/cpp/io/pdqio.cpp: before hashing a file,
 * the C++ CLI shrinks any image larger than 512 in either dimension to exactly 512x512 with CImg's
 * default (nearest-neighbour) resize, ignoring the aspect ratio. The hashing algorithm does not
 * need this step; it is exported so that callers hashing files get the CLI's hashes bit for bit.
 */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** 4 = RGBA (alpha ignored), 3 = RGB, 1 = luma. Row-major, interleaved. */
  channels: 1 | 3 | 4;
}

/** The largest image we accept (the browser and the CLI scale down long before this). */
export const MAX_PIXELS = 64 * 1024 * 1024;

export function checkPixels(px: Pixels): void {
  const { width, height, data, channels } = px;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new RangeError(`channels must be 1, 3 or 4, got ${String(channels)}`);
  if (width * height > MAX_PIXELS) throw new RangeError(`image too large: ${width}x${height}`);
  if (!data || data.length !== width * height * channels) {
    throw new RangeError(`pixel data has ${data?.length} bytes, expected ${width}x${height}x${channels} = ${width * height * channels}`);
  }
}

export const REFERENCE_CLI_MAX = 512;

/** CImg's nearest-neighbour resize to 512x512 (source index floor(x * W / 512)) when W or H > 512. */
export function referenceCliResize(px: Pixels): Pixels {
  checkPixels(px);
  const { width, height, channels, data } = px;
  if (width <= REFERENCE_CLI_MAX && height <= REFERENCE_CLI_MAX) return px;
  const n = REFERENCE_CLI_MAX;
  const out = new Uint8Array(n * n * channels);
  // Byte offsets of each output column's source pixel; one copy per channel written out (a loop
  // over the channels of each pixel took 2–4 times as long: 1200x800 RGB, side by side).
  const srcX = new Int32Array(n);
  for (let x = 0; x < n; x++) srcX[x] = Math.floor((x * width) / n) * channels;
  let d = 0;
  for (let y = 0; y < n; y++) {
    const row = Math.floor((y * height) / n) * width * channels;
    if (channels === 3) {
      for (let x = 0; x < n; x++, d += 3) {
        const s = row + srcX[x]!;
        out[d] = data[s]!;
        out[d + 1] = data[s + 1]!;
        out[d + 2] = data[s + 2]!;
      }
    } else if (channels === 4) {
      for (let x = 0; x < n; x++, d += 4) {
        const s = row + srcX[x]!;
        out[d] = data[s]!;
        out[d + 1] = data[s + 1]!;
        out[d + 2] = data[s + 2]!;
        out[d + 3] = data[s + 3]!;
      }
    } else {
      for (let x = 0; x < n; x++, d++) out[d] = data[row + srcX[x]!]!;
    }
  }
  return { width: n, height: n, channels, data: out };
}
