/**
 * Frames of a video the reader plays, matched against the feeds' keyframe hashes.
 *
 * Only while the reader plays it (X autoplays muted in view; we never start playback), about once a
 * second, until a frame matches or the video pauses. X's videos are MediaSource `blob:` streams,
 * which a content script may draw; a cross-origin file without CORS taints the canvas, and then we
 * stop trying and rely on the poster. Hashing happens here (PDQ from the core, a few ms on a
 * 256 px frame); only the hashes go to the background, never the pixels. Frames are drawn at
 * videoFrameSize, the size the publisher tool hashes keyframes at (src/core/match/video.ts). A
 * frame is hashed as the background hashes pictures (src/core/match queryProbes), and from the
 * second frame on, the moving picture found in the last three (findMovingPicture: a clip in a 1:1
 * frame of its own blurred copy, in a phone's screen recording, in a news graphic) is hashed too.
 */
import { findMovingPictures, motionProbe, probeToHex, queryProbes, sourceRect, videoFrameSize, type ProbeHex } from '../core/match';
import type { Pixels } from '../core/pdq';
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
/** Frames kept to find the moving picture in. */
const HISTORY = 3;

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
  let inner: OffscreenCanvas | null = null;
  let history: Pixels[] = [];

  const sample = async () => {
    if (done || busy || lifetime.isInvalid || video.paused || video.readyState < 2 || !video.videoWidth) return;
    const t = now();
    if (t - last < SAMPLE_EVERY_MS) return;
    last = t;
    const { width: w, height: h } = videoFrameSize(video.videoWidth, video.videoHeight);
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
      const px: Pixels = { data: data.data, width: w, height: h, channels: 4 };
      if (history[0] && (history[0].width !== w || history[0].height !== h)) history = []; // a new rendition
      history = [...history.slice(1 - HISTORY), px];
      const [full, ...probes] = queryProbes(px);
      if (lifetime.isInvalid) return;
      // The moving picture, drawn again from the video's own pixels at the frame size: a clip
      // inside a phone's screen recording or a news graphic is a small part of the 256 px frame.
      for (const rect of findMovingPictures(history)) {
        const src = sourceRect(rect, { width: w, height: h }, { width: video.videoWidth, height: video.videoHeight });
        const size = videoFrameSize(src.width, src.height);
        inner ??= new OffscreenCanvas(size.width, size.height);
        inner.width = size.width;
        inner.height = size.height;
        const ictx = inner.getContext('2d', { willReadFrequently: true });
        if (!ictx) continue;
        ictx.drawImage(video, src.x, src.y, src.width, src.height, 0, 0, size.width, size.height);
        const pic = ictx.getImageData(0, 0, size.width, size.height);
        probes.push(motionProbe({ data: pic.data, width: size.width, height: size.height, channels: 4 }, { x: 0, y: 0, width: size.width, height: size.height }));
      }
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
    history = [];
    listening.abort();
  }
  return stop;
}
