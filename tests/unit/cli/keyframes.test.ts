// Video → keyframe hashes with Debian's ffmpeg, and a feed entry built from a video.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { NEAR_DUPLICATE_BITS, videoKeyframes } from '../../../src/cli/keyframes';
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
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasFfmpeg)('video keyframes', () => {
  it('takes the first frame, scene changes and about one a second, without near-duplicates', async () => {
    const { frames, durationSec } = await videoKeyframes(path.join(dir, 'clip.mp4'));
    expect(durationSec).toBeGreaterThan(4.5);
    expect(frames[0]!.t).toBe(0);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(8);
    expect(frames.some((f) => f.t >= 3)).toBe(true); // the second shot is there
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i]!.t).toBeGreaterThan(frames[i - 1]!.t);
      expect(hammingDistance(hashFromHex(frames[i]!.value), hashFromHex(frames[i - 1]!.value))).toBeGreaterThan(NEAR_DUPLICATE_BITS);
    }
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
