/**
 * Video → keyframe hashes for the publisher tool, with Debian's ffmpeg: the first frame, every scene
 * change, and at least one frame a second, scaled to 512 px wide; each frame hashed with the same
 * PDQ as the extension; frames within a few bits of the last kept one dropped (a static shot
 * gives one hash, not sixty). The extension matches a video's poster and the frames it sees
 * against these.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hammingDistance, hashToHex, type Hash256 } from '../core/hash256';
import { LIMITS } from '../core/feed';
import { pdqHash } from '../core/pdq';
import { decodeFile } from './decode';

export const SCENE_THRESHOLD = 0.3;
/** A frame this close to the previous kept frame adds nothing. */
export const NEAR_DUPLICATE_BITS = 8;

export interface Keyframe {
  t: number;
  value: string;
  quality: number;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'ENOENT' ? 'ffmpeg is not installed (apt-get install ffmpeg)' : e.message)),
    );
    p.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg failed: ${err.trim().split('\n').slice(-2).join(' ')}`))));
  });
}

export async function videoKeyframes(file: string): Promise<{ frames: Keyframe[]; durationSec: number | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-frames-'));
  try {
    const select = `select='eq(n\\,0)+gt(scene\\,${SCENE_THRESHOLD})+gte(t-prev_selected_t\\,1)',showinfo,scale=512:-2`;
    const log = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-vf', select, '-fps_mode', 'vfr', '-frames:v', String(LIMITS.maxFramesPerMedia * 4), path.join(dir, '%05d.png')]);
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
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
