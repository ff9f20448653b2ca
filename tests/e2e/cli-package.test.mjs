// The publisher CLI as a desk installs it: `npm pack` (which builds the bundle), install the
// tarball into an empty prefix, then run the installed command, from outside the checkout:
// hash (against the reference C++ PDQ's recorded output), keygen, harvest on the fixture web,
// build and verify, and the desk (its app, a report in, an entry published, verified).
// Nothing from the dev toolchain (vite, typescript) is in the installed tree.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startFixtureWeb } from '../fixtures/web/server.mjs';
import { editor } from './helpers/desk.mjs';
import { synthesize } from '../unit/core/pdq/synthetic.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-pkg-'));
const prefix = path.join(tmp, 'prefix');
const bin = path.join(prefix, 'bin', 'already-debunked');
let tarball;
let web;

/** Runs the installed command in an empty folder; resolves {code, stdout, stderr}. */
function cli(...args) {
  return promisify(execFile)(bin, args, { cwd: tmp, env: { ...process.env, NODE_PATH: '' }, maxBuffer: 16 << 20 })
    .then((r) => ({ code: 0, ...r }))
    .catch((e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

before(async () => {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
  tarball = path.join(tmp, name);
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: tmp, stdio: 'inherit' });
  web = await startFixtureWeb();
});
after(async () => {
  await web?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the tarball carries the built CLI and its docs, not the sources or the tests', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  for (const f of ['package/bin/already-debunked.mjs', 'package/dist/cli/main.js', 'package/package.json', 'package/README.md', 'package/LICENSE', 'package/docs/feed-format.md']) assert.ok(files.includes(f), f);
  assert.deepEqual(files.filter((f) => /^package\/(src|tests|dist\/(chrome|firefox|test-))/.test(f)), []);
  const installed = path.join(prefix, 'lib', 'node_modules', 'already-debunked');
  for (const dev of ['vite', 'typescript', 'vitest']) assert.equal(fs.existsSync(path.join(installed, 'node_modules', dev)), false, `${dev} installed`);
});

test('hash: the installed command prints what the reference C++ PDQ printed', async () => {
  // tests/unit/core/pdq/fixtures/reference-synthetic.csv: cli,64,64,3,scene,1374 (the reference CLI's output).
  const row = fs.readFileSync(path.join(ROOT, 'tests/unit/core/pdq/fixtures/reference-synthetic.csv'), 'utf8').split('\n').find((l) => l.startsWith('cli,64,64,3,scene,1374,'));
  const [, w, h, c, kind, seed, hash, quality] = row.split(',');
  const px = synthesize({ width: +w, height: +h, channels: +c, kind, seed: +seed });
  const file = path.join(tmp, 'synthetic.png');
  await sharp(Buffer.from(px.data), { raw: { width: px.width, height: px.height, channels: px.channels } }).png().toFile(file);
  const r = await cli('hash', file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${hash},${quality},${file}`);
});

test('keygen → harvest (fixture web) → build → verify, with the installed command', async () => {
  const keys = await cli('keygen', '--out', path.join(tmp, 'keys'));
  assert.equal(keys.code, 0, keys.stderr);
  fs.writeFileSync(path.join(tmp, 'feed.json'), JSON.stringify({ id: 'https://feeds.example.org/harvested/v1', name: { en: 'Harvested checks' }, publisher: { name: 'Test desk', url: 'https://desk.example.org/' } }));
  const pages = ['afp/alice-photo-2019', 'politifact/card-photo-flood', 'politifact/senator-quote-taxes', 'politifact/mayor-budget', 'politifact/governor-jobs-claim', 'snopes/bakery-fire-post'];
  const h = await cli('harvest', '--allow-loopback', '--rate', '0', '--feed', path.join(tmp, 'feed.json'), '--out', path.join(tmp, 'harvest'), '--input', `${web.origin}/feeds/datacommons.json`, ...pages.flatMap((p) => ['--page', `${web.origin}/${p}/`]));
  assert.equal(h.code, 0, h.stderr);
  assert.match(h.stdout, /entries written: 3 with 3 media/);
  assert.match(h.stderr, /dataFeedElement\[2\]\.item\[1\]: datePublished: missing/);
  const b = await cli('build', '--allow-loopback', '--input', path.join(tmp, 'harvest', 'reviews.json'), '--key', path.join(tmp, 'keys', 'feed-key.secret'), '--out', path.join(tmp, 'site'));
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /seq 1, 3 entries/);
  const v = await cli('verify', '--allow-loopback', '--pub', path.join(tmp, 'keys', 'feed-key.pub'), path.join(tmp, 'site'));
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^OK https:\/\/feeds\.example\.org\/harvested\/v1: epoch 1, seq 1, 3 entries/);
});

/** Starts the installed `already-debunked desk` on a fresh data folder; resolves its address, key and first password. */
function startInstalledDesk(data) {
  const child = spawn(bin, ['desk', '--port', '0', '--data', data, '--allow-loopback', '--feed-name', 'Installed desk', '--publisher', 'Package Test Desk'], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: '', DATABASE_URL: '' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      const url = /desk at (http:\/\/[^/\s]+)\//.exec(output)?.[1];
      const key = /public key (\S+)/.exec(output)?.[1];
      const password = /one-time password (\S+)/.exec(output)?.[1];
      if (url && key && password) resolve({ child, url, publicKey: key, password });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => reject(new Error(`the installed desk exited (${code}):\n${output}`)));
  });
}

test('desk: the installed command serves its app, takes a reader report and publishes a feed the installed verify accepts', { timeout: 180_000 }, async () => {
  const data = path.join(tmp, 'desk-data');
  const desk = await startInstalledDesk(data);
  try {
    const home = await fetch(`${desk.url}/`);
    assert.equal(home.status, 200);
    const html = await home.text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, 'the desk app page loads a script');
    assert.equal((await fetch(new URL(script, `${desk.url}/`))).status, 200, `${script} is in the package`);

    // A report as the extension sends it (docs/report-format.md), with the media's PDQ hash.
    const report = {
      format: 'already-debunked/report',
      formatVersion: 1,
      reportId: '5f0c9a52-3b8e-4a51-9d0e-2c1b7a4e6f10',
      kind: 'tip',
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      client: { name: 'already-debunked', version: '0.1.0', locale: 'en' },
      recipient: { endpoint: `${desk.url}/reports`, feedUrl: `${desk.url}/feed/index.json`, feedId: null },
      post: { url: 'https://x.com/newsdesk_fx/status/1861000000000000001', postId: '1861000000000000001', author: 'newsdesk_fx', text: 'Kim arrives in Moscow today.', lang: 'en' },
      media: [{ type: 'photo', url: 'https://pbs.twimg.com/media/GfxKimMoscow01.jpg', quoted: false, pdq: { value: '378c57bbd7100e71f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d', quality: 100 } }],
      match: null,
      reason: 'recycled-out-of-context',
      note: 'The 2019 Vladivostok summit.',
      contact: null,
    };
    const sent = await fetch(`${desk.url}/reports`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': report.reportId }, body: JSON.stringify(report) });
    assert.ok(sent.status === 201 || sent.status === 202, `report: ${sent.status} ${await sent.clone().text()}`);

    const api = editor(desk.url);
    await api('POST', '/api/login', { username: 'admin', password: desk.password });
    await api('POST', '/api/password', { current: desk.password, next: 'installed package passphrase' });
    const queue = await api('GET', '/api/queue');
    assert.equal(queue.clusters.length, 1);
    const detail = await api('GET', `/api/clusters/${queue.clusters[0].id}`);
    assert.equal(detail.reports[0].note, 'The 2019 Vladivostok summit.');
    await api('POST', '/api/entries', {
      clusterId: queue.clusters[0].id,
      ready: true,
      fields: {
        ...detail.draft,
        id: 'kim-putin-vladivostok-2019',
        claim: 'Kim Jong-un arrives in Moscow today',
        context: 'Filmed at the April 2019 summit in Vladivostok.',
        contextDate: '2019-04-25',
        factCheckUrl: 'https://factcheck.example.org/2022/kim-vladivostok-2019',
        headline: 'The clip is from 2019, in Vladivostok',
      },
    });
    const published = await api('POST', '/api/publish', {});
    assert.equal(published.seq, 2);

    // The published files, checked by the installed verify as a reader's extension would check them.
    const v = await cli('verify', '--allow-loopback', '--pub', desk.publicKey, path.join(data, 'feed'));
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^OK .*seq 2, 1 entries/);
    const served = await fetch(`${desk.url}/feed/index.json`);
    assert.equal(served.status, 200);
  } finally {
    desk.child.removeAllListeners('exit');
    const exited = new Promise((r) => desk.child.once('exit', r));
    desk.child.kill('SIGTERM');
    await exited;
  }
});
