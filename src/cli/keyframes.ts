/**
 * Video → keyframe hashes for the publisher tool, with Debian's ffmpeg (docs/matching.md, "Video").
 *
 * The clip is sampled SAMPLE_FPS times a second, every frame decoded at the clip's own size (up to
 * VIDEO_DECODE_SIDE) and scaled by the canonical scaler the extension's sampler uses too
 * (src/core/match/video.ts videoFramePixels: the same arithmetic on both sides, not ffmpeg's scaler). Kept: the
 * first frame, every scene change (a jump of more than SCENE_BITS between samples), and a frame
 * whenever the picture has drifted more than COVER_BITS from the last kept one — so every frame of
 * the clip is within a few bits of a kept one wherever the reader's playback starts (a static shot
 * gives one hash, a handheld pan several a second). At most FRAMES_PER_MINUTE a minute: the radius
 * grows until the clip fits.
 *
 * Re-share variants (the crop ladder and caption cuts, as for images, and the picture a reader's
 * finder cuts under a plain caption bar where it is not the whole frame: captionBarPictures) are
 * stored with a cover of
 * their own: the first frame, each scene change, and a frame whenever the picture has drifted more
 * than VARIANT_COVER_BITS from the last frame with variants — so a crop or a caption cut of every
 * frame has one near it, as the frame has its keyframe — at most VARIANT_FRAMES_PER_MINUTE a
 * minute (the radius grows until they fit). Every keyframe, with variants or not, carries its
 * middle band (mid:0.18, middleBand: a caption laid over the clip's top or bottom leaves it as it
 * was). Bytes: docs/matching.md, "Video".
 */
import { hammingDistance, hashToHex, type Hash256 } from '../core/hash256';
import { LIMITS } from '../core/feed';
import { captionBarPictures, middleBand, videoDecodeSize, videoFramePixels, boundedCover, videoVariants, type SampledFrame, type VariantHash } from '../core/match';
import { pdqHash, type Pixels } from '../core/pdq';
import { spawnBounded, tempFolder } from './child';
import { openRegularFile } from './files';

/** ffmpeg's default time limit per video (a 10-hour video still ends within it: frames are capped). */
export const FFMPEG_TIMEOUT_MS = 10 * 60_000;

/** Each ffmpeg/ffprobe runs in its own process group, killed with its descendants past its time limit or when the CLI is stopped (./child.ts). */
const bounded = spawnBounded;

export const SAMPLE_FPS = 5;
/** Consecutive samples further apart than this are a scene change. */
export const SCENE_BITS = 64;
/** A kept frame stands for the frames within this many bits after it. */
export const COVER_BITS = 12;
/** At most this many keyframes a minute (the cover radius grows until a clip fits). */
export const FRAMES_PER_MINUTE = 120;
/** A frame with variants stands for the frames within this many bits after it (their crops and cuts). */
export const VARIANT_COVER_BITS = 16;
/** At most this many frames a minute carry variants (the variant cover's radius grows until they fit). */
export const VARIANT_FRAMES_PER_MINUTE = 60;

export interface Keyframe {
  t: number;
  value: string;
  quality: number;
  variants?: { variant: string; value: string; quality: number }[];
}

export function probeSize(file: string, timeoutMs = FFMPEG_TIMEOUT_MS): Promise<{ width: number; height: number; durationSec: number | null }> {
  return new Promise((resolve, reject) => {
    const p = bounded('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', file], timeoutMs);
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'ENOENT' ? 'ffmpeg is not installed (apt-get install ffmpeg)' : e.message)));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffprobe failed: ${err.trim().split('\n').slice(-1).join(' ') || 'not a video'}`));
      try {
        const j = JSON.parse(out) as { streams?: { width?: number; height?: number }[]; format?: { duration?: string } };
        const s = j.streams?.[0];
        if (!s?.width || !s.height) return reject(new Error('no video stream'));
        const d = Number(j.format?.duration);
        resolve({ width: s.width, height: s.height, durationSec: Number.isFinite(d) && d > 0 ? d : null });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

/**
 * Every sample of the clip (SAMPLE_FPS a second, at most `max`), decoded to RGB at `size`, passed
 * to `onFrame` in time order with its time in seconds.
 */
export function sampleFrames(
  file: string,
  size: { width: number; height: number },
  fps: number,
  max: number,
  onFrame: (t: number, px: Pixels) => void,
  timeoutMs = FFMPEG_TIMEOUT_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // The first frame (X's poster), then the first frame at least 1/fps after the last one taken:
    // the fps filter would keep the last frame of each slot (the frame at 0.16 s for "0 s" at 5 fps,
    // 12–34 bits from the first on a pan). At its own size ffmpeg's scale filter passes the frame
    // through; above VIDEO_DECODE_SIDE it averages areas.
    const step = (1 / fps - 0.005).toFixed(3);
    const vf = `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${step})',showinfo,scale=${size.width}:${size.height}:flags=area`;
    const p = bounded('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-vf', vf, '-fps_mode', 'passthrough', '-frames:v', String(max), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], timeoutMs);
    const frameBytes = size.width * size.height * 3;
    let buf: Buffer = Buffer.alloc(0);
    let err = '';
    let tail = '';
    const times: number[] = [];
    let n = 0;
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const end = err.lastIndexOf('\n');
      if (end < 0) return;
      // Complete lines only (a chunk may end inside a number); keep the unfinished line.
      for (const m of err.slice(0, end).matchAll(/pts_time:\s*([0-9.]+)/g)) times.push(Number(m[1]));
      tail = err.slice(0, end).split('\n').slice(-2).join(' ');
      err = err.slice(end + 1);
      flush(false);
    });
    // A frame is passed on once its time is known (showinfo's line on stderr may come after the
    // frame's bytes on stdout; the frames are not evenly spaced, so a time cannot be guessed).
    const pending: Uint8Array[] = [];
    let lastT = -1 / fps;
    const flush = (final: boolean) => {
      while (pending.length && (times[n] !== undefined || final)) {
        const t = times[n] ?? lastT + 1 / fps;
        lastT = t;
        onFrame(t, { width: size.width, height: size.height, channels: 3, data: pending.shift()! });
        n++;
      }
    };
    p.stdout.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= frameBytes) {
        pending.push(new Uint8Array(buf.subarray(0, frameBytes)));
        buf = buf.subarray(frameBytes);
      }
      flush(false);
    });
    p.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'ENOENT' ? 'ffmpeg is not installed (apt-get install ffmpeg)' : e.message)));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg failed: ${`${tail} ${err}`.trim()}`));
      for (const m of err.matchAll(/pts_time:\s*([0-9.]+)/g)) times.push(Number(m[1])); // an unfinished last line
      flush(true);
      resolve();
    });
  });
}

export interface KeyframeOptions {
  /** Store the crop ladder and caption cuts of some keyframes (default true; --plain: false). */
  variants?: boolean;
  /** Time limit for each ffmpeg run (default FFMPEG_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The variant cover's radius, bits (default VARIANT_COVER_BITS). */
  variantCoverBits?: number;
  /** Frames with variants a minute, at most (default VARIANT_FRAMES_PER_MINUTE). */
  variantFramesPerMinute?: number;
}

export async function videoKeyframes(file: string, opts: KeyframeOptions = {}): Promise<{ frames: Keyframe[]; durationSec: number | null }> {
  // A FIFO or a device would keep ffmpeg waiting forever: regular files only.
  await (await openRegularFile(file, Number.MAX_SAFE_INTEGER)).handle.close();
  const timeoutMs = opts.timeoutMs ?? FFMPEG_TIMEOUT_MS;
  // Frames stream over a pipe; the work folder (empty) marks the run for the CLI's clean-up and tests.
  const { release } = tempFolder('ad-frames-');
  try {
    return await keyframesOf(file, opts, timeoutMs);
  } finally {
    release();
  }
}

async function keyframesOf(file: string, opts: KeyframeOptions, timeoutMs: number): Promise<{ frames: Keyframe[]; durationSec: number | null }> {
  const { width, height, durationSec } = await probeSize(file, timeoutMs);
  const size = videoDecodeSize(width, height);
  const withVariants = opts.variants ?? true;
  const variantRadius = opts.variantCoverBits ?? VARIANT_COVER_BITS;
  const samples: (SampledFrame & { variants?: VariantHash[]; mid?: VariantHash })[] = [];
  let prev: Hash256 | null = null;
  let lastVariants: Hash256 | null = null;
  await sampleFrames(file, size, SAMPLE_FPS, LIMITS.maxFramesPerMedia * 10, (t, decoded) => {
    const px = videoFramePixels(decoded);
    const { hash, quality } = pdqHash(px);
    const scene = prev !== null && hammingDistance(hash, prev) > SCENE_BITS;
    prev = hash;
    const s: SampledFrame & { variants?: VariantHash[]; mid?: VariantHash } = { t: Math.round(t * 100) / 100, hash, quality, scene };
    // Every keyframe carries its middle band (a caption laid over the clip's top or bottom leaves
    // it as it was); which samples are kept is known only at the end.
    if (withVariants) s.mid = middleBand(px);
    // The variant cover, greedy in time order (as keyframeCover): the pixels are not kept, so the
    // variants are made as the frame goes by.
    if (withVariants && (lastVariants === null || scene || hammingDistance(hash, lastVariants) > variantRadius)) {
      s.variants = [...videoVariants(px), ...captionBarPictures(px)].filter((v) => v.quality >= 50);
      lastVariants = hash;
    }
    samples.push(s);
  }, timeoutMs);
  if (!samples.length) throw new Error('no frames could be read');
  const minutes = Math.max(1, (durationSec ?? samples.length / SAMPLE_FPS) / 60);
  const budget = Math.min(LIMITS.maxFramesPerMedia, Math.ceil(FRAMES_PER_MINUTE * minutes));
  // Too many frames with variants: a wider cover of them (the first and scene changes stay).
  const withV = samples.filter((s) => s.variants);
  // By the clip's own length (not rounded up to a minute, as the keyframes' budget is).
  const seconds = durationSec ?? samples.length / SAMPLE_FPS;
  const variantBudget = Math.min(budget, Math.max(1, Math.ceil(((opts.variantFramesPerMinute ?? VARIANT_FRAMES_PER_MINUTE) * seconds) / 60)));
  const keepV = new Set(boundedCover(withV, variantRadius, variantBudget).kept);
  for (const s of withV) if (!keepV.has(s)) delete s.variants;
  // A sample with variants is always kept (its variants need its time), within the budget.
  const { kept } = boundedCover(
    samples.map((s) => (s.variants?.length ? { ...s, scene: true } : s)),
    COVER_BITS,
    budget,
  );
  const frames = kept.map((k) => {
    const s = k as SampledFrame & { variants?: VariantHash[]; mid?: VariantHash };
    const f: Keyframe = { t: s.t, value: hashToHex(s.hash), quality: s.quality };
    // A keyframe without the other variants still has its middle band (videoVariants has it too).
    const variants = s.variants ?? (s.mid && s.mid.quality >= 50 ? [s.mid] : []);
    if (variants.length) f.variants = variants.map((v) => ({ variant: v.variant, value: hashToHex(v.hash), quality: v.quality }));
    return f;
  });
  return { frames, durationSec };
}
