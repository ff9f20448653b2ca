/**
 * Where the details panel goes: beside the post when the window has room (the timeline column
 * leaves it on desktop), else below or above the media, else over the post; on a phone-width window
 * a bottom sheet. Never inside the picture's bounds, always wholly inside the window (a panel taller
 * than the window scrolls inside itself). Pure: rectangles in, a position out.
 */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Placement {
  kind: 'beside' | 'below' | 'above' | 'over' | 'sheet';
  left: number;
  top: number;
  width: number;
  maxHeight: number;
}

export const PANEL_WIDTH = 360;
export const SHEET_BELOW_WIDTH = 600;
const GAP = 8;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(v, Math.max(lo, hi)));

/**
 * @param media the media box's rectangle (viewport coordinates)
 * @param post the post's rectangle, or null when the media is not in a post
 * @param view the window's size
 * @param height the panel's natural height at `width`
 */
export function placePanel(media: Box, post: Box | null, view: { width: number; height: number }, height: number): Placement {
  if (view.width < SHEET_BELOW_WIDTH) {
    const maxHeight = Math.round(view.height * 0.75);
    const h = Math.min(height, maxHeight);
    return { kind: 'sheet', left: 0, top: view.height - h, width: view.width, maxHeight };
  }
  const width = Math.min(PANEL_WIDTH, view.width - 2 * GAP);
  const maxHeight = view.height - 2 * GAP;
  const h = Math.min(height, maxHeight);
  const around = post ?? media;
  const top = clamp(media.top, GAP, view.height - GAP - h);
  if (around.right + GAP + width <= view.width - GAP) return { kind: 'beside', left: around.right + GAP, top, width, maxHeight };
  if (around.left - GAP - width >= GAP) return { kind: 'beside', left: around.left - GAP - width, top, width, maxHeight };
  const left = clamp(media.left, GAP, view.width - GAP - width);
  if (media.bottom + GAP + h <= view.height - GAP) return { kind: 'below', left, top: media.bottom + GAP, width, maxHeight };
  if (media.top - GAP - h >= GAP) return { kind: 'above', left, top: media.top - GAP - h, width, maxHeight };
  return { kind: 'over', left, top: clamp(media.top, GAP, view.height - GAP - h), width, maxHeight };
}
