/**
 * Phase marks for the benchmarks (issue 17: where a sync's and a cold start's time and memory go).
 * Test builds only: `IS_TEST_BUILD` is a literal, so store builds drop every call's body. Each mark
 * is a name, the wall time it was reached (ms since the epoch: the bench lines it up with the
 * process's memory samples) and, for summed phases, the milliseconds they took in all.
 */
import { IS_TEST_BUILD } from '../shared/build';

export interface TraceMark {
  name: string;
  /** performance.timeOrigin + performance.now() when it was reached. */
  at: number;
  /** For a summed phase (e.g. the decode of every chunk): its total milliseconds. */
  ms?: number;
  /** A count that goes with it (chunks, rows, bytes). */
  n?: number;
}

const marks: TraceMark[] = [];
const MAX_MARKS = 10_000;

export const now = (): number => performance.timeOrigin + performance.now();

/** Records that `name` was reached (test builds only). */
export function mark(name: string, extra?: { ms?: number; n?: number }): void {
  if (!IS_TEST_BUILD) return;
  if (marks.length >= MAX_MARKS) marks.shift();
  marks.push({ name, at: now(), ...extra });
}

/** For the test hook object (background/index.ts): the marks so far, and forgetting them. */
export const traceMarks = {
  take: (): TraceMark[] => marks.splice(0, marks.length),
  peek: (): TraceMark[] => marks.slice(),
};
