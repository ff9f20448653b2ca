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
import { hammingDistance, type Hash256 } from '../hash256';
import { canonicalPixels, canonicalSize, type Pixels } from '../pdq';

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
