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
import { contentScriptWorld } from '../e2e/helpers/cdp.mjs';
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

async function one(n: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ad-csync-${n}-`));
  const tBuild = performance.now();
  const feed = writeFeed(n, dir);
  console.log(`feed ${n}: ${(feed.bytes / MB).toFixed(1)} MB signed binary, ${feed.rows} rows, built in ${((performance.now() - tBuild) / 1000).toFixed(0)} s`);
  const server = await serve(dir);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/index.json`;
  const fixtures = await startFixtureServer();
  const ext = await launchChromium('test-chrome');
  let sampling = true;
  let peak = 0;
  let current = 0;
  const sampler = (async () => {
    while (sampling) {
      current = extensionPids().reduce((s, p) => s + (status(p, 'VmRSS') || 0), 0);
      peak = Math.max(peak, current);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.evaluate((u) => chrome.runtime.sendMessage({ type: 'ui/remove-feed', payload: { url: u } }), DEFAULT_FEED);
    const before = current;
    const t0 = performance.now();
    const reply = await popup.evaluate(
      ([u, k]) => chrome.runtime.sendMessage({ type: 'ui/add-feed', payload: { name: 'Scale', url: u, publicKey: k } }),
      [url, feed.publicKey] as const,
    );
    console.log(`add-feed answered: ${JSON.stringify(reply).slice(0, 300)}`);
    const s = await feedStatus(popup, (f: { url: string; seq: number | null; lastError: string | null }) => f.url === url && (f.seq === 1 || f.lastError !== null), 3_600_000);
    const syncedMs = performance.now() - t0;
    const peakSync = peak;
    const afterSync = current;
    if (s.seq !== 1) throw new Error(`sync of ${n} failed: ${s.lastError} (${JSON.stringify(reply).slice(0, 200)})`);
    // The content script's first answers: the index is built from the stored entries.
    const page = await ext.context.newPage();
    const t1 = performance.now();
    await page.goto(fixtures.url('home'));
    await readHandshake(page, 60_000);
    await scannerIdle(page, { timeout: 3_600_000 });
    const firstAnswersMs = performance.now() - t1;
    const world = await contentScriptWorld(ext.context, page, ext.extensionId);
    const ask = async (media: string) => {
      const t = performance.now();
      const r = await world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/match-media', payload: { urls: [${JSON.stringify(`${fixtures.mediaOrigin}/media/${media}?format=jpg&name=small`)}] } })`, 600_000);
      return { ms: performance.now() - t, ok: (r as { ok: boolean }).ok };
    };
    const fresh = await ask('GfxBurst000001'); // fetched, hashed, looked up
    const again = await ask('GfxBurst000001'); // hashes cached: the lookup alone (and the message)
    await world.detach();
    await new Promise((r) => setTimeout(r, 10_000));
    const steady = current;
    const hwm = Math.max(...extensionPids().map((p) => status(p, 'VmHWM')));
    console.log(`chromium ${n}: synced ${(syncedMs / 1000).toFixed(1)} s; RSS ${before.toFixed(0)} → peak ${peakSync.toFixed(0)} (VmHWM ${hwm.toFixed(0)}) → ${afterSync.toFixed(0)} after sync → ${steady.toFixed(0)} MB steady; first answers ${(firstAnswersMs / 1000).toFixed(1)} s; lookup ${fresh.ms.toFixed(0)} ms fresh, ${again.ms.toFixed(1)} ms cached (${fresh.ok && again.ok})`);
    return `| ${n.toLocaleString('en')} | ${feed.rows.toLocaleString('en')} | ${(feed.bytes / 1e6).toFixed(1)} MB | ${(syncedMs / 1000).toFixed(1)} s | ${before.toFixed(0)} → ${Math.max(peakSync, hwm).toFixed(0)} MB | ${afterSync.toFixed(0)} MB | ${steady.toFixed(0)} MB | ${(firstAnswersMs / 1000).toFixed(1)} s | ${fresh.ms.toFixed(0)} ms / ${again.ms.toFixed(1)} ms |`;
  } finally {
    sampling = false;
    await sampler;
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
  for (const n of sizes) rows.push(await one(n));
  return `## Chromium sync at scale: binary feeds (issue 17)

Debian's Chromium, the test build, a synthetic feed (one image per entry with its 12–13 variants) in
the binary form served on a random loopback port, subscribed to in a fresh profile. RSS = the
extension's renderer process (--extension-process), sampled every 250 ms (peak: the larger of the
samples and its VmHWM).

| images | rows | signed binary snapshot | subscribe → synced | extension RSS: before → peak | after sync | 10 s after the first lookups | first answers on a page (index built) | one lookup from the content script: new media / cached hashes |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
}
