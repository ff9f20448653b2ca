/**
 * Frames of a video the reader plays, matched against the feeds' keyframe hashes.
 *
 * Only while the reader plays it (X autoplays muted in view; we never start playback), about once a
 * second, until a frame matches or the video pauses. X's videos are MediaSource `blob:` streams,
 * which a content script may draw; a cross-origin file without CORS taints the canvas, and then we
 * stop trying and rely on the poster. Hashing happens here (PDQ from the core, a few ms on a
 * 256 px frame); only the hashes go to the background, never the pixels. A frame is hashed as the
 * background hashes pictures (src/core/match queryProbes): a letterboxed clip or a screen recording
 * inside a player's frame is also hashed without its bars and chrome.
 */
import { probeToHex, queryProbes, type ProbeHex } from '../core/match';
import type { ContentScriptContext } from './context';

export interface FrameHashes {
  /** The 8 dihedral hashes of the whole frame. */
  hashes: Uint16Array[];
  quality: number;
  /** Its other views (the picture inside bars or a player, caption cuts, the centre), hex. */
  probes: ProbeHex[];
  t: number;
}

const SAMPLE_EVERY_MS = 1000;
const FRAME_MAX_SIDE = 256;

/**
 * Watches one <video>. `onFrame` returns true when the frame matched (sampling then stops for
 * good). Returns a function that stops watching. The content script's context owns the listeners:
 * when the extension goes away, sampling stops (`now` is the clock, injected by tests).
 */
export function watchVideo(
  video: HTMLVideoElement,
  onFrame: (f: FrameHashes) => Promise<boolean>,
  lifetime: ContentScriptContext,
  now: () => number = () => performance.now(),
): () => void {
  let last = -Infinity;
  let busy = false;
  let done = false;
  let canvas: OffscreenCanvas | null = null;

  const sample = async () => {
    if (done || busy || lifetime.isInvalid || video.paused || video.readyState < 2 || !video.videoWidth) return;
    const t = now();
    if (t - last < SAMPLE_EVERY_MS) return;
    last = t;
    const scale = Math.min(1, FRAME_MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    const w = Math.max(1, Math.round(video.videoWidth * scale));
    const h = Math.max(1, Math.round(video.videoHeight * scale));
    canvas ??= new OffscreenCanvas(w, h);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    let data: ImageData;
    try {
      ctx.drawImage(video, 0, 0, w, h);
      data = ctx.getImageData(0, 0, w, h);
    } catch {
      stop(); // tainted (a cross-origin file without CORS): the poster is all we can match
      return;
    }
    busy = true;
    try {
      const [full, ...probes] = queryProbes({ data: data.data, width: w, height: h, channels: 4 });
      if (lifetime.isInvalid) return;
      if (await onFrame({ hashes: full!.hashes, quality: full!.quality, probes: probes.map(probeToHex), t: video.currentTime })) stop();
    } finally {
      busy = false;
    }
  };
  const onTime = () => void sample();
  const listening = new AbortController();
  lifetime.addEventListener(video, 'timeupdate', onTime, { signal: listening.signal });
  lifetime.addEventListener(video, 'playing', onTime, { signal: listening.signal });
  function stop() {
    done = true;
    listening.abort();
  }
  return stop;
}
