// Privacy and security, end to end in Debian's Chromium (the test build): what the extension sends
// (every request it makes, recorded through the DevTools protocol), whom it trusts (a hostile page,
// hostile posts, a hostile signed feed, forged media URLs), proven against the real browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { contentScriptWorld } from './helpers/cdp.mjs';
import { feedStatus, readHandshake, scrollChecked } from './helpers/checks.mjs';
import { FEED_PORT } from './helpers/feed-server.mjs';
import { chromiumSession } from './helpers/session.mjs';

// Playwright reports a service worker's requests only with this set (its CDP Network events for workers).
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');
const FEED_BASE = `http://127.0.0.1:${FEED_PORT}/feed/`;
/** X's media path shapes (the fixture CDN keeps them). */
const MEDIA_PATH = /^\/(media|amplify_video_thumb|ext_tw_video_thumb|tweet_video_thumb|card_img)\//;
const mediaKey = (u) => {
  const url = new URL(u);
  return url.pathname.replace(/\.(jpg|png|webp)$/, '');
};

describe('Chromium: privacy and security', { skip: skip ?? false }, () => {
  let session;
  let server;
  let feed;
  let receiver;
  let ext;
  let popup;
  const requests = []; // every request of the browser from here on: { url, method, by, headers, at }

  before(async () => {
    session = await chromiumSession({ receiver: true }); // the demo feed's report endpoint
    ({ server, feed, receiver, ext, popup } = session);
    const extOrigin = `chrome-extension://${ext.extensionId}/`;
    ext.context.on('request', (r) => {
      // (frame() throws for a worker's request)
      const by = r.serviceWorker() ? 'worker' : r.frame().page().url().startsWith(extOrigin) ? 'extension page' : 'web page';
      const entry = { url: r.url(), method: r.method(), by, headers: null, at: Date.now() };
      requests.push(entry);
      r.allHeaders().then((h) => (entry.headers = h), () => {});
    });
  });
  after(() => session?.close());

  test('network audit: scrolling 500 posts, a video, the popup, a sync and a report — the extension requests only on-screen X media and its feed, and the report only after Send; no cookies or identifiers', async () => {
    // The reader is "logged in" on every loopback origin: the page's own requests carry the cookie.
    await ext.context.addCookies([{ name: 'auth_token', value: 'reader-42', domain: '127.0.0.1', path: '/' }]);
    const from = requests.length;
    const onScreen = new Set(); // media keys the pages showed
    const collect = (page) =>
      page.evaluate(() => [...document.querySelectorAll('img[src], video[poster]')].map((e) => e.getAttribute(e.tagName === 'VIDEO' ? 'poster' : 'src')));

    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    // Not the 'load' of 500 posts' media: the posts, then every step's media checked.
    await page.goto(server.url('big', 'n=500'), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('article[data-testid="tweet"]');
    await readHandshake(page);
    await scrollChecked(page, 700, async () => {
      for (const u of await collect(page)) onScreen.add(mediaKey(new URL(u, server.pageOrigin).href));
    });
    // A video: the viewer of the seed clip.
    await page.goto(`${server.pageOrigin}/newsdesk_fx/status/1861000000000000001/video/1`);
    await page.waitForSelector('[role="dialog"] [data-already-debunked="notice"]', { timeout: 15_000 });
    for (const u of await collect(page)) onScreen.add(mediaKey(new URL(u, server.pageOrigin).href));
    // The popup, and a sync.
    const p = await ext.context.newPage();
    await p.goto(ext.extensionUrl('popup/index.html'));
    await p.waitForSelector('[data-testid="version"]');
    const synced = (await feedStatus(p, (f) => f.lastAttemptAt !== null)).lastAttemptAt;
    await p.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    await feedStatus(p, (f) => f.lastAttemptAt !== synced);
    // A report: the dialog is open, filled in, and nothing goes until the reader presses Send.
    await page.goto(server.url('home'));
    await page.setViewportSize({ width: 1280, height: 3000 });
    const control = page.locator('article:has(a[href="/alice_photos/status/1861000000000000002"]) [data-already-debunked="report-control"] button');
    await control.click({ timeout: 15_000 });
    for (const u of await collect(page)) onScreen.add(mediaKey(new URL(u, server.pageOrigin).href));
    await page.locator('[data-already-debunked="report-dialog"] [data-part="preview"]').waitFor();
    await page.locator('[data-already-debunked="report-dialog"] textarea').fill('Looks like an old photo.');
    await page.waitForTimeout(1000);
    const toDesk = () => requests.filter((r) => r.url === receiver.url && r.method !== 'OPTIONS');
    assert.deepEqual(toDesk(), [], 'nothing sent before Send');
    const pressed = Date.now();
    await page.locator('[data-already-debunked="report-dialog"] [data-part="send"]').click();
    await page.locator('[data-already-debunked="report-dialog"] [data-part="outcome"][data-status="delivered"]').waitFor({ timeout: 15_000 });
    assert.equal(toDesk().length, 1, 'one request to the desk');
    assert.equal(toDesk()[0].method, 'POST');
    assert.equal(toDesk()[0].by, 'worker');
    assert.ok(toDesk()[0].at >= pressed, 'after Send');
    await page.waitForTimeout(500);

    const session = requests.slice(from);
    const ours = session.filter((r) => r.by !== 'web page' && !r.url.startsWith('chrome-extension://'));
    const tally = {};
    for (const r of ours) tally[new URL(r.url).host] = (tally[new URL(r.url).host] ?? 0) + 1;
    console.log(`  requests by the extension, by host: ${JSON.stringify(tally)} (the web pages made ${session.length - ours.length - session.filter((r) => r.url.startsWith('chrome-extension://')).length})`);
    assert.ok(ours.length > 20, `the extension made ${ours.length} requests`);
    for (const r of ours) {
      const u = new URL(r.url);
      const isFeed = r.url.startsWith(FEED_BASE);
      const isMedia = u.origin === server.mediaOrigin && MEDIA_PATH.test(u.pathname);
      const isReport = r.url === receiver.url;
      assert.ok(isFeed || isMedia || isReport, `unexpected request by the ${r.by}: ${r.url}`);
      if (isMedia) {
        assert.equal(r.by, 'worker', 'media is fetched by the worker only');
        assert.ok(onScreen.has(mediaKey(r.url)), `fetched media that was not on screen: ${r.url}`);
        assert.deepEqual(Object.keys(Object.fromEntries(u.searchParams)).filter((k) => !['format', 'name'].includes(k)), [], `no parameter of ours: ${r.url}`);
      }
    }
    const withHeaders = ours.filter((r) => r.headers);
    assert.ok(withHeaders.length >= ours.length * 0.9, 'headers were recorded');
    for (const r of withHeaders) {
      assert.equal(r.headers.cookie, undefined, `no cookie on ${r.url}`);
      assert.equal(r.headers.referer, undefined, `no referrer on ${r.url}`);
      assert.equal(r.headers.origin, undefined, `no origin (our extension id) on ${r.url}`);
      assert.deepEqual(Object.keys(r.headers).filter((h) => h.startsWith('x-')), [], `no custom header on ${r.url}`);
    }
    // The cookie was there to be sent: the page's own image loads carried it.
    assert.ok(session.some((r) => r.by === 'web page' && r.headers?.cookie?.includes('reader-42')), 'the web page’s own requests carry the cookie');
    assert.ok(ours.some((r) => r.url.startsWith(FEED_BASE)) && ours.some((r) => r.by === 'worker' && !r.url.startsWith(FEED_BASE)), 'both kinds seen');
    await Promise.all([page.close(), p.close()]);
    await ext.context.clearCookies();
  });

  test('a hostile page cannot reach the extension: no messaging from its world, window messages and forged events do nothing', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 3000 });
    await page.goto(server.url('home'));
    await readHandshake(page);
    const host = page.locator('article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]');
    await host.waitFor({ timeout: 15_000 });
    const from = requests.length;
    const attempts = await page.evaluate(async ({ id, media }) => {
      const out = {};
      // 1. The extension messaging API, from the page's own world.
      out.runtime = typeof globalThis.chrome?.runtime?.sendMessage;
      try {
        await chrome.runtime.sendMessage(id, { type: 'ui/set-enabled', payload: { enabled: false } });
        out.sent = 'sent';
      } catch (e) {
        out.sent = `refused: ${String(e).slice(0, 80)}`;
      }
      // 2. Window messages and DOM events shaped like the protocol.
      const forged = { type: 'cs/match-media', payload: { urls: [`${media}/media/GfxForged00001?format=jpg`] } };
      window.postMessage(forged, '*');
      document.dispatchEvent(new CustomEvent('already-debunked', { detail: forged }));
      // 3. Scripted clicks on the notice's buttons (its shadow root is open, as X's page can see it).
      const n = document.querySelector('[data-already-debunked="notice"]');
      for (const b of n.shadowRoot.querySelectorAll('button')) {
        b.click();
        b.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
        b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      }
      out.stillBlurred = !!n.shadowRoot.querySelector('.veil.blurred');
      out.detailsOpen = !!n.shadowRoot.querySelector('.details');
      return out;
    }, { id: ext.extensionId, media: server.mediaOrigin });
    assert.notEqual(attempts.sent, 'sent', `the page's own world cannot message the extension (${attempts.runtime}: ${attempts.sent})`);
    assert.equal(attempts.stillBlurred, true, 'scripted clicks do not reveal the media');
    assert.equal(attempts.detailsOpen, false, 'scripted clicks do nothing');
    await page.waitForTimeout(1000);
    assert.deepEqual(requests.slice(from).filter((r) => r.url.includes('GfxForged')).map((r) => r.url), [], 'a forged message made the extension fetch nothing');
    const status = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/get-status', payload: {} }));
    assert.equal(status.value.enabled, true, 'still on');
    // The reader's own click still works.
    await host.locator('button:has-text("Show anyway")').click();
    assert.equal(await host.evaluate((h) => !!h.shadowRoot.querySelector('.veil.blurred')), false);
    await page.close();
  });

  test('hostile posts (HTML, script, bidi overrides, 100 KB strings, javascript: and data: URLs) and a hostile signed feed: nothing runs, nothing breaks, only https is linked', async () => {
    // The feed is signed by its publisher, and still wrong: markup, script, bidi overrides and
    // look-alike text in every field a notice shows.
    const evil = '<img src=x onerror="window.__pwned=\'feed\'"><script>window.__pwned="feed"</script>';
    await feed.publish((reviews) =>
      reviews.map((r) => ({
        ...r,
        headline: `${evil} \u202Eheadline`,
        claimReviewed: `${evil} claim`,
        reviewRating: { ...r.reviewRating, alternateName: `\u202E${evil}`.slice(0, 80) },
        author: { ...r.author, name: `\u202Esretuer\u202C ${evil}`.slice(0, 100) },
        originalMediaContextDescription: `${evil} \u2067context\u2069 ${'unbroken'.repeat(40)}`.slice(0, 300), // at the schema's limit
      })),
    );
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    const status = await feedStatus(popup, (f) => f.seq === 2 || f.lastError !== null);
    assert.equal(status.lastError, null, `the hostile-but-valid feed is accepted: ${status.lastError}`);

    const errors = [];
    const page = await ext.context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewportSize({ width: 1280, height: 4000 });
    await page.goto(server.url('hostile'));
    await readHandshake(page);
    const host = page.locator('article:has(a[href="/hostile_fx/status/1861000000000000601"]) [data-already-debunked="notice"]');
    await host.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000);
    const seen = await page.evaluate(() => {
      const hosts = [...document.querySelectorAll('[data-already-debunked]')];
      const n = hosts[0];
      const box = n.parentElement.getBoundingClientRect();
      const r = n.getBoundingClientRect();
      const card = n.shadowRoot.querySelector('.card').getBoundingClientRect();
      return {
        pwned: window.__pwned ?? null,
        notices: hosts.length,
        injected: hosts.flatMap((h) => [...h.shadowRoot.querySelectorAll('img, script, iframe, object, embed, [onerror]')]).length,
        links: hosts.flatMap((h) => [...h.shadowRoot.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))),
        bidi: /[\u202A-\u202E\u2066-\u2069]/.test(n.shadowRoot.textContent),
        text: n.shadowRoot.textContent,
        sameBox: Math.abs(r.width - box.width) < 1 && Math.abs(r.height - box.height) < 1 && Math.abs(r.top - box.top) < 1,
        cardInside: card.left >= r.left - 1 && card.right <= r.right + 1 && card.top >= r.top - 1 && card.bottom <= r.bottom + 1,
      };
    });
    assert.equal(seen.pwned, null, 'no script from the page or the feed ran');
    assert.equal(seen.notices, 1, 'one notice: the debunked flood photo in the hostile post; nothing on data:, look-alike or other pictures');
    assert.equal(seen.injected, 0, 'no element made from feed text');
    assert.deepEqual(seen.links, ['https://factcheck.example.org/2023/05/02/flood-photo-is-from-2014'], 'the one link is the https fact-check');
    assert.equal(seen.bidi, false, 'no bidi control reaches the notice');
    assert.match(seen.text, /<script>window\.__pwned="feed"<\/script>/, 'markup shows as text');
    assert.equal(seen.sameBox, true, 'the notice covers exactly its media box');
    assert.equal(seen.cardInside, true, 'long feed text scrolls inside the card, it does not spill over the page');
    assert.deepEqual(errors.filter((e) => /already-debunked/i.test(e)), [], 'the content script reported no error');
    // The extension never fetched the data: or look-alike pictures (nor anything but media).
    assert.ok(!requests.some((r) => r.by === 'worker' && /evil\.example|^data:/.test(r.url)));
    await page.close();
    await feed.publish(); // the demo feed again, for the next tests
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    await feedStatus(popup, (f) => f.seq === 3 && f.lastError === null);
  });

  test('the background fetches X media only, whatever a content script asks: intranet, cloud metadata, file:, extension and data: URLs, look-alike hosts and feed files are refused unfetched', async () => {
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    await readHandshake(page);
    const world = await contentScriptWorld(ext.context, page, ext.extensionId);
    const bad = [
      'http://10.0.0.1/media/GfxIntranet001?format=jpg',
      'http://192.168.1.1/media/GfxRouter00001',
      'http://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
      `chrome-extension://${ext.extensionId}/manifest.json`,
      'data:image/png;base64,iVBORw0KGgo=',
      'https://pbs.twimg.com.evil.example/media/GfxLookalike1',
      'https://evil.example/pbs.twimg.com/media/GfxLookalike2',
      `${FEED_BASE}index.json`, // a feed host asked for as media
      `${server.mediaOrigin}/profile_images/1/reader_normal.jpg`, // an avatar: not post media
    ];
    const from = requests.length;
    const reply = await world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/match-media', payload: { urls: ${JSON.stringify(bad)} } })`);
    assert.equal(reply.ok, true, JSON.stringify(reply));
    for (const r of reply.value.results) {
      assert.match(r.error ?? '', /refused/, `${r.url} was refused`);
      assert.deepEqual(r.matches, []);
    }
    assert.equal(reply.value.results.length, bad.length);
    // A message the schema forbids (too many URLs, not strings) is refused before any work.
    const tooMany = await world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/match-media', payload: { urls: Array(25).fill('${server.mediaOrigin}/media/GfxMany00001') } })`);
    assert.equal(tooMany.error?.code, 'bad-payload');
    const asPage = await world.evaluate(`chrome.runtime.sendMessage({ type: 'ui/set-enabled', payload: { enabled: false } })`);
    assert.equal(asPage.error?.code, 'forbidden-sender', 'a content script cannot send a page message');
    await page.waitForTimeout(500);
    const fetched = requests.slice(from).filter((r) => r.by === 'worker');
    assert.deepEqual(fetched.map((r) => r.url), [], 'nothing was fetched');
    await world.detach();
    await page.close();
  });
});
