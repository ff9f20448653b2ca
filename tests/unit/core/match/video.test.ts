// Video frames: the canonical frame size, the keyframe cover, and the moving picture found inside
// frames that wrap it (blurred 1:1 copy, a phone's interface, a caption band). Expected rectangles
// are where each test placed the picture when it built the frames, never the detector's output.
import { describe, expect, it } from 'vitest';
import { hammingDistance, hashToHex, type Hash256 } from '../../../../src/core/hash256';
import { ALIKE_SECONDS, EVIDENCE_RULE, VideoEvidence, clipLooksAlike, evidenceRule, boundedCover, captionBarPictures, CAPTION_BAR_SHARE, pictureMatchHolds, findMovingPicture, findMovingPictures, keyframeCover, pairAllowed, matchRule, resizeArea, sourceRect, videoFrameSize, videoVariants, VIDEO_FRAME_SIDE, middleBand, queryProbes } from '../../../../src/core/match';
import { pdqHash, type Pixels } from '../../../../src/core/pdq';
import { crop } from '../../../../src/core/match';
import { blur, luma, scene } from './frames';

/** The picture (pw×ph, moving by `step` px a frame) placed at (px0, py0) on a background made by `bg`. */
function frames(W: number, H: number, pic: { x: number; y: number; w: number; h: number }, bg: (k: number) => Uint8Array, n = 3, step = 6): Pixels[] {
  return Array.from({ length: n }, (_, k) => {
    const out = bg(k).slice();
    const p = scene(pic.w, pic.h, k * step, k * 2);
    for (let y = 0; y < pic.h; y++) out.set(p.subarray(y * pic.w, (y + 1) * pic.w), (pic.y + y) * W + pic.x);
    return luma(W, H, out);
  });
}

describe('videoFrameSize', () => {
  it('scales the long side to the shared size, keeping the aspect ratio', () => {
    expect(videoFrameSize(1280, 720)).toEqual({ width: VIDEO_FRAME_SIDE, height: 144 });
    expect(videoFrameSize(720, 1280)).toEqual({ width: 144, height: VIDEO_FRAME_SIDE });
    expect(videoFrameSize(320, 240)).toEqual({ width: VIDEO_FRAME_SIDE, height: 192 });
    expect(videoFrameSize(720, 720)).toEqual({ width: VIDEO_FRAME_SIDE, height: VIDEO_FRAME_SIDE });
  });
});

describe('findMovingPicture', () => {
  const W = 256;
  const H = 256;
  const pic = { x: 0, y: 56, w: 256, h: 144 }; // a 16:9 clip in a 1:1 frame

  it('finds a clip inside a 1:1 frame of its own blurred copy', () => {
    const bg = (k: number) => blur(scene(W, H, k * 3, 0, 2), W, H, 12, 2);
    const r = findMovingPicture(frames(W, H, pic, bg));
    expect(r).not.toBeNull();
    expect(Math.abs(r!.y - pic.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(r!.y + r!.height - (pic.y + pic.h))).toBeLessThanOrEqual(2);
    expect(r!.x).toBeLessThanOrEqual(2);
    expect(r!.x + r!.width).toBeGreaterThanOrEqual(W - 2);
  });

  it('finds a clip inside a still interface with text lines (a screen recording, a news graphic)', () => {
    const ui = new Uint8Array(W * H).fill(30);
    for (const y0 of [10, 24, 210, 230]) for (let y = y0; y < y0 + 6; y++) for (let x = 12; x < 200; x++) if ((x >> 2) % 3) ui[y * W + x] = 230;
    const inset = { x: 20, y: 50, w: 200, h: 140 };
    const r = findMovingPicture(frames(W, H, inset, () => ui));
    expect(r).toEqual({ x: inset.x, y: inset.y, width: inset.w, height: inset.h });
  });

  it('leaves out a caption band that stays over the picture for the whole clip', () => {
    const fr = frames(W, 144, { x: 0, y: 0, w: W, h: 144 }, () => new Uint8Array(W * 144)).map((f) => {
      const d = new Uint8Array(f.data);
      for (let y = 0; y < 19; y++) for (let x = 0; x < W; x++) d[y * W + x] = (y > 6 && y < 13 && (x >> 3) % 2) ? 250 : 10;
      return luma(W, 144, d);
    });
    // The band is 19 of 144 rows (13.2%): the picture is cut at a rung of the publisher's ladder,
    // 12.5% (round(144 × 0.875) = 126 rows kept, within a row of the band) or 18% (118 rows).
    const r = findMovingPicture(fr);
    expect([{ x: 0, y: 18, width: W, height: 126 }, { x: 0, y: 26, width: W, height: 118 }]).toContainEqual(r);
  });

  it('answers null for a clip that fills its frame, a still clip, and a single frame', () => {
    const full = frames(W, 144, { x: 0, y: 0, w: W, h: 144 }, () => new Uint8Array(W * 144));
    expect(findMovingPicture(full)).toBeNull();
    const still = frames(W, H, pic, () => new Uint8Array(W * H), 3, 0);
    expect(findMovingPicture(still.map((f, k) => (k ? { ...f, data: still[0]!.data } : f)))).toBeNull();
    expect(findMovingPicture(full.slice(0, 1))).toBeNull();
  });

  it('answers null where only part of a fixed-camera picture moves (no edge to snap to)', () => {
    // A still textured street, with one moving patch in the middle.
    const street = scene(W, 144, 0, 0, 3);
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = street.slice();
      const patch = scene(60, 50, k * 8, 0, 5);
      for (let y = 0; y < 50; y++) d.set(patch.subarray(y * 60, (y + 1) * 60), (40 + y) * W + 100);
      return luma(W, 144, d);
    });
    expect(findMovingPicture(fr)).toBeNull();
  });
});

describe('findMovingPictures: a clip centred in a square frame whose top and bottom edges do not show', () => {
  it('offers the centred 16:9 and 4:3 rectangles that hold all that moves', () => {
    // A 4:3 clip (256x192 at y 32) in a 1:1 frame, on a background of its own flat colour: its
    // top and bottom rows do not move and show no edge; only a band in the middle moves.
    const W = 256;
    const bg = new Uint8Array(W * W).fill(90);
    const fr = Array.from({ length: 3 }, (_, k) => {
      const d = bg.slice();
      const p = scene(W, 100, k * 6, k * 2);
      for (let y = 0; y < 100; y++) d.set(p.subarray(y * W, (y + 1) * W), (78 + y) * W);
      return luma(W, W, d);
    });
    const rects = findMovingPictures(fr);
    expect(rects).toContainEqual({ x: 0, y: 32, width: 256, height: 192 });
    expect(rects).toContainEqual({ x: 0, y: 56, width: 256, height: 144 });
  });
});

describe('sourceRect and resizeArea', () => {
  it('maps a rectangle of the 256 px frame to the video\'s own pixels', () => {
    expect(sourceRect({ x: 12, y: 24, width: 152, height: 86 }, { width: 256, height: 144 }, { width: 1280, height: 720 })).toEqual({ x: 60, y: 120, width: 760, height: 430 });
  });
  it('averages the source pixels each output pixel covers', () => {
    const px = luma(4, 2, Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]));
    expect([...resizeArea(px, 2, 1).data]).toEqual([25, 45]); // (0+10+40+50)/4, (20+30+60+70)/4
  });
});

describe('the motion probe in the rule', () => {
  it('meets the originals, the crop ladder and the caption cuts, not the turns; never under strict', () => {
    const standard = matchRule('standard');
    expect(pairAllowed('motion', 0, 'original', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'crop:0.9', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'cut-top:0.125', standard)).toBe(true);
    expect(pairAllowed('motion', 0, 'rotate:3', standard)).toBe(false);
    expect(pairAllowed('motion', 0, 'original', matchRule('strict'))).toBe(false);
  });
});

describe('keyframeCover', () => {
  const h = (bits: number[]): Hash256 => {
    const x = new Uint16Array(16);
    for (const b of bits) x[b >> 4]! |= 1 << (b & 15);
    return x as Hash256;
  };
  // A drifting shot: frame i differs from frame 0 in its first 3i bits; then a cut.
  const drift = Array.from({ length: 10 }, (_, i) => ({ t: i / 5, hash: h(Array.from({ length: 3 * i }, (_, b) => b)), quality: 100 }));
  const cut = { t: 2, hash: h(Array.from({ length: 128 }, (_, b) => 2 * b)), quality: 100, scene: true };

  it('keeps the first frame, scene changes, and a frame whenever the picture drifted past the radius', () => {
    const kept = keyframeCover([...drift, cut], 12);
    // 0, then 15 bits (i=5) > 12 from frame 0, then i=10 would be next: only the cut.
    expect(kept.map((k) => k.t)).toEqual([0, 1, 2]);
    for (const f of drift) expect(Math.min(...kept.map((k) => hammingDistance(k.hash, f.hash)))).toBeLessThanOrEqual(12);
  });

  it('widens the radius until the frames fit the budget', () => {
    const { kept, radius } = boundedCover(drift, 2, 3);
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(radius).toBeGreaterThan(2);
  });
});

describe('videoVariants', () => {
  it('stores the crop ladder and the caption cuts of a keyframe', () => {
    const f = luma(256, 144, scene(256, 144, 0, 0));
    expect(videoVariants(f).map((v) => v.variant)).toEqual([
      'crop:0.9', 'crop:0.85', 'crop:0.8', 'crop:0.75', 'cut-top:0.125', 'cut-bottom:0.125', 'cut-top:0.18', 'cut-bottom:0.18', 'cut-top:0.25', 'cut-bottom:0.25', 'mid:0.18',
    ]);
  });

  // docs/feed-format.md: mid:B is the frame without its top and bottom B of the height.
  it('stores the middle band: the frame without its top and bottom 18%, cut by hand here', () => {
    const f = luma(256, 144, scene(256, 144, 0, 0));
    const cut = 26; // round(144 × 0.18)
    const band = luma(256, 144 - 2 * cut, new Uint8Array(f.data.subarray(cut * 256, (144 - cut) * 256)));
    const want = hashToHex(pdqHash(band).hash);
    expect(hashToHex(middleBand(f).hash)).toBe(want);
    expect(middleBand(f).variant).toBe('mid:0.18');
    expect(videoVariants(f).filter((v) => v.variant === 'mid:0.18').map((v) => hashToHex(v.hash))).toEqual([want]);
  });

  /** The frame with a caption band over its top `rows` (black at 80% over the picture, white text strokes), as the corpus's captionover edit lays it. */
  const captioned = (f: Pixels, rows: number, bottom = false): Pixels => {
    const d = new Uint8Array(f.data);
    for (let r = 0; r < rows; r++) {
      const y = bottom ? f.height - 1 - r : r;
      for (let x = 0; x < f.width; x++) {
        const i = y * f.width + x;
        d[i] = r > rows * 0.3 && r < rows * 0.7 && x > 30 && x < 226 && (x >> 2) % 3 !== 0 ? 255 : Math.round(d[i]! * 0.2);
      }
    }
    return { ...f, data: d };
  };

  it('meets the reader\'s middle band of a frame with a caption over its top or bottom 13% within the cover radius, where the whole frame does not', () => {
    for (const [seed, dx] of [[1, 0], [2, 7], [3, 19]] as const) {
      const f = luma(256, 144, scene(256, 144, dx, 3, seed));
      const stored = middleBand(f).hash;
      for (const bottom of [false, true]) {
        const probes = queryProbes(captioned(f, 19, bottom)); // 19 of 144 rows: 13%
        const mid = probes.find((p) => p.probe === 'mid:0.18')!;
        expect(hammingDistance(mid.hashes[0]!, stored), `seed ${seed}, ${bottom ? 'bottom' : 'top'}`).toBeLessThanOrEqual(EVIDENCE_RULE.sure);
        expect(pairAllowed('mid:0.18', 0, 'mid:0.18', matchRule('standard'))).toBe(true);
        // The whole frame under the caption is past the cover radius: without the band, one frame is not enough.
        expect(hammingDistance(probes.find((p) => p.probe === 'full')!.hashes[0]!, pdqHash(f).hash)).toBeGreaterThan(EVIDENCE_RULE.sure);
      }
    }
  });
});

describe('VideoEvidence', () => {
  it('accepts one frame within the reference distance at once', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 30, t: 4 }])).toEqual([3]);
  });
  it('accepts two consecutive frames near the same entry whose keyframes follow at the pace played', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 38, t: 4 }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 36, t: 5.2 }])).toEqual([3]);
  });
  it('refuses near frames out of the clip\'s order, too far apart in it, or broken by a frame near nothing', () => {
    const backwards = new VideoEvidence();
    backwards.add(0, [{ entry: 3, distance: 38, t: 9 }]);
    expect(backwards.add(1, [{ entry: 3, distance: 38, t: 4 }])).toEqual([]);
    const jump = new VideoEvidence();
    jump.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    expect(jump.add(1, [{ entry: 3, distance: 38, t: 8 }])).toEqual([]);
    const broken = new VideoEvidence();
    broken.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    broken.add(1, []);
    expect(broken.add(2, [{ entry: 3, distance: 38, t: 3 }])).toEqual([]);
    const other = new VideoEvidence();
    other.add(0, [{ entry: 3, distance: 38, t: 1 }]);
    expect(other.add(1, [{ entry: 4, distance: 38, t: 2 }])).toEqual([]);
  });
});

describe('VideoEvidence on a clip that looks alike throughout (a fixed camera)', () => {
  it('needs one frame within `sure`, or frames in the clip\'s order: one frame at the edge of the rule is not enough', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 30, t: 4, alike: true }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 29, t: 5, alike: true }])).toEqual([3]); // the next frame, in order
    const sure = new VideoEvidence();
    expect(sure.add(0, [{ entry: 3, distance: EVIDENCE_RULE.sure, t: 4, alike: true }])).toEqual([3]);
    // Measured: the fixed street camera 45 s later had a frame 18 bits from a keyframe.
    expect(new VideoEvidence().add(0, [{ entry: 3, distance: 18, t: 0.8, alike: true }])).toEqual([]);
    expect(new VideoEvidence().add(0, [{ entry: 3, distance: 18, t: 0.8, alike: false }])).toEqual([3]);
    // Another moment of the scene: near frames whose keyframes jump about in the clip.
    const later = new VideoEvidence();
    expect(later.add(0, [{ entry: 3, distance: 28, t: 5.4, alike: true }])).toEqual([]);
    expect(later.add(1, [{ entry: 3, distance: 30, t: 17.2, alike: true }])).toEqual([]);
    expect(later.add(2, [{ entry: 3, distance: 31, t: 1.8, alike: true }])).toEqual([]);
  });
  it('a keyframe standing for a still stretch (until the next one) is where the clip is for all of it', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 28, t: 4, until: 8, alike: true }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 29, t: 4, until: 8, alike: true }])).toEqual([3]);
    // The same keyframe standing for an instant only: the clip did not move through it.
    const instant = new VideoEvidence();
    instant.add(0, [{ entry: 3, distance: 28, t: 4, until: 4.2, alike: true }]);
    expect(instant.add(1, [{ entry: 3, distance: 29, t: 4, until: 4.2, alike: true }])).toEqual([]);
  });
  it('never chains hits without a keyframe time (a picture or a poster met by a frame)', () => {
    const ev = new VideoEvidence();
    expect(ev.add(0, [{ entry: 3, distance: 36, t: null }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 36, t: null }])).toEqual([]);
  });
  it('strict accepts nothing past 24 bits, alone or in sequence', () => {
    const ev = new VideoEvidence(evidenceRule('strict'));
    expect(ev.add(0, [{ entry: 3, distance: 26, t: 1 }])).toEqual([]);
    expect(ev.add(1, [{ entry: 3, distance: 26, t: 2 }])).toEqual([]);
    expect(ev.add(2, [{ entry: 3, distance: 24, t: 3 }])).toEqual([3]);
  });
});

describe('clipLooksAlike', () => {
  const h = (bits: number[]): Hash256 => {
    const out = new Uint16Array(16);
    for (const b of bits) out[b >> 4]! |= 1 << (b & 15);
    return out;
  };
  const ramp = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  it('is true when keyframes ALIKE_SECONDS apart are within the reference distance, or when none was kept for that long', () => {
    // A handheld pan: each kept frame 40 bits on from the last, never back.
    const pan = Array.from({ length: 20 }, (_, i) => ({ t: i * 0.5, hash: h(ramp(i * 12, 40)) }));
    expect(clipLooksAlike(pan, 10)).toBe(false);
    // A fixed camera: frames 6 s apart 20 bits from each other.
    const fixed = [{ t: 0, hash: h(ramp(0, 20)) }, { t: 3, hash: h(ramp(100, 40)) }, { t: 6, hash: h(ramp(10, 20)) }];
    expect(clipLooksAlike(fixed, 7)).toBe(true);
    // A static shot: one keyframe for 8 s.
    expect(clipLooksAlike([{ t: 0, hash: h([1, 2, 3]) }], 8)).toBe(true);
    expect(clipLooksAlike([{ t: 0, hash: h([1, 2, 3]) }], 3)).toBe(false);
    expect(ALIKE_SECONDS).toBe(5);
  });
});

describe('pictureMatchHolds: a picture (a video\'s poster) matched through the keyframes of a clip that looks alike throughout', () => {
  // Expected values from the documented rule (docs/matching.md, "Video"): past the publisher's cover
  // radius (12), a picture's match holds only through a picture of the entry or a keyframe of a
  // clip that changes; clipLooksAlike: keyframes 5 s apart within 31 bits.
  const h = (bits: number[]): Hash256 => {
    const out = new Uint16Array(16);
    for (const b of bits) out[b >> 4]! ^= 1 << (b & 15);
    return out;
  };
  const ramp = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const hx = (bits: number[]) => hashToHex(h(bits));
  // A fixed camera: keyframes at t = 0…7, each 20 bits from every other (10 bits of its own each).
  const fixedBits = (i: number) => [...ramp(0, 60), ...ramp(100 + 10 * i, 10)];
  const fixed = { hashes: [], durationSec: 8, frames: { items: Array.from({ length: 8 }, (_, i) => ({ t: i, value: hx(fixedBits(i)), quality: 90 })) } };
  // A pan: keyframes at t = 0…7, 80 bits apart; keyframe 3 with its crop:0.9 variant.
  const panBits = (i: number) => ramp(i * 30, 40);
  const pan = {
    hashes: [],
    durationSec: 8,
    frames: { items: Array.from({ length: 8 }, (_, i) => ({ t: i, value: hx(panBits(i)), quality: 90, ...(i === 3 ? { variants: [{ variant: 'crop:0.9', value: hx([...ramp(200, 40)]), quality: 90 }] } : {}) })) },
  };
  const far = h(ramp(0, 256));
  const probe = (q: Hash256, dihedral = 0, quality = 90) => [{ probe: 'full' as const, hashes: Array.from({ length: 8 }, (_, d) => (d === dihedral ? q : far)), quality }];
  const standard = matchRule('standard');
  // 18 bits from the fixed camera's keyframe at 6 s, 38 from the others (the street camera 45 s
  // later: 18 bits from the keyframe at 0.8 s).
  const later = h([...fixedBits(6), ...ramp(230, 18)]);

  it('the clip is one that looks alike, the pan one that changes (the premise of what follows)', () => {
    expect(clipLooksAlike(fixed.frames.items.map((f, i) => ({ t: f.t, hash: h(fixedBits(i)) })), 8)).toBe(true);
    expect(clipLooksAlike(pan.frames.items.map((f, i) => ({ t: f.t, hash: h(panBits(i)) })), 8)).toBe(false);
    expect(hammingDistance(later, h(fixedBits(6)))).toBe(18);
    expect(Math.min(...[0, 1, 2, 3, 4, 5, 7].map((i) => hammingDistance(later, h(fixedBits(i)))))).toBe(38);
  });

  it('holds past the radius as the clip\'s first frame: when its first keyframe is the nearest (a re-share\'s poster)', () => {
    // 28 bits from the first keyframe (a mirrored re-share's poster was), 48 from the others.
    const start = h([...fixedBits(0), ...ramp(220, 28)]);
    expect(pictureMatchHolds([fixed], probe(start), 28, standard)).toBe(true);
    // 23 bits from the first keyframe, but 17 from the one at 6 s: another moment, not the start.
    const other = h([...fixedBits(0), ...ramp(160, 10), ...ramp(100, 3), ...ramp(230, 10)]);
    expect(hammingDistance(other, h(fixedBits(0)))).toBe(23);
    expect(hammingDistance(other, h(fixedBits(6)))).toBe(17);
    expect(pictureMatchHolds([fixed], probe(other), 17, standard)).toBe(false);
    // The first keyframe is the earliest in time, whatever the order the feed lists them in.
    const shuffled = { ...fixed, frames: { items: [...fixed.frames.items].reverse() } };
    expect(pictureMatchHolds([shuffled], probe(start), 28, standard)).toBe(true);
    expect(pictureMatchHolds([shuffled], probe(later), 18, standard)).toBe(false);
    // Nothing of the clip within the accept distance: no hold at all.
    expect(pictureMatchHolds([fixed], probe(h(ramp(0, 256))), 33, standard)).toBe(false);
  });

  it('past the cover radius, a match through a fixed camera\'s keyframes does not hold; within it, it does', () => {
    expect(pictureMatchHolds([fixed], probe(later), 18, standard)).toBe(false);
    expect(pictureMatchHolds([fixed], probe(later), EVIDENCE_RULE.sure + 1, standard)).toBe(false);
    expect(pictureMatchHolds([fixed], probe(later), EVIDENCE_RULE.sure, standard)).toBe(true);
    expect(EVIDENCE_RULE.sure).toBe(12);
  });

  it('holds through a keyframe of a clip that changes, or through a picture of the entry', () => {
    const nearPan = h([...panBits(3), ...ramp(230, 18)]);
    expect(pictureMatchHolds([pan], probe(nearPan), 18, standard)).toBe(true);
    expect(pictureMatchHolds([fixed, pan], probe(nearPan), 18, standard)).toBe(true);
    expect(pictureMatchHolds([fixed, pan], probe(later), 18, standard)).toBe(false);
    // The desk's own poster image, stored as a picture of the entry: 3 bits from the query.
    const poster = { value: hashToHex(h([...fixedBits(6), ...ramp(230, 15)])), quality: 90, role: 'poster' };
    expect(pictureMatchHolds([{ ...fixed, hashes: [poster] }], probe(later), 18, standard)).toBe(true);
    // …but not one below the quality threshold (never stored in the index), nor one past the accept distance (31).
    expect(pictureMatchHolds([{ ...fixed, hashes: [{ ...poster, quality: 40 }] }], probe(later), 18, standard)).toBe(false);
    const poster28 = { value: hashToHex(h([...fixedBits(6), ...ramp(230, 18), ...ramp(0, 28)])), quality: 90 };
    const poster33 = { value: hashToHex(h([...fixedBits(6), ...ramp(230, 18), ...ramp(0, 33)])), quality: 90 };
    expect(pictureMatchHolds([{ ...fixed, hashes: [poster28] }], probe(later), 18, standard)).toBe(true);
    expect(pictureMatchHolds([{ ...fixed, hashes: [poster33] }], probe(later), 18, standard)).toBe(false);
    // Strict compares nothing past 24 bits.
    expect(pictureMatchHolds([{ ...fixed, hashes: [poster28] }], probe(later), 18, matchRule('strict'))).toBe(false);
  });

  it('counts only pairs the rule allows, probes and keyframes of quality, and a variant named as the image', () => {
    const nearCrop = h([...ramp(200, 40), ...ramp(0, 16)]);
    expect(pictureMatchHolds([pan], probe(nearCrop), 16, standard)).toBe(true); // full/0 meets crop:0.9
    expect(pictureMatchHolds([pan], probe(nearCrop, 1), 16, standard)).toBe(false); // a mirror does not meet a crop
    expect(pictureMatchHolds([pan], probe(nearCrop), 16, matchRule('strict'))).toBe(false); // strict: no variants
    const nearPan = h([...panBits(3), ...ramp(230, 18)]);
    expect(pictureMatchHolds([pan], probe(nearPan, 0, 40), 18, standard)).toBe(false); // a flat probe
    const lowKey = { ...pan, frames: { items: pan.frames.items.map((f) => ({ ...f, quality: f.t === 3 ? 40 : 90 })) } };
    expect(pictureMatchHolds([lowKey], probe(nearPan), 18, standard)).toBe(false);
    // A picture's crop variant meets the full probe; an unnamed variant counts as the image itself.
    const cropPic = { value: hashToHex(nearCrop), quality: 90, role: 'variant', variant: 'crop:0.8' };
    expect(pictureMatchHolds([{ ...fixed, hashes: [cropPic] }], probe(later), 18, standard)).toBe(false); // 92 bits from `later`
    expect(pictureMatchHolds([{ ...fixed, hashes: [{ ...cropPic, value: hashToHex(later) }] }], probe(later), 18, standard)).toBe(true);
    expect(pictureMatchHolds([{ ...fixed, hashes: [{ ...cropPic, value: hashToHex(later) }] }], probe(later, 1), 18, standard)).toBe(false);
    expect(pictureMatchHolds([{ ...fixed, hashes: [{ value: hashToHex(later), quality: 90, role: 'variant' }] }], probe(later, 1), 18, standard)).toBe(true);
  });
});

describe('captionBarPictures: what the reader\'s finder cuts under a plain caption bar', () => {
  // A 256x144 frame: a textured scene under `sky` rows of near-white sky (a bright sky under a white
  // bar is peeled with it: measured on the corpus's aerial shot, 26 rows of 192).
  const frame = (sky: number): Pixels => {
    const px = scene(256, 144, 0, 0, 3);
    for (let i = 0; i < 256 * sky; i++) px[i] = 250 + (i % 3); // 250–252: within the finder's colour tolerance of white
    return luma(256, 144, px);
  };

  it('stores the frame below its sky as `picture` when a white bar above would be peeled with the sky', () => {
    const px = frame(20);
    const out = captionBarPictures(px);
    expect(out.map((v) => v.variant)).toEqual(['picture']); // white above only: black bars and a bar below stop at the frame's edge
    // By construction the picture is the frame without its 20 sky rows.
    const expected = pdqHash(crop(px, { x: 0, y: 20, width: 256, height: 124 })).hash;
    expect(hammingDistance(out[0]!.hash, expected)).toBeLessThanOrEqual(4);
    expect(hammingDistance(out[0]!.hash, pdqHash(px).hash)).toBeGreaterThan(31); // not the frame itself
  });

  it('stores nothing where the finder stops at the bar\'s edge (every frame of a textured clip)', () => {
    expect(captionBarPictures(frame(0))).toEqual([]);
    expect(CAPTION_BAR_SHARE).toBe(0.2);
  });
});
