/**
 * Luminance and the Jarosz-filter downscale to 64x64, as in the reference
 * (facebook/ThreatExchange pdq/cpp/downscaling/downscaling.cpp, hashing/pdqhashing.cpp).
 *
 * Why Math.fround everywhere: the reference computes in 32-bit floats (the luma, the box filter's
 * running sums, its divisions). The same arithmetic in float64 drifts by a bit of the hash here
 * and there; rounding every step to float32 (fround of a float64 +, −, ×, ÷ of float32 values is
 * the correctly rounded float32 result) reproduces the reference's values exactly.
 *
 * Why the odd loop shapes: each running sum is a chain of dependent float steps whose latency,
 * not arithmetic, bounds a naive loop. box4 runs four independent lanes (four rows, or four
 * columns) side by side, about three times faster, with the same operations in the same order per
 * lane. The luma is made four rows at a time, just before the first pass along those rows. Only
 * what the 64x64 decimation reads is finished: the second pass along rows keeps just the 64
 * sampled columns, and the last pass runs on those alone.
 */
import type { Pixels } from './pixels';

const LUMA_R = Math.fround(0.299);
const LUMA_G = Math.fround(0.587);
const LUMA_B = Math.fround(0.114);
/** coefficient × byte as float32, for every byte value: a lookup instead of a multiply. */
const table = (k: number) => Float32Array.from({ length: 256 }, (_, v) => Math.fround(k * v));
const TABLE_R = table(LUMA_R);
const TABLE_G = table(LUMA_G);
const TABLE_B = table(LUMA_B);
/** float32(R*r + G*g) at [g << 8 | r] (256 KB), built on first use: RGBA pixels read as one uint32. */
let tableRG: Float32Array | null = null;
function rgTable(): Float32Array {
  if (!tableRG) {
    tableRG = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) tableRG[i] = TABLE_R[i & 255]! + TABLE_G[i >> 8]!;
  }
  return tableRG;
}
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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

/**
 * Float32 luma of `count` rows from `firstRow` into out[0 .. count*width), the reference's
 * (0.299 R + 0.587 G) + 0.114 B. Four pixels per loop turn: V8 re-checks each typed array on every
 * turn, so fewer turns are markedly faster; aligned RGBA is read a pixel per uint32 load.
 */
export function fillLuma(px: Pixels, grey: boolean, firstRow: number, count: number, out: Float32Array): void {
  const { data, channels: c } = px;
  const n = count * px.width;
  const end4 = n - (n % 4);
  let p = firstRow * px.width * c;
  let i = 0;
  if (grey) {
    for (; i < end4; i += 4, p += 4 * c) {
      out[i] = data[p]!;
      out[i + 1] = data[p + c]!;
      out[i + 2] = data[p + 2 * c]!;
      out[i + 3] = data[p + 3 * c]!;
    }
    for (; i < n; i++, p += c) out[i] = data[p]!;
    return;
  }
  const f = Math.fround;
  const r = TABLE_R;
  const g = TABLE_G;
  const b = TABLE_B;
  if (c === 4 && LITTLE_ENDIAN && data.byteOffset % 4 === 0) {
    const rg = rgTable();
    const words = new Uint32Array(data.buffer, data.byteOffset + p, n);
    for (; i < end4; i += 4) {
      const w0 = words[i]!;
      const w1 = words[i + 1]!;
      const w2 = words[i + 2]!;
      const w3 = words[i + 3]!;
      out[i] = rg[w0 & 0xffff]! + b[(w0 >> 16) & 255]!;
      out[i + 1] = rg[w1 & 0xffff]! + b[(w1 >> 16) & 255]!;
      out[i + 2] = rg[w2 & 0xffff]! + b[(w2 >> 16) & 255]!;
      out[i + 3] = rg[w3 & 0xffff]! + b[(w3 >> 16) & 255]!;
    }
    p += 4 * end4;
  } else {
    for (; i < end4; i += 4, p += 4 * c) {
      const q = p + c;
      const s = q + c;
      const t = s + c;
      out[i] = f(r[data[p]!]! + g[data[p + 1]!]!) + b[data[p + 2]!]!;
      out[i + 1] = f(r[data[q]!]! + g[data[q + 1]!]!) + b[data[q + 2]!]!;
      out[i + 2] = f(r[data[s]!]! + g[data[s + 1]!]!) + b[data[s + 2]!]!;
      out[i + 3] = f(r[data[t]!]! + g[data[t + 1]!]!) + b[data[t + 2]!]!;
    }
  }
  for (; i < n; i++, p += c) out[i] = f(r[data[p]!]! + g[data[p + 1]!]!) + b[data[p + 2]!]!;
}

/** Box-filter window for shrinking `oldSize` to `newSize` (integer arithmetic, as the reference). */
export function jaroszWindow(oldSize: number, newSize: number): number {
  return Math.floor((oldSize + 2 * newSize - 1) / (2 * newSize));
}

/**
 * The reference's box1DFloat on four lanes at once, within one array (the scratch pool: V8 then
 * re-checks one array per loop turn, not two). Lane k reads buf[inAt + k*lane + t*step] for
 * t = 0 .. length-1 and writes buf[outAt + k*lane + t*step]. The window grows at the start and
 * shrinks at the end, so each output is the mean of the values it covers.
 *
 * The reference divides the float32 sum by the count; we multiply by 1/count in float64 instead (a
 * division costs several multiplications). Rounded to float32 the result is the same: the float64
 * product is within 2^-52 (relative) of sum/count, and sum/count, with sum a float32 and count an
 * integer below 2^27, never lies that close to a float32 rounding boundary (it would have to equal
 * a 25-bit midpoint m, impossible as count*m then needs more than 24 bits, or differ from it by at
 * least ulp(m)/2 / count).
 */
function box4(buf: Float32Array, inAt: number, outAt: number, length: number, lane: number, step: number, window: number): void {
  const f = Math.fround;
  const half = (window + 2) >> 1;
  const lane2 = 2 * lane;
  const lane3 = 3 * lane;
  let ri = inAt; // next value to add
  let count = 0;
  let inv = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < half - 1; i++, ri += step) {
    s0 = f(s0 + buf[ri]!);
    s1 = f(s1 + buf[ri + lane]!);
    s2 = f(s2 + buf[ri + lane2]!);
    s3 = f(s3 + buf[ri + lane3]!);
    count++;
  }
  const ahead = outAt - inAt - (half - 1) * step; // output index - ri, from here on
  for (let i = 0; i < window - half + 1; i++, ri += step) {
    s0 = f(s0 + buf[ri]!);
    s1 = f(s1 + buf[ri + lane]!);
    s2 = f(s2 + buf[ri + lane2]!);
    s3 = f(s3 + buf[ri + lane3]!);
    inv = 1 / ++count;
    buf[ri + ahead] = s0 * inv;
    buf[ri + ahead + lane] = s1 * inv;
    buf[ri + ahead + lane2] = s2 * inv;
    buf[ri + ahead + lane3] = s3 * inv;
  }
  const back = window * step; // ri - the value to subtract
  for (const end = inAt + length * step; ri < end; ri += step) {
    s0 = f(f(s0 + buf[ri]!) - buf[ri - back]!);
    s1 = f(f(s1 + buf[ri + lane]!) - buf[ri + lane - back]!);
    s2 = f(f(s2 + buf[ri + lane2]!) - buf[ri + lane2 - back]!);
    s3 = f(f(s3 + buf[ri + lane3]!) - buf[ri + lane3 - back]!);
    buf[ri + ahead] = s0 * inv;
    buf[ri + ahead + lane] = s1 * inv;
    buf[ri + ahead + lane2] = s2 * inv;
    buf[ri + ahead + lane3] = s3 * inv;
  }
  for (let i = 0; i < half - 1; i++, ri += step) {
    s0 = f(s0 - buf[ri - back]!);
    s1 = f(s1 - buf[ri + lane - back]!);
    s2 = f(s2 - buf[ri + lane2 - back]!);
    s3 = f(s3 - buf[ri + lane3 - back]!);
    inv = 1 / --count;
    buf[ri + ahead] = s0 * inv;
    buf[ri + ahead + lane] = s1 * inv;
    buf[ri + ahead + lane2] = s2 * inv;
    buf[ri + ahead + lane3] = s3 * inv;
  }
}

/**
 * First index of each group of four among `size` lanes. The last group is moved back to end at
 * `size` when size is not a multiple of 4: its overlapping lanes are recomputed to the same values.
 * Every size here is at least 5 (smaller images are not hashed).
 */
function groupStart(i: number, size: number): number {
  return Math.min(i, size - 4);
}

/** Scratch space, kept between calls up to this many floats (8 MB); larger images get their own. */
const RETAIN_FLOATS = 1 << 21;
let pool = new Float32Array(0);

function scratch(size: number): Float32Array {
  if (pool.length >= size) return pool;
  const buf = new Float32Array(size);
  if (size <= RETAIN_FLOATS) pool = buf;
  return buf;
}

/**
 * The 64x64 luma the reference hashes: a 64x64 input as is when `direct64` (pdqHash256FromFloatLuma
 * does this; the dihedral variant does not and filters it with window 1), otherwise two passes of a
 * box filter along rows then columns (the reference's jaroszFilterFloat), then the value at each
 * bin centre (decimateFloat). Writes 64*64 values into `out`. px must be at least 5x5.
 */
export function downscaleTo64(px: Pixels, direct64: boolean, out: Float32Array): void {
  const rows = px.height;
  const cols = px.width;
  const grey = isGrey(px);
  if (direct64 && rows === 64 && cols === 64) {
    fillLuma(px, grey, 0, 64, out);
    return;
  }
  const n = rows * cols;
  const buf = scratch(2 * n + 4 * cols + 2 * 64 * rows);
  // Offsets in buf: two rows x cols planes, four rows of scratch, two rows x 64 planes.
  const a = 0;
  const b = n;
  const four = 2 * n;
  const c = four + 4 * cols;
  const d = c + 64 * rows;
  const wRows = jaroszWindow(cols, 64); // window along each row
  const wCols = jaroszWindow(rows, 64);
  const sampledCols = new Int32Array(64);
  for (let j = 0; j < 64; j++) sampledCols[j] = Math.floor(((j + 0.5) * cols) / 64);

  // Pass 1 along rows, four rows at a time, from the pixels: luma -> b.
  const luma = buf.subarray(four, four + 4 * cols);
  for (let i = 0; i < rows; i += 4) {
    const r = groupStart(i, rows);
    fillLuma(px, grey, r, 4, luma);
    box4(buf, four, b + r * cols, cols, cols, 1, wRows);
  }
  // Pass 1 along columns: b -> a.
  for (let j = 0; j < cols; j += 4) box4(buf, b + groupStart(j, cols), a + groupStart(j, cols), rows, 1, cols, wCols);
  // Pass 2 along rows, keeping the 64 sampled columns: a -> c (rows x 64).
  for (let i = 0; i < rows; i += 4) {
    const r = groupStart(i, rows);
    box4(buf, a + r * cols, four, cols, cols, 1, wRows);
    for (let k = 0; k < 4; k++) {
      for (let j = 0; j < 64; j++) buf[c + (r + k) * 64 + j] = buf[four + k * cols + sampledCols[j]!]!;
    }
  }
  // Pass 2 along columns on those 64: c -> d; then the sampled rows.
  for (let j = 0; j < 64; j += 4) box4(buf, c + j, d + j, rows, 1, 64, wCols);
  for (let i = 0; i < 64; i++) {
    const r = Math.floor(((i + 0.5) * rows) / 64);
    out.set(buf.subarray(d + r * 64, d + r * 64 + 64), i * 64);
  }
}
