// The network clocks of a test build (src/background/net.ts): as written unless a fault test asks
// for them 10× faster, and a report's POST and media fetches never scaled. Fake timers: no wall time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock, setNetworkTimeScale, unscaledClock } from '../../../src/background/net';

afterEach(() => {
  setNetworkTimeScale(1);
  vi.useRealTimers();
});

/** When (in fake ms) a clock's `after(ms)` fires. */
function firesAt(clock: typeof realClock, ms: number): number | null {
  vi.useFakeTimers();
  const start = Date.now();
  let at: number | null = null;
  clock.after(ms, () => (at = Date.now() - start));
  vi.advanceTimersByTime(ms * 2);
  return at;
}

describe('network clocks in a test build', () => {
  it('run as written by default (a loaded machine needs the full 15 s idle limit)', () => {
    expect(firesAt(realClock, 15_000)).toBe(15_000);
    expect(firesAt(unscaledClock, 15_000)).toBe(15_000);
  });

  it('a fault test may ask for them 10× faster; media and reports stay as written; 1 restores them', () => {
    setNetworkTimeScale(0.1);
    expect(firesAt(realClock, 15_000)).toBe(1_500);
    expect(firesAt(unscaledClock, 15_000)).toBe(15_000);
    setNetworkTimeScale(1);
    expect(firesAt(realClock, 15_000)).toBe(15_000);
  });

  it('refuses a scale that would slow clocks down or stop them', () => {
    for (const bad of [0, -1, 2, Number.NaN]) setNetworkTimeScale(bad);
    expect(firesAt(realClock, 1000)).toBe(1000);
  });

  it('the answer cancels the timer', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    realClock.after(100, fn)();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
