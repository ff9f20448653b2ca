/**
 * What sampling a playing video costs in the browser (issue 15; the test build), in Debian's
 * Chromium and Firefox ESR: a clip that matches nothing (so the content script samples it for as
 * long as it plays) plays on the fixture timeline for PLAY_SEC seconds, with the extension on, then
 * in the same browser with it switched off (ui/set-enabled), side by side, ROUNDS times each, in
 * alternation. In both browsers:
 *  - the content script's own account of each sample (test builds only: the main-thread ms of its
 *    synchronous slices, src/content/video.ts sampleSlices, read through the
 *    'already-debunked:e2e-video-cost' event);
 *  - CPU time of all the browser's processes from /proc (utime+stime, and of reaped children, of
 *    every descendant of this node process: the browser is its only child then) per second played;
 *  - the video's dropped frames (getVideoPlaybackQuality).
 * Chromium only (DevTools protocol; Firefox has no trace over WebDriver BiDi): every call into
 * content.js on the page's main thread from a DevTools trace, the page's main-thread busy time
 * (Performance.getMetrics TaskDuration) and the browser's own CPU account (SystemInfo.getProcessInfo).
 * The lookups run on an empty index (no feed is served): the background's share is the message
 * and a lookup, the content script's is all of the sampling. Two clips: 1280x720 (X's usual
 * rendition; the whole frame moves) and 720x720, the same clip in a 1:1 frame of its own blurred
 * copy (the moving picture is found and hashed too).
 * `npm run bench video-browser` runs Chromium then Firefox; `-- --browser chromium|firefox` one of them;
 * `-- --compare -before` a copy of an earlier test build in dist/test-chrome-before, dist/test-firefox-before too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CDPSession, Page as PwPage } from 'playwright-core';
import { chromiumPath, firefoxPath, launchChromium, launchFirefox, setViewport } from '../e2e/helpers/browsers.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';
import { addClipPost } from '../e2e/helpers/video.mjs';
import { percentile } from './lib/stats';

type ExtensionGlobal = { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };

const PLAY_SEC = Number(process.env.BENCH_PLAY_SEC ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BROWSERS = (process.env.BENCH_BROWSER ?? 'chromium,firefox').split(',');
/** `-- --compare -before`: also measure dist/test-<browser>-before, alternating with dist/test-<browser>, one round each time. */
const COMPARE = process.env.BENCH_COMPARE;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

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

/** CPU seconds of every process below this one (the browser and its children), from /proc. */
function descendantsCpuSeconds(): number {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[i] is field i + 3 of proc(5)
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  const below = new Set([process.pid]);
  let ticks = 0;
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (below.has(pid) || !below.has(p.ppid)) continue;
      below.add(pid);
      ticks += p.ticks;
      grew = true;
    }
  }
  return ticks / CLK_TCK;
}

/** What both drivers (Playwright's Chromium page, Puppeteer's Firefox page) offer alike. */
interface BenchPage {
  evaluate<A, R>(fn: (a: A) => R | Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

interface DevtoolsRun {
  calls: number[]; // ms per call into content.js over 1 ms (a sample is three: draw, probes, moving picture)
  scriptMs: number;
  busyPerSec: number; // page main thread, ms per second played
  cpuPerSec: number; // all processes, the browser's account, ms per second played
}

interface Browser {
  name: string;
  version: string;
  timeline(): Promise<BenchPage>;
  setEnabled(on: boolean): Promise<void>;
  /** Chromium: starts DevTools measures on the page; the returned function ends them. */
  devtools?(page: BenchPage): Promise<(secs: number) => Promise<DevtoolsRun>>;
  close(): Promise<void>;
}

async function chromiumBrowser(server: Awaited<ReturnType<typeof startFixtureServer>>, suffix = ''): Promise<Browser> {
  const ext = await launchChromium(`test-chrome${suffix}`);
  const popup = await ext.context.newPage();
  await popup.goto(ext.extensionUrl('popup/index.html'));
  const browserCdp = await ext.context.browser()!.newBrowserCDPSession();
  const scriptUrl = ext.extensionUrl('content.js');
  const cpuSeconds = async () => {
    const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo' as never)) as unknown as { processInfo: { cpuTime: number }[] };
    return processInfo.reduce((t, p) => t + p.cpuTime, 0);
  };
  const taskSeconds = async (cdp: CDPSession) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  return {
    name: `Chromium${suffix}`,
    version: (await ext.context.browser()?.version()) ?? '(Debian)',
    async timeline() {
      const page = await ext.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(server.url('home'));
      await page.waitForSelector('article[data-testid="tweet"]');
      return page as unknown as BenchPage;
    },
    async setEnabled(on) {
      await popup.evaluate((enabled) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'ui/set-enabled', payload: { enabled } }), on);
    },
    async devtools(benchPage) {
      const page = benchPage as unknown as PwPage;
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
      const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] }, transferMode: 'ReportEvents' });
      const [task0, cpu0] = [await taskSeconds(cdp), await cpuSeconds()];
      return async (secs) => {
        const [task1, cpu1] = [await taskSeconds(cdp), await cpuSeconds()];
        await cdp.send('Tracing.end');
        await complete;
        await cdp.detach();
        const calls = events.filter((e) => e.name === 'FunctionCall' && e.ph === 'X' && e.args?.data?.url === scriptUrl);
        const main = calls[0];
        const spans = main ? union(calls.filter((e) => e.pid === main.pid && e.tid === main.tid).map((e) => [e.ts, e.ts + (e.dur ?? 0)])) : [];
        const ms = spans.map(([a, b]) => (b - a) / 1000);
        return {
          calls: ms.filter((x) => x > 1).sort((a, b) => a - b),
          scriptMs: ms.reduce((t, x) => t + x, 0),
          busyPerSec: ((task1 - task0) * 1000) / secs,
          cpuPerSec: ((cpu1 - cpu0) * 1000) / secs,
        };
      };
    },
    close: () => ext.close(),
  };
}

async function firefoxBrowser(server: Awaited<ReturnType<typeof startFixtureServer>>, suffix = ''): Promise<Browser> {
  // Full-resolution performance.now() in the content script (Firefox rounds it to 1 ms otherwise).
  const ff = await launchFirefox(`test-firefox${suffix}`, { prefs: { 'privacy.reduceTimerPrecision': false } });
  const popup = await ff.openExtensionPage('popup/index.html');
  return {
    name: `Firefox${suffix}`,
    version: await ff.browser.version(),
    async timeline() {
      const page = await ff.browser.newPage();
      await setViewport(page, { width: 1280, height: 900 });
      await page.goto(server.url('home'));
      await page.waitForSelector('article[data-testid="tweet"]');
      return page as unknown as BenchPage;
    },
    async setEnabled(on) {
      await popup.evaluate((enabled: boolean) => (globalThis as unknown as { browser: ExtensionGlobal['chrome'] }).browser.runtime.sendMessage({ type: 'ui/set-enabled', payload: { enabled } }), on);
    },
    close: () => ff.close(),
  };
}

interface Run {
  samples: number[][]; // the content script's own account: ms of each sample's three slices
  secs: number;
  cpuPerSec: number; // all the browser's processes (/proc), ms per second played
  dropped: number;
  frames: number;
  devtools?: DevtoolsRun;
}

/** Drains the content script's account of its samples (test builds; [] when it is off). */
const drainSlices = (page: BenchPage) =>
  page.evaluate(() => {
    document.documentElement.removeAttribute('data-already-debunked-video-cost');
    document.dispatchEvent(new Event('already-debunked:e2e-video-cost'));
    return JSON.parse(document.documentElement.getAttribute('data-already-debunked-video-cost') ?? '[]') as number[][];
  }, undefined);

async function play(browser: Browser, page: BenchPage, src: string, size: [number, number], n: number, posterOrigin: string): Promise<Run> {
  const id = `18610000000000077${n.toString().padStart(2, '0')}`;
  await page.evaluate(addClipPost as (a: (string | number)[]) => void, [id, src, posterOrigin, size[0], size[1]]);
  const sel = `article:has(a[href="/clipposter/status/${id}"]) video`;
  await page.evaluate((s) => new Promise((r) => {
    const v = document.querySelector(s) as HTMLVideoElement;
    if (v.readyState >= 3) r(null);
    else v.addEventListener('canplay', () => r(null), { once: true });
  }), sel);
  await drainSlices(page);
  const stopDevtools = await browser.devtools?.(page);
  const cpu0 = descendantsCpuSeconds();
  const t0 = Date.now();
  await page.evaluate((s) => void (document.querySelector(s) as HTMLVideoElement).play(), sel);
  await new Promise((r) => setTimeout(r, PLAY_SEC * 1000));
  const quality = await page.evaluate((s) => {
    const v = document.querySelector(s) as HTMLVideoElement;
    v.pause();
    const q = v.getVideoPlaybackQuality();
    return { dropped: q.droppedVideoFrames, frames: q.totalVideoFrames };
  }, sel);
  const secs = (Date.now() - t0) / 1000;
  const cpu1 = descendantsCpuSeconds();
  const devtools = await stopDevtools?.(secs);
  const samples = await drainSlices(page);
  await page.evaluate((postId) => document.querySelector(`a[href="/clipposter/status/${postId}"]`)?.closest('[data-testid="cellInnerDiv"]')?.remove(), id);
  return { samples, secs, cpuPerSec: ((cpu1 - cpu0) * 1000) / secs, ...quality, ...(devtools ? { devtools } : {}) };
}

const sum = (xs: number[]) => xs.reduce((t, x) => t + x, 0);
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(1));
/** A sample's slices: draw and read; scaling and probes; the moving picture and the send (then, not a slice: the part of the third spent finding the moving picture). */
const pieces = (s: number[]) => [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0];
const slicesOf = (samples: number[][]) => samples.flatMap((s) => s.slice(0, 3));
/** Median ms of each part of a sample. */
const sliceMedians = (samples: number[][]) => [0, 1, 2].map((i) => f1(percentile(samples.map((s) => pieces(s)[i]!).sort((a, b) => a - b), 50))).join(' + ');
const longestSample = (samples: number[][]) => pieces(samples.reduce<number[]>((a, s) => (sum(pieces(s)) > sum(pieces(a)) ? s : a), [])).map(f1).join(' + ');
const findMedian = (samples: number[][]) => f1(percentile(samples.map((s) => s[3] ?? 0).sort((a, b) => a - b), 50));

async function measure(browser: Browser, server: Awaited<ReturnType<typeof startFixtureServer>>, files: Record<string, string>, notes: string[], rounds: number): Promise<string> {
  const sizes: Record<string, [number, number]> = { '1280x720': [640, 360], '720x720 blurred 1:1': [420, 420] };
  const results: Record<string, { on: Run[]; off: Run[] }> = {};
  let n = 0;
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  const loadAtStart = load();
  for (let round = 0; round < rounds; round++) {
    for (const on of [true, false]) {
      await browser.setEnabled(on);
      // A fresh page each time: the content script reads the on/off switch when it starts.
      const page = await browser.timeline();
      for (const name of Object.keys(files)) {
        const r = await play(browser, page, `/bench-${name.split(' ')[0]}.mp4`, sizes[name]!, n++, server.mediaOrigin);
        (results[name] ??= { on: [], off: [] })[on ? 'on' : 'off'].push(r);
        const per = r.samples.map((s) => sum(pieces(s))).sort((a, b) => a - b);
        const dt = r.devtools ? `; trace: content.js ${f1(r.devtools.scriptMs / r.secs)} ms/s, calls over 1 ms ${r.devtools.calls.length}, longest ${f1(r.devtools.calls.at(-1))} ms; main thread ${f0(r.devtools.busyPerSec)} ms/s; CPU (browser's account) ${f0(r.devtools.cpuPerSec)} ms/s` : '';
        console.log(`${browser.name} ${name} ${on ? 'on ' : 'off'}: ${r.samples.length} samples in ${r.secs.toFixed(1)} s, per sample median ${f1(percentile(per, 50))} max ${f1(per.at(-1))} ms, slices ${sliceMedians(r.samples)} ms, of which finding the moving picture ${findMedian(r.samples)} ms, longest slice ${f1(Math.max(0, ...slicesOf(r.samples)))} ms, longest sample ${longestSample(r.samples)} ms; CPU (/proc) ${f0(r.cpuPerSec)} ms/s; dropped ${r.dropped}/${r.frames}${dt}; load ${load()}`);
      }
      await page.close();
    }
  }
  await browser.setEnabled(true);
  const avg = (rs: Run[], f: (r: Run) => number) => sum(rs.map(f)) / Math.max(1, rs.length);
  const range = (rs: Run[], f: (r: Run) => number) => rs.map((r) => f0(f(r))).join(', ');
  const drop = (rs: Run[]) => `${sum(rs.map((r) => r.dropped))}/${sum(rs.map((r) => r.frames))}`;
  const rows = Object.entries(results).map(([name, { on, off }]) => {
    const samples = on.flatMap((r) => r.samples);
    const per = samples.map((s) => sum(pieces(s))).sort((a, b) => a - b);
    const slices = slicesOf(samples).sort((a, b) => a - b);
    const perSec = sum(on.map((r) => sum(r.samples.map((s) => sum(pieces(s)))))) / sum(on.map((r) => r.secs));
    const trace = on[0]?.devtools
      ? ` | ${f1(avg(on, (r) => r.devtools!.scriptMs / r.secs))} ms; calls over 1 ms median ${f1(percentile(on.flatMap((r) => r.devtools!.calls).sort((a, b) => a - b), 50))}, longest ${f1(Math.max(...on.flatMap((r) => r.devtools!.calls)))} | ${range(on, (r) => r.devtools!.busyPerSec)} vs ${range(off, (r) => r.devtools!.busyPerSec)} ms | ${range(on, (r) => r.devtools!.cpuPerSec)} vs ${range(off, (r) => r.devtools!.cpuPerSec)} ms`
      : ' | not measurable (no trace over BiDi) | – | – ';
    return `| ${browser.name} | ${name} | ${samples.length} in ${f0(sum(on.map((r) => r.secs)))} s | ${f1(percentile(per, 50))} / ${f1(percentile(per, 95))} / ${f1(per.at(-1))} ms | ${sliceMedians(samples)} (${findMedian(samples)}) ms | ${f1(slices.at(-1))} ms | ${f1(perSec)} ms | ${range(on, (r) => r.cpuPerSec)} vs ${range(off, (r) => r.cpuPerSec)} ms (mean ${f0(avg(on, (r) => r.cpuPerSec))} vs ${f0(avg(off, (r) => r.cpuPerSec))}) | ${drop(on)} vs ${drop(off)}${trace} |`;
  });
  notes.push(`${browser.name} ${browser.version}: load average ${loadAtStart} at the start, ${load()} at the end.`);
  return rows.join('\n');
}

export default async function run(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-video-bench-'));
  const server = await startFixtureServer();
  const parts: string[] = [];
  const notes: string[] = [];
  try {
    const files = clips(dir);
    for (const [name, file] of Object.entries(files)) server.setAsset(`/bench-${name.split(' ')[0]}.mp4`, fs.readFileSync(file), 'video/mp4');
    for (const which of BROWSERS) {
      const [found, launch] = which === 'firefox' ? [firefoxPath(), firefoxBrowser] : which === 'chromium' ? [chromiumPath(), chromiumBrowser] : [null, null];
      if (!launch) throw new Error(`--browser must be chromium, firefox or both (got ${which})`);
      if (!found) {
        notes.push(`${which}: not run, the browser was not found.`);
        continue;
      }
      const builds = COMPARE === undefined ? [''] : Array.from({ length: 2 * ROUNDS }, (_, i) => (i % 2 ? '' : COMPARE));
      for (const suffix of builds) {
        const browser = await launch(server, suffix);
        try {
          parts.push(await measure(browser, server, files, notes, COMPARE === undefined ? ROUNDS : 1));
        } finally {
          await browser.close();
        }
      }
    }
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return `## Video sampling in the browser

Test build, a clip that matches nothing playing ${PLAY_SEC} s on the fixture timeline, extension on vs switched off in
the same browser, ${ROUNDS} rounds alternating (on, off)${COMPARE === undefined ? '' : `, builds dist/test-*${COMPARE} and dist/test-* alternating, a round each`}, no feed served.
Per sample: the content script's own account of its synchronous slices (performance.now(), wall time on the page's main
thread: draw and read; canonical scaling and probes; the moving picture found and cut, its rectangles, the lookup's send).
CPU: all the browser's processes, from /proc. Chromium also: the DevTools trace of calls into content.js, the page's
main-thread busy time (TaskDuration) and the browser's own CPU account (SystemInfo.getProcessInfo).

| browser | clip | samples (on) | per sample, on: median / p95 / max | its slices, median: draw and read + scaling and probes + moving picture and send (finding it) | longest slice | content script per second played | CPU per second played, on vs off (each run) | dropped frames, on vs off | trace: content.js per second; its calls over 1 ms | page main thread busy per second, on vs off | CPU, the browser's account, on vs off |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${parts.join('\n')}

${notes.join('\n')}`;
}
