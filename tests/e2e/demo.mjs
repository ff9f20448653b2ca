#!/usr/bin/env node
// `npm run demo`: the test build of the extension in Debian's Chromium, on a local fixture
// timeline that follows X's DOM. With a display, a browser window opens (close it to end the
// demo). Without one (a server, CI), it runs headless and saves dist/demo.png: the timeline as
// the reader sees it, with the extension's popup beside it.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, chromiumPath, distDir, launchChromium } from './helpers/browsers.mjs';
import { feedStatus, readHandshake } from './helpers/checks.mjs';
import { startFeedServer } from './helpers/feed-server.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { takeScreenshots } from './screenshots.mjs';
import { addClipPost, serveReshares } from './helpers/video.mjs';

const OUT = path.join(ROOT, 'dist', 'demo.png');
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI && !process.argv.includes('--headless');

if (!chromiumPath()) {
  console.error('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  process.exit(1);
}
if (!fs.existsSync(path.join(distDir('test-chrome'), 'manifest.json'))) {
  console.error('dist/test-chrome is missing: run npm run build:test (npm run demo does it for you)');
  process.exit(1);
}

const server = await startFixtureServer();
const feed = await startFeedServer(); // the signed demo feed the test build is subscribed to
const ext = await launchChromium('test-chrome', { headless: !headed });
try {
  // The first sync (on install) fetches the signed demo feed; browse once it is in.
  const status = await ext.context.newPage();
  await status.goto(ext.extensionUrl('popup/index.html'));
  const synced = await feedStatus(status, (f) => f.seq !== null || f.lastError !== null);
  console.log(`feed: ${synced.lastError ?? `${synced.entries} entries, sequence ${synced.seq}`}`);
  await status.close();
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.url('home'));
  await page.waitForSelector('article[data-testid="tweet"]');
  const hello = await readHandshake(page);
  console.log(`content script: ${hello.ready ? 'running' : 'NOT running'}, extension ${hello.enabled ? 'on' : 'off'}, version ${hello.version}`);
  // The seed case as it comes back: the published clip re-encoded, captioned and set in a 1:1
  // frame of its own blurred copy (helpers/media.mjs reshareClip), posted at the top and playing.
  // Its poster matches nothing; the frames the reader plays do.
  await serveReshares(server);
  await page.evaluate(addClipPost, ['1861000000000000999', '/reshare-blur11.mp4', server.mediaOrigin, 420, 420]);
  const reshare = page.locator('article:has(a[href="/clipposter/status/1861000000000000999"])');
  await reshare.locator('video').evaluate((v) => v.play());
  await reshare.locator('[data-already-debunked="notice"]').waitFor({ timeout: 30_000 }).then(
    () => console.log('the re-shared seed clip (blurred 1:1, captioned, re-encoded) got its notice while playing'),
    () => console.error('no notice on the re-shared seed clip'),
  );
  // Let lazily loaded images arrive, and the seed post's notice appear, before the picture is taken.
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 15_000 }).catch(() => {});
  await page.waitForSelector('[data-already-debunked="notice"]', { timeout: 15_000 }).catch(() => console.error('no notice appeared'));
  await page.waitForTimeout(300); // the notice's entrance animation
  console.log(`notices on screen: ${await page.locator('[data-already-debunked="notice"]').count()}`);

  if (headed) {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await page.bringToFront();
    console.log(`Timeline: ${server.url('home')}\nPopup: ${ext.extensionUrl('popup/index.html')}\nClose the browser window to end the demo.`);
    await new Promise((resolve) => ext.context.on('close', resolve));
  } else {
    const timeline = await page.screenshot();
    const popupPage = await ext.context.newPage();
    await popupPage.setViewportSize({ width: 340, height: 300 });
    await popupPage.goto(ext.extensionUrl('popup/index.html'));
    await popupPage.waitForSelector('[data-testid="version"]');
    const popup = await popupPage.locator('body').screenshot();
    const { default: sharp } = await import('sharp');
    const meta = await sharp(popup).metadata();
    // The popup drawn where the browser would open it: under the toolbar, at the right.
    const framed = await sharp(popup)
      .extend({ top: 2, bottom: 2, left: 2, right: 2, background: '#8b98a5' })
      .toBuffer();
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await sharp(timeline)
      .composite([{ input: framed, top: 12, left: 1280 - meta.width - 24 }])
      .png()
      .toFile(OUT);
    console.log(`saved ${path.relative(process.cwd(), OUT)} (no display: ran headless)`);
    // The reader's views, for the README: notice and panel in each theme, phone, Arabic, popup
    // history, first-run page (docs/screenshots/).
    const pageForMessages = await ext.context.newPage();
    await pageForMessages.goto(ext.extensionUrl('popup/index.html'));
    const message = (type, payload = {}) => pageForMessages.evaluate(([t, p]) => chrome.runtime.sendMessage({ type: t, payload: p }), [type, payload]);
    const shots = await takeScreenshots(ext, server, message);
    console.log(`saved ${shots.length} screenshots in docs/screenshots/`);
  }
} finally {
  await ext.close().catch(() => {});
  await feed.close();
  await server.close();
}
