/**
 * Video → keyframe hashes for the publisher tool, with Debian's ffmpeg: the first frame, every scene
 * change, and at least one frame a second, scaled to 512 px wide; each frame hashed with the same
 * PDQ as the extension; frames within a few bits of the last kept one dropped (a static shot
 * gives one hash, not sixty). The extension matches a video's poster and the frames it sees
 * against these.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hammingDistance, hashToHex, type Hash256 } from '../core/hash256';
import { LIMITS } from '../core/feed';
import { pdqHash } from '../core/pdq';
import { runBounded, tempFolder } from './child';
import { decodeFile } from './decode';
import { openRegularFile } from './files';

export const SCENE_THRESHOLD = 0.3;
/** A frame this close to the previous kept frame adds nothing. */
export const NEAR_DUPLICATE_BITS = 8;

export interface Keyframe {
  t: number;
  value: string;
  quality: number;
}

/** ffmpeg's default time limit per video (a 10-hour video still ends within it: frames are capped). */
export const FFMPEG_TIMEOUT_MS = 10 * 60_000;

export async function videoKeyframes(file: string, opts: { timeoutMs?: number } = {}): Promise<{ frames: Keyframe[]; durationSec: number | null }> {
  // A FIFO or a device would keep ffmpeg waiting forever: regular files only.
  await (await openRegularFile(file, Number.MAX_SAFE_INTEGER)).handle.close();
  const { dir, release } = tempFolder('ad-frames-');
  try {
    const select = `select='eq(n\\,0)+gt(scene\\,${SCENE_THRESHOLD})+gte(t-prev_selected_t\\,1)',showinfo,scale=512:-2`;
    const log = await runBounded('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-vf', select, '-fps_mode', 'vfr', '-frames:v', String(LIMITS.maxFramesPerMedia * 4), path.join(dir, '%05d.png')], {
      timeoutMs: opts.timeoutMs ?? FFMPEG_TIMEOUT_MS,
      maxOutputBytes: 4 << 20,
      missing: 'ffmpeg is not installed (apt-get install ffmpeg)',
    });
    const times = [...log.matchAll(/pts_time:\s*([0-9.]+)/g)].map((m) => Number(m[1]));
    const duration = /Duration: (\d+):(\d+):([0-9.]+)/.exec(log);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    const frames: Keyframe[] = [];
    let last: Hash256 | null = null;
    for (const [i, f] of files.entries()) {
      const { hash, quality } = pdqHash(await decodeFile(path.join(dir, f)));
      if (last && hammingDistance(hash, last) <= NEAR_DUPLICATE_BITS) continue;
      last = hash;
      frames.push({ t: Math.round((times[i] ?? i) * 100) / 100, value: hashToHex(hash), quality });
      if (frames.length >= LIMITS.maxFramesPerMedia) break;
    }
    if (!frames.length) throw new Error('no frames could be read');
    return { frames, durationSec: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : null };
  } finally {
    release();
  }
}
