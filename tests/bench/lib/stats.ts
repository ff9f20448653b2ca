/** Timing helpers for the benchmarks (not for tests: tests never assert on time). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs fn `runs` times after `warmup` runs; returns the sorted durations in ms. */
export function timeRuns(fn: () => unknown, runs: number, warmup = Math.min(20, runs)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export const ms = (x: number, digits = 3) => `${x.toFixed(digits)} ms`;
export const QUICK = !!process.env.BENCH_QUICK;
