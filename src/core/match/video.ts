/**
 * Video frames on both sides (docs/matching.md, "Video"):
 *
 *  - videoFrameSize: the one size every video frame is hashed at, by the publisher tool's keyframes
 *    and by the extension's sampler alike (the same frame is 0–2 bits apart at equal sizes, 8–20
 *    at 256 vs 512 px).
 *  - keyframeCover: which of the publisher's densely sampled frames to keep, so that every frame of
 *    the clip lies within a few bits of a kept one, wherever the reader's playback starts.
 *  - the moving picture inside a frame that wraps it (findMovingPictures) is in ./moving.ts.
 *  - VideoEvidence: frames matching the same entry in time order, as evidence across frames.
 *
 * Pure: frames in, rectangles and hashes out.
 */
import { hammingDistance, hashFromHex, type Hash256 } from '../hash256';
import { PDQ_MIN_QUALITY, canonicalPixels, canonicalSize, pdqHash, type Pixels } from '../pdq';
import { crop } from './geometry';
import { findPicture } from './regions';
import { pairAllowed, type MatchRule } from './rule';
import type { Probe, VariantHash } from './variants';

/** Long side of a hashed video frame, in px, on both sides. */
export const VIDEO_FRAME_SIDE = 256;
/**
 * Frames are decoded at the video's own size up to this long side; a larger rendition is drawn
 * down to it first (by the canvas, by ffmpeg's area filter: the one step where the two sides'
 * scalers differ, at 2.5× the hashed size or more; X's 1280x720 rendition halves exactly). Measured
 * in the browser (BENCHMARKS.md, "Video sampling in the browser"): drawing and scaling 1280x720 in
 * full cost about 4× the main-thread time of 640x360.
 */
export const VIDEO_DECODE_SIDE = 640;

/** The size a w×h video frame is hashed at: canonicalSize at VIDEO_FRAME_SIDE (down, never up). */
export function videoFrameSize(width: number, height: number): { width: number; height: number } {
  return canonicalSize(Math.max(1, width), Math.max(1, height), VIDEO_FRAME_SIDE);
}

/** The size a w×h video frame is decoded (drawn, piped) at before videoFramePixels: its own, up to VIDEO_DECODE_SIDE. */
export function videoDecodeSize(width: number, height: number): { width: number; height: number } {
  return canonicalSize(Math.max(1, width), Math.max(1, height), VIDEO_DECODE_SIDE);
}

/**
 * The pixels a video frame is hashed from, on both sides (the publisher's keyframes, the frames
 * the reader plays): the decoded frame through the image path's canonical scaler (exact area
 * average, src/core/pdq/canonical.ts) down to VIDEO_FRAME_SIDE — plain arithmetic, so node,
 * Chromium and Firefox make the same bytes from the same decoded frame.
 */
export function videoFramePixels(decoded: Pixels): Pixels {
  return canonicalPixels(decoded, VIDEO_FRAME_SIDE);
}

export interface SampledFrame {
  t: number;
  hash: Hash256;
  quality: number;
  /** A scene change (the publisher's ffmpeg scene score), kept whatever its distance. */
  scene?: boolean;
}

/**
 * The frames to keep so that every sampled frame is within `radius` bits of a kept one at or
 * before it (greedy, in time order): a static shot gives one frame, a handheld pan one every few
 * tenths of a second. The first frame and scene changes are always kept.
 */
export function keyframeCover(frames: readonly SampledFrame[], radius: number): SampledFrame[] {
  const kept: SampledFrame[] = [];
  let last: SampledFrame | null = null;
  for (const f of frames) {
    if (!last || f.scene || hammingDistance(f.hash, last.hash) > radius) {
      kept.push(f);
      last = f;
    }
  }
  return kept;
}

/**
 * keyframeCover at the smallest radius from `radius` up (in steps of 2) that keeps at most
 * `budget` frames.
 */
export function boundedCover(frames: readonly SampledFrame[], radius: number, budget: number): { kept: SampledFrame[]; radius: number } {
  let r = radius;
  let kept = keyframeCover(frames, r);
  while (kept.length > budget && r < 128) {
    r += 2;
    kept = keyframeCover(frames, r);
  }
  return { kept: kept.slice(0, budget), radius: r };
}

/** The height of the plain bar captionBarPictures lays above or below a keyframe, as a share of its height (a caption bar is 15–25%; measured, the finder's cut does not depend on it). */
export const CAPTION_BAR_SHARE = 0.2;

/**
 * What the reader's picture probe (findPicture, the image path) cuts from this keyframe when a
 * re-share lays a plain caption bar over or under it, white or black: where the picture's own edge
 * rows are of the bar's colour (a bright sky under a white bar), the finder peels them with the
 * bar, and the picture it finds is no longer the whole frame. One `picture` variant for each bar
 * that cuts into the frame; none where the finder stops at the bar's edge (the frame itself is
 * then what is found).
 */
export function captionBarPictures(px: Pixels): VariantHash[] {
  const out: VariantHash[] = [];
  const { width: w, height: h, channels: c } = px;
  const bar = Math.max(1, Math.round(h * CAPTION_BAR_SHARE));
  for (const level of [255, 0]) {
    for (const above of [true, false]) {
      const data = new Uint8Array(w * (h + bar) * c).fill(level);
      data.set(px.data.subarray(0, w * h * c), above ? w * bar * c : 0);
      const padded: Pixels = { width: w, height: h + bar, channels: c, data };
      const pic = findPicture(padded);
      // The frame's own rows start at `bar` (above) or end at `h` (below).
      const frame = { x: 0, y: above ? bar : 0, width: w, height: h };
      if (!pic || (pic.rect.x === frame.x && pic.rect.y === frame.y && pic.rect.width === frame.width && pic.rect.height === frame.height)) continue;
      const inside = pic.rect.y >= frame.y && pic.rect.y + pic.rect.height <= frame.y + frame.height;
      if (!inside) continue; // the bar was not peeled whole: not what a reader's finder would take for the picture
      const { hash, quality } = pdqHash(crop(padded, pic.rect));
      // The same cut under another bar (a frame whose own top edge is peeled whichever bar is added) is stored once.
      if (!out.some((v) => hammingDistance(v.hash, hash) === 0)) out.push({ variant: 'picture', hash, quality });
    }
  }
  return out;
}
// --- evidence across frames

/** One stored hash a sampled frame came near: its entry, the distance, and the keyframe's time. */
export interface FrameHit<K = number> {
  entry: K;
  distance: number;
  /** The keyframe's time in the published clip, seconds; null when the hash met is not a keyframe (a picture, a poster). */
  t: number | null;
  /**
   * Up to when the keyframe stands for the clip (the next keyframe's time, or the clip's end): the
   * publisher keeps a frame whenever the picture drifts, so the clip is at [t, until] — a still
   * stretch has one keyframe for several seconds. Default: t.
   */
  until?: number | null;
  /**
   * The entry's clip looks alike throughout (clipLooksAlike: a fixed camera, a static shot): other
   * moments of the same scene come as close as a re-share, so one frame short of `sure` is not
   * enough.
   */
  alike?: boolean;
}

export interface EvidenceRule {
  /** One frame this close is a match by itself (the reference rule)… */
  accept: number;
  /** …and, for a clip that looks alike throughout, one frame this close (within the publisher's cover radius). */
  sure: number;
  /** Frames this close count towards a sequence. */
  near: number;
  /** This many consecutive sampled frames near the same entry, in the clip's time order, are a match. */
  frames: number;
}

/**
 * `sure` is the publisher's cover radius (src/cli/keyframes.ts COVER_BITS: every frame of the
 * clip is within 12 bits of a keyframe): measured, another moment of the fixed street camera,
 * 45 s later, had a frame 18 bits from a keyframe.
 */
export const EVIDENCE_RULE: EvidenceRule = { accept: 31, sure: 12, near: 40, frames: 2 };

/** The evidence rule of the reader's strictness: strict accepts nothing past 24 bits, frame or sequence. */
export function evidenceRule(level: 'strict' | 'standard' | 'loose'): EvidenceRule {
  return level === 'strict' ? { accept: 24, sure: 12, near: 24, frames: 2 } : EVIDENCE_RULE;
}

/** Keyframes this far apart in time that are still within `accept` bits: the clip looks alike throughout. */
export const ALIKE_SECONDS = 5;

/**
 * Does a published clip look alike throughout (a fixed camera's street, a static shot)? True when
 * two keyframes at least ALIKE_SECONDS apart are within `accept` bits of each other, or when no
 * keyframe was kept for ALIKE_SECONDS (the publisher keeps one whenever the picture drifts 12 bits:
 * so long a stretch without one did not change). Other moments of such a scene — not the published
 * clip — then come as close to its keyframes as a re-share does.
 */
export function clipLooksAlike(frames: readonly { t: number; hash: Hash256 }[], durationSec: number | null = null, accept = 31): boolean {
  const f = [...frames].sort((a, b) => a.t - b.t);
  for (let i = 0; i < f.length; i++) {
    const next = f[i + 1]?.t ?? durationSec;
    if (next !== null && next - f[i]!.t >= ALIKE_SECONDS) return true;
    for (let j = i + 1; j < f.length; j++) if (f[j]!.t - f[i]!.t >= ALIKE_SECONDS && hammingDistance(f[i]!.hash, f[j]!.hash) <= accept) return true;
  }
  return false;
}

/**
 * Evidence across the frames of one playing video (docs/matching.md, "Video"). Per frame, each
 * entry's nearest hit counts (the keyframe the frame most likely is):
 *  - a clip that changes: one frame within `accept` is a match, as for pictures; or `frames`
 *    consecutive sampled frames each within `near`, whose keyframes follow in the clip's order at
 *    about the pace they were played (half to twice it, a second's slack);
 *  - a clip that looks alike throughout (a fixed camera, where other moments of the scene come as
 *    close as a re-share): one frame within `sure`; or `frames` consecutive frames each within
 *    `accept` whose keyframes advance at the pace played (half to twice it, a quarter second's
 *    slack — a moment of the clip itself moves through its keyframes as it plays; another moment
 *    meets whichever keyframe it resembles).
 * Unrelated frames that come near an entry by chance do not line up in time.
 */
export class VideoEvidence<K = number> {
  /** Per entry: when the last frame of the chain was played, where in the clip it can be ([lo, hi]), the chain's length. */
  private chains = new Map<K, { at: number; lo: number; hi: number; n: number }>();

  constructor(private readonly rule: EvidenceRule = EVIDENCE_RULE) {}

  /** A sampled frame, played at `at` seconds (the re-share's own time), and its hits: the entries it makes a match. */
  add(at: number, hits: readonly FrameHit<K>[]): K[] {
    const nearest = new Map<K, FrameHit<K>>();
    for (const h of hits) {
      const b = nearest.get(h.entry);
      if (!b || h.distance < b.distance) nearest.set(h.entry, h);
    }
    const accepted: K[] = [];
    const next = new Map<K, { at: number; lo: number; hi: number; n: number }>();
    for (const h of nearest.values()) {
      const alone = h.alike ? this.rule.sure : this.rule.accept;
      const near = h.alike ? this.rule.accept : this.rule.near;
      const slack = h.alike ? 0.25 : 1;
      let n = 0;
      if (h.distance <= near && h.t !== null) {
        const prev = this.chains.get(h.entry);
        const dt = prev ? at - prev.at : 0;
        // Where the clip can be now, by the pace played, against where this keyframe stands.
        let lo = h.t;
        let hi = Math.max(h.t, h.until ?? h.t);
        const from = prev ? prev.lo + 0.5 * dt - slack : 0;
        const to = prev ? prev.hi + 2 * dt + slack : 0;
        const follows = prev && dt > 0 && hi >= from && lo <= to;
        if (follows) {
          lo = Math.max(lo, from);
          hi = Math.min(hi, to);
        }
        n = follows ? prev.n + 1 : 1;
        next.set(h.entry, { at, lo, hi, n });
      }
      if (h.distance <= alone || n >= this.rule.frames) accepted.push(h.entry);
    }
    this.chains = next; // a frame without a near hit breaks the chain
    return accepted;
  }
}

/** The hashes of one media item of an entry, as a feed stores them (docs/feed-format.md: `hashes`, `frames`). */
export interface StoredMediaHashes {
  hashes: readonly { value: string; quality: number; role?: string; variant?: string }[];
  frames?: { items: readonly { t: number; value: string; quality: number; variants?: readonly { variant: string; value: string; quality: number }[] }[] };
  durationSec?: number;
}

/**
 * Does a picture's match with an entry hold, `distance` being the best distance the image rule
 * found (a video's poster — X shows the clip's first frame — is looked up as a picture)? Yes when
 * it is within `sure` (the publisher's cover radius), or when some pair the rule allows, within
 * `distance` (or the rule's accept distance, if larger), meets a picture of the entry or a
 * keyframe of a clip that changes. Through the keyframes of a clip that looks alike throughout
 * (clipLooksAlike: a fixed camera) it holds past `sure` only as the clip's first frame — the first
 * keyframe is the nearest one — which is what the poster of a re-share that starts where the clip
 * starts is: another moment of the scene comes as close as a re-share but meets whichever keyframe
 * it resembles (measured: the street camera 45 s later, its first frame 18 bits from the keyframe
 * at 0.8 s, 30 from those at 0.6 and 1 s; a mirrored re-share's poster 28 bits from the first).
 */
export function pictureMatchHolds(media: readonly StoredMediaHashes[], probes: readonly Probe[], distance: number, rule: MatchRule, evidence: EvidenceRule = EVIDENCE_RULE): boolean {
  if (distance <= evidence.sure) return true;
  const within = Math.max(distance, rule.acceptDistance);
  /** The nearest of `stored` over the pairs the rule allows (Infinity: none). */
  const nearest = (stored: readonly { kind: string; value: string }[]): number => {
    let best = Infinity;
    for (const p of probes) {
      if (p.quality < rule.minQuality) continue;
      p.hashes.forEach((h, d) => {
        for (const s of stored) if (pairAllowed(p.probe, d, s.kind, rule)) best = Math.min(best, hammingDistance(h, hashFromHex(s.value)));
      });
    }
    return best;
  };
  type Frame = NonNullable<StoredMediaHashes['frames']>['items'][number];
  // The rows of a keyframe, as the index holds them (src/core/match/lookup.ts entryRows).
  const rowsOf = (f: Frame) => [...(f.quality >= PDQ_MIN_QUALITY ? [{ kind: 'original', value: f.value }] : []), ...(f.variants ?? []).filter((v) => v.quality >= PDQ_MIN_QUALITY).map((v) => ({ kind: v.variant, value: v.value }))];
  for (const m of media) {
    const pictures = m.hashes.filter((h) => h.quality >= PDQ_MIN_QUALITY).map((h) => ({ kind: h.role === 'variant' && h.variant ? h.variant : 'original', value: h.value }));
    if (nearest(pictures) <= within) return true;
    const items = [...(m.frames?.items ?? [])].sort((a, b) => a.t - b.t);
    const all = nearest(items.flatMap(rowsOf));
    if (all > within) continue;
    const keyframes = items.filter((f) => f.quality >= PDQ_MIN_QUALITY).map((f) => ({ t: f.t, hash: hashFromHex(f.value) }));
    if (!clipLooksAlike(keyframes, m.durationSec ?? null)) return true;
    if (items[0] && nearest(rowsOf(items[0])) <= all) return true;
  }
  return false;
}
