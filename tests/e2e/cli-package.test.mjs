// The publisher CLI as a desk installs it: `npm pack` (which builds the bundle), install the
// tarball into an empty prefix, then run the installed command, from outside the checkout:
// hash (against the reference C++ PDQ's recorded output), keygen, harvest on the fixture web,
// build and verify. Nothing from the dev toolchain (vite, typescript) is in the installed tree.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startFixtureWeb } from '../fixtures/web/server.mjs';
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
