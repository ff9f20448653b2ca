/**
 * Named points in the background where an end-to-end test can stop the work half-way, to stop the
 * worker right there (the middle of an index rebuild, of a report delivery) and check what
 * survives. Test builds only: `IS_TEST_BUILD` is a literal, so store builds drop every call.
 */
import { IS_TEST_BUILD } from '../shared/build';

export type TestPoint = 'index-built-not-saved' | 'report-sent-not-recorded';

const armed = new Set<TestPoint>();
const reached = new Set<TestPoint>();

/** Unit tests: the next pass through a point pauses there until the test releases it. */
const held = new Map<TestPoint, { reach: () => void; release: Promise<void> }>();

/** Waits forever at `point` if a test armed it (the test then stops the worker), or until released if held. */
export async function testPoint(point: TestPoint): Promise<void> {
  if (!IS_TEST_BUILD) return;
  const hold = held.get(point);
  if (hold) {
    held.delete(point);
    hold.reach();
    return hold.release;
  }
  if (!armed.has(point)) return;
  reached.add(point);
  await new Promise<never>(() => {});
}

/** For the test hook object (background/index.ts). */
export const testPoints = {
  arm: (point: TestPoint) => void armed.add(point),
  reached: (point: TestPoint) => reached.has(point),
  /** The next pass through `point` waits there: `reached` resolves when it does, `release()` lets it go on. */
  hold(point: TestPoint): { reached: Promise<void>; release: () => void } {
    let reach!: () => void;
    let release!: () => void;
    const r = new Promise<void>((res) => (reach = res));
    held.set(point, { reach, release: new Promise<void>((res) => (release = res)) });
    return { reached: r, release };
  },
};
