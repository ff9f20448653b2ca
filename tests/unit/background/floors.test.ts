// Each feed's rollback floor in storage.local (src/background/floors.ts): read back only when it has
// the FeedFloor shape (a feed id string, integer epoch and sequence: src/core/feed/floor.ts), raised
// and never lowered (raiseFloor's rule), one key for all feeds, forgetting one feed keeps the others.
// Also the test points (src/background/test-points.ts) the outbox and matcher tests hold work at.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
  },
}));
const { storedFloors, forgetFloor } = await import('../../../src/background/floors');
const { testPoint, testPoints } = await import('../../../src/background/test-points');

const A = 'https://a.example.org/v1/index.json';
const B = 'https://b.example.org/v1/index.json';

beforeEach(() => local.clear());

describe('rollback floors in storage.local', () => {
  it('none stored: no floor', async () => {
    expect(await storedFloors.get(A)).toBeNull();
  });

  it('kept under one key, per feed URL; raising one keeps the others', async () => {
    await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 4 });
    await storedFloors.raise(B, { feedId: 'b', epoch: 2, seq: 9 });
    expect([...local.keys()]).toEqual(['feedFloors']);
    expect(local.get('feedFloors')).toEqual({ [A]: { feedId: 'a', epoch: 1, seq: 4 }, [B]: { feedId: 'b', epoch: 2, seq: 9 } });
    expect(await storedFloors.get(A)).toEqual({ feedId: 'a', epoch: 1, seq: 4 });
    expect(await storedFloors.get(B)).toEqual({ feedId: 'b', epoch: 2, seq: 9 });
  });

  it('raised, never lowered', async () => {
    await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 4 });
    await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 2 });
    expect(await storedFloors.get(A)).toEqual({ feedId: 'a', epoch: 1, seq: 4 });
    await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 6 });
    expect(await storedFloors.get(A)).toEqual({ feedId: 'a', epoch: 1, seq: 6 });
  });

  it('a stored value of the wrong shape is no floor (hand-edited, or another version’s)', async () => {
    for (const bad of [{ feedId: 7, epoch: 1, seq: 1 }, { feedId: 'a', epoch: 1.5, seq: 1 }, { feedId: 'a', epoch: 1, seq: '1' }, { feedId: 'a', seq: 1 }, { feedId: 'a', epoch: 1 }]) {
      local.set('feedFloors', { [A]: bad });
      expect(await storedFloors.get(A), JSON.stringify(bad)).toBeNull();
    }
    for (const notAMap of ['floors', 12, null]) {
      local.set('feedFloors', notAMap);
      expect(await storedFloors.get(A)).toBeNull();
      // and a raise starts a new map instead of spreading the bad value
      await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 1 });
      expect(local.get('feedFloors')).toEqual({ [A]: { feedId: 'a', epoch: 1, seq: 1 } });
    }
  });

  it('forgetting a feed removes its floor only', async () => {
    await storedFloors.raise(A, { feedId: 'a', epoch: 1, seq: 4 });
    await storedFloors.raise(B, { feedId: 'b', epoch: 1, seq: 5 });
    await forgetFloor(A);
    expect(local.get('feedFloors')).toEqual({ [B]: { feedId: 'b', epoch: 1, seq: 5 } });
    expect(await storedFloors.get(A)).toBeNull();
    await forgetFloor('https://never.example.org/index.json');
    expect(local.get('feedFloors')).toEqual({ [B]: { feedId: 'b', epoch: 1, seq: 5 } });
  });
});

describe('test points (unit tests run as a test build)', () => {
  it('a point nobody armed or held is passed at once', async () => {
    let passed = false;
    await testPoint('index-built-not-saved').then(() => (passed = true));
    expect(passed).toBe(true);
    expect(testPoints.reached('index-built-not-saved')).toBe(false);
  });

  it('held: the next pass waits there until released, and only the next one', async () => {
    const hold = testPoints.hold('report-sent-not-recorded');
    let passed = false;
    const going = testPoint('report-sent-not-recorded').then(() => (passed = true));
    await hold.reached;
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(passed, 'waits while held').toBe(false);
    hold.release();
    await going;
    expect(passed).toBe(true);
    let again = false;
    await testPoint('report-sent-not-recorded').then(() => (again = true));
    expect(again, 'the hold was for one pass').toBe(true);
    expect(testPoints.reached('report-sent-not-recorded'), 'a hold is not an arm').toBe(false);
  });

  it('held at one point does not stop another', async () => {
    const hold = testPoints.hold('index-built-not-saved');
    let passed = false;
    await testPoint('report-sent-not-recorded').then(() => (passed = true));
    expect(passed).toBe(true);
    const going = testPoint('index-built-not-saved');
    await hold.reached;
    hold.release();
    await going;
  });

  it('armed (end-to-end tests stop the worker there): reached, and never passed', async () => {
    testPoints.arm('index-built-not-saved');
    let passed = false;
    void testPoint('index-built-not-saved').then(() => (passed = true));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(testPoints.reached('index-built-not-saved')).toBe(true);
    expect(testPoints.reached('report-sent-not-recorded')).toBe(false);
    expect(passed).toBe(false);
  });
});
