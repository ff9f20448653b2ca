/**
 * Luminance and the Jarosz-filter downscale to 64x64, as in the reference
 * (facebook/ThreatExchange pdq/cpp/downscaling/downscaling.cpp and hashing/pdqhashing.cpp).
 *
 * Why the Math.fround calls: the reference computes in 32-bit floats (luma, the box filter's
 * running sums and divisions). Doing the same arithmetic in float64 drifts by a bit here and there
 * on real images; rounding each step to float32 reproduces the reference's values exactly.
 */
const LUMA_R = Math.fround(0.299);
const LUMA_G = Math.fround(0.587);
const LUMA_B = Math.fround(0.114);
/** coefficient × value for every byte value, as float32: a table lookup instead of a multiply. */
const table = (k: number) => Float32Array.from({ length: 256 }, (_, v) => Math.fround(k * v));
const TABLE_R = table(LUMA_R);
const TABLE_G = table(LUMA_G);
const TABLE_B = table(LUMA_B);

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

/**
 * True if every pixel has R = G = B. The reference CLI decodes through ImageMagick, which hands
 * such an image over as greyscale, so the reference hashes its grey values, not 0.299R+0.587G+0.114B
 * (which differs from the grey value by a float32 rounding for 35 of the 256 levels). Colour
 * images stop at their first coloured pixel.
 */
export function isGrey(px: Pixels): boolean {
  const { data, channels } = px;
  if (channels === 1) return true;
  for (let p = 0; p < data.length; p += channels) {
    if (data[p] !== data[p + 1] || data[p] !== data[p + 2]) return false;
  }
  return true;
}

/** Writes float32 luma of every pixel into out (length width*height); grey images as is. */
export function fillLuma(px: Pixels, out: Float32Array): void {
  const { data, channels } = px;
  const n = px.width * px.height;
  if (isGrey(px)) {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = data[p]!;
    return;
  }
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    out[i] = Math.fround(TABLE_R[data[p]!]! + TABLE_G[data[p + 1]!]!) + TABLE_B[data[p + 2]!]!;
  }
}

/**
 * What the reference CLI does before hashing (pdq/cpp/io/pdqio.cpp): an image larger than 512 in
 * either dimension is resized to exactly 512x512 by CImg's default nearest-neighbour resize
 * (source index floor(x * W / 512)), aspect ratio ignored. The algorithm itself does not need
 * this; hashes of the same file only agree bit for bit with the reference CLI if we do the same.
 */
export const REFERENCE_CLI_MAX = 512;
export function referenceCliResize(px: Pixels): Pixels {
  const { width, height, channels, data } = px;
  if (width <= REFERENCE_CLI_MAX && height <= REFERENCE_CLI_MAX) return px;
  const n = REFERENCE_CLI_MAX;
  const out = new Uint8Array(n * n * channels);
  const srcX = new Int32Array(n);
  for (let x = 0; x < n; x++) srcX[x] = Math.floor((x * width) / n);
  for (let y = 0; y < n; y++) {
    const sy = Math.floor((y * height) / n);
    for (let x = 0; x < n; x++) {
      const s = (sy * width + srcX[x]!) * channels;
      const d = (y * n + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = data[s + c]!;
    }
  }
  return { width: n, height: n, channels, data: out };
}

/** Box-filter window for shrinking `oldSize` to `newSize` (integer arithmetic, as the reference). */
export function jaroszWindow(oldSize: number, newSize: number): number {
  return Math.floor((oldSize + 2 * newSize - 1) / (2 * newSize));
}

/**
 * One 1-D box blur over `length` values starting at `start`, `stride` apart: the window grows at
 * the start and shrinks at the end so every output is the mean of the values it covers.
 */
function box1D(input: Float32Array, output: Float32Array, start: number, length: number, stride: number, window: number): void {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = length - window;
  const phase4 = half - 1;
  let li = start;
  let ri = start;
  let oi = start;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < phase1; i++) {
    sum = Math.fround(sum + input[ri]!);
    count++;
    ri += stride;
  }
  for (let i = 0; i < phase2; i++) {
    sum = Math.fround(sum + input[ri]!);
    count++;
    output[oi] = sum / count;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase3; i++) {
    sum = Math.fround(Math.fround(sum + input[ri]!) - input[li]!);
    output[oi] = sum / count;
    li += stride;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase4; i++) {
    sum = Math.fround(sum - input[li]!);
    count--;
    output[oi] = sum / count;
    li += stride;
    oi += stride;
  }
}

export const PASSES = 2;

/**
 * box1D along four rows at once. Each row's running sum is a chain of dependent float32 steps
 * whose latency, not arithmetic, bounds the speed; four independent chains side by side run about
 * three times faster. Same operations in the same order per row as box1D: same values.
 */
function boxFourRows(input: Float32Array, output: Float32Array, firstRow: number, cols: number, window: number): void {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = cols - window;
  const phase4 = half - 1;
  const b0 = firstRow * cols;
  const b1 = b0 + cols;
  const b2 = b1 + cols;
  const b3 = b2 + cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < phase1; i++, ri++) {
    s0 = Math.fround(s0 + input[b0 + ri]!);
    s1 = Math.fround(s1 + input[b1 + ri]!);
    s2 = Math.fround(s2 + input[b2 + ri]!);
    s3 = Math.fround(s3 + input[b3 + ri]!);
    count++;
  }
  for (let i = 0; i < phase2; i++, ri++, oi++) {
    s0 = Math.fround(s0 + input[b0 + ri]!);
    s1 = Math.fround(s1 + input[b1 + ri]!);
    s2 = Math.fround(s2 + input[b2 + ri]!);
    s3 = Math.fround(s3 + input[b3 + ri]!);
    count++;
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
  for (let i = 0; i < phase3; i++, ri++, li++, oi++) {
    s0 = Math.fround(Math.fround(s0 + input[b0 + ri]!) - input[b0 + li]!);
    s1 = Math.fround(Math.fround(s1 + input[b1 + ri]!) - input[b1 + li]!);
    s2 = Math.fround(Math.fround(s2 + input[b2 + ri]!) - input[b2 + li]!);
    s3 = Math.fround(Math.fround(s3 + input[b3 + ri]!) - input[b3 + li]!);
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
  for (let i = 0; i < phase4; i++, li++, oi++) {
    count--;
    s0 = Math.fround(s0 - input[b0 + li]!);
    s1 = Math.fround(s1 - input[b1 + li]!);
    s2 = Math.fround(s2 - input[b2 + li]!);
    s3 = Math.fround(s3 - input[b3 + li]!);
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
}

function boxAlongRows(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) boxFourRows(input, output, i, cols, window);
  for (; i < rows; i++) box1D(input, output, i * cols, cols, 1, window);
}

let colSums = new Float32Array(0);

/**
 * The column pass of box1D for the columns listed in `columns`, computed row by row (a sweep in
 * memory order instead of one strided walk per column: the same float operations per column, in
 * the same order, several times faster on large images).
 */
function boxAlongCols(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number, columns: Int32Array | null): void {
  if (!columns) {
    boxAlongAllCols(input, output, rows, cols, window);
    return;
  }
  if (colSums.length < cols) colSums = new Float32Array(cols);
  const sums = colSums;
  const nc = columns.length;
  for (let c = 0; c < nc; c++) sums[columns[c]!] = 0;
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = rows - window;
  const phase4 = half - 1;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < phase1; i++, ri++) {
    const r = ri * cols;
    for (let c = 0; c < nc; c++) {
      const j = columns[c]!;
      sums[j] = sums[j]! + input[r + j]!;
    }
    count++;
  }
  for (let i = 0; i < phase2; i++, ri++, oi++) {
    const r = ri * cols;
    const o = oi * cols;
    count++;
    for (let c = 0; c < nc; c++) {
      const j = columns[c]!;
      const sum = Math.fround(sums[j]! + input[r + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < phase3; i++, ri++, li++, oi++) {
    const r = ri * cols;
    const l = li * cols;
    const o = oi * cols;
    for (let c = 0; c < nc; c++) {
      const j = columns[c]!;
      const sum = Math.fround(Math.fround(sums[j]! + input[r + j]!) - input[l + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < phase4; i++, li++, oi++) {
    const l = li * cols;
    const o = oi * cols;
    count--;
    for (let c = 0; c < nc; c++) {
      const j = columns[c]!;
      const sum = Math.fround(sums[j]! - input[l + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
}

/** boxAlongCols for every column: the same loops without the column indirection. */
function boxAlongAllCols(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  if (colSums.length < cols) colSums = new Float32Array(cols);
  const sums = colSums;
  sums.fill(0, 0, cols);
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = rows - window;
  const phase4 = half - 1;
  let ri = 0;
  let li = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < phase1; i++, ri++) {
    const r = ri * cols;
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + input[r + j]!;
    count++;
  }
  for (let i = 0; i < phase2; i++, ri++, oi++) {
    const r = ri * cols;
    const o = oi * cols;
    count++;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(sums[j]! + input[r + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < phase3; i++, ri++, li++, oi++) {
    const r = ri * cols;
    const l = li * cols;
    const o = oi * cols;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(Math.fround(sums[j]! + input[r + j]!) - input[l + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < phase4; i++, li++, oi++) {
    const l = li * cols;
    const o = oi * cols;
    count--;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(sums[j]! - input[l + j]!);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
}

/**
 * The reference's Jarosz filter (two passes of a box blur along rows then columns), then the 64x64
 * decimation at bin centres. A 64x64 input is taken as is when `direct64` (pdqHash256FromFloatLuma
 * does this; the dihedral variant does not and filters it with window 1). `a` holds the luma and is
 * used as scratch; `b` is scratch of the same size. Writes 64*64 values into out. The last column pass is computed only for the 64 columns
 * the decimation reads: the values it writes are the reference's, the others are never read.
 */
export function downscaleTo64(a: Float32Array, b: Float32Array, rows: number, cols: number, direct64: boolean, out: Float32Array): void {
  if (direct64 && rows === 64 && cols === 64) {
    out.set(a.subarray(0, 4096));
    return;
  }
  const wAlongRows = jaroszWindow(cols, 64);
  const wAlongCols = jaroszWindow(rows, 64);
  const sampledRows = new Int32Array(64);
  const sampledCols = new Int32Array(64);
  for (let i = 0; i < 64; i++) {
    sampledRows[i] = Math.floor(((i + 0.5) * rows) / 64);
    sampledCols[i] = Math.floor(((i + 0.5) * cols) / 64);
  }
  // Repeated sampled columns (images narrower than 64) are harmless: each is recomputed the same.
  const lastColumns = Int32Array.from(new Set(sampledCols));
  for (let pass = 0; pass < PASSES; pass++) {
    boxAlongRows(a, b, rows, cols, wAlongRows);
    boxAlongCols(b, a, rows, cols, wAlongCols, pass === PASSES - 1 ? lastColumns : null);
  }
  for (let i = 0; i < 64; i++) {
    const r = sampledRows[i]! * cols;
    for (let j = 0; j < 64; j++) out[i * 64 + j] = a[r + sampledCols[j]!]!;
  }
}
