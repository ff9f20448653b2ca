// The whole loop, end to end in Chromium: the extension (test build) subscribes to the desk's own
// signed feed (its URL and printed public key, as a reader would; the demo feed is removed), a
// reader reports a post of the fixture X timeline from its action bar, the desk clusters the
// report by picture, an editor drafts and publishes an entry for one picture, the extension syncs,
// and the notice appears on that post and on another post that re-shares the same picture.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromiumPath, launchChromium, missingPrerequisite } from './helpers/browsers.mjs';
import { feedStatus } from './helpers/checks.mjs';
import { editor, startDesk } from './helpers/desk.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { noticedPosts } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');
const DIALOG = '[data-already-debunked="report-dialog"]';
const REPORTED = '/citywatch/status/1861000000000000003'; // a grid of four photos
const RESHARE = '/sensitive_fx/status/1861000000000000010'; // the grid's third photo again, behind X's sensitive-media cover
const PICTURE = '/media/GfxGridPhoto003';

let desk;
let server;
let ext;

before(async () => {
  if (skip) return;
  desk = await startDesk({ args: ['--feed-name', 'Local desk', '--publisher', 'Demo Fact Check Desk'] });
  server = await startFixtureServer();
  ext = await launchChromium('test-chrome');
});
after(async () => {
  await ext?.close();
  await server?.close();
  await desk?.close();
});

test('report → cluster → publish → the notice on the post and on a re-share of the picture', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const popup = await ext.context.newPage();
  await popup.goto(ext.extensionUrl('popup/index.html'));
  const send = (type, payload) => popup.evaluate(([t, p]) => chrome.runtime.sendMessage({ type: t, payload: p }), [type, payload]);
  const demo = 'http://127.0.0.1:47110/feed/index.json'; // tests/fixtures/feeds/test-default-feeds.json
  await send('ui/remove-feed', { url: demo });
  const added = await send('ui/add-feed', { name: 'Local desk', url: `${desk.url}/feed/index.json`, publicKey: desk.publicKey });
  assert.ok(added?.ok !== false, JSON.stringify(added));
  await feedStatus(popup, (f) => f.url === `${desk.url}/feed/index.json` && f.seq === 1 && f.entries === 0, 60_000); // the desk's first, empty sequence

  // A reader reports the grid post from its action bar.
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 1280, height: 6000 });
  await page.goto(server.url('home'));
  const control = page.locator(`article:has(a[href="${REPORTED}"]) [data-already-debunked="report-control"] button`);
  await control.waitFor({ timeout: 20_000 });
  await control.click();
  await page.locator(`${DIALOG} [role="dialog"]`).waitFor();
  assert.match(await page.locator(`${DIALOG} [data-part="recipient"]`).textContent(), new RegExp(`${desk.url.replace(/\./g, '\\.')}/reports`));
  await page.locator(`${DIALOG} input[value="recycled-out-of-context"]`).check();
  await page.locator(`${DIALOG} textarea`).fill('The third photo is from an old flood.');
  await page.locator(`${DIALOG} [data-part="send"]`).click();
  await page.locator(`${DIALOG} [data-part="outcome"][data-status="delivered"]`).waitFor({ timeout: 30_000 });
  await page.close();

  // The desk grouped the report's four photos into four picture clusters.
  const api = editor(desk.url);
  await api('POST', '/api/login', { username: 'admin', password: desk.adminPassword });
  await api('POST', '/api/password', { current: desk.adminPassword, next: 'the loop test passphrase' });
  const queue = await api('GET', '/api/queue');
  assert.equal(queue.clusters.length, 4);
  assert.ok(queue.clusters.every((c) => c.kind === 'picture' && c.reportCount === 1));
  const cluster = queue.clusters.find((c) => new URL(c.mediaUrl).pathname === PICTURE);
  assert.ok(cluster, `a cluster for ${PICTURE}: ${queue.clusters.map((c) => c.mediaUrl).join(', ')}`);
  const detail = await api('GET', `/api/clusters/${cluster.id}`);
  assert.equal(detail.reports[0].postUrl, `https://x.com${REPORTED}`);
  assert.equal(detail.reports[0].note, 'The third photo is from an old flood.');

  // An editor drafts the entry and publishes.
  await api('POST', '/api/entries', {
    clusterId: cluster.id,
    ready: true,
    fields: {
      ...detail.draft,
      id: 'flood-photo-2013',
      claim: 'Photo shows this week’s flood in the city centre',
      context: 'Taken during the June 2013 floods.',
      contextDate: '2013-06-03',
      factCheckUrl: 'https://factcheck.example.org/2026/12/flood-photo-2013',
      headline: 'The flood photo is from 2013',
    },
  });
  const published = await api('POST', '/api/publish', {});
  assert.equal(published.seq, 2);
  assert.match(published.verified, /^OK .* seq 2, 1 entries/);

  // The extension syncs (the delta 1→2) and shows the notice on the post and on the re-share.
  await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
  await feedStatus(popup, (f) => f.seq === 2 && f.entries === 1, 60_000);
  assert.deepEqual(await noticedPosts(ext.context, server.url('home'), { atLeast: 2 }), [RESHARE, REPORTED].sort());
});
