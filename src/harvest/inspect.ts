/**
 * What a downloaded image is, before it may enter a feed:
 * - its real size (small pictures and banner shapes are chrome, not subjects);
 * - a post screenshot or a framed picture: the picture finder (src/core/match findPicture, the
 *   same that peels re-shares for the reader) finds the picture inside the card; its region is
 *   stored as the clean picture;
 * - side by side (two pictures with a gutter between them, as "claim vs original" comparisons are
 *   laid out): a vertical band of one flat colour near the middle → both halves kept for review;
 * - a fact-checker's stamp ("FALSE", a red cross): a large share of pure, saturated red, which
 *   photos seldom have → review (a stamp cannot be taken off the picture).
 * sharp decodes (the CLI's decoder; size limits against decompression bombs).
 */
import sharp from 'sharp';
import { findPicture } from '../core/match';
import type { Pixels } from '../core/pdq';

export const MIN_SIDE = 200;
export const MAX_ASPECT = 3;
/** Share of pure red pixels from which a picture is taken to carry a stamp. */
export const STAMP_RED_SHARE = 0.015;

export type Finding =
  | { kind: 'ok'; width: number; height: number }
  | { kind: 'small'; width: number; height: number }
  | { kind: 'banner'; width: number; height: number }
  | { kind: 'screenshot'; width: number; height: number; region: { x: number; y: number; width: number; height: number } }
  | { kind: 'side-by-side'; width: number; height: number; split: number }
  | { kind: 'stamped'; width: number; height: number; redShare: number }
  | { kind: 'undecodable'; message: string };

const ANALYSIS_SIDE = 512;

async function pixels(file: string): Promise<{ px: Pixels; width: number; height: number }> {
  const img = sharp(file, { limitInputPixels: 100_000_000, pages: 1, failOn: 'error' });
  const meta = await img.metadata();
  const { data, info } = await img
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    px: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels as 3 },
    width: meta.width ?? info.width,
    height: meta.height ?? info.height,
  };
}

function redShare(px: Pixels): number {
  let red = 0;
  const n = px.width * px.height;
  const c = px.channels;
  for (let i = 0; i < n; i++) {
    const r = px.data[i * c]!;
    const g = px.data[i * c + 1]!;
    const b = px.data[i * c + 2]!;
    if (r > 190 && g < 70 && b < 70) red++;
  }
  return red / n;
}

/** A vertical gutter: a run of columns near the middle, each nearly one flat colour over its height. */
function gutter(px: Pixels): number | null {
  const { width, height, channels: c } = px;
  if (width < height * 1.3) return null;
  const flat: boolean[] = [];
  for (let x = 0; x < width; x++) {
    let min = 255;
    let max = 0;
    for (let y = 0; y < height; y += 2) {
      const i = (y * width + x) * c;
      const l = (px.data[i]! + px.data[i + 1]! + px.data[i + 2]!) / 3;
      if (l < min) min = l;
      if (l > max) max = l;
    }
    flat.push(max - min < 24);
  }
  const lo = Math.floor(width * 0.35);
  const hi = Math.ceil(width * 0.65);
  for (let x = lo; x < hi; x++) {
    if (!flat[x]) continue;
    let end = x;
    while (end < hi && flat[end]) end++;
    // A gutter between two pictures: flat columns, with busy picture on both sides.
    const leftBusy = flat.slice(0, x).filter((f) => !f).length > x * 0.6;
    const rightBusy = flat.slice(end).filter((f) => !f).length > (width - end) * 0.6;
    if (end - x >= 2 && leftBusy && rightBusy) return Math.round((x + end) / 2);
    x = end;
  }
  return null;
}

export async function inspectImage(file: string): Promise<Finding> {
  let decoded: Awaited<ReturnType<typeof pixels>>;
  try {
    decoded = await pixels(file);
  } catch (e) {
    return { kind: 'undecodable', message: (e as Error).message.slice(0, 200) };
  }
  const { px, width, height } = decoded;
  if (Math.min(width, height) < MIN_SIDE) return { kind: 'small', width, height };
  if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT) return { kind: 'banner', width, height };
  const split = gutter(px);
  if (split !== null) return { kind: 'side-by-side', width, height, split: Math.round((split * width) / px.width) };
  const red = redShare(px);
  if (red >= STAMP_RED_SHARE) return { kind: 'stamped', width, height, redShare: red };
  const pic = findPicture(px, { minStrip: 0.08, minKeep: 0.3 });
  if (pic) {
    const k = width / px.width;
    const region = { x: Math.round(pic.rect.x * k), y: Math.round(pic.rect.y * k), width: Math.round(pic.rect.width * k), height: Math.round(pic.rect.height * k) };
    if (Math.min(region.width, region.height) >= MIN_SIDE) return { kind: 'screenshot', width, height, region };
  }
  return { kind: 'ok', width, height };
}

/** Writes a region of an image as JPEG (the clean picture of a screenshot, a half of a comparison). */
export async function extractRegion(file: string, region: { x: number; y: number; width: number; height: number }, out: string): Promise<void> {
  await sharp(file, { limitInputPixels: 100_000_000, pages: 1 }).extract({ left: region.x, top: region.y, width: region.width, height: region.height }).jpeg({ quality: 92 }).toFile(out);
}
