// End to end in Debian's Chromium (headless, playwright-core): the test build of the extension
// loaded unpacked, against fixture pages that follow X's DOM, served on 127.0.0.1 by the test.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANDSHAKE_ATTR, chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedMedia } from './helpers/media.mjs';
import { HARD_RESHARES, addClipPost, serveReshares } from './helpers/video.mjs';
import { DEMO_ENTRY_COUNT } from './helpers/feed-server.mjs';
import { chromiumSession } from './helpers/session.mjs';
import { checkedAs, feedStatus, noticeText, protocolProbe, readHandshake, scannerIdle, scrollChecked } from './helpers/checks.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium', { skip: skip ?? false }, () => {
  let session;
  let server;
  let feed; // the feed the test build is subscribed to: synced on install (checked by the tests)
  let ext;
  let popup; // an extension page to talk to the background from

  before(async () => {
    session = await chromiumSession({ waitForSync: false });
    ({ server, feed, ext, popup } = session);
  });
  after(() => session?.close());

  test('the background service worker runs the test build', async () => {
    assert.match(ext.sw.url(), /^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
    const manifest = await ext.sw.evaluate(() => chrome.runtime.getManifest());
    assert.equal(manifest.manifest_version, 3);
    assert.match(manifest.name, /test build/);
  });

  test('the content script runs on an X timeline and reaches the background through the protocol', async () => {
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    await page.waitForSelector('article[data-testid="tweet"]');
    const hello = await readHandshake(page);
    assert.equal(hello.ready, true, JSON.stringify(hello));
    assert.equal(hello.enabled, true);
    assert.equal(hello.protocol, 1);
    assert.match(hello.version, /^\d+\.\d+\.\d+$/);
    await page.close();
  });

  test('the popup renders the stored state: switch on, the build’s default feed, the version', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('popup/index.html'));
    await page.waitForSelector('[data-testid="popup"] [data-testid="version"]');
    assert.equal(await page.locator('h1').textContent(), 'Already Debunked');
    assert.equal(await page.locator('[data-testid="enabled"]').isChecked(), true);
    await feedStatus(popup, (f) => f.seq === 1); // the sync on install has finished
    await page.reload();
    await page.waitForSelector('[data-testid="feeds"] li');
    assert.equal(await page.locator('.feed-name').textContent(), 'Local demo fact-checks');
    assert.match(await page.locator('.feed-state').textContent(), new RegExp(`^${DEMO_ENTRY_COUNT} entries · synced `));
    assert.match(await page.locator('[data-testid="version"]').textContent(), /^Version \d+\.\d+\.\d+$/);
    await page.close();
  });

  test('malformed, unknown and misdirected messages get an error answer', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('popup/index.html'));
    await page.waitForSelector('[data-testid="version"]');
    const replies = await page.evaluate(protocolProbe);
    assert.equal(replies.unknown.ok, false);
    assert.equal(replies.unknown.error.code, 'unknown-type');
    assert.equal(replies.notAnObject.error.code, 'bad-message');
    assert.equal(replies.badPayload.error.code, 'bad-payload');
    assert.match(replies.badPayload.error.message, /enabled/);
    assert.equal(replies.fromWrongSender.error.code, 'forbidden-sender');
    assert.equal(replies.good.ok, true);
    assert.equal(replies.good.value.enabled, true);
    await page.close();
  });

  test('switching off in the popup reaches the content script on the next page load', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.locator('[data-testid="enabled"]').click();
    await popup.waitForSelector('[data-testid="enabled"]:not(:checked)');
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    const hello = await readHandshake(page);
    assert.equal(hello.enabled, false);
    await popup.locator('[data-testid="enabled"]').click(); // back on for the other tests
    await popup.waitForSelector('[data-testid="enabled"]:checked');
    await Promise.all([page.close(), popup.close()]);
  });

  test('the options page renders', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('options/index.html'));
    await page.waitForSelector('[data-testid="options"] [data-testid="version"]');
    assert.equal(await page.title(), 'Already Debunked settings');
    assert.equal(await page.locator('[data-testid="feeds"] li').count(), 1);
    // It links the full privacy policy (PRIVACY.md, shipped as a page of the extension).
    const [policy] = await Promise.all([ext.context.waitForEvent('page'), page.locator('[data-testid="privacy-link"]').click()]);
    await policy.waitForLoadState();
    assert.equal(policy.url(), ext.extensionUrl('privacy.html'));
    assert.equal(await policy.title(), 'Already Debunked — privacy');
    assert.match(await policy.locator('body').textContent(), /What is never sent[^]*Which posts, pictures or pages you look at/);
    await Promise.all([policy.close(), page.close()]);
  });

  test('feed sync: a new sequence arrives as a delta; a tampered one is refused and the last good list stays; a stopped worker still answers', async () => {
    const synced = await feedStatus(popup, (f) => f.seq === 1);
    assert.equal(synced.entries, DEMO_ENTRY_COUNT);
    assert.equal(synced.lastError, null);
    assert.ok(feed.requests.every((r) => r.cookie === null), 'feed requests carry no cookies');

    await feed.publish((reviews) => reviews.slice(0, 1)); // seq 2: one entry withdrawn
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    const second = await feedStatus(popup, (f) => f.seq === 2);
    assert.equal(second.entries, 1);
    assert.ok(feed.requests.some((r) => r.path === '/feed/deltas/1-2.json'), 'took the delta, not the snapshot');
    assert.ok(!feed.requests.some((r) => r.path === '/feed/snapshots/2.json'));

    await feed.publish(); // seq 3: all entries again — but the files served are tampered with
    for (const rel of ['deltas/2-3.json', 'snapshots/3.json']) {
      const bytes = Buffer.from(feed.currentFile(rel));
      bytes[Math.floor(bytes.length / 2)] ^= 1;
      feed.override(rel, bytes);
    }
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    const refused = await feedStatus(popup, (f) => f.lastError !== null);
    assert.equal(refused.seq, 2);
    assert.equal(refused.entries, 1);
    assert.match(refused.lastError, /SHA-256|signature/);

    // Stop the service worker (MV3 does this when idle): the next message wakes a fresh one,
    // whose state comes from IndexedDB alone.
    const cdp = await ext.context.newCDPSession(popup);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`));
    assert.ok(worker, 'found the service worker target');
    await cdp.send('Target.closeTarget', { targetId: worker.targetId });
    const afterRestart = await feedStatus(popup, (f) => f.seq === 2);
    assert.equal(afterRestart.entries, 1);
    assert.match(afterRestart.lastError, /SHA-256|signature/);
  });

  test('notices: video poster, re-sized photo, quoted photo, link card, GIF thumbnail, an ad and a covered sensitive post match the feed; nothing else does', async () => {
    await feedStatus(popup, (f) => f.seq !== null);
    await feed.publish(); // back to all entries (an earlier test left the feed changed)
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT && f.lastError === null);
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 6000 }); // every post near the viewport
    await page.goto(server.url('home'));
    await page.waitForFunction(() => document.querySelectorAll('[data-already-debunked="notice"]').length >= 7, null, { timeout: 60_000 });
    await scannerIdle(page); // every media item near the viewport answered: nothing more comes
    const notices = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="notice"]')].map((host) => ({
        post: host.closest('article').querySelector('a[href*="/status/"]').getAttribute('href'),
        inMediaBox: host.parentElement.getAttribute('data-testid'),
        link: host.shadowRoot.querySelector('a.primary')?.getAttribute('href'),
        inQuote: !!host.closest('div[role="link"]'),
        text: host.shadowRoot.textContent,
        blurred: !!host.shadowRoot.querySelector('.veil.blurred'),
      })),
    );
    assert.deepEqual(notices.map((n) => n.post).sort(), [
      '/adco_fx/status/1861000000000000011/analytics', // an ad (no permalink) whose video card shows the debunked clip
      '/citywatch/status/1861000000000000003', // 1 of 4 grid photos (feed hashed its large variant)
      '/gifmaster/status/1861000000000000005', // GIF thumbnail
      '/newsdesk_fx/status/1861000000000000001', // video poster
      '/quoter/status/1861000000000000007', // the quoted post's photo (feed hashed a PNG original)
      '/readernews/status/1861000000000000006', // link card image
      '/sensitive_fx/status/1861000000000000010', // behind X's sensitive-media cover (the flood photo again)
      // and none on /nightowl_fx (the clip darkened to near black: quality 0) or /floodwatch_fx
      // (another photo of the flood scene, 42 bits away)
    ]);
    const checked = server.requests.filter((r) => r.dest === 'empty').map((r) => r.path);
    for (const p of ['KimMoscowClip~dark', 'GfxGridPhoto003~1', 'GfxBakeryPhoto1']) assert.ok(checked.some((c) => c.includes(p)), `${p} was checked`);
    assert.equal(notices.find((n) => n.post.startsWith('/quoter')).inQuote, true, 'the notice sits on the quoted media');
    assert.equal(notices.find((n) => n.post.startsWith('/readernews')).inMediaBox, 'card.layoutLarge.media');
    assert.equal(notices.find((n) => n.post.startsWith('/adco_fx')).inMediaBox, 'card.layoutLarge.media');
    const seed = notices.find((n) => n.post.startsWith('/newsdesk_fx'));
    assert.equal(seed.inMediaBox, 'tweetPhoto');
    assert.equal(seed.link, 'https://factcheck.example.org/2022/10/08/putin-kim-video-vladivostok-2019');
    assert.match(seed.text, /Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok/);
    assert.match(seed.text, /Real media, shown out of context/);
    assert.doesNotMatch(seed.text, /\bfake\b/i);
    assert.equal(seed.blurred, true);
    // "Show anyway" lifts the blur (and X's own click handler does not fire: no navigation).
    const host = page.locator('article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]');
    await host.locator('button:has-text("Show anyway")').click();
    assert.equal(await host.evaluate((h) => !!h.shadowRoot.querySelector('.veil.blurred')), false);
    assert.equal(page.url(), server.url('home'));
    await page.close();
  });

  test('banner-only mode (options page): the notice no longer blurs the media', async () => {
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT && f.lastError === null);
    const options = await ext.context.newPage();
    await options.goto(ext.extensionUrl('options/index.html'));
    await options.locator('[data-testid="display-banner"]').check();
    await options.waitForSelector('[data-testid="display-banner"]:checked');
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    const host = page.locator('article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]');
    await host.waitFor({ timeout: 60_000 });
    assert.equal(await host.evaluate((h) => !!h.shadowRoot.querySelector('.veil.blurred')), false);
    assert.equal(await host.evaluate((h) => !!h.shadowRoot.querySelector('.card')), true);
    await options.locator('[data-testid="display-blur"]').check(); // back to the default
    await options.waitForSelector('[data-testid="display-blur"]:checked');
    await Promise.all([page.close(), options.close()]);
  });

  test('notices follow the theme, work on a right-to-left page, and come back at once when X re-creates a post', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.goto(server.url('home-dark'));
    const dark = page.locator('[data-already-debunked="notice"]').first();
    await dark.waitFor({ timeout: 60_000 });
    assert.equal(await dark.getAttribute('data-theme'), 'dark');

    // X's virtualised timeline drops a cell and later builds a new one for the same post.
    const fetches = () => server.requests.filter((r) => r.path.includes('KimMoscowClip')).length;
    const before = fetches();
    const left = await page.evaluate(() => {
      const cell = document.querySelector('a[href="/newsdesk_fx/status/1861000000000000001"]').closest('[data-testid="cellInnerDiv"]');
      const html = cell.outerHTML.replace(/<div data-already-debunked[^]*?<\/div>/, '');
      const parent = cell.parentElement;
      const before = document.querySelectorAll('[data-already-debunked="notice"]').length;
      cell.remove();
      const gone = before - document.querySelectorAll('[data-already-debunked="notice"]').length;
      const fresh = document.createElement('div');
      parent.prepend(fresh);
      fresh.outerHTML = html; // a new node, as X would render it (test page only)
      return gone;
    });
    assert.equal(left, 1, 'the notice went with its post');
    const again = page.locator('article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]');
    await again.waitFor({ timeout: 5_000 });
    assert.equal(await again.count(), 1);
    assert.equal(fetches(), before, 'the re-created post was answered from the cache, not fetched again');

    await page.goto(server.url('home-rtl'));
    await page.locator('[data-already-debunked="notice"]').first().waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.close();
  });

  test('video frames: a clip whose poster matches nothing is recognised from the frames the reader plays', async () => {
    // A 3-second clip made of the debunked footage (the demo feed's keyframe), served same-origin
    // like X's MediaSource video, with an unrelated poster.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-clip-'));
    fs.writeFileSync(path.join(dir, 'frame.jpg'), (await generatedMedia('/amplify_video_thumb/1861000000000000101/img/KimMoscowClip.jpg', new URLSearchParams())).bytes);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', path.join(dir, 'frame.jpg'), '-t', '3', '-r', '10', '-vf', 'scale=640:-2', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path.join(dir, 'clip.mp4')]);
    server.setAsset('/clip.mp4', fs.readFileSync(path.join(dir, 'clip.mp4')), 'video/mp4');
    fs.rmSync(dir, { recursive: true, force: true });

    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(server.url('home'));
    await page.waitForSelector('[data-already-debunked="notice"]', { timeout: 60_000 });
    // A new post arrives at the top of the timeline: a playable clip of the debunked footage, with
    // an unrelated poster (built like X's video markup; test page only).
    await page.evaluate((posterOrigin) => {
      const list = document.querySelector('[data-testid="cellInnerDiv"]').parentElement;
      const cell = document.createElement('div');
      cell.setAttribute('data-testid', 'cellInnerDiv');
      const article = cell.appendChild(document.createElement('article'));
      article.setAttribute('data-testid', 'tweet');
      const link = article.appendChild(document.createElement('a'));
      link.href = '/clipposter/status/1861000000000000099';
      link.appendChild(document.createElement('time')).textContent = 'now';
      const box = article.appendChild(document.createElement('div'));
      box.setAttribute('data-testid', 'tweetPhoto');
      box.style.cssText = 'position: relative; width: 480px; height: 270px';
      const video = box.appendChild(document.createElement('video'));
      video.setAttribute('poster', `${posterOrigin}/ext_tw_video_thumb/1/pu/img/UnrelatedPoster.jpg`);
      video.muted = true;
      video.loop = true;
      video.src = '/clip.mp4';
      video.style.cssText = 'width: 100%; height: 100%';
      list.prepend(cell);
    }, server.mediaOrigin);
    const clipPost = page.locator('article:has(a[href="/clipposter/status/1861000000000000099"])');
    assert.equal(await checkedAs(page, `${server.mediaOrigin}/ext_tw_video_thumb/1/pu/img/UnrelatedPoster.jpg`), 'unmatched', 'the poster is checked: no match');
    assert.equal(await clipPost.locator('[data-already-debunked="notice"]').count(), 0);
    await clipPost.locator('video').evaluate((v) => v.play());
    await clipPost.locator('[data-already-debunked="notice"]').waitFor({ timeout: 60_000 });
    assert.match(await noticeText(clipPost.locator('[data-already-debunked="notice"]'), /Vladivostok/), /Vladivostok/);
    await page.close();
  });

  test('video re-shares: the seed clip in a blurred 1:1 frame, as a phone screen recording and cropped to 90% is recognised while it plays', async () => {
    await serveReshares(server);
    // The demo feed now carries the seed clip's keyframes; on a loaded machine the first sync may
    // time out: ask again, as the reader's "Sync now" does.
    let synced = await feedStatus(popup, (f) => f.seq !== null || f.lastError !== null);
    for (let i = 0; i < 3 && synced.seq === null; i++) {
      await session.message('ui/sync-now');
      synced = await feedStatus(popup, (f) => f.seq !== null || f.lastError !== null);
    }
    assert.notEqual(synced.seq, null, synced.lastError);
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(server.url('home'));
    await page.waitForSelector('[data-already-debunked="notice"]', { timeout: 15_000 });
    for (const [i, [kind, [w, h]]] of Object.entries(HARD_RESHARES).entries()) {
      const id = `18610000000000009${i}0`;
      await page.evaluate(addClipPost, [id, `/reshare-${kind}.mp4`, server.mediaOrigin, w, h]);
      const post = page.locator(`article:has(a[href="/clipposter/status/${id}"])`);
      await post.locator('video').evaluate((v) => v.play());
      await post.locator('[data-already-debunked="notice"]').waitFor({ timeout: 20_000 });
      const link = await post.locator('[data-already-debunked="notice"]').evaluate((n) => n.shadowRoot.querySelector('a.primary')?.getAttribute('href'));
      assert.equal(link, 'https://factcheck.example.org/2022/10/08/putin-kim-video-vladivostok-2019', kind);
      await post.locator('video').evaluate((v) => v.pause());
    }
    await page.close();
  });

  test('a 500-post timeline, scrolled through: notices on the 10 reposts of debunked media, nowhere else', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const before = server.requests.length;
    // Not the 'load' of 500 posts' media: the posts, then every step's media checked.
    await page.goto(server.url('big', 'n=500'), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('article[data-testid="tweet"]');
    await readHandshake(page);
    await scrollChecked(page, 700);
    const posts = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) => h.closest('article').querySelector('[data-testid="tweetText"]').textContent),
    );
    assert.equal(posts.length, 10, posts.join('\n'));
    assert.ok(posts.every((t) => /Kim arrives in Moscow|four views of the flooding/.test(t)), posts.join('\n'));
    const byExtension = server.requests.slice(before).filter((r) => r.dest === 'empty');
    assert.ok(byExtension.length > 0 && byExtension.length <= 170, `the extension fetched ${byExtension.length} media files`);
    assert.ok(byExtension.every((r) => r.cookie === null && r.referer === null), 'the extension sends no cookie or referrer');
    assert.ok(byExtension.every((r) => !r.path.startsWith('/profile_images/')), 'avatars are never fetched');
    // The same uploads reposted ten times are fetched once each.
    assert.equal(byExtension.filter((r) => r.path.includes('KimMoscowClip')).length <= 1, true);
    await page.close();
  });

  test('SPA navigation to a status page (no reload): the focal post and a reply repeating debunked media get notices', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 3000 });
    await page.goto(server.url('home'));
    await page.waitForSelector('[data-already-debunked="notice"]', { timeout: 60_000 });
    // What X does on a click: pushState, then React swaps the primary column (test page only).
    await page.evaluate(async () => {
      const target = '/newsdesk_fx/status/1861000000000000001';
      history.pushState({}, '', target);
      const html = await (await fetch(target)).text();
      const next = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-testid="primaryColumn"]');
      document.querySelector('[data-testid="primaryColumn"]').replaceWith(document.adoptNode(next));
    });
    await page.waitForFunction(() => document.querySelectorAll('article [data-already-debunked="notice"]').length >= 2, null, { timeout: 60_000 });
    await scannerIdle(page);
    const posts = await page.evaluate(() => [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) => h.closest('article').getAttribute('tabindex') + ' ' + h.closest('article').querySelector('[data-testid="tweetText"]').textContent));
    assert.deepEqual(posts.sort(), ['-1 Kim arrives in Moscow today for talks with Putin. Historic scenes.', '0 Same flood photos again?']);
    assert.equal(new URL(page.url()).pathname, '/newsdesk_fx/status/1861000000000000001');
    await page.close();
  });

  test('the media viewer (/photo/1): the large picture of debunked media gets a notice', async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.pageOrigin}/replier_two/status/1861000000000000202/photo/1`);
    const host = page.locator('[role="dialog"] [data-testid="swipe-to-dismiss"] > [data-already-debunked="notice"]');
    // Its text, once rendered (not the stylesheet, which the shadow root holds first).
    assert.match(await noticeText(host, /2014 floods/), /2014 floods/);
    await page.close();
  });

  test("behind X's sensitive-media cover: the notice waits under the cover (we never press Show) and is there when the reader reveals", async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 6000 });
    await page.goto(server.url('home'));
    const post = page.locator('article:has(a[href="/sensitive_fx/status/1861000000000000010/analytics"])');
    await post.locator('[data-already-debunked="notice"]').waitFor({ state: 'attached', timeout: 60_000 });
    const centre = async () =>
      post.locator('[data-testid="tweetPhoto"]').evaluate((box) => {
        const r = box.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit?.hasAttribute('data-already-debunked') ? 'notice' : hit?.closest('.cover-warning') ? 'x-cover' : hit?.tagName;
      });
    assert.equal(await post.locator('.cover-warning').count(), 1, "X's cover is still there: the extension does not reveal for the reader");
    assert.equal(await centre(), 'x-cover', "X's own cover stays on top until the reader chooses");
    // The reader presses X's "Show": X lifts the blur and removes its cover (as X does; test page only).
    await post.evaluate((article) => {
      article.querySelector('.cover-warning').remove();
      article.querySelector('[style*="blur"]').style.filter = 'none';
    });
    assert.equal(await centre(), 'notice', 'our notice (blurred veil and banner) is now over the media');
    assert.match(await noticeText(post.locator('[data-already-debunked="notice"]'), /2014 floods/), /2014 floods/);
    await page.close();
  });

  test('the notice follows a live theme switch: light → dim → lights out → light, without a reload', async () => {
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT && f.lastError === null);
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.goto(server.url('home'));
    const host = page.locator('article:has(a[href="/newsdesk_fx/status/1861000000000000001"]) [data-already-debunked="notice"]');
    await host.waitFor({ timeout: 60_000 });
    const look = () => host.evaluate((h) => ({ theme: h.dataset.theme, card: getComputedStyle(h.shadowRoot.querySelector('.card')).backgroundColor }));
    const light = await look();
    assert.equal(light.theme, 'light');
    const seen = [light.card];
    for (const [bg, theme] of [['rgb(21, 32, 43)', 'dim'], ['rgb(0, 0, 0)', 'dark'], ['rgb(255, 255, 255)', 'light']]) {
      await page.evaluate((c) => (document.body.style.backgroundColor = c), bg); // what X does on a display change
      await page.waitForFunction((t) => document.querySelector('[data-already-debunked="notice"]')?.dataset.theme === t, theme, { timeout: 5_000 });
      const now = await look();
      assert.equal(now.theme, theme);
      seen.push(now.card);
    }
    assert.equal(new Set(seen.slice(0, 3)).size, 3, `three different card colours for light, dim and dark: ${seen}`);
    assert.equal(seen[3], seen[0], 'back to the light colours');
    await page.close();
  });

  test('profiles, search results, bookmarks, lists and the video viewer: notices on the debunked media only; banners and avatars are never fetched', async () => {
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT && f.lastError === null);
    const cases = [
      // [path, posts (first status link, or the dialog) that must carry a notice]
      ['/newsdesk_fx', ['/citywatch/status/1861000000000000003', '/newsdesk_fx/status/1861000000000000001']], // pinned post, repost
      ['/search?q=kim%20moscow', ['/echo_chamber/status/1861000000000000401', '/quoter/status/1861000000000000007']],
      ['/i/bookmarks', ['/gifmaster/status/1861000000000000005', '/readernews/status/1861000000000000006']],
      ['/i/lists/1861000000000009001', ['/sensitive_fx/status/1861000000000000010', '/weather_fx/status/1861000000000000501']],
      ['/newsdesk_fx/status/1861000000000000001/video/1', ['/newsdesk_fx/status/1861000000000000001', '/replier_two/status/1861000000000000202', 'dialog']],
    ];
    const before = server.requests.length;
    for (const [route, expected] of cases) {
      const page = await ext.context.newPage();
      await page.setViewportSize({ width: 1280, height: 4000 });
      await page.goto(`${server.pageOrigin}${route}`);
      await page.waitForFunction((n) => document.querySelectorAll('[data-already-debunked="notice"]').length >= n, expected.length, { timeout: 60_000 });
      await scannerIdle(page); // every media item near the viewport answered: nothing more comes
      const posts = await page.evaluate(() =>
        [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) =>
          h.closest('[role="dialog"]') ? 'dialog' : h.closest('article').querySelector('a[href*="/status/"]').getAttribute('href'),
        ),
      );
      assert.deepEqual(posts.sort(), [...expected].sort(), route);
      await page.close();
    }
    const fetched = server.requests.slice(before).filter((r) => r.dest === 'empty').map((r) => r.path);
    assert.ok(fetched.length > 0);
    assert.deepEqual(fetched.filter((p) => /profile_banners|profile_images/.test(p)), [], 'no banner or avatar fetched');
  });

  test(`a page outside the content script's matches gets no content script`, async () => {
    const page = await ext.context.newPage();
    // data: URLs are not in the manifest's matches; the handshake attribute must never appear.
    await page.goto('data:text/html,<title>not X</title><p>plain page</p>');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate((a) => document.documentElement.hasAttribute(a), HANDSHAKE_ATTR), false);
    await page.close();
  });
});
