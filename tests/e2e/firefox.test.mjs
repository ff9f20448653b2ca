// End to end in Debian's Firefox ESR (headless, puppeteer-core over WebDriver BiDi): the test build
// installed as a temporary add-on, against fixture pages served on 127.0.0.1 by the test.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { firefoxPath, launchFirefox, missingPrerequisite, setViewport } from './helpers/browsers.mjs';
import { feedStatus, poll, protocolProbe, readHandshake, scannerIdle } from './helpers/checks.mjs';
import { DEMO_ENTRY_COUNT, startFeedServer } from './helpers/feed-server.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { HARD_RESHARES, addClipPost, serveReshares } from './helpers/video.mjs';

const skip = missingPrerequisite('Firefox', firefoxPath(), 'test-firefox');

describe('Firefox', { skip: skip ?? false }, () => {
  let server;
  let feed;
  let ff;

  before(async () => {
    server = await startFixtureServer();
    feed = await startFeedServer();
    ff = await launchFirefox('test-firefox');
  });
  after(async () => {
    await ff?.close();
    await feed?.close();
    await server?.close();
  });

  test('the add-on installs with its gecko id', () => {
    assert.equal(ff.addonId, 'already-debunked@already-debunked.org');
  });

  test('the content script runs on an X timeline and reaches the background through the protocol', async () => {
    const page = await ff.browser.newPage();
    await page.goto(server.url('home'));
    await page.waitForSelector('article[data-testid="tweet"]');
    const hello = await readHandshake(page);
    assert.equal(hello.ready, true, JSON.stringify(hello));
    assert.equal(hello.enabled, true);
    assert.equal(hello.protocol, 1);
    await page.close();
  });

  test('the popup renders the stored state, and bad messages get an error answer', async () => {
    const page = await ff.openExtensionPage('popup/index.html');
    await poll(page, () => !!document.querySelector('[data-testid="popup"] [data-testid="version"]'));
    assert.equal(await page.$eval('h1', (e) => e.textContent), 'Already Debunked');
    assert.equal(await page.$eval('[data-testid="enabled"]', (e) => e.checked), true);
    const synced = await feedStatus(page, (f) => f.seq === 1); // synced on install, in the event page
    assert.equal(synced.entries, DEMO_ENTRY_COUNT);
    assert.equal(synced.lastError, null);
    assert.equal(await page.$eval('.feed-name', (e) => e.textContent), 'Local demo fact-checks');
    const replies = await page.evaluate(protocolProbe);
    assert.equal(replies.unknown.error.code, 'unknown-type');
    assert.equal(replies.notAnObject.error.code, 'bad-message');
    assert.equal(replies.badPayload.error.code, 'bad-payload');
    assert.equal(replies.fromWrongSender.error.code, 'forbidden-sender');
    assert.equal(replies.good.ok, true);
    await page.close();
  });

  test('switching off in the popup reaches the content script on the next page load', async () => {
    const popup = await ff.openExtensionPage('popup/index.html');
    await poll(popup, () => !!document.querySelector('[data-testid="enabled"]'));
    await popup.click('[data-testid="enabled"]');
    await poll(popup, () => !!document.querySelector('[data-testid="enabled"]:not(:checked)'));
    const page = await ff.browser.newPage();
    await page.goto(server.url('home'));
    assert.equal((await readHandshake(page)).enabled, false);
    await popup.click('[data-testid="enabled"]');
    await poll(popup, () => !!document.querySelector('[data-testid="enabled"]:checked'));
    await page.close();
    await popup.close();
  });

  test('notices: poster, re-sized photo, quoted photo, card, GIF thumbnail, an ad and a covered sensitive post match the feed; nothing else does', async () => {
    const popup = await ff.openExtensionPage('popup/index.html');
    await feedStatus(popup, (f) => f.seq === 1 && f.entries === DEMO_ENTRY_COUNT);
    await popup.close();
    const page = await ff.browser.newPage();
    await setViewport(page, { width: 1280, height: 6000 });
    await page.goto(server.url('home'));
    await poll(page, () => document.querySelectorAll('[data-already-debunked="notice"]').length >= 7, undefined, 60_000);
    await scannerIdle(page); // every media item near the viewport answered: nothing more comes
    const notices = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) => ({
        post: h.closest('article').querySelector('a[href*="/status/"]').getAttribute('href'),
        link: h.shadowRoot.querySelector('a.primary')?.getAttribute('href'),
      })),
    );
    assert.deepEqual(notices.map((n) => n.post).sort(), [
      '/adco_fx/status/1861000000000000011/analytics',
      '/citywatch/status/1861000000000000003',
      '/gifmaster/status/1861000000000000005',
      '/newsdesk_fx/status/1861000000000000001',
      '/quoter/status/1861000000000000007',
      '/readernews/status/1861000000000000006',
      '/sensitive_fx/status/1861000000000000010',
    ]);
    assert.equal(notices.find((n) => n.post.startsWith('/newsdesk_fx')).link, 'https://factcheck.example.org/2022/10/08/putin-kim-video-vladivostok-2019');
    await page.close();
  });

  test('video re-shares: the seed clip in a blurred 1:1 frame, as a phone screen recording and cropped to 90% is recognised while it plays', async () => {
    await serveReshares(server);
    const popup = await ff.openExtensionPage('popup/index.html');
    // On a loaded machine the first sync may time out: ask again, as the reader's "Sync now" does.
    let synced = await feedStatus(popup, (f) => f.seq !== null || f.lastError !== null);
    for (let i = 0; i < 3 && synced.seq === null; i++) {
      await popup.evaluate(() => browser.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
      synced = await feedStatus(popup, (f) => f.seq !== null || f.lastError !== null);
    }
    assert.notEqual(synced.seq, null, synced.lastError);
    await popup.close();
    const page = await ff.browser.newPage();
    await setViewport(page, { width: 1280, height: 1400 });
    await page.goto(server.url('home'));
    await poll(page, () => document.querySelectorAll('[data-already-debunked="notice"]').length >= 1, undefined, 20_000);
    for (const [i, [kind, [w, h]]] of Object.entries(HARD_RESHARES).entries()) {
      const id = `18610000000000009${i}0`;
      await page.evaluate(addClipPost, [id, `/reshare-${kind}.mp4`, server.mediaOrigin, w, h]);
      await page.evaluate((pid) => document.querySelector(`article:has(a[href="/clipposter/status/${pid}"]) video`).play(), id);
      await poll(page, (pid) => !!document.querySelector(`article:has(a[href="/clipposter/status/${pid}"]) [data-already-debunked="notice"]`), id, 30_000).catch(() => {
        throw new Error(`no notice on the ${kind} re-share`);
      });
      const link = await page.evaluate(
        (pid) => document.querySelector(`article:has(a[href="/clipposter/status/${pid}"]) [data-already-debunked="notice"]`).shadowRoot.querySelector('a.primary')?.getAttribute('href'),
        id,
      );
      assert.equal(link, 'https://factcheck.example.org/2022/10/08/putin-kim-video-vladivostok-2019', kind);
      await page.evaluate((pid) => document.querySelector(`article:has(a[href="/clipposter/status/${pid}"]) video`).pause(), id);
    }
    await page.close();
  });

  test('a hostile page and hostile posts: no script runs, the page cannot message the extension or click for the reader, only https is linked', async () => {
    const page = await ff.browser.newPage();
    await setViewport(page, { width: 1280, height: 4000 });
    await page.goto(server.url('hostile'));
    await readHandshake(page);
    await poll(page, () => document.querySelectorAll('[data-already-debunked="notice"]').length >= 1, undefined, 60_000);
    await scannerIdle(page);
    const seen = await page.evaluate(async () => {
      const n = document.querySelector('[data-already-debunked="notice"]');
      let sent = 'no messaging API in the page';
      const api = globalThis.browser?.runtime ?? globalThis.chrome?.runtime;
      if (api?.sendMessage) sent = await api.sendMessage({ type: 'ui/set-enabled', payload: { enabled: false } }).then(() => 'sent', (e) => `refused: ${e}`);
      for (const b of n.shadowRoot.querySelectorAll('button')) b.click();
      return {
        sent,
        pwned: window.__pwned ?? null,
        notices: document.querySelectorAll('[data-already-debunked="notice"]').length,
        links: [...n.shadowRoot.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
        blurred: !!n.shadowRoot.querySelector('.veil.blurred'),
        post: n.closest('article').querySelector('a[href*="/status/"]').getAttribute('href'),
      };
    });
    assert.notEqual(seen.sent, 'sent');
    assert.equal(seen.pwned, null, 'nothing from the page ran');
    assert.equal(seen.notices, 1);
    assert.equal(seen.post, '/hostile_fx/status/1861000000000000601');
    assert.deepEqual(seen.links, ['https://factcheck.example.org/2023/05/02/flood-photo-is-from-2014']);
    assert.equal(seen.blurred, true, 'scripted clicks did not reveal the media');
    await page.close();
  });
});
