// The details panel never lands on the picture and always fits the window. Rectangles are those of
// X's desktop layout (a 600 px timeline column at x 600–1200 in a 1500 px window, a 1280 px window
// with a narrower margin) and of a phone (390 × 844, X's mobile web).
import { describe, expect, it } from 'vitest';
import { PANEL_WIDTH, placePanel, type Box } from '../../../src/content/notice/place';

const rect = (left: number, top: number, width: number, height: number): Box => ({ left, top, right: left + width, bottom: top + height });
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const box = (p: { left: number; top: number; width: number }, h: number): Box => rect(p.left, p.top, p.width, Math.min(h, p.top + 10_000));

describe('placePanel', () => {
  it('goes beside the post when the window has room on the right', () => {
    const post = rect(600, 100, 600, 500);
    const media = rect(670, 180, 516, 290);
    const p = placePanel(media, post, { width: 1600, height: 900 }, 300);
    expect(p.kind).toBe('beside');
    expect(p.left).toBe(1208);
    expect(p.width).toBe(PANEL_WIDTH);
    expect(overlaps(box(p, 300), media)).toBe(false);
  });

  it('goes to the left of the post when only the left has room', () => {
    const post = rect(900, 100, 600, 500);
    const p = placePanel(rect(960, 180, 516, 290), post, { width: 1500, height: 900 }, 300);
    expect(p).toMatchObject({ kind: 'beside', left: 900 - 8 - PANEL_WIDTH });
  });

  it('goes below the media, then above it, when neither side has room', () => {
    const post = rect(300, 100, 600, 400);
    const media = rect(370, 150, 516, 200);
    const below = placePanel(media, post, { width: 1000, height: 900 }, 300);
    expect(below).toMatchObject({ kind: 'below', top: 358 });
    expect(overlaps(box(below, 300), media)).toBe(false);
    const low = rect(370, 560, 516, 200);
    const above = placePanel(low, post, { width: 1000, height: 900 }, 300);
    expect(above).toMatchObject({ kind: 'above', top: 560 - 8 - 300 });
    expect(overlaps(box(above, 300), low)).toBe(false);
  });

  it('stays inside the window: clamped, and scrolling inside itself when taller than the window', () => {
    const media = rect(100, -200, 780, 1200); // a tall picture scrolled half out of view
    const p = placePanel(media, null, { width: 1000, height: 700 }, 2000);
    expect(p.kind).toBe('over');
    expect(p.top).toBeGreaterThanOrEqual(8);
    expect(p.maxHeight).toBe(684);
    expect(p.left + p.width).toBeLessThanOrEqual(992);
  });

  it('is a bottom sheet the width of a phone', () => {
    const p = placePanel(rect(0, 120, 390, 220), rect(0, 60, 390, 400), { width: 390, height: 844 }, 420);
    expect(p).toEqual({ kind: 'sheet', left: 0, top: 844 - 420, width: 390, maxHeight: 633 });
    expect(placePanel(rect(0, 120, 390, 220), null, { width: 390, height: 844 }, 5000).top).toBe(844 - 633);
  });
});
