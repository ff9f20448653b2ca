// The desk's web app in Chromium, driven by the keyboard alone: log in with the printed one-time
// password, choose a new one, open the busiest cluster of the queue, draft an entry, publish; axe-core
// finds no serious or critical violation on the login, queue, cluster and draft views; the feed the
// desk then serves verifies with its printed public key and carries the entry.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { runnerImport } from 'vite';
import { ROOT, chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { seriousViolations } from './helpers/axe.mjs';
import { startDesk, tabTo } from './helpers/desk.mjs';
import { sceneSvg } from './helpers/media.mjs';
import path from 'node:path';

// The app needs Chromium, not the extension: the check's build is the desk app's own.
const skip = chromiumPath() ? null : missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');
let desk;
let media;
let browser;

/** A report as docs/report-format.md shows it, about a picture served by the local media server. */
function report(i, mediaUrl, pdq) {
  return {
    format: 'already-debunked/report',
    formatVersion: 1,
    reportId: crypto.randomUUID(),
    kind: 'tip',
    createdAt: '2026-12-01T19:24:31.000Z',
    client: { name: 'already-debunked', version: '0.1.0', locale: 'en' },
    recipient: { endpoint: `${desk.url}/reports`, feedUrl: `${desk.url}/feed/index.json`, feedId: `${desk.url}/feed/` },
    post: { url: `https://x.com/user${i}/status/18610000000000000${10 + i}`, postId: `18610000000000000${10 + i}`, author: `user${i}`, text: 'Floods in the city centre this morning', lang: 'en' },
    media: [{ type: 'photo', url: mediaUrl, quoted: false, pdq }],
    match: null,
    reason: 'recycled-out-of-context',
    note: i === 0 ? 'This is the 2013 flood, I remember it.' : null,
    contact: null,
  };
}

before(async () => {
  if (skip) return;
  const jpg = await sharp(Buffer.from(sceneSvg('desk-app-flood', 800))).jpeg().toBuffer();
  media = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpg));
  await new Promise((r) => media.listen(0, '127.0.0.1', r));
  desk = await startDesk();
  const { module: pdq } = await runnerImport(path.join(ROOT, 'src/core/pdq/index.ts'), { configFile: false, logLevel: 'silent' });
  const { module: h } = await runnerImport(path.join(ROOT, 'src/core/hash256.ts'), { configFile: false, logLevel: 'silent' });
  const { data, info } = await sharp(jpg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const r = pdq.pdqHash({ width: info.width, height: info.height, data, channels: 4 });
  const hash = { value: h.hashToHex(r.hash), quality: r.quality };
  const url = `http://127.0.0.1:${media.address().port}/media/flood.jpg`;
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${desk.url}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report(i, url, hash)) });
    assert.equal(res.status, 201);
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  await desk?.close();
  media?.close();
});

test('the desk app, keyboard only: log in, work the queue, draft and publish; axe-clean', { skip: skip ?? false, timeout: 240_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${desk.url}/`);
  await page.getByLabel('User name').waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'login view');
  // The user name field has focus on load (waited for: typing before it would type into nothing).
  await page.waitForFunction(() => document.activeElement?.id === 'username');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(desk.adminPassword);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'current');
  await page.keyboard.type(desk.adminPassword);
  await page.keyboard.press('Tab');
  await page.keyboard.type('a long new passphrase for the desk');
  await page.keyboard.press('Enter');
  // The queue, or the form's error said plainly (a refused password must not read as a time-out).
  await page.waitForFunction(() => document.getElementById('queue-title') || document.querySelector('form [role=alert]')?.textContent, null, { timeout: 90_000 });
  assert.equal(await page.evaluate(() => document.querySelector('form [role=alert]')?.textContent ?? ''), '', 'the new password was refused');
  await page.getByRole('heading', { name: 'Reported media' }).waitFor();
  await page.locator('[data-cluster]').first().waitFor();
  assert.match(await page.locator('[data-cluster]').first().innerText(), /3 reports/);
  // The queue's thumbnail was fetched by the server and loaded.
  await page.waitForFunction(() => document.querySelector('[data-cluster] img')?.naturalWidth > 0, null, { timeout: 20_000 });
  assert.deepEqual(await seriousViolations(page), [], 'queue view');

  await tabTo(page, () => document.activeElement?.hasAttribute('data-cluster'));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'cluster-title');
  assert.match(await page.locator('#cluster-title').innerText(), /3 reports about this picture/);
  assert.match(await page.locator('.reports').innerText(), /This is the 2013 flood/);
  assert.deepEqual(await seriousViolations(page), [], 'cluster view');

  await tabTo(page, () => document.activeElement?.textContent === 'Draft an entry');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'f-id');
  assert.equal(await page.locator('#f-claim').inputValue(), 'Floods in the city centre this morning'); // prefilled from the reports
  assert.deepEqual(await seriousViolations(page), [], 'draft form');
  // Each field in turn, reached by Tab from the previous one.
  for (const [id, text] of [
    ['f-context', 'Taken during the 2013 floods in Prague.'],
    ['f-contextDate', '2013-06-03'],
    ['f-factCheckUrl', 'https://factcheck.example.org/2026/12/flood-photo-2013'],
    ['f-headline', 'The flood photo is from 2013, not this week'],
  ]) {
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.id)) !== id; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), id);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  }
  await tabTo(page, () => document.activeElement?.textContent === 'Save, ready to publish');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'ready to publish' }).waitFor();

  // Publish: back up to the header's button with Shift+Tab.
  for (let i = 0; i < 80 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Publish feed'; i++) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const status = page.getByRole('status').filter({ hasText: 'Published sequence 2' });
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /1 entries, 1 changed\. OK .* seq 2, 1 entries/);

  // What readers get: the feed verifies with the printed key and carries the entry.
  const { module: feed } = await runnerImport(path.join(ROOT, 'src/core/feed/index.ts'), { configFile: false, logLevel: 'silent' });
  const files = new Map();
  const index = new Uint8Array(await (await fetch(`${desk.url}/feed/index.json`)).arrayBuffer());
  files.set('index.json', index);
  const parsed = feed.parseIndex(feed.openEnvelope(index, [feed.publicKeyFromBase64(desk.publicKey)], feed.PAYLOAD_TYPES.index, feed.LIMITS.maxIndexBytes).payload, { testHosts: ['127.0.0.1'] });
  for (const ref of [parsed.snapshot, ...parsed.deltas]) files.set(ref.path, new Uint8Array(await (await fetch(`${desk.url}/feed/${ref.path}`)).arrayBuffer()));
  const v = feed.verifyFeed((p) => files.get(p) ?? null, [feed.publicKeyFromBase64(desk.publicKey)], { testHosts: ['127.0.0.1'] });
  assert.equal(v.snapshot.entries.length, 1);
  assert.equal(v.snapshot.entries[0].originalContext.description.en, 'Taken during the 2013 floods in Prague.');
  await page.close();
});
