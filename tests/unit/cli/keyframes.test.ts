// Video → keyframe hashes with Debian's ffmpeg, and a feed entry built from a video.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import sharp from 'sharp';
import { COVER_BITS, FRAMES_PER_MINUTE, VARIANT_COVER_BITS, VARIANT_FRAMES_PER_MINUTE, videoKeyframes } from '../../../src/cli/keyframes';
import { videoFrameSize } from '../../../src/core/match';
import { pdqHash } from '../../../src/core/pdq';
import { LIMITS, PAYLOAD_TYPES, openEnvelope, parseSnapshot, publicKeyFromBase64 } from '../../../src/core/feed';
import { hammingDistance, hashFromHex } from '../../../src/core/hash256';

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasFfmpeg) {
  console.error('!! keyframe tests SKIPPED: ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)');
  if (process.env.CI) throw new Error('ffmpeg missing under CI');
}

/** A keyframe with the re-share variants of the variant cover (every keyframe carries its middle band besides: mid:0.18). */
const ladder = (f: { variants?: { variant: string }[] }) => (f.variants ?? []).some((v) => v.variant.startsWith('crop:'));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-video-'));
  if (!hasFfmpeg) return;
  const ff = (...a: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...a]);
  // Two shots: a moving test pattern, then a cut to a different pattern; then a static flat clip.
  ff('-f', 'lavfi', '-i', 'testsrc=duration=3:size=480x270:rate=12', path.join(dir, 'a.mp4'));
  ff('-f', 'lavfi', '-i', 'mandelbrot=size=480x270:rate=12', '-t', '2', path.join(dir, 'b.mp4'));
  fs.writeFileSync(path.join(dir, 'list.txt'), `file '${path.join(dir, 'a.mp4')}'\nfile '${path.join(dir, 'b.mp4')}'\n`);
  ff('-f', 'concat', '-safe', '0', '-i', path.join(dir, 'list.txt'), '-c', 'copy', path.join(dir, 'clip.mp4'));
  ff('-f', 'lavfi', '-i', 'color=c=gray:size=320x240:rate=10', '-t', '2', path.join(dir, 'flat.mp4'));
}, 120_000); // ffmpeg on a busy machine
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasFfmpeg)('video keyframes', () => {
  it('keeps the first frame, the cut, and enough frames that every frame of the clip is within a few bits of one kept before it', async () => {
    const { frames, durationSec } = await videoKeyframes(path.join(dir, 'clip.mp4'));
    expect(durationSec).toBeGreaterThan(4.5);
    expect(frames[0]!.t).toBe(0);
    expect(frames.some((f) => f.t >= 3 && f.t < 3.3)).toBe(true); // the second shot, from its cut
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.t).toBeGreaterThan(frames[i - 1]!.t);
    // Independently: every frame ffmpeg extracts at 5 fps, scaled to the extension's frame size and
    // decoded by sharp, is within COVER_BITS (+ a few bits of scaler difference) of a keyframe at or before it.
    const { width, height } = videoFrameSize(480, 270);
    const out = path.join(dir, 'all');
    fs.mkdirSync(out, { recursive: true });
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(dir, 'clip.mp4'), '-vf', `fps=5,scale=${width}:${height}`, path.join(out, '%03d.png')]);
    const pngs = fs.readdirSync(out).sort();
    expect(pngs.length).toBeGreaterThanOrEqual(24);
    for (const [i, f] of pngs.entries()) {
      const { data, info } = await sharp(path.join(out, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const { hash } = pdqHash({ data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 });
      // ffmpeg's fps filter keeps the last frame of each 0.2 s slot: frame i is from [i/5, (i+1)/5).
      const before = frames.filter((k) => k.t < (i + 1) / 5);
      const nearest = Math.min(...before.map((k) => hammingDistance(hash, hashFromHex(k.value))));
      expect(nearest, `frame ${i}`).toBeLessThanOrEqual(COVER_BITS + 6);
    }
  });

  it('stores the crop ladder and caption cuts with the first frame, the cut, and whenever the picture drifted past VARIANT_COVER_BITS', async () => {
    const { frames } = await videoKeyframes(path.join(dir, 'clip.mp4'));
    const withVariants = frames.filter(ladder);
    expect(withVariants[0]!.t).toBe(0);
    expect(withVariants.some((f) => f.t >= 3 && f.t < 3.3)).toBe(true); // the cut
    expect(withVariants[0]!.variants!.map((v) => v.variant)).toContain('crop:0.9');
    expect(withVariants[0]!.variants!.map((v) => v.variant)).toContain('cut-top:0.125');
    // Independently: where the budget does not bind (testsrc drifts fast: 5 s would get 5 at the
    // default), the frames the tool samples (the first, then the first at least 0.2 s after the last
    // taken), written by ffmpeg at the frame size and decoded by sharp, are each within
    // VARIANT_COVER_BITS (+ a few bits of scaler difference) of a frame with variants at or before it…
    const covered = (await videoKeyframes(path.join(dir, 'clip.mp4'), { variantFramesPerMinute: 3000 })).frames.filter(ladder);
    expect(covered.length).toBeGreaterThan(withVariants.length);
    const { width, height } = videoFrameSize(480, 270);
    const out = path.join(dir, 'cover');
    fs.mkdirSync(out, { recursive: true });
    const log = spawnSync('ffmpeg', ['-hide_banner', '-y', '-i', path.join(dir, 'clip.mp4'), '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,0.195)',showinfo,scale=${width}:${height}`, '-fps_mode', 'passthrough', path.join(out, '%03d.png')], { encoding: 'utf8' }).stderr;
    const times = [...log.matchAll(/pts_time:\s*([0-9.]+)/g)].map((m) => Number(m[1]));
    const pngs = fs.readdirSync(out).sort();
    expect(pngs.length).toBe(times.length);
    expect(pngs.length).toBeGreaterThanOrEqual(18);
    for (const [i, f] of pngs.entries()) {
      const { data, info } = await sharp(path.join(out, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const { hash } = pdqHash({ data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 });
      const before = covered.filter((k) => k.t <= times[i]! + 0.01);
      expect(Math.min(...before.map((k) => hammingDistance(hash, hashFromHex(k.value)))), `frame ${i} at ${times[i]} s`).toBeLessThanOrEqual(VARIANT_COVER_BITS + 6);
    }
    // …and the first frame's crop:0.9 is the centre 90% of ffmpeg's first frame, cut by sharp.
    const w9 = Math.round(width * 0.9);
    const h9 = Math.round(height * 0.9);
    const first = await sharp(path.join(out, pngs[0]!)).extract({ left: Math.round((width - w9) / 2), top: Math.round((height - h9) / 2), width: w9, height: h9 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const crop9 = pdqHash({ data: new Uint8Array(first.data), width: first.info.width, height: first.info.height, channels: 3 }).hash;
    expect(hammingDistance(crop9, hashFromHex(withVariants[0]!.variants!.find((v) => v.variant === 'crop:0.9')!.value))).toBeLessThanOrEqual(8);
    const plain = await videoKeyframes(path.join(dir, 'clip.mp4'), { variants: false });
    expect(plain.frames.some((f) => f.variants)).toBe(false);
  });

  it('stores the middle band (mid:0.18) with every keyframe, as ffmpeg\'s own frame without its top and bottom 18%', async () => {
    // docs/feed-format.md: mid:B is the picture without its top and bottom B of the height; a
    // caption laid over a clip's top or bottom (up to 18%) leaves it as it was, on every keyframe.
    const { frames } = await videoKeyframes(path.join(dir, 'clip.mp4'));
    expect(frames.filter((f) => !ladder(f)).length).toBeGreaterThan(0); // keyframes without the other variants…
    for (const f of frames) expect(f.variants?.filter((v) => v.variant === 'mid:0.18'), `keyframe at ${f.t} s`).toHaveLength(1); // …carry it too
    for (const f of frames.filter((k) => !ladder(k))) expect(f.variants!.map((v) => v.variant)).toEqual(['mid:0.18']);
    // The first frame's band: ffmpeg's first frame at the frame size, rows 18%..82% cut by sharp.
    const { width, height } = videoFrameSize(480, 270);
    const png = path.join(dir, 'first.png');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(dir, 'clip.mp4'), '-vf', `scale=${width}:${height}`, '-frames:v', '1', png]);
    const cut = Math.round(height * 0.18);
    const band = await sharp(png).extract({ left: 0, top: cut, width, height: height - 2 * cut }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const mid = pdqHash({ data: new Uint8Array(band.data), width: band.info.width, height: band.info.height, channels: 3 }).hash;
    expect(hammingDistance(mid, hashFromHex(frames[0]!.variants!.find((v) => v.variant === 'mid:0.18')!.value))).toBeLessThanOrEqual(8);
    // …and not the whole frame's hash under another name.
    expect(hammingDistance(mid, hashFromHex(frames[0]!.value))).toBeGreaterThan(8);
    const plain = await videoKeyframes(path.join(dir, 'clip.mp4'), { variants: false });
    expect(plain.frames.some((f) => f.variants)).toBe(false);
  });

  it('bounds the frames with variants to VARIANT_FRAMES_PER_MINUTE of the clip\'s length, the first frame first', async () => {
    // 5 s at 12 a minute: one frame with variants, the first.
    const few = await videoKeyframes(path.join(dir, 'clip.mp4'), { variantFramesPerMinute: 12 });
    expect(few.frames.filter(ladder).map((f) => f.t)).toEqual([0]);
    expect(few.frames.some((f) => f.t >= 3 && f.t < 3.3)).toBe(true); // the cut is still a keyframe
    // 24 a minute: 2, the first among them (the default keeps more).
    const two = await videoKeyframes(path.join(dir, 'clip.mp4'), { variantFramesPerMinute: 24 });
    const ts = two.frames.filter(ladder).map((f) => f.t);
    expect(ts).toHaveLength(2);
    expect(ts[0]).toBe(0);
    const all = await videoKeyframes(path.join(dir, 'clip.mp4'));
    expect(all.frames.filter(ladder).length).toBeGreaterThan(2);
    expect(VARIANT_FRAMES_PER_MINUTE).toBeLessThanOrEqual(FRAMES_PER_MINUTE); // frames with variants are keyframes: within their budget
  });

  it('keeps a clip whose every frame differs within FRAMES_PER_MINUTE (a 3-minute clip within the feed limits)', async () => {
    // A moving noise pattern: the worst case for the cover. 75 s (the budget rounds up per minute).
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'cellauto=size=160x90:rate=5:rule=110', '-t', '75', '-pix_fmt', 'yuv420p', path.join(dir, 'long.mp4')]);
    const { frames, durationSec } = await videoKeyframes(path.join(dir, 'long.mp4'), { variants: false });
    expect(durationSec).toBeGreaterThan(74);
    expect(frames.length).toBeGreaterThan(FRAMES_PER_MINUTE); // the budget binds…
    expect(frames.length).toBeLessThanOrEqual(Math.ceil((FRAMES_PER_MINUTE * 75) / 60)); // …and holds
    expect(3 * FRAMES_PER_MINUTE).toBeLessThanOrEqual(LIMITS.maxFramesPerMedia);
    // With variants: at most VARIANT_FRAMES_PER_MINUTE a minute of the clip carry them, each within the format's limit.
    const withV = await videoKeyframes(path.join(dir, 'long.mp4'));
    const carrying = withV.frames.filter(ladder);
    expect(carrying.length).toBeGreaterThan(VARIANT_FRAMES_PER_MINUTE); // the budget binds (a noise pattern drifts all the time)…
    expect(carrying.length).toBeLessThanOrEqual(Math.ceil((VARIANT_FRAMES_PER_MINUTE * 75) / 60)); // …and holds
    expect(withV.frames.length).toBeLessThanOrEqual(Math.ceil((FRAMES_PER_MINUTE * 75) / 60));
    for (const f of withV.frames) expect(f.variants?.length ?? 0).toBeLessThanOrEqual(LIMITS.maxVariantsPerFrame);
  });

  it('builds a feed entry from a video file, and refuses a flat one', async () => {
    const keys = path.join(dir, 'keys');
    await main(['keygen', '--out', keys], { out: () => {}, err: () => {} });
    const review = (file: string) => ({
      '@type': 'ClaimReview',
      id: file.replace('.', '-'),
      url: `https://checks.example.org/${file}`,
      datePublished: '2024-01-01',
      author: { name: 'Checks' },
      reviewRating: { alternateName: 'False' },
      claimReviewed: 'This clip shows today’s events',
      media: [file],
    });
    const input = path.join(dir, 'reviews.json');
    fs.writeFileSync(input, JSON.stringify({ feed: { id: 'https://checks.example.org/feed', name: { en: 'Checks' }, publisher: { name: 'Checks' } }, reviews: [review('clip.mp4'), review('flat.mp4')] }));
    const err: string[] = [];
    const code = await main(['build', '--input', input, '--key', path.join(keys, 'feed-key.secret'), '--out', path.join(dir, 'out'), '--skip-invalid'], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(0);
    expect(err.some((l) => /^record 1: media\[0\]: flat\.mp4: no frame of PDQ quality/.test(l))).toBe(true);
    const pub = publicKeyFromBase64(fs.readFileSync(path.join(keys, 'feed-key.pub'), 'utf8'));
    const snap = parseSnapshot(openEnvelope(fs.readFileSync(path.join(dir, 'out/snapshots/1.json')), [pub], PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes).payload);
    expect(snap.entries).toHaveLength(1);
    const media = snap.entries[0]!.media[0]!;
    expect(media.type).toBe('video');
    expect(media.frames!.items.length).toBeGreaterThanOrEqual(3);
  });
});
