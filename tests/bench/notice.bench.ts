/**
 * In the browser (Debian's Chromium, the test build): on the generated 500-post timeline, scrolled
 * through once with cold caches and media served locally,
 * - the time from a matched post's media entering the viewport to its notice on screen;
 * - the main-thread time the content script adds (a DevTools trace: every call into content.js on
 *   the page's main thread), per post, and the long tasks (> 50 ms) with the extension's share of
 *   each — a long task is the extension's when its own calls in it exceed 50 ms;
 * - memory after the scroll: the page's JS heap with the extension minus the same scroll without
 *   it (the content script lives in the page's heap, in its own world), and the service worker's.
 */
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { workerSession } from '../e2e/helpers/cdp.mjs';
import { feedStatus } from '../e2e/helpers/checks.mjs';
import { startFeedServer } from '../e2e/helpers/feed-server.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';
import { bigTimeline } from '../fixtures/x/generate.mjs';
import { percentile } from './lib/stats';

declare global {
  interface Window {
    __bench: { seen: Map<Element, number>; near: Map<Element, number>; shown: number[]; work: number[] };
  }
}

type ExtensionGlobal = { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };

const POSTS = 500;
const STEP_PX = 450;
const STEP_MS = 120;
/** Pairs of scrolls, extension on and off (`npm run bench notice -- --runs N`). */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK ? 1 : 3)));

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs: unlike dur, it does not grow while the thread waits for a core. */
  tdur?: number;
  args?: { data?: { url?: string; functionName?: string; lineNumber?: number } };
}

/** Notes, every frame, when each media box comes near / into the viewport and when its notice appears. */
function latencyProbe() {
  const b = { seen: new Map<Element, number>(), near: new Map<Element, number>(), shown: [] as number[], work: [] as number[] };
  window.__bench = b;
  const done = new WeakSet<Element>();
  const tick = () => {
    const now = performance.now();
    for (const box of document.querySelectorAll('[data-testid="tweetPhoto"]')) {
      if (done.has(box)) continue;
      const r = box.getBoundingClientRect();
      if (!b.near.has(box) && r.bottom > -600 && r.top < innerHeight + 600) b.near.set(box, now); // the extension's look-ahead
      if (!b.seen.has(box) && r.bottom > 0 && r.top < innerHeight) b.seen.set(box, now);
      if (b.near.has(box) && box.querySelector(':scope > [data-already-debunked="notice"]')) {
        b.work.push(now - b.near.get(box)!);
        b.shown.push(b.seen.has(box) ? now - b.seen.get(box)! : 0); // 0: ready before it was visible
        done.add(box);
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/**
 * X's timeline is virtualised: a cell scrolled far past loses its content (X removes it; here it
 * keeps its height so the page does not jump). Same on both runs, with and without the extension.
 */
function virtualise() {
  const FAR_PX = 2000;
  addEventListener(
    'scroll',
    () => {
      for (const cell of document.querySelectorAll<HTMLElement>('[data-testid="cellInnerDiv"]')) {
        if (!cell.firstElementChild || cell.getBoundingClientRect().bottom > -FAR_PX) continue;
        cell.style.height = `${cell.getBoundingClientRect().height}px`;
        cell.replaceChildren();
      }
    },
    { passive: true },
  );
}

/** What the content script's scanner holds (test builds answer this event). */
async function scannerSizes(page: Page): Promise<Record<string, number> | null> {
  return page.evaluate(() => {
    document.dispatchEvent(new Event('already-debunked:e2e-sizes'));
    const raw = document.documentElement.dataset['alreadyDebunkedScanner'];
    return raw ? (JSON.parse(raw) as Record<string, number>) : null;
  });
}

async function scrollThrough(page: Page, url: string): Promise<void> {
  // Not waiting for 'load' (every image of the page): a loaded machine can take longer than that.
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForSelector('article[data-testid="tweet"]', { timeout: 120_000 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += STEP_PX) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(STEP_MS);
  }
  await page.waitForTimeout(1500);
}

async function trace<T>(cdp: CDPSession, during: () => Promise<T>): Promise<{ events: TraceEvent[]; result: T }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] }, transferMode: 'ReportEvents' });
  const result = await during();
  await cdp.send('Tracing.end');
  await complete;
  return { events, result };
}

/** Used JS heap of the page after a full GC. */
async function pageHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** Used JS heap of the extension's service worker after a full GC. */
async function workerHeap(context: BrowserContext, page: Page, extensionId: string): Promise<number> {
  const sw = await workerSession(context, page, extensionId);
  await sw.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await sw.send('Runtime.getHeapUsage')) as { usedSize: number };
  await sw.detach();
  return usedSize;
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
const overlap = (spans: [number, number][], s: number, e: number) => spans.reduce((t, [a, b]) => t + Math.max(0, Math.min(b, e) - Math.max(a, s)), 0);

/** The content script's main-thread time, and the long tasks with its share, from a trace. */
function attribute(events: TraceEvent[], scriptUrl: string) {
  const calls = events.filter((e) => e.name === 'FunctionCall' && e.ph === 'X' && e.args?.data?.url === scriptUrl);
  if (!calls.length) return null;
  const { pid, tid } = calls[0]!; // the page's main thread, where the content script runs
  const spans = union(calls.filter((e) => e.pid === pid && e.tid === tid).map((e) => [e.ts, e.ts + (e.dur ?? 0)]));
  const totalMs = spans.reduce((t, [a, b]) => t + b - a, 0) / 1000;
  const tasks = events.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.pid === pid && e.tid === tid && (e.dur ?? 0) > 50_000);
  const longTasks = tasks.map((t) => ({ ms: t.dur! / 1000, ours: overlap(spans, t.ts, t.ts + t.dur!) / 1000 }));
  const longestCall = Math.max(...spans.map(([a, b]) => (b - a) / 1000));
  // Where the longest calls were (for chasing them: the test build is not minified).
  const top = calls.filter((e) => e.pid === pid && e.tid === tid).sort((x, y) => (y.dur ?? 0) - (x.dur ?? 0)).slice(0, 5);
  console.log('longest calls into the content script:', top.map((e) => `${((e.dur ?? 0) / 1000).toFixed(1)} ms ${e.args?.data?.functionName || '(anonymous)'}:${e.args?.data?.lineNumber ?? '?'}`).join(', '));
  return { totalMs, longTasks, longestCall, calls: spans.length };
}

/** The page's main thread: the renderer thread that parsed the timeline (/big). */
function pageThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const parse = events.find((e) => e.name === 'ParseHTML' && (e.args as { beginData?: { url?: string } } | undefined)?.beginData?.url?.includes('/big?'));
  return parse ? { pid: parse.pid, tid: parse.tid } : null;
}

const isTask = (e: TraceEvent) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.ph === 'X';

/** Long tasks (> 50 ms) on the main thread of the timeline page. */
function pageLongTasks(events: TraceEvent[]): number[] {
  const t = pageThread(events);
  if (!t) return [];
  return events.filter((e) => isTask(e) && e.pid === t.pid && e.tid === t.tid && (e.dur ?? 0) > 50_000).map((e) => e.dur! / 1000);
}

/** Tasks on the page's main thread that ran > 50 ms on the CPU itself (thread time): less moved by other load on the machine. */
function pageLongCpuTasks(events: TraceEvent[]): number {
  const t = pageThread(events);
  if (!t) return 0;
  return events.filter((e) => isTask(e) && e.pid === t.pid && e.tid === t.tid && (e.tdur ?? 0) > 50_000).length;
}

/** What a trace event on the main thread is, for the breakdown of long tasks. */
function kind(e: TraceEvent, scriptUrl: string | null): string {
  switch (e.name) {
    case 'FunctionCall':
    case 'EvaluateScript':
    case 'v8.callFunction':
      return scriptUrl && e.args?.data?.url === scriptUrl ? 'content script' : 'page script';
    case 'TimerFire':
    case 'FireAnimationFrame':
    case 'EventDispatch':
    case 'FireIdleCallback':
      return 'page script';
    case 'Layout':
      return 'layout';
    case 'UpdateLayoutTree':
    case 'ScheduleStyleRecalculation':
    case 'ParseAuthorStyleSheet':
      return 'style';
    case 'PrePaint':
    case 'Paint':
    case 'PaintImage':
    case 'Layerize':
    case 'UpdateLayer':
    case 'Commit':
    case 'RasterTask':
      return 'paint';
    case 'ParseHTML':
      return 'parse HTML';
    case 'Decode Image':
    case 'ImageDecodeTask':
    case 'Decode LazyPixelRef':
      return 'image decode';
    case 'IntersectionObserverController::computeIntersections':
      return 'intersection observers';
    case 'MinorGC':
    case 'MajorGC':
    case 'V8.GC_SCAVENGER':
    case 'V8.GC_MARK_COMPACTOR':
    case 'BlinkGC.AtomicPhase':
      return 'GC';
    default:
      return 'other';
  }
}

/**
 * Self time inside the long tasks of the page's main thread, by kind (ms): what the long tasks are
 * made of. An event's self time is its duration minus its children's (complete events nest on a
 * thread), so nested calls count once.
 */
function longTaskBreakdown(events: TraceEvent[], scriptUrl: string | null): Record<string, number> {
  const t = pageThread(events);
  const out: Record<string, number> = {};
  if (!t) return out;
  const mine = events.filter((e) => e.ph === 'X' && e.pid === t.pid && e.tid === t.tid && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const stack: { e: TraceEvent; end: number; child: number; k: string }[] = [];
  let inLong = 0; // end of the long task we are in (0: none)
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= upTo) {
      const top = stack.pop()!;
      if (inLong) {
        if (!isTask(top.e)) out[top.k] = (out[top.k] ?? 0) + (top.e.dur! - top.child) / 1000;
        else if (top.e.dur! > 50_000) out['task (unattributed)'] = (out['task (unattributed)'] ?? 0) + (top.e.dur! - top.child) / 1000;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.child += top.e.dur!;
    }
  };
  for (const e of mine) {
    close(e.ts);
    if (!stack.length) inLong = isTask(e) && e.dur! > 50_000 ? e.ts + e.dur! : 0;
    const parentKind = stack[stack.length - 1]?.k;
    const k = kind(e, scriptUrl);
    // Generic wrappers take the kind of what they are in (a V8 compile inside the content script's call).
    stack.push({ e, end: e.ts + e.dur!, child: 0, k: k === 'other' && parentKind && parentKind !== 'other' ? parentKind : k });
  }
  close(Infinity);
  for (const key of Object.keys(out)) if (out[key]! < 0.05) delete out[key];
  return out;
}

/** One scroll of the timeline, traced, in a fresh page of `context` with its HTTP cache off (both passes fetch alike). */
async function tracedScroll(context: BrowserContext, url: string, probe: boolean) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(latencyProbe);
  await page.addInitScript(virtualise);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const { events } = await trace(cdp, () => scrollThrough(page, url));
  return { page, cdp, events, probe };
}

async function withoutExtension(url: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: chromiumPath()!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(latencyProbe);
    await page.addInitScript(virtualise);
    const cdp = await page.context().newCDPSession(page);
    await scrollThrough(page, url);
    return await pageHeap(cdp);
  } finally {
    await browser.close();
  }
}

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Notices in the browser\n\nNot run: Chromium not found.';
  const server = await startFixtureServer();
  const feed = await startFeedServer();
  const url = server.url('big', `n=${POSTS}`);
  const baseHeap = await withoutExtension(url);
  const ext = await launchChromium('test-chrome');
  try {
    const context: BrowserContext = ext.context;
    const popup = await context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await feedStatus(popup, (f: { seq: number | null }) => f.seq === 1);
    const scriptUrl = ext.extensionUrl('content.js');
    const setEnabled = (enabled: boolean) => popup.evaluate((on) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'ui/set-enabled', payload: { enabled: on } }), enabled);
    // The first pass, with the extension on, gives the detailed figures below.
    const { page, cdp, events } = await tracedScroll(context, url, true);
    const { shown, work } = await page.evaluate(() => ({ shown: window.__bench.shown, work: window.__bench.work }));
    // Counted in the page as served (the virtualised page has emptied most cells by now).
    const mediaPosts = bigTimeline(POSTS).split('<article').filter((a) => a.includes('data-testid="tweetPhoto"')).length;
    const heap = await pageHeap(cdp);
    const sizes = await scannerSizes(page);
    const swHeap = await workerHeap(context, page, ext.extensionId);
    const a = attribute(events, scriptUrl);
    await page.close();
    // Long tasks with the extension on vs switched off, in the same browser, same page scripts, HTTP
    // cache off in both, several pairs in alternating order (the machine is shared: a pair is
    // side by side, the pairs show the spread). The difference is what the extension causes, its own
    // script or rendering it triggers; the breakdown says which.
    const pairs: { on: number; off: number; onCpu: number; offCpu: number; onMs: Record<string, number>; offMs: Record<string, number> }[] = [];
    const passOn = { tasks: pageLongTasks(events), cpu: pageLongCpuTasks(events), ms: longTaskBreakdown(events, scriptUrl) };
    const pass = async (on: boolean) => {
      await setEnabled(on);
      const r = await tracedScroll(context, url, true);
      await r.page.close();
      return { tasks: pageLongTasks(r.events), cpu: pageLongCpuTasks(r.events), ms: longTaskBreakdown(r.events, scriptUrl) };
    };
    for (let i = 0; i < RUNS; i++) {
      let on, off;
      if (i % 2 === 0) {
        on = i === 0 ? passOn : await pass(true);
        off = await pass(false);
      } else {
        off = await pass(false);
        on = await pass(true);
      }
      pairs.push({ on: on.tasks.length, off: off.tasks.length, onCpu: on.cpu, offCpu: off.cpu, onMs: on.ms, offMs: off.ms });
      console.log(`pair ${i + 1}: long tasks on ${on.tasks.length} vs off ${off.tasks.length}; > 50 ms of CPU: ${on.cpu} vs ${off.cpu}`, { on: on.ms, off: off.ms });
    }
    await setEnabled(true);
    const kinds = [...new Set(pairs.flatMap((p) => [...Object.keys(p.onMs), ...Object.keys(p.offMs)]))].sort();
    const sum = (xs: Record<string, number>[], k: string) => xs.reduce((t, x) => t + (x[k] ?? 0), 0) / xs.length;
    const breakdown = kinds
      .map((k) => ({ k, on: sum(pairs.map((p) => p.onMs), k), off: sum(pairs.map((p) => p.offMs), k) }))
      .sort((x, y) => y.on - x.on)
      .map(({ k, on, off }) => `| ${k} | ${on.toFixed(0)} ms | ${off.toFixed(0)} ms |`)
      .join('\n');
    shown.sort((x, y) => x - y);
    work.sort((x, y) => x - y);
    const ours = a?.longTasks.filter((t) => t.ours > 50).length ?? NaN;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    console.log(`notices ${shown.length}, latency median ${percentile(shown, 50)} ms; content script ${a?.totalMs.toFixed(0)} ms; long tasks ${a?.longTasks.length} (ours ${ours})`);
    const longest = [...(a?.longTasks ?? [])].sort((x, y) => y.ms - x.ms);
    const longList = longest.length ? `${longest.slice(0, 5).map((t) => `${t.ms.toFixed(0)} ms (ours ${t.ours.toFixed(1)})`).join(', ')}${longest.length > 5 ? ', …' : ''}` : 'none';
    return `## Notices in the browser

Chromium ${(await context.browser()?.version()) ?? '(Debian)'}, test build, the generated ${POSTS}-post timeline (${mediaPosts} posts with media,
10 of them reposts of debunked media), virtualised like X's (cells 2000 px above the viewport lose their content),
scrolled ${STEP_PX} px every ${STEP_MS} ms, cold caches, media served locally. Main-thread
time from a DevTools trace of the scroll: the calls into content.js on the page's main thread.

| measure | result | target |
| --- | --- | --- |
| media entering the viewport → notice on screen, median (n = ${shown.length}) | ${percentile(shown, 50)?.toFixed(0)} ms | < 200 ms |
| same, p95 | ${percentile(shown, 95)?.toFixed(0)} ms | |
| media within 600 px of the viewport (where the extension starts) → notice, median / p95 | ${percentile(work, 50)?.toFixed(0)} / ${percentile(work, 95)?.toFixed(0)} ms | |
| content script main-thread time, whole scroll (${a?.calls} calls) | ${a?.totalMs.toFixed(0)} ms | |
| same, per post / per post with media | ${a ? (a.totalMs / POSTS).toFixed(2) : '?'} / ${a ? (a.totalMs / mediaPosts).toFixed(2) : '?'} ms | |
| longest single call into the content script | ${a?.longestCall.toFixed(1)} ms | |
| long tasks (> 50 ms) on the page's main thread, with the content script's share (the longest five) | ${a?.longTasks.length}: ${longList} | |
| long tasks caused by the extension's own code (its share > 50 ms) | ${ours} | none |
| long tasks, extension on vs switched off, ${RUNS} pair(s) in alternating order (same browser, same page scripts, no HTTP cache) | ${pairs.map((p) => `${p.on} vs ${p.off}`).join('; ')} | on ≤ off + 2 |
| same, counting tasks by their own CPU time (> 50 ms of thread time: less moved by other jobs on the machine) | ${pairs.map((p) => `${p.onCpu} vs ${p.offCpu}`).join('; ')} | |
| page JS heap after the scroll: with the extension − without (the content script's) | ${mb(heap)} − ${mb(baseHeap)} = ${mb(heap - baseHeap)} | |
| service worker JS heap after the scroll | ${mb(swHeap)} | |
| what the scanner holds after the scroll: answers kept / items waiting / boxes watched / keys queued | ${sizes ? `${sizes['results']} / ${sizes['waitingItems']} / ${sizes['watched']} / ${sizes['queue']}` : 'not reported'} | answers ≤ 1000; waiting ≤ 12 |

What the long tasks are made of (self time inside tasks > 50 ms on the page's main thread, by kind,
mean over the ${RUNS} pair(s)):

| kind | extension on | off |
| --- | --- | --- |
${breakdown}`;
  } finally {
    await ext.close();
    await feed.close();
    await server.close();
  }
}
