/**
 * Frames of a video the reader plays, matched against the feeds' keyframe hashes.
 *
 * Only while the reader plays it (X autoplays muted in view; we never start playback), about once a
 * second, until the evidence across frames accepts an entry or the video pauses. X's videos are
 * MediaSource `blob:` streams, which a content script may draw; a cross-origin file without CORS
 * taints the canvas, and then we stop trying and rely on the poster. Hashing happens here (PDQ
 * from the core, a few ms on a 256 px frame); only the hashes go to the background, never the
 * pixels. A frame is drawn at the video's own size (up to VIDEO_DECODE_SIDE) and scaled by the
 * canonical scaler the publisher tool's keyframes go through too (src/core/match/video.ts
 * videoFramePixels), then hashed as the background hashes pictures (src/core/match queryProbes);
 * from the second frame on, the moving picture found in the last three (findMovingPictures: a clip
 * in a 1:1 frame of its own blurred copy, in a phone's screen recording, in a news graphic) is cut
 * from the video itself at its own size (up to VIDEO_DECODE_SIDE: a clip in a 1280 px news graphic
 * is 760 px wide, 380 in the drawn frame) and hashed too.
 */
import { findMovingPictures, motionProbe, movingPicturePixels, movingPictureSource, probeToHex, queryProbes, videoDecodeSize, videoFramePixels, type ProbeHex, type Rect } from '../core/match';
import type { Pixels } from '../core/pdq';
import { IS_TEST_BUILD } from '../shared/build';
import type { ContentScriptContext } from './context';

export interface FrameHashes {
  /** The 8 dihedral hashes of the whole frame. */
  hashes: Uint16Array[];
  quality: number;
  /** Its other views (the picture inside bars or a player, caption cuts, the centre, the moving picture), hex. */
  probes: ProbeHex[];
  /** Where the reader's video is (its currentTime), seconds. */
  t: number;
}

const SAMPLE_EVERY_MS = 1000;

/**
 * Test builds only (the video-browser bench reads it; store builds drop it): the main-thread ms of
 * each sample's three synchronous slices (draw and read; canonical scaling and probes; the moving
 * picture and the lookup's send) and, fourth, the part of the third spent in findMovingPictures, drained by the 'already-debunked:e2e-video-cost' event.
 */
export const sampleSlices: number[][] | null = IS_TEST_BUILD ? [] : null;
const SLICES_KEPT = 1000;
/** Frames kept to find the moving picture in. */
const HISTORY = 3;

/**
 * Watches one <video>. `onFrame` returns true when the evidence accepted an entry (sampling then
 * stops for good). Returns a function that stops watching. The content script's context owns the
 * listeners: when the extension goes away, sampling stops (`now` is the clock, injected by tests).
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
  let cutCanvas: OffscreenCanvas | null = null;
  let history: Pixels[] = [];

  const sample = async () => {
    if (done || busy || lifetime.isInvalid || video.paused || video.readyState < 2 || !video.videoWidth) return;
    const t = now();
    if (t - last < SAMPLE_EVERY_MS) return;
    last = t;
    const slices: number[] | null = sampleSlices && [];
    let from = sampleSlices ? performance.now() : 0;
    const lap = () => {
      if (!slices) return;
      const at = performance.now();
      slices.push(at - from);
      from = at;
    };
    const { width: w, height: h } = videoDecodeSize(video.videoWidth, video.videoHeight);
    canvas ??= new OffscreenCanvas(w, h);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
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
    lap();
    try {
      // The sample is done in three slices, the page's own tasks (X's frames) running between them.
      await breath();
      if (slices) from = performance.now();
      const decoded: Pixels = { data: data.data, width: w, height: h, channels: 4 };
      const px = videoFramePixels(decoded);
      if (history[0] && (history[0].width !== px.width || history[0].height !== px.height)) history = []; // a new rendition
      history = [...history.slice(1 - HISTORY), px];
      const [full, ...probes] = queryProbes(px);
      lap();
      await breath();
      if (lifetime.isInvalid) return;
      if (slices) from = performance.now();
      // The moving picture, cut from the drawn frame and made canonical: a clip inside a phone's
      // screen recording or a news graphic is a small part of the 256 px frame.
      const rects = findMovingPictures(history);
      const found = slices ? performance.now() - from : 0;
      const cut = rects.length ? cutFromVideo(rects, px) : null;
      for (const rect of rects) {
        const pic = cut ? movingPicturePixels(cut.pixels, cut.frame, { ...rect, x: rect.x - cut.at.x, y: rect.y - cut.at.y }) : movingPicturePixels(decoded, px, rect);
        probes.push(motionProbe(pic, { x: 0, y: 0, width: pic.width, height: pic.height }));
      }
      const accepted = onFrame({ hashes: full!.hashes, quality: full!.quality, probes: probes.map(probeToHex), t: video.currentTime });
      lap();
      slices?.push(found); // the part of the third slice spent finding the moving picture
      if (slices && sampleSlices && sampleSlices.push(slices) > SLICES_KEPT) sampleSlices.shift();
      if (await accepted) stop();
    } finally {
      busy = false;
    }
  };
  /**
   * The part of the video holding all the moving rectangles (found in the hashed `frame`), drawn
   * from the video at its own size up to VIDEO_DECODE_SIDE, in one draw: null when the drawn frame
   * is the video's own size already, or the draw fails.
   */
  const cutFromVideo = (rects: Rect[], frame: { width: number; height: number }): { pixels: Pixels; frame: { width: number; height: number }; at: Rect } | null => {
    const own = { width: video.videoWidth, height: video.videoHeight };
    const drawn = videoDecodeSize(own.width, own.height);
    if (drawn.width >= own.width && drawn.height >= own.height) return null;
    const x = Math.min(...rects.map((r) => r.x));
    const y = Math.min(...rects.map((r) => r.y));
    const at = { x, y, width: Math.max(...rects.map((r) => r.x + r.width)) - x, height: Math.max(...rects.map((r) => r.y + r.height)) - y };
    const { source, draw } = movingPictureSource(at, frame, own);
    cutCanvas ??= new OffscreenCanvas(draw.width, draw.height);
    if (cutCanvas.width !== draw.width) cutCanvas.width = draw.width;
    if (cutCanvas.height !== draw.height) cutCanvas.height = draw.height;
    const ctx = cutCanvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    try {
      ctx.drawImage(video, source.x, source.y, source.width, source.height, 0, 0, draw.width, draw.height);
      const data = ctx.getImageData(0, 0, draw.width, draw.height);
      return { pixels: { data: data.data, width: draw.width, height: draw.height, channels: 4 }, frame: { width: at.width, height: at.height }, at };
    } catch {
      return null;
    }
  };
  /** Lets the page run before the next slice of a sample (a timer owned by the context: none after it ends). */
  const breath = () => new Promise<void>((resolve) => lifetime.setTimeout(resolve, 0));
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
