// Re-shared clips of the demo feed's seed clip (helpers/media.mjs), served same-origin like X's
// MediaSource video, and a post that plays one on a fixture timeline: for the video end-to-end
// tests in Chromium and Firefox.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reshareClip, seedClip } from './media.mjs';

/** The hard kinds of re-share: in a blurred 1:1 frame with a caption, a phone's screen recording, cropped to 90%. */
export const HARD_RESHARES = { blur11: [360, 360], screenrec: [288, 624], crop90: [480, 270] };

/** Makes each re-share of the seed clip and serves it at `/reshare-<kind>.mp4` on the page origin. */
export async function serveReshares(server) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-reshare-'));
  try {
    const clip = await seedClip(dir);
    for (const kind of Object.keys(HARD_RESHARES)) {
      const out = reshareClip(clip, kind, path.join(dir, `${kind}.mp4`));
      server.setAsset(`/reshare-${kind}.mp4`, fs.readFileSync(out), 'video/mp4');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * In the page: a new post at the top of the timeline, built like X's video markup, whose video
 * (muted, looping, an unrelated poster) is `src`; answers nothing. Pass [id, src, posterOrigin, w, h].
 */
export function addClipPost([id, src, posterOrigin, w, h]) {
  const list = document.querySelector('[data-testid="cellInnerDiv"]').parentElement;
  const cell = document.createElement('div');
  cell.setAttribute('data-testid', 'cellInnerDiv');
  const article = cell.appendChild(document.createElement('article'));
  article.setAttribute('data-testid', 'tweet');
  const link = article.appendChild(document.createElement('a'));
  link.href = `/clipposter/status/${id}`;
  link.appendChild(document.createElement('time')).textContent = 'now';
  const box = article.appendChild(document.createElement('div'));
  box.setAttribute('data-testid', 'tweetPhoto');
  box.style.cssText = `position: relative; width: ${w}px; height: ${h}px`;
  const video = box.appendChild(document.createElement('video'));
  video.setAttribute('poster', `${posterOrigin}/ext_tw_video_thumb/${id}/pu/img/UnrelatedPoster${id}.jpg`);
  video.muted = true;
  video.loop = true;
  video.src = src;
  video.style.cssText = 'width: 100%; height: 100%';
  list.prepend(cell);
}
