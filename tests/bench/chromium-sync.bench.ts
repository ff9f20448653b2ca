/**
 * Chromium sync at scale (issue 17): a synthetic feed of N images with every variant (the scale
 * bench's entries, tests/bench/lib/synthetic.ts) in the binary form, served on a random loopback
 * port, subscribed to in Debian's Chromium with the test build. For 100k and 300k images in one run
 * (`--images 100000,300000` to choose), each in a fresh browser profile:
 *  - time from subscribing to synced (the add-feed message returns after the sync's commit);
 *  - the extension process's RSS (the renderer with --extension-process under this browser),
 *    sampled every 250 ms: peak during the sync, after it, and 10 s after the first lookups;
 *  - the first answers on a page (the content script's lookups: the index is built from the stored
 *    entries then), and one lookup's latency from the content script afterwards (cs/match-media).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildIndex, buildSnapshot, generateKeyPair, publicKeyToBase64, signBinaryFile, signFile } from '../../src/core/feed';
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { contentScriptWorld, workerSession } from '../e2e/helpers/cdp.mjs';
import { feedStatus, readHandshake, scannerIdle } from '../e2e/helpers/checks.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';
import { syntheticImages } from './lib/synthetic';
import { entryOf } from './scale.bench';

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
const MB = 2 ** 20;
const DEFAULT_FEED = 'http://127.0.0.1:47110/feed/index.json';

function writeFeed(n: number, dir: string) {
  const keys = generateKeyPair();
  const meta = { id: `https://feeds.example.org/scale-${n}`, name: { en: `Scale ${n}` }, publisher: { name: 'Scale' } };
  const now = new Date();
  const snapshot = buildSnapshot(meta, syntheticImages(n, 17).map((img, i) => entryOf(img, i)), 1, 1, now);
  const rows = snapshot.entries.reduce((s, e) => s + e.media[0]!.hashes.length, 0);
  const bin = signBinaryFile('snapshots/1.adfb', snapshot, keys.secretKey);
  snapshot.entries = [];
  // Too large for the JSON form: the index names the binary file as its snapshot too.
  const index = signFile('index.json', buildIndex(meta, { seq: 1, epoch: 1, file: bin }, [], now, 2, 3600, { snapshot: bin, deltas: [] }), 'index', keys.secretKey);
  fs.mkdirSync(path.join(dir, 'snapshots'), { recursive: true });
  fs.writeFileSync(path.join(dir, bin.path), bin.bytes);
  fs.writeFileSync(path.join(dir, index.path), index.bytes);
  return { publicKey: publicKeyToBase64(keys.publicKey), bytes: bin.bytes.length, rows };
}

function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = new URL(req.url!, 'http://x').pathname.replace(/^\/+/, '');
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file)) return void res.writeHead(404).end();
    const size = fs.statSync(file).size;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size) });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** Processes under `root` (by parent pid). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [c, pp] of parent) {
      if (pp !== pid) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

const status = (pid: number, field: string) => {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
};

/** The extension's renderer process(es) under the browser that loaded this worktree's build. */
function extensionPids(): number[] {
  const dist = path.resolve('dist/test-chrome');
  const browsers = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      return cmd.includes(`--load-extension=${dist}`) && !cmd.includes('--type=');
    } catch {
      return false;
    }
  });
  return browsers.flatMap((b) => descendants(Number(b))).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--extension-process');
    } catch {
      return false;
    }
  });
}

/** Every process of the browser that loaded this worktree's build, by kind (browser, extension, page, utility, …). */
function browserProcesses(): { pid: number; kind: string }[] {
  const dist = path.resolve('dist/test-chrome');
  const out: { pid: number; kind: string }[] = [];
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(`--load-extension=${dist}`) && !cmd.includes('--type=')) {
        out.push({ pid: Number(p), kind: 'browser' });
        for (const c of descendants(Number(p))) {
          const cc = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8');
          const type = /--type=([a-z-]+)/.exec(cc)?.[1] ?? 'other';
          const kind = cc.includes('--extension-process') ? 'extension' : type === 'utility' ? `utility:${/--utility-sub-type=([\w.]+)/.exec(cc)?.[1] ?? '?'}` : type;
          out.push({ pid: c, kind });
        }
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU time (user + system) of a process, ms. */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in 1/100 s
  } catch {
    return NaN;
  }
}

interface Sample {
  at: number;
  rss: Record<string, number>;
  cpu: Record<string, number>;
}

/**
 * Samples the browser's processes every 50 ms: RSS and CPU time by kind, with wall time (ms since
 * the epoch, as the worker's trace marks are).
 */
function startSampler() {
  const samples: Sample[] = [];
  let procs = browserProcesses();
  let lastScan = Date.now();
  let running = true;
  const done = (async () => {
    while (running) {
      if (Date.now() - lastScan > 1000) {
        procs = browserProcesses();
        lastScan = Date.now();
      }
      const rss: Record<string, number> = {};
      const cpu: Record<string, number> = {};
      for (const { pid, kind } of procs) {
        rss[kind] = (rss[kind] ?? 0) + (status(pid, 'VmRSS') || 0);
        cpu[kind] = (cpu[kind] ?? 0) + (cpuMs(pid) || 0);
      }
      samples.push({ at: Date.now(), rss, cpu });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    samples,
    last: () => samples[samples.length - 1],
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Resets the kernel's peak RSS of the extension process (VmHWM), so the next reading is this stage's peak. */
function resetPeak(): void {
  for (const pid of extensionPids()) {
    try {
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // not allowed: the reading then covers the whole run
    }
  }
}
const peakNow = () => Math.max(...extensionPids().map((p) => status(p, 'VmHWM')));

interface Mark {
  name: string;
  at: number;
  ms?: number;
  n?: number;
}

/**
 * Phases between consecutive marks: wall ms, the CPU the extension and browser processes spent in
 * it, and the extension process's largest sampled RSS in it.
 */
function phases(marks: Mark[], samples: Sample[], from: { name: string; at: number }): string[] {
  const at = (t: number) => samples.find((s) => s.at >= t) ?? samples[samples.length - 1]!;
  const before = (t: number) => [...samples].reverse().find((s) => s.at <= t) ?? samples[0]!;
  /** CPU time of a kind at wall time t, interpolated between the samples around it. */
  const cpuAt = (k: string, t: number) => {
    const a = before(t);
    const b = at(t);
    const ca = a.cpu[k] ?? 0;
    const cb = b.cpu[k] ?? 0;
    return b.at === a.at ? ca : ca + ((cb - ca) * (t - a.at)) / (b.at - a.at);
  };
  const rows: string[] = [];
  let prev = from;
  for (const m of marks) {
    const a = before(prev.at);
    const b = at(m.at);
    const inside = samples.filter((s) => s.at >= prev.at && s.at <= m.at);
    const peak = Math.max(a.rss.extension ?? 0, b.rss.extension ?? 0, ...inside.map((s) => s.rss.extension ?? 0));
    // CPU is counted in 10 ms ticks and sampled every 50 ms: not told for shorter phases.
    const cpu = (k: string) => (m.at - prev.at < 200 ? '–' : (cpuAt(k, m.at) - cpuAt(k, prev.at)).toFixed(0));
    const summed = m.ms !== undefined ? ` (summed ${m.ms.toFixed(0)} ms)` : '';
    const count = m.n !== undefined ? ` n=${m.n}` : '';
    rows.push(`| ${prev.name} → ${m.name}${count}${summed} | ${(m.at - prev.at).toFixed(0)} | ${cpu('extension')} | ${cpu('browser')} | ${peak.toFixed(0)} | ${(b.rss.extension ?? 0).toFixed(0)} | ${(b.rss.browser ?? 0).toFixed(0)} |`);
    prev = m;
  }
  return rows;
}
const PHASE_HEAD = '| phase | wall ms | extension CPU ms | browser CPU ms | extension RSS peak sampled, MB | extension RSS at end, MB | browser RSS at end, MB |\n| --- | --- | --- | --- | --- | --- | --- |';

async function one(n: number, report: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ad-csync-${n}-`));
  const tBuild = performance.now();
  const feed = writeFeed(n, dir);
  console.log(`feed ${n}: ${(feed.bytes / MB).toFixed(1)} MB signed binary, ${feed.rows} rows, built in ${((performance.now() - tBuild) / 1000).toFixed(0)} s`);
  const server = await serve(dir);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/index.json`;
  const fixtures = await startFixtureServer();
  const ext = await launchChromium('test-chrome');
  const sampler = startSampler();
  const current = () => sampler.last()?.rss.extension ?? 0;
  const origin = `chrome-extension://${ext.extensionId}/`;
  /** The running service worker (the next event starts a stopped one). */
  const worker = async () => {
    for (let i = 0; i < 100; i++) {
      for (const w of ext.context.serviceWorkers().filter((x) => x.url().startsWith(origin)).reverse()) {
        if (await w.evaluate(() => true).catch(() => false)) return w;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no service worker');
  };
  const takeMarks = async (): Promise<Mark[]> => (await worker()).evaluate(() => (globalThis as unknown as { __alreadyDebunkedTest: { trace: { take(): Mark[] } } }).__alreadyDebunkedTest.trace.take());
  try {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.evaluate((u) => chrome.runtime.sendMessage({ type: 'ui/remove-feed', payload: { url: u } }), DEFAULT_FEED);
    await takeMarks();
    const before = current();
    resetPeak();
    const t0 = performance.now();
    const startAt = Date.now();
    const reply = await popup.evaluate(
      ([u, k]) => chrome.runtime.sendMessage({ type: 'ui/add-feed', payload: { name: 'Scale', url: u, publicKey: k } }),
      [url, feed.publicKey] as const,
    );
    console.log(`add-feed answered: ${JSON.stringify(reply).slice(0, 300)}`);
    const s = await feedStatus(popup, (f: { url: string; seq: number | null; lastError: string | null }) => f.url === url && (f.seq === 1 || f.lastError !== null), 3_600_000);
    const syncedMs = performance.now() - t0;
    const syncPeak = peakNow();
    const sampledPeak = Math.max(...sampler.samples.filter((x) => x.at >= startAt).map((x) => x.rss.extension ?? 0));
    const afterSync = current();
    if (s.seq !== 1) throw new Error(`sync of ${n} failed: ${s.lastError} (${JSON.stringify(reply).slice(0, 200)})`);
    const syncMarks = await takeMarks();
    // The samples and marks as they are, for a closer look (e.g. when in a phase the peak falls).
    fs.mkdirSync('dist/bench', { recursive: true });
    fs.writeFileSync(`dist/bench/chromium-sync-${n}-samples.json`, JSON.stringify({ startAt, syncMarks, samples: sampler.samples }));
    report.push(`#### ${n.toLocaleString('en')} images: the sync, phase by phase (VmHWM of the extension process over the sync: ${syncPeak.toFixed(0)} MB; sampled peak ${sampledPeak.toFixed(0)} MB; before ${before.toFixed(0)} MB)\n\n${PHASE_HEAD}\n${phases(syncMarks, sampler.samples, { name: 'add-feed sent', at: startAt }).join('\n')}`);
    // The content script's first answers: the index is built from the stored entries.
    const page = await ext.context.newPage();
    resetPeak();
    const t1 = performance.now();
    const pageAt = Date.now();
    await page.goto(fixtures.url('home'));
    await readHandshake(page, 60_000);
    await scannerIdle(page, { timeout: 3_600_000 });
    const firstAnswersMs = performance.now() - t1;
    const buildPeak = peakNow();
    // The index build's marks, and the first lookup's (the page's other lookups are left out).
    const buildMarks = (await takeMarks()).filter((m, i, all) => /^(build|load):/.test(m.name) || (m.name === 'lookup:index-ready' && all.findIndex((x) => x.name === m.name) === i));
    report.push(`#### ${n.toLocaleString('en')} images: the first page after the sync (index built from the stored entries and saved; VmHWM ${buildPeak.toFixed(0)} MB)\n\n${PHASE_HEAD}\n${phases(buildMarks, sampler.samples, { name: 'page opened', at: pageAt }).join('\n')}`);
    const world = await contentScriptWorld(ext.context, page, ext.extensionId);
    const ask = async (media: string) => {
      const t = performance.now();
      const r = await world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/match-media', payload: { urls: [${JSON.stringify(`${fixtures.mediaOrigin}/media/${media}?format=jpg&name=small`)}] } })`, 600_000);
      return { ms: performance.now() - t, ok: (r as { ok: boolean }).ok };
    };
    const fresh = await ask('GfxBurst000001'); // fetched, hashed, looked up
    const again = await ask('GfxBurst000001'); // hashes cached: the lookup alone (and the message)
    await new Promise((r) => setTimeout(r, 10_000));
    const steady = current();
    const hwm = Math.max(...extensionPids().map((p) => status(p, 'VmHWM')));
    await takeMarks();
    // Cold starts: the worker stopped (as Chrome stops an idle one), then one lookup of a picture
    // whose hashes are cached, from the content script: the worker starts, reads the stored index,
    // and answers.
    const colds: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const sw = await workerSession(ext.context, popup, ext.extensionId);
      await sw.stop();
      await sw.detach();
      // Wait until no worker of the extension runs.
      for (let i = 0; i < 100; i++) {
        const probe = await ext.context.newCDPSession(popup);
        const { targetInfos } = (await probe.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
        await probe.detach();
        if (!targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith(origin))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 2000));
      const rssStopped = current();
      resetPeak();
      const coldAt = Date.now();
      const cold = await ask('GfxBurst000001');
      const coldPeak = peakNow();
      await new Promise((r) => setTimeout(r, 300));
      const marks = await takeMarks();
      const warm = await ask('GfxBurst000001');
      console.log(`cold start ${k}: ${cold.ms.toFixed(0)} ms (${cold.ok}), then warm ${warm.ms.toFixed(1)} ms; RSS stopped ${rssStopped.toFixed(0)} MB, peak ${coldPeak.toFixed(0)} MB`);
      colds.push(`${cold.ms.toFixed(0)} ms`);
      report.push(`#### ${n.toLocaleString('en')} images: cold start ${k} — the worker stopped, then one lookup from the content script (cached hashes): **${cold.ms.toFixed(0)} ms** to the answer (then warm: ${warm.ms.toFixed(1)} ms); extension RSS ${rssStopped.toFixed(0)} MB with the worker stopped, VmHWM during the lookup ${coldPeak.toFixed(0)} MB\n\n${PHASE_HEAD}\n${phases(marks, sampler.samples, { name: 'message sent', at: coldAt }).join('\n')}`);
    }
    await world.detach();
    console.log(`chromium ${n}: synced ${(syncedMs / 1000).toFixed(1)} s; RSS ${before.toFixed(0)} → peak ${sampledPeak.toFixed(0)} (VmHWM over the sync ${syncPeak.toFixed(0)}) → ${afterSync.toFixed(0)} after sync → ${steady.toFixed(0)} MB steady; first answers ${(firstAnswersMs / 1000).toFixed(1)} s (VmHWM ${buildPeak.toFixed(0)}); lookup ${fresh.ms.toFixed(0)} ms fresh, ${again.ms.toFixed(1)} ms cached (${fresh.ok && again.ok}); cold ${colds.join(', ')}`);
    return `| ${n.toLocaleString('en')} | ${feed.rows.toLocaleString('en')} | ${(feed.bytes / 1e6).toFixed(1)} MB | ${(syncedMs / 1000).toFixed(1)} s | ${before.toFixed(0)} → ${syncPeak.toFixed(0)} MB (sampled ${sampledPeak.toFixed(0)}) | ${afterSync.toFixed(0)} MB | ${(firstAnswersMs / 1000).toFixed(1)} s (VmHWM ${buildPeak.toFixed(0)} MB) | ${steady.toFixed(0)} MB (VmHWM ${hwm.toFixed(0)}) | ${fresh.ms.toFixed(0)} ms / ${again.ms.toFixed(1)} ms | ${colds.join(', ')} |`;
  } finally {
    await sampler.stop();
    await ext.close();
    await fixtures.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Chromium sync at scale\n\nNot run: Chromium not found.';
  const sizes = (process.env.BENCH_IMAGES ?? '100000,300000').split(',').map(Number);
  const rows: string[] = [];
  const report: string[] = [];
  for (const n of sizes) rows.push(await one(n, report));
  return `## Chromium sync at scale: binary feeds (issue 17)

Debian's Chromium, the test build, a synthetic feed (one image per entry with its 12–13 variants) in
the binary form served on a random loopback port, subscribed to in a fresh profile. RSS = the
extension's renderer process (--extension-process), sampled every 50 ms; VmHWM = the kernel's peak
for that process, reset (clear_refs 5) at the start of each stage. Phases: the worker's trace marks
(src/background/trace.ts, test build), lined up with the samples; CPU from /proc/<pid>/stat.

| images | rows | signed binary snapshot | subscribe → synced | extension RSS: before → VmHWM over the sync | after sync | first answers on a page (index built; VmHWM) | 10 s after the first lookups | one lookup from the content script: new media / cached hashes | cold start: worker stopped → first answer (cached hashes), 3 times |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${report.join('\n\n')}`;
}
