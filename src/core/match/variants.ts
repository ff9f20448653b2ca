/**
 * The two halves of robust matching (docs/matching.md), both plain PDQ hashes:
 *
 *  - publishVariants (the publisher tool, once per debunked image): PDQ hashes of what re-shares
 *    most often make of it: centred crops (a ladder), crops anchored at each corner (a smaller
 *    ladder), the image without a band at the top or the bottom (where a caption is laid over
 *    it), and the picture without its own borders.
 *  - queryProbes (the extension, once per picture seen): the dihedral hashes as before, plus the
 *    picture found inside interface lines (borders, bars, a post's card, a player) or inside a
 *    blurred copy of itself (./moving-band.ts), the same image
 *    cut where a caption band was found (to the next step of the publisher's ladder), and a turned
 *    picture turned back (./turn.ts), whose centre meets the stored centred 90% crop.
 *
 * Which probe may meet which variant is fixed in ./rule.ts. PDQ cost is per probe: the picture,
 * the cut and the turn are only hashed when the detector found something.
 */
import { hashFromHex, hashToHex, type Hash256 } from '../hash256';
import { pdqHash, pdqHashDihedral, type Pixels } from '../pdq';
import { centerRect, crop, lumaOf, type Rect } from './geometry';
import { estimateTurn, unturn } from './turn';
import { bandDepth, findPicture } from './regions';
import { findSharpBand } from './moving-band';

/** Centred crops stored per image (share of each side kept). */
export const CROP_LADDER = [0.9, 0.85, 0.8, 0.75] as const;
/**
 * Rotations stored per image before issue 14's second round, degrees (positive: clockwise), each
 * as the centre CENTER_SHARE of the turned image. No longer published: the reader undoes a turn
 * itself (./turn.ts, the 'turn' probe against crop:0.9), whatever the angle; rows of this kind in
 * older feeds still meet the 'center' probe of older clients.
 */
export const ROTATIONS = [3, -3] as const;
/** The crop of the publisher's ladder the 'turn' probe (a turned picture turned back) is compared with. */
export const TURN_SHARE = 0.9;
/**
 * Off-centre crops stored per image: each share kept from each corner (crop-tl:share, crop-tr,
 * crop-bl, crop-br; names the feed format's variant pattern accepts). A crop of 80–90% anchored at
 * a corner lands within ±1.5% of one of them.
 */
export const CORNER_LADDER = [0.9, 0.85, 0.8] as const;
export const CORNERS = ['tl', 'tr', 'bl', 'br'] as const;
/**
 * The halves of the picture stored and probed apart (half-top, …): text or a sticker laid over one
 * part of the picture leaves at least one half as it was (docs/matching.md, "Over the picture").
 */
export const HALVES = ['top', 'bottom', 'left', 'right'] as const;
export type Half = (typeof HALVES)[number];

/** The half of a width x height picture. */
export function halfRect(width: number, height: number, half: Half): Rect {
  const w = Math.round(width / 2);
  const h = Math.round(height / 2);
  switch (half) {
    case 'top':
      return { x: 0, y: 0, width, height: h };
    case 'bottom':
      return { x: 0, y: height - h, width, height: h };
    case 'left':
      return { x: 0, y: 0, width: w, height };
    default:
      return { x: width - w, y: 0, width: w, height };
  }
}
/**
 * The middle band stored and probed (mid:B): the picture without its top and bottom B of the height
 * at once, where meme text goes (a line at the top and one at the bottom reach both the left and
 * right halves, and one of the top and bottom halves each). Measured (docs/matching.md, "Text over
 * the picture"): meme text moves every half past 31 bits but leaves this band as it was.
 */
export const MID_CUT = 0.18;

/** The band of a width x height picture without its top and bottom `share` of the height. */
export function midRect(width: number, height: number, share: number): Rect {
  const cut = Math.round(height * share);
  return { x: 0, y: cut, width, height: Math.max(1, height - 2 * cut) };
}
/** Bands cut off the top or the bottom (share of the height) where captions go. */
export const CUT_LADDER = [0.125, 0.18, 0.25] as const;
/** The query's centre crop, and the share kept of rotated variants: removes the corners of a turn up to ~3°. */
export const CENTER_SHARE = 0.9;

export type VariantName = `crop:${number}` | `mid:${number}` | `crop-${(typeof CORNERS)[number]}:${number}` | `rotate:${number}` | `cut-top:${number}` | `cut-bottom:${number}` | `half-${Half}` | 'picture';
export type ProbeName = 'full' | 'picture' | 'inner' | 'center' | 'turn' | 'motion' | `mid:${number}` | `cut-top:${number}` | `cut-bottom:${number}` | `half-${Half}`;

export interface VariantHash {
  variant: VariantName;
  hash: Hash256;
  quality: number;
}

export interface Probe {
  probe: ProbeName;
  /** 'full' carries the 8 dihedral hashes (reference order); the others one hash. */
  hashes: Hash256[];
  quality: number;
}

/** The rectangle of `share` of each side anchored at a corner. */
export function cornerRect(width: number, height: number, share: number, corner: (typeof CORNERS)[number]): Rect {
  const w = Math.max(1, Math.round(width * share));
  const h = Math.max(1, Math.round(height * share));
  return { x: corner.endsWith('r') ? width - w : 0, y: corner.startsWith('b') ? height - h : 0, width: w, height: h };
}

function cutRect(px: Pixels, side: 'top' | 'bottom', share: number) {
  const h = Math.round(px.height * (1 - share));
  return { x: 0, y: side === 'top' ? px.height - h : 0, width: px.width, height: h };
}

/** The publisher's variants of one image (the original's own hash is made apart, the reference way). */
export function publishVariants(px: Pixels): VariantHash[] {
  const out: VariantHash[] = [];
  const add = (variant: VariantName, p: Pixels) => {
    const { hash, quality } = pdqHash(p);
    out.push({ variant, hash, quality });
  };
  for (const s of CROP_LADDER) add(`crop:${s}`, crop(px, centerRect(px.width, px.height, s)));
  for (const s of CORNER_LADDER) for (const c of CORNERS) add(`crop-${c}:${s}`, crop(px, cornerRect(px.width, px.height, s, c)));
  for (const b of CUT_LADDER) {
    add(`cut-top:${b}`, crop(px, cutRect(px, 'top', b)));
    add(`cut-bottom:${b}`, crop(px, cutRect(px, 'bottom', b)));
  }
  for (const h of HALVES) add(`half-${h}`, crop(px, halfRect(px.width, px.height, h)));
  add(`mid:${MID_CUT}`, crop(px, midRect(px.width, px.height, MID_CUT)));
  const pic = findPicture(px);
  if (pic) add('picture', crop(px, pic.rect));
  return out;
}

/**
 * The publisher's variants of one video keyframe (already at the size frames are hashed at,
 * src/core/match/video.ts): the crop ladder, the caption cuts, and the middle band (mid:MID_CUT,
 * as for images: a caption laid over the top or the bottom of the clip for its whole length, up
 * to MID_CUT of the height, leaves it as it was, and the reader's frames are probed with it
 * already — queryProbes). No turns (re-shared video is seldom turned) and no 'picture' (keyframes
 * of a clip with its own bars are rare).
 */
export function videoVariants(px: Pixels): VariantHash[] {
  const out: VariantHash[] = [];
  const add = (variant: VariantName, p: Pixels) => {
    const { hash, quality } = pdqHash(p);
    out.push({ variant, hash, quality });
  };
  for (const s of CROP_LADDER) add(`crop:${s}`, crop(px, centerRect(px.width, px.height, s)));
  for (const b of CUT_LADDER) {
    add(`cut-top:${b}`, crop(px, cutRect(px, 'top', b)));
    add(`cut-bottom:${b}`, crop(px, cutRect(px, 'bottom', b)));
  }
  out.push(middleBand(px));
  return out;
}

/**
 * The middle band of a video keyframe (mid:MID_CUT, the frame without its top and bottom MID_CUT):
 * stored with every keyframe, not only those with the other variants (src/cli/keyframes.ts), so
 * that a frame of a clip with a caption laid over it comes as near its keyframe as the frame itself
 * would (docs/matching.md, "Video").
 */
export function middleBand(px: Pixels): VariantHash {
  const { hash, quality } = pdqHash(crop(px, midRect(px.width, px.height, MID_CUT)));
  return { variant: `mid:${MID_CUT}`, hash, quality };
}

/**
 * The probe of a video frame's moving picture (src/core/match/video.ts findMovingPicture): the
 * rectangle hashed as is. It meets the originals, the crop ladder and the caption cuts (a caption
 * laid over the picture for the whole clip does not move, so the moving rectangle already leaves
 * it out: what is left is the picture cut at about the band's height).
 */
export function motionProbe(px: Pixels, rect: Rect): Probe {
  const { hash, quality } = pdqHash(crop(px, rect));
  return { probe: 'motion', hashes: [hash], quality };
}

/**
 * Caption bands laid over the top or the bottom edge (rows of interface from that edge, 3% to 25%
 * of the height): for each, the step of the cut ladder that removes all of it.
 */
export function captionCuts(px: Pixels): { side: 'top' | 'bottom'; share: number }[] {
  const out: { side: 'top' | 'bottom'; share: number }[] = [];
  for (const side of ['bottom', 'top'] as const) {
    const lost = bandDepth(px, side) / px.height;
    const share = CUT_LADDER.find((b) => b >= lost);
    if (lost >= 0.03 && share !== undefined) out.push({ side, share });
  }
  return out;
}

/**
 * What the extension hashes of one picture: see the module comment. Regions are found and cut at
 * full size (a border found one pixel off moves the hash), then hashed from their luma at half
 * size (lumaOf: about a fifth of the cost of hashing the region as it is).
 */
export function queryProbes(px: Pixels): Probe[] {
  const full = pdqHashDihedral(px);
  const probes: Probe[] = [{ probe: 'full', hashes: full.hashes, quality: full.quality }];
  const one = (probe: ProbeName, p: Pixels) => {
    const { hash, quality } = pdqHash(p);
    probes.push({ probe, hashes: [hash], quality });
  };
  const pic = findPicture(px);
  if (pic) one('picture', lumaOf(px, pic.rect));
  // The 'inner' reading of frames differs from the 'edges' one only once some side was peeled.
  const inner = pic && findPicture(px, { frames: 'inner' });
  if (inner && JSON.stringify(inner.rect) !== JSON.stringify(pic.rect)) one('inner', lumaOf(px, inner.rect));
  // Interface inside interface (a clip inside a phone's screen recording: the phone's bottom bar,
  // then the app's own background below the clip): peeled again inside what was found.
  const nested = pic && findPicture(crop(px, pic.rect));
  if (nested) one('picture', lumaOf(px, { ...nested.rect, x: pic.rect.x + nested.rect.x, y: pic.rect.y + nested.rect.y }));
  // A clip across the middle of a frame of its own blurred copy (the 1:1 re-share's poster): no
  // interface lines to peel, but the sides have almost no detail (./moving.ts findSharpBand).
  if (!pic) for (const r of findSharpBand(px)) one('picture', lumaOf(px, r));
  for (const cut of captionCuts(px)) one(`cut-${cut.side}:${cut.share}`, lumaOf(px, cutRect(px, cut.side, cut.share)));
  // The halves from one luma of the whole picture at half size (PDQ works on 64x64 anyway).
  const small = lumaOf(px, { x: 0, y: 0, width: px.width, height: px.height });
  for (const h of HALVES) one(`half-${h}`, crop(small, halfRect(small.width, small.height, h)));
  one(`mid:${MID_CUT}`, crop(small, midRect(small.width, small.height, MID_CUT)));
  // A turned picture on its turned canvas: turned back, its centre meets the stored crop:0.9.
  const turn = estimateTurn(px);
  if (turn !== null) one('turn', unturn(px, turn, TURN_SHARE));
  return probes;
}

/** Probes as plain data (hex), for caches and messages. */
export interface ProbeHex {
  probe: ProbeName;
  hashes: string[];
  quality: number;
}
export const probeToHex = (p: Probe): ProbeHex => ({ probe: p.probe, hashes: p.hashes.map(hashToHex), quality: p.quality });
export const probeFromHex = (p: ProbeHex): Probe => ({ probe: p.probe, hashes: p.hashes.map(hashFromHex), quality: p.quality });
