/**
 * What sampling a playing video costs in the browser (issue 15; Debian's Chromium, the test build):
 * a clip that matches nothing (so the content script samples it for as long as it plays) plays
 * on the fixture timeline for PLAY_SEC seconds, with the extension on, then in the same browser
 * with it switched off (ui/set-enabled), side by side, twice each, in alternation:
 *  - the content script's main-thread time (a DevTools trace: every call into content.js on the
 *    page's main thread); one call per sample holds the whole sample (draw, canonical scaling,
 *    probes, the moving picture), so the calls over 1 ms are the samples;
 *  - the page's main-thread busy time (Performance.getMetrics TaskDuration) per second played;
 *  - CPU time of all the browser's processes (SystemInfo.getProcessInfo) per second played;
 *  - the video's dropped frames (getVideoPlaybackQuality).
 * The lookups run on an empty index (no feed is served): the background's share is the message
 * and a lookup, the content script's is all of the sampling. Two clips: 1280x720 (X's usual rendition; the whole frame moves) and 720x720, the same clip in
 * a 1:1 frame of its own blurred copy (the moving picture is found and hashed too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CDPSession, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';
import { addClipPost } from '../e2e/helpers/video.mjs';
import { percentile } from './lib/stats';

type ExtensionGlobal = { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };

const PLAY_SEC = Number(process.env.BENCH_PLAY_SEC ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { data?: { url?: string } };
}

function ffmpeg(...args: string[]) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args]);
}

/** A moving test pattern that matches nothing in the demo feed, 1280x720, and its blurred 1:1 re-share. */
function clips(dir: string): Record<string, string> {
  const wide = path.join(dir, 'wide.mp4');
  const enc = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-an', '-movflags', '+faststart'];
  ffmpeg('-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${PLAY_SEC + 8}`, ...enc, wide);
  const square = path.join(dir, 'square.mp4');
  ffmpeg('-i', wide, '-filter_complex', 'split[a][b];[a]scale=720:720:force_original_aspect_ratio=increase,crop=720:720,boxblur=24:2[bg];[b]scale=720:-2[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1', ...enc, square);
  return { '1280x720': wide, '720x720 blurred 1:1': square };
}

/** Merges [start, end) intervals (µs). */
function union(intervals: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

async function cpuSeconds(browserCdp: CDPSession): Promise<number> {
  const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo' as never)) as unknown as { processInfo: { cpuTime: number }[] };
  return processInfo.reduce((t, p) => t + p.cpuTime, 0);
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

interface Run {
  calls: number[]; // ms per call into content.js over 1 ms (a sample is three: draw, probes, moving picture)
  scriptMs: number;
  secs: number;
  busyPerSec: number; // page main thread, ms per second played
  cpuPerSec: number; // all processes, ms per second played
  dropped: number;
  frames: number;
}

async function play(page: Page, browserCdp: CDPSession, src: string, size: [number, number], scriptUrl: string, n: number, posterOrigin: string): Promise<Run> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const id = `18610000000000077${n.toString().padStart(2, '0')}`;
  await page.evaluate(addClipPost as (a: (string | number)[]) => void, [id, src, posterOrigin, size[0], size[1]]);
  const video = page.locator(`article:has(a[href="/clipposter/status/${id}"]) video`);
  await video.evaluate((v: HTMLVideoElement) => new Promise((r) => (v.readyState >= 3 ? r(null) : v.addEventListener('canplay', () => r(null), { once: true }))));
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] }, transferMode: 'ReportEvents' });
  const [task0, cpu0] = [await taskSeconds(cdp), await cpuSeconds(browserCdp)];
  const t0 = Date.now();
  await video.evaluate((v: HTMLVideoElement) => v.play());
  await page.waitForTimeout(PLAY_SEC * 1000);
  const quality = await video.evaluate((v: HTMLVideoElement) => {
    v.pause();
    const q = v.getVideoPlaybackQuality();
    return { dropped: q.droppedVideoFrames, frames: q.totalVideoFrames };
  });
  const secs = (Date.now() - t0) / 1000;
  const [task1, cpu1] = [await taskSeconds(cdp), await cpuSeconds(browserCdp)];
  await cdp.send('Tracing.end');
  await complete;
  const calls = events.filter((e) => e.name === 'FunctionCall' && e.ph === 'X' && e.args?.data?.url === scriptUrl);
  const main = calls[0];
  const spans = main ? union(calls.filter((e) => e.pid === main.pid && e.tid === main.tid).map((e) => [e.ts, e.ts + (e.dur ?? 0)])) : [];
  const ms = spans.map(([a, b]) => (b - a) / 1000);
  await page.evaluate((postId) => document.querySelector(`a[href="/clipposter/status/${postId}"]`)?.closest('[data-testid="cellInnerDiv"]')?.remove(), id);
  await cdp.detach();
  return {
    calls: ms.filter((x) => x > 1).sort((a, b) => a - b),
    scriptMs: ms.reduce((t, x) => t + x, 0),
    secs,
    busyPerSec: ((task1 - task0) * 1000) / secs,
    cpuPerSec: ((cpu1 - cpu0) * 1000) / secs,
    ...quality,
  };
}

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Video sampling in the browser\n\nNot run: Chromium not found.';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-video-bench-'));
  const server = await startFixtureServer();
  const ext = await launchChromium('test-chrome');
  try {
    const files = clips(dir);
    const sizes: Record<string, [number, number]> = { '1280x720': [640, 360], '720x720 blurred 1:1': [420, 420] };
    for (const [name, file] of Object.entries(files)) server.setAsset(`/bench-${name.split(' ')[0]}.mp4`, fs.readFileSync(file), 'video/mp4');
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    // No feed is served: the clip matches nothing either way, and the lookups run on an empty index.
    const setEnabled = (enabled: boolean) => popup.evaluate((on) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'ui/set-enabled', payload: { enabled: on } }), enabled);
    const browserCdp = await ext.context.browser()!.newBrowserCDPSession();
    const results: Record<string, { on: Run[]; off: Run[] }> = {};
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const on of [true, false]) {
        await setEnabled(on);
        // A fresh page each time: the content script reads the on/off switch when it starts.
        const page = await ext.context.newPage();
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(server.url('home'));
        await page.waitForSelector('article[data-testid="tweet"]');
        for (const name of Object.keys(files)) {
          const r = await play(page, browserCdp, `/bench-${name.split(' ')[0]}.mp4`, sizes[name]!, ext.extensionUrl('content.js'), n++, server.mediaOrigin);
          (results[name] ??= { on: [], off: [] })[on ? 'on' : 'off'].push(r);
          console.log(`${name} ${on ? 'on ' : 'off'}: content script ${(r.scriptMs / r.secs).toFixed(1)} ms per second played (one sample a second), calls over 1 ms: ${r.calls.length}, longest ${r.calls.at(-1)?.toFixed(1) ?? '-'} ms; main thread ${r.busyPerSec.toFixed(0)} ms/s; CPU ${r.cpuPerSec.toFixed(0)} ms/s; dropped ${r.dropped}/${r.frames}`);
        }
        await page.close();
      }
    }
    await setEnabled(true);
    const rows = Object.entries(results).map(([name, { on, off }]) => {
      const calls = on.flatMap((r) => r.calls).sort((a, b) => a - b);
      const avg = (rs: Run[], f: (r: Run) => number) => rs.reduce((t, r) => t + f(r), 0) / Math.max(1, rs.length);
      const drop = (rs: Run[]) => `${rs.reduce((t, r) => t + r.dropped, 0)}/${rs.reduce((t, r) => t + r.frames, 0)}`;
      return `| ${name} | ${avg(on, (r) => r.scriptMs / r.secs).toFixed(1)} ms | ${percentile(calls, 50)?.toFixed(1)} / ${calls.at(-1)?.toFixed(1)} ms | ${avg(on, (r) => r.busyPerSec).toFixed(0)} vs ${avg(off, (r) => r.busyPerSec).toFixed(0)} ms | ${avg(on, (r) => r.cpuPerSec).toFixed(0)} vs ${avg(off, (r) => r.cpuPerSec).toFixed(0)} ms | ${drop(on)} vs ${drop(off)} |`;
    });
    return `## Video sampling in the browser

Chromium ${(await ext.context.browser()?.version()) ?? '(Debian)'}, test build, a clip that matches nothing playing ${PLAY_SEC} s on the fixture
timeline, extension on vs switched off in the same browser, ${ROUNDS} rounds alternating (on, off). The content script's
main-thread time: the calls into content.js on the page's main thread (a sample a second, in three slices: draw and read,
canonical scaling and probes, the moving picture).

| clip | content script per sample (per second played) | its calls over 1 ms: median / longest | page main thread busy per second played, on vs off | CPU of all processes per second played, on vs off | dropped frames, on vs off |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
  } finally {
    await ext.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
