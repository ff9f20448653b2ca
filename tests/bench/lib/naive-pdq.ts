/**
 * A straightforward float64 PDQ, written the obvious way, for the benchmark's "what do the
 * optimisations buy" comparison: plain arrays, full box sums recomputed for every output pixel, a
 * full sort for the median, no reused buffers, no float32 emulation (so it also shows how far
 * plain float64 drifts from the reference: see the distance column).
 */
import { emptyHash, setBit, type Hash256 } from '../../../src/core/hash256';
import type { Pixels } from '../../../src/core/pdq';

function box(values: number[][], window: number, alongRows: boolean): number[][] {
  const rows = values.length;
  const cols = values[0]!.length;
  const half = Math.floor((window + 2) / 2);
  const out = values.map((r) => r.slice());
  const len = alongRows ? cols : rows;
  for (let a = 0; a < (alongRows ? rows : cols); a++) {
    for (let i = 0; i < len; i++) {
      // the window the reference's running sum covers at output i
      const lo = Math.max(0, i - (window - half));
      const hi = Math.min(len - 1, i + half - 1);
      let sum = 0;
      for (let k = lo; k <= hi; k++) sum += alongRows ? values[a]![k]! : values[k]![a]!;
      if (alongRows) out[a]![i] = sum / (hi - lo + 1);
      else out[i]![a] = sum / (hi - lo + 1);
    }
  }
  return out;
}

export function naivePdqHash(px: Pixels): { hash: Hash256; quality: number } {
  const { width, height, data, channels } = px;
  let luma: number[][] = [];
  for (let y = 0; y < height; y++) {
    const row: number[] = [];
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      row.push(channels === 1 ? data[p]! : 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!);
    }
    luma.push(row);
  }
  const wr = Math.floor((width + 127) / 128);
  const wc = Math.floor((height + 127) / 128);
  for (let pass = 0; pass < 2; pass++) luma = box(box(luma, wr, true), wc, false);
  const a: number[][] = [];
  for (let i = 0; i < 64; i++) {
    a.push([]);
    for (let j = 0; j < 64; j++) a[i]!.push(luma[Math.floor(((i + 0.5) * height) / 64)]![Math.floor(((j + 0.5) * width) / 64)]!);
  }
  let grad = 0;
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      if (i < 63) grad += Math.abs(Math.trunc(((a[i]![j]! - a[i + 1]![j]!) * 100) / 255));
      if (j < 63) grad += Math.abs(Math.trunc(((a[i]![j]! - a[i]![j + 1]!) * 100) / 255));
    }
  }
  const d = (u: number, x: number) => Math.sqrt(2 / 64) * Math.cos((Math.PI / 128) * (u + 1) * (2 * x + 1));
  const coeffs: number[] = [];
  for (let u = 0; u < 16; u++) {
    for (let v = 0; v < 16; v++) {
      let s = 0;
      for (let x = 0; x < 64; x++) for (let y = 0; y < 64; y++) s += d(u, x) * a[x]![y]! * d(v, y);
      coeffs.push(s);
    }
  }
  const median = [...coeffs].sort((p, q) => p - q)[127]!;
  const hash = emptyHash();
  coeffs.forEach((c, k) => c > median && setBit(hash, k));
  return { hash, quality: Math.min(100, Math.trunc(grad / 90)) };
}
