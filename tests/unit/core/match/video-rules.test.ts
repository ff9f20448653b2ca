// The rules of video.ts pinned one at a time (docs/matching.md, "Video"): the hashed frame size,
// boundedCover's smallest radius (steps of 2, up to 128) and its budget, clipLooksAlike (keyframes
// sorted in time; a gap of ALIKE_SECONDS = 5 without one, or two keyframes 5 s apart within
// `accept` bits), VideoEvidence (each entry's nearest hit; a chain of frames within `near` whose
// keyframes follow at half to twice the pace played, a second's slack, the window narrowed as it
// goes), and pictureMatchHolds (quality ≥ PDQ_MIN_QUALITY = 50 on probes, pictures, keyframes and
// their variants; within max(distance, accept); a clip that looks alike holds only through its
// first keyframe).
//
// Hashes are built bit by bit (h below), so every distance is the size of a symmetric difference of
// bit sets, counted in the comments; times and windows are worked out by hand from the rule. None
// of the expected values was copied from the code's output.
import { describe, expect, it } from 'vitest';
import { hashToHex, type Hash256 } from '../../../../src/core/hash256';
import { ALIKE_SECONDS, EVIDENCE_RULE, VideoEvidence, boundedCover, captionBarPictures, clipLooksAlike, crop, matchRule, pictureMatchHolds, videoFramePixels, type FrameHit, type Probe, type SampledFrame, type StoredMediaHashes } from '../../../../src/core/match';
import { PDQ_MIN_QUALITY, pdqHash, type Pixels } from '../../../../src/core/pdq';
import { scene } from './frames';

/** The hash with exactly these bits set. */
const h = (bits: number[]): Hash256 => {
  const out = new Uint16Array(16);
  for (const b of bits) out[b >> 4]! |= 1 << (b & 15);
  return out;
};
const bits = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const hx = (b: number[]) => hashToHex(h(b));

describe('videoFramePixels', () => {
  it('brings a 512 x 256 decoded frame to 256 x 128 (the hashed size)', () => {
    const decoded: Pixels = { width: 512, height: 256, channels: 1, data: new Uint8Array(512 * 256).fill(90) };
    const px = videoFramePixels(decoded);
    expect([px.width, px.height]).toEqual([256, 128]);
    expect(px.data[0]).toBe(90); // the area average of a flat frame
  });
});

describe('boundedCover: the smallest radius from the start, in steps of 2, that keeps at most the budget', () => {
  // f0 no bits, f1 bits 0–9 (10 from f0), f2 bits 0–19 (10 from f1, 20 from f0). keyframeCover keeps
  // all three below radius 10, f0 and f2 from 10 to 19, f0 alone from 20.
  const frames: SampledFrame[] = [0, 10, 20].map((n, t) => ({ t, hash: h(bits(0, n)), quality: 100 }));

  it('stops at the first radius that meets the budget, counting a cover of exactly the budget as met', () => {
    expect(boundedCover(frames, 8, 3)).toEqual({ kept: frames, radius: 8 });
    expect(boundedCover(frames, 8, 2)).toEqual({ kept: [frames[0], frames[2]], radius: 10 });
    expect(boundedCover(frames, 8, 1)).toEqual({ kept: [frames[0]], radius: 20 });
  });

  it('stops at 128 when no radius meets it (scene changes are always kept), and keeps the budget\'s first frames', () => {
    const scenes: SampledFrame[] = [{ t: 0, hash: h([]), quality: 100 }, { t: 1, hash: h([]), quality: 100, scene: true }];
    expect(boundedCover(scenes, 0, 1)).toEqual({ kept: [scenes[0]], radius: 128 });
  });
});

describe('clipLooksAlike: a gap of 5 s without a keyframe, or two keyframes 5 s apart within accept', () => {
  // A and B: 100 bits apart (A none, B bits 100–199).
  const A = h([]);
  const B = h(bits(100, 100));
  const far = (t: number, hash: Hash256) => ({ t, hash });

  it('measures the gaps in time order, whatever the order given', () => {
    expect(ALIKE_SECONDS).toBe(5);
    expect(clipLooksAlike([far(5, A), far(0, B)])).toBe(true); // 0 → 5: a 5 s gap
    expect(clipLooksAlike([far(0, A), far(1, B)])).toBe(false);
  });

  it('a gap of exactly 5 s is enough, 4.9 is not; the last keyframe\'s gap runs to the clip\'s end', () => {
    expect(clipLooksAlike([far(0, A), far(5, B)])).toBe(true);
    expect(clipLooksAlike([far(0, A), far(4.9, B)])).toBe(false);
    expect(clipLooksAlike([far(0, A)], 5)).toBe(true);
    expect(clipLooksAlike([far(0, A)], 4.9)).toBe(false);
  });

  it('two keyframes exactly 5 s apart within exactly 31 bits are alike; 32 bits, or 4.9 s, are not', () => {
    const A31 = h(bits(0, 31)); // 31 from A, 131 from B
    const A32 = h(bits(0, 32));
    expect(clipLooksAlike([far(0, A), far(2.5, B), far(5, A)])).toBe(true);
    expect(clipLooksAlike([far(0, A), far(2.5, B), far(4.9, A)])).toBe(false);
    expect(clipLooksAlike([far(0, A), far(2.5, B), far(6, A31)])).toBe(true);
    expect(clipLooksAlike([far(0, A), far(2.5, B), far(6, A32)])).toBe(false);
  });
});

describe('VideoEvidence: the nearest hit per entry, and chains that follow the pace played', () => {
  // EVIDENCE_RULE: accept 31, sure 12, near 40, frames 2. A hit at 35 is near but not accepted alone.
  const hit = (distance: number, t: number | null, until?: number): FrameHit => ({ entry: 1, distance, t, ...(until !== undefined ? { until } : {}) });
  const chain = (...frames: [number, FrameHit[]][]) => {
    const ev = new VideoEvidence();
    return frames.map(([at, hits]) => ev.add(at, hits));
  };

  it('counts each entry\'s nearest hit, the first of equals', () => {
    expect(EVIDENCE_RULE).toEqual({ accept: 31, sure: 12, near: 40, frames: 2 });
    expect(chain([0, [hit(10, null), hit(50, null)]])).toEqual([[1]]);
    expect(chain([0, [hit(50, null), hit(10, null)]])).toEqual([[1]]);
    // Two hits at 35: the first (keyframe at 0 s) is the one; a frame 1 s later at keyframe 1 s follows it.
    expect(chain([0, [hit(35, 0), hit(35, 100)]], [1, [hit(35, 1)]])).toEqual([[], [1]]);
  });

  it('chains frames within near (40, not 41)', () => {
    expect(chain([0, [hit(40, 0)]], [1, [hit(40, 1)]])).toEqual([[], [1]]);
    expect(chain([0, [hit(41, 0)]], [1, [hit(41, 1)]])).toEqual([[], []]);
  });

  it('follows at half to twice the pace played, a second\'s slack: 4 s later, keyframes 1 to 9 s', () => {
    // From a keyframe at 0 played at 0: at 4, the clip is within [0 + 0.5 × 4 − 1, 0 + 2 × 4 + 1] = [1, 9].
    const after = (t: number) => chain([0, [hit(35, 0)]], [4, [hit(35, t)]])[1];
    expect(after(1)).toEqual([1]);
    expect(after(0.5)).toEqual([]);
    expect(after(0.99)).toEqual([]);
    expect(after(9)).toEqual([1]);
    expect(after(8)).toEqual([1]);
    expect(after(9.01)).toEqual([]);
  });

  it('does not chain two frames played at the same time', () => {
    expect(chain([3, [hit(35, 0)]], [3, [hit(35, 0)]])).toEqual([[], []]);
  });

  it('narrows where the clip can be as the chain goes', () => {
    // Upper bound: keyframe [0, 10] at 0; keyframe [0, 20] at 1 follows (window [−0.5, 13]) and the
    // clip is at [0, 13]; at 2 the window is [−0.5, 16]: a keyframe at 18 does not follow.
    expect(chain([0, [hit(35, 0, 10)]], [1, [hit(35, 0, 20)]], [2, [hit(35, 18)]])).toEqual([[], [1], []]);
    // Lower bound: keyframe 10 at 0; keyframe [0, 12] at 1 follows (window [9.5, 13]): the clip is at
    // [9.5, 12]; at 2 the window is [9, 15]: a keyframe at 5 does not follow.
    expect(chain([0, [hit(35, 10)]], [1, [hit(35, 0, 12)]], [2, [hit(35, 5)]])).toEqual([[], [1], []]);
  });
});

describe('pictureMatchHolds: quality, within, and the first keyframe of a clip that looks alike', () => {
  const standard = matchRule('standard'); // accept 31, minQuality 50
  // The probe P: bits 0–99. Hashes at a known distance from it: off(d) clears P's first d bits.
  const P = bits(0, 100);
  const off = (d: number) => bits(d, 100 - d);
  const probe = (quality = 100): Probe[] => [{ probe: 'full', hashes: [h(P)], quality }];
  const picture = (d: number, quality = 100): StoredMediaHashes => ({ hashes: [{ value: hx(off(d)), quality }] });
  type Item = NonNullable<StoredMediaHashes['frames']>['items'][number];
  const key = (t: number, d: number, quality = 100, variants?: Item['variants']): Item => ({ t, value: hx(off(d)), quality, ...(variants ? { variants } : {}) });
  const clip = (items: Item[], durationSec?: number): StoredMediaHashes => ({ hashes: [], frames: { items }, ...(durationSec !== undefined ? { durationSec } : {}) });

  it('takes probes and pictures of quality 50, not 49', () => {
    expect(PDQ_MIN_QUALITY).toBe(50);
    expect(pictureMatchHolds([picture(20)], probe(50), 20, standard)).toBe(true);
    expect(pictureMatchHolds([picture(20)], probe(49), 20, standard)).toBe(false);
    expect(pictureMatchHolds([picture(20, 50)], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([picture(20, 49)], probe(), 20, standard)).toBe(false);
  });

  it('reads a picture as its variant only when its role says variant', () => {
    // The 'full' probe meets originals; a cut-top:0.25 variant only meets its own probe.
    const as = (role: string) => ({ hashes: [{ value: hx(off(20)), quality: 100, role, variant: 'cut-top:0.25' }] });
    expect(pictureMatchHolds([as('original')], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([as('variant')], probe(), 20, standard)).toBe(false);
  });

  it('holds through a picture within max(distance, accept 31): 31 yes, 32 no', () => {
    expect(pictureMatchHolds([picture(31)], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([picture(32)], probe(), 20, standard)).toBe(false);
  });

  it('reads keyframes and their variants of quality 50, not 49', () => {
    // One keyframe: no gap of 5 s, the clip changes (no duration given).
    expect(pictureMatchHolds([clip([key(0, 20, 50)])], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([clip([key(0, 20, 49)])], probe(), 20, standard)).toBe(false);
    // The keyframe itself far (90 bits); its crop variant 20 bits from the probe.
    const variant = (quality: number) => [{ variant: 'crop:0.9', value: hx(off(20)), quality }];
    expect(pictureMatchHolds([clip([key(0, 90, 100, variant(50))])], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([clip([key(0, 90, 100, variant(49))])], probe(), 20, standard)).toBe(false);
  });

  it('holds through keyframes within max(distance, accept 31): 31 yes', () => {
    expect(pictureMatchHolds([clip([key(0, 31)])], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([clip([key(0, 32)])], probe(), 20, standard)).toBe(false);
  });

  it('tells a clip that looks alike from the keyframes of quality 50 and up, and the clip\'s duration', () => {
    // Keyframe at 0 (40 bits from the probe), at 1 (20 bits), at 6 (quality 49, 90 bits): the
    // good keyframes 0 and 1 s leave no 5 s gap, the clip changes, the match holds through the one at 1.
    expect(pictureMatchHolds([clip([key(0, 40), key(1, 20), key(6, 90, 49)])], probe(), 20, standard)).toBe(true);
    // The keyframe at 6 of quality 50: a 5 s gap, the clip looks alike, and the first keyframe is not the nearest.
    expect(pictureMatchHolds([clip([key(0, 40), key(1, 20), key(6, 90, 50)])], probe(), 20, standard)).toBe(false);
    // Keyframe at 0 (40 bits), at 6 (quality 50, 20 bits): alike; the first is not the nearest.
    expect(pictureMatchHolds([clip([key(0, 40), key(6, 20, 50)])], probe(), 20, standard)).toBe(false);
    // Keyframes at 0 and 1 s: alike only if the clip runs on 5 s past the last one (10 s: 9 s).
    expect(pictureMatchHolds([clip([key(0, 40), key(1, 20)])], probe(), 20, standard)).toBe(true);
    expect(pictureMatchHolds([clip([key(0, 40), key(1, 20)], 10)], probe(), 20, standard)).toBe(false);
  });
});

describe('captionBarPictures: one `picture` variant for each bar that cuts into the frame', () => {
  // A 256 x 144 textured frame (never interface); bars of round(0.2 × 144) = 29 rows, white then
  // black, above then below. Striped rows — 7 white pixels in every 10, 3 black — are interface
  // under a white bar (white at least 50%, white and black all of it), not under a black one (30%),
  // and not an edge frame without a bar (not 95% one colour): a white bar on their side is peeled
  // with them; a bar on the other side is peeled alone, at the frame's edge, and gives nothing. The
  // expected variant is the hash of the frame without the peeled lines, cut by hand.
  const W = 256;
  const H = 144;
  const stripe = (x: number) => (x % 10 < 7 ? 255 : 0);
  const frame = (o: { top?: number; bottom?: number; right?: number }, channels: 1 | 3 = 1): Pixels => {
    const tex = scene(W, H, 0, 0, 3);
    const data = new Uint8Array(W * H * channels);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const striped = y < (o.top ?? 0) || y >= H - (o.bottom ?? 0);
        const v = x >= W - (o.right ?? 0) ? 255 : striped ? stripe(x) : tex[y * W + x]!;
        // In colour: R and B a little off the grey (the luma the finder does not use; its colours are per channel).
        for (let k = 0; k < channels; k++) data[(y * W + x) * channels + k] = channels === 1 || striped || v === 255 ? v : Math.max(0, v - 8 * k);
      }
    }
    return { width: W, height: H, channels, data };
  };
  const cut = (px: Pixels, y: number, height: number, width = W) => pdqHash(crop(px, { x: 0, y, width, height })).hash;
  const variants = (px: Pixels) => captionBarPictures(px).map((v) => ({ variant: v.variant, hash: hashToHex(v.hash) }));
  const picture = (hash: Hash256) => ({ variant: 'picture', hash: hashToHex(hash) });

  it('cuts striped rows at the top under a white bar above only, and at the bottom under a white bar below only', () => {
    const top = frame({ top: 10 });
    expect(variants(top)).toEqual([picture(cut(top, 10, 134))]);
    const bottom = frame({ bottom: 10 });
    expect(variants(bottom)).toEqual([picture(cut(bottom, 0, 134))]);
  });

  it('keeps both cuts when they differ (white above, then white below)', () => {
    const both = frame({ top: 10, bottom: 12 });
    expect(variants(both)).toEqual([picture(cut(both, 10, 134)), picture(cut(both, 0, 132))]);
  });

  it('cuts a white right side peeled with a white bar (the frame\'s width, not its height, changes), once', () => {
    const right = frame({ right: 12 });
    expect(variants(right)).toEqual([picture(cut(right, 0, H, W - 12))]);
  });

  it('lays a bar of 29 rows: one striped row and the bar are more than 2% of the padded frame', () => {
    const one = frame({ top: 1 });
    expect(variants(one)).toEqual([picture(cut(one, 1, 143))]);
  });

  it('reads colour frames the same way', () => {
    const top = frame({ top: 10 }, 3);
    expect(variants(top)).toEqual([picture(cut(top, 10, 134))]);
    const bottom = frame({ bottom: 10 }, 3);
    expect(variants(bottom)).toEqual([picture(cut(bottom, 0, 134))]);
  });
});
