// The scheduled-publishing recipe (examples/publish): its script, dry-run, against the fixture web
// on loopback (no network): a first run, a second that follows the "live" feed (seq 2 with a delta
// from seq 1), and a key rotation (two signing keys: every file verifies with each). And the CI
// workflow beside it runs that script with the key from the secret store, setting every variable
// the script requires.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFixtureWeb } from '../fixtures/web/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECIPE = path.join(ROOT, 'examples/publish');
const AD = `${process.execPath} ${path.join(ROOT, 'bin/already-debunked.mjs')}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-publish-'));
let web;

const sh = (cmd, args, env = {}) =>
  promisify(execFile)(cmd, args, { cwd: tmp, env: { ...process.env, ...env }, maxBuffer: 16 << 20 })
    .then((r) => ({ code: 0, ...r }))
    .catch((e) => ({ code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));

async function keygen(dir) {
  const r = await sh(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'keygen', '--out', path.join(tmp, dir)]);
  assert.equal(r.code, 0, r.stderr);
  return { secret: fs.readFileSync(path.join(tmp, dir, 'feed-key.secret'), 'utf8').trim(), pub: fs.readFileSync(path.join(tmp, dir, 'feed-key.pub'), 'utf8').trim() };
}

before(async () => {
  web = await startFixtureWeb();
  fs.writeFileSync(path.join(tmp, 'feed.json'), JSON.stringify({ id: 'https://feeds.example.org/desk/v1', name: { en: 'Desk feed' }, publisher: { name: 'Desk', url: 'https://desk.example.org/' } }));
  fs.writeFileSync(path.join(tmp, 'pages.txt'), ['# articles', 'afp/alice-photo-2019', 'politifact/card-photo-flood', 'snopes/bakery-fire-post'].map((p) => (p.startsWith('#') ? p : `${web.origin}/${p}/`)).join('\n'));
});
after(async () => {
  await web?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const recipeEnv = (extra) => ({
  AD,
  EXTRA_FLAGS: '--allow-loopback',
  DRY_RUN: '1',
  FEED_JSON: path.join(tmp, 'feed.json'),
  INPUTS: `${web.origin}/feeds/datacommons.json`,
  PAGES_FILE: path.join(tmp, 'pages.txt'),
  CONTACT_URL: 'https://desk.example.org/about-our-harvester',
  WORK_DIR: path.join(tmp, 'harvest'),
  ...extra,
});

test('dry run: harvest → build → verify, then the next run follows the live feed, then a key rotation', async () => {
  const old = await keygen('keys-old');
  const first = await sh('bash', [path.join(RECIPE, 'publish.sh')], recipeEnv({ FEED_SIGNING_KEY: old.secret, FEED_PUBLIC_KEYS: old.pub, SITE_DIR: path.join(tmp, 'site1') }));
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /wrote .*site1: seq 1, 3 entries/);
  assert.match(first.stdout, /^OK https:\/\/feeds\.example\.org\/desk\/v1: epoch 1, seq 1, 3 entries/m);
  assert.match(first.stdout, /dry run: would publish 2 files from .*site1:\n\.\/index\.json\n\.\/snapshots\/1\.json/);
  // The secret key never stays on disk.
  assert.equal(fs.readdirSync(os.tmpdir()).some((d) => fs.existsSync(path.join(os.tmpdir(), d, 'current.secret'))), false);

  // Next run: --base the live feed (here, the first run's folder), from the harvest cache.
  const second = await sh('bash', [path.join(RECIPE, 'publish.sh')], recipeEnv({ FEED_SIGNING_KEY: old.secret, FEED_PUBLIC_KEYS: old.pub, LIVE_DIR: path.join(tmp, 'site1'), SITE_DIR: path.join(tmp, 'site2') }));
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /seq 2, 3 entries, delta 1→2/);
  assert.match(second.stdout, /media fetched: 0 new, [1-9]\d* unchanged/);

  // Rotation: sign with the old and the new key; every file verifies with each.
  const next = await keygen('keys-new');
  const rotating = await sh('bash', [path.join(RECIPE, 'publish.sh')], recipeEnv({ FEED_SIGNING_KEY: old.secret, FEED_SIGNING_KEY_NEXT: next.secret, FEED_PUBLIC_KEYS: `${old.pub} ${next.pub}`, LIVE_DIR: path.join(tmp, 'site2'), SITE_DIR: path.join(tmp, 'site3') }));
  assert.equal(rotating.code, 0, rotating.stderr);
  assert.match(rotating.stdout, /seq 3, 3 entries, delta 2→3/);
  assert.match(rotating.stdout, /every file signed by each of [0-9a-f]{16}, [0-9a-f]{16}/);
  const index = JSON.parse(fs.readFileSync(path.join(tmp, 'site3', 'index.json'), 'utf8'));
  assert.equal(index.signatures.length, 2);
  // After the change-over: the new key alone follows the rotated feed.
  const after = await sh('bash', [path.join(RECIPE, 'publish.sh')], recipeEnv({ FEED_SIGNING_KEY: next.secret, FEED_PUBLIC_KEYS: next.pub, LIVE_DIR: path.join(tmp, 'site3'), SITE_DIR: path.join(tmp, 'site4') }));
  assert.equal(after.code, 0, after.stderr);
  assert.match(after.stdout, /seq 4, 3 entries, delta 3→4/);
  // A feed signed with the new key alone no longer verifies with the old one.
  const stale = await sh(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'verify', '--allow-loopback', '--pub', old.pub, path.join(tmp, 'site4')]);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /INVALID: no signature verifies/);
});

test('a missing secret stops the recipe before anything runs', async () => {
  const r = await sh('bash', [path.join(RECIPE, 'publish.sh')], recipeEnv({ FEED_SIGNING_KEY: '', FEED_PUBLIC_KEYS: 'x', SITE_DIR: path.join(tmp, 'never') }));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /FEED_SIGNING_KEY/);
  assert.equal(fs.existsSync(path.join(tmp, 'never')), false);
});

test('the CI workflow runs the recipe on a schedule with the key from the secret store', () => {
  const wf = fs.readFileSync(path.join(RECIPE, 'github-workflow.yml'), 'utf8');
  assert.match(wf, /^on:\n  schedule:\n    - cron: '[^']+'/m);
  assert.match(wf, /FEED_SIGNING_KEY: \$\{\{ secrets\.FEED_SIGNING_KEY \}\}/);
  assert.match(wf, /run: bash publish\.sh/);
  assert.match(wf, /npm install --global already-debunked@\d+\.\d+\.\d+/);
  // Every variable the script insists on is set by the workflow's step.
  const script = fs.readFileSync(path.join(RECIPE, 'publish.sh'), 'utf8');
  const required = [...script.matchAll(/: "\$\{(\w+):\?/g)].map((m) => m[1]);
  assert.deepEqual(required.sort(), ['FEED_PUBLIC_KEYS', 'FEED_SIGNING_KEY']);
  for (const name of required) assert.match(wf, new RegExp(`\\n\\s+${name}: \\$\\{\\{ (secrets|vars)\\.${name} \\}\\}`), name);
  // No key material in the workflow itself.
  assert.doesNotMatch(wf, /[A-Za-z0-9+/]{43}=/);
});
