// X on a phone, in Firefox (the browser whose Android build runs extensions): Firefox ESR with a
// phone's window (390 × 844), touch events on, a coarse pointer and Firefox for Android's user agent,
// on fixture pages of X's mobile web layout. The same notice tests as the desktop: notices on the
// right media and none on avatars or emoji, every control at least 44 px and reachable by touch,
// the details panel as a bottom sheet wholly on screen, the report control reachable by touch, and
// the media viewer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { firefoxPath, launchFirefox, missingPrerequisite, setViewport } from './helpers/browsers.mjs';
import { feedStatus, poll, readHandshake } from './helpers/checks.mjs';
import { startFeedServer } from './helpers/feed-server.mjs';
import { PANEL } from './helpers/notice-panel.mjs';
import { startFixtureServer } from './helpers/server.mjs';

const skip = missingPrerequisite('Firefox', firefoxPath(), 'test-firefox');
const PHONE = { width: 390, height: 844 };
const ANDROID_UA = 'Mozilla/5.0 (Android 14; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0';

/** Centre of an element in a shadow root (host selector, then inner selector), or null. */
function centreOf([hostSel, inner]) {
  const host = document.querySelector(hostSel);
  const el = inner ? host?.shadowRoot?.querySelector(inner) : host;
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
}

describe('X on a phone (Firefox, mobile layout, touch)', { skip: skip ?? false }, () => {
  let server;
  let feed;
  let ff;
  let requested;
  before(async () => {
    requested = [];
    server = await startFixtureServer({ onRequest: (r) => requested.push(r) });
    feed = await startFeedServer();
    ff = await launchFirefox('test-firefox', {
      prefs: {
        'general.useragent.override': ANDROID_UA,
        'dom.w3c_touch_events.enabled': 1,
        // A touch screen: a coarse primary pointer that cannot hover (Firefox's pointer capability bits).
        'ui.primaryPointerCapabilities': 1,
        'ui.allPointerCapabilities': 1,
      },
    });
    const popup = await ff.openExtensionPage('popup/index.html');
    await feedStatus(popup, (f) => f.seq === 1);
    await popup.close();
  });
  after(async () => {
    await ff?.close();
    await feed?.close();
    await server?.close();
  });

  async function phonePage() {
    const page = await ff.browser.newPage();
    await setViewport(page, PHONE);
    await page.goto(server.url('home', 'layout=mobile'), { waitUntil: 'domcontentloaded' });
    return page;
  }

  test('notices on the right media, none on avatars or emoji; touch-sized controls', async () => {
    const page = await phonePage();
    const hello = await readHandshake(page);
    assert.equal(hello.ready, true);
    assert.equal(await page.evaluate(() => [navigator.userAgent.includes('Android'), matchMedia('(pointer: coarse)').matches, innerWidth]).then(JSON.stringify), JSON.stringify([true, true, 390]));
    const noticed = await poll(page, () => {
      const posts = [...document.querySelectorAll('[data-already-debunked="notice"]')].map((n) => n.closest('article')?.querySelector('a[href*="/status/"]')?.getAttribute('href'));
      return posts.length >= 3 ? posts.sort() : null;
    }, null, 30_000);
    // The seed clip's poster, the debunked flood photo as a grid tile, the debunked link-card image —
    // as on the desktop layout (chromium.test.mjs); not Alice's photo (with the emoji) nor the carousel.
    assert.deepEqual(noticed, ['/citywatch/status/1861000000000000003', '/newsdesk_fx/status/1861000000000000001', '/readernews/status/1861000000000000006']);
    const misplaced = await page.evaluate(() => [...document.querySelectorAll('[data-already-debunked="notice"]')].filter((n) => n.closest('[data-testid^="UserAvatar-Container"], [data-testid="TopNavBar"], [data-testid="tweetText"]')).length);
    assert.equal(misplaced, 0, 'no notice on an avatar or in the text (emoji)');
    const fetchedByUs = requested.filter((r) => r.dest === 'empty').map((r) => r.path);
    assert.deepEqual(fetchedByUs.filter((p) => /profile_images|emoji/.test(p)), [], 'the extension never fetches avatars or emoji');
    // Every control of every notice is at least 44 × 44 px, and none leaves the window.
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="notice"]')].flatMap((n) =>
        [...n.shadowRoot.querySelectorAll('a, button')].map((b) => {
          const r = b.getBoundingClientRect();
          return { text: b.textContent.trim(), w: r.width, h: r.height };
        }),
      ),
    );
    assert.ok(sizes.length >= 3, JSON.stringify(sizes));
    for (const s of sizes) assert.ok(s.w >= 44 && s.h >= 44, `touch target ≥ 44 px: ${JSON.stringify(s)}`);
    await page.close();
  });

  test('a tap on Details opens a bottom sheet wholly on screen, with 44 px controls; Close closes it', async () => {
    const page = await phonePage();
    const seed = 'article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]';
    await poll(page, (sel) => !!document.querySelector(sel)?.shadowRoot?.querySelector('.open-details, .badge'), seed, 30_000);
    await page.evaluate((sel) => document.querySelector(sel).scrollIntoView({ block: 'center' }), seed);
    const at = await page.evaluate(centreOf, [seed, '.open-details, .badge']);
    await page.touchscreen.tap(at.x, at.y);
    const sheet = await poll(page, (sel) => {
      const host = document.querySelector(sel);
      const panel = host?.shadowRoot.querySelector('.panel');
      // Placed, and its entrance animation over.
      if (host?.style.visibility !== 'visible' || panel.getAnimations().some((a) => a.playState !== 'finished')) return null;
      const r = panel.getBoundingClientRect();
      const small = [...host.shadowRoot.querySelectorAll('a, button')].map((b) => b.getBoundingClientRect()).filter((b) => b.width < 44 || b.height < 44).length;
      return { placement: host.dataset.placement, left: r.left, right: r.right, top: r.top, bottom: r.bottom, small, w: innerWidth, h: innerHeight };
    }, PANEL);
    assert.equal(sheet.placement, 'sheet');
    assert.equal(sheet.w, 390);
    assert.ok(sheet.left >= 0 && sheet.right <= sheet.w + 0.5 && sheet.top >= 0 && sheet.bottom <= sheet.h + 0.5, JSON.stringify(sheet));
    assert.equal(sheet.small, 0, 'every control in the sheet is ≥ 44 px');
    const close = await page.evaluate(centreOf, [PANEL, 'button.close']);
    await page.touchscreen.tap(close.x, close.y);
    await poll(page, (sel) => !document.querySelector(sel), PANEL);
    await page.close();
  });

  test('the report control is reachable by touch', async () => {
    const page = await phonePage();
    const control = 'article:has(a[href="/alice_photos/status/1861000000000000002"]) [data-already-debunked="report-control"]';
    await poll(page, (sel) => !!document.querySelector(sel)?.shadowRoot?.querySelector('button'), control, 30_000);
    await page.evaluate((sel) => document.querySelector(sel).scrollIntoView({ block: 'center' }), control);
    const at = await page.evaluate(centreOf, [control, 'button']);
    assert.ok(at.w >= 24 && at.h >= 1, JSON.stringify(at));
    await page.touchscreen.tap(at.x, at.y);
    await poll(page, () => !!document.querySelector('[data-already-debunked="report-dialog"]')?.shadowRoot?.querySelector('[role="dialog"]'));
    await page.close();
  });

  test('the mobile media viewer: a notice on the large picture', async () => {
    const page = await ff.browser.newPage();
    await setViewport(page, PHONE);
    await page.goto(`${server.pageOrigin}/replier_two/status/1861000000000000202/photo/1?layout=mobile`, { waitUntil: 'domcontentloaded' });
    const text = await poll(page, () => document.querySelector('[role="dialog"] [data-testid="swipe-to-dismiss"] > [data-already-debunked="notice"]')?.shadowRoot?.querySelector('.card, .badge') && document.querySelector('[data-testid="TopNavBar"]') && document.querySelector('[role="dialog"] [data-already-debunked="notice"]').shadowRoot.querySelector('.veil').textContent, null, 30_000);
    assert.match(text, /2014 floods|Real media/);
    await page.close();
  });
});
