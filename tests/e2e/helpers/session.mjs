// The usual setup of a Chromium end-to-end file: the fixture X and its media CDN, the demo feed the
// test build is subscribed to, optionally the reference report receiver, the test build of the
// extension, and one of its pages to talk to the background from.
import { launchChromium } from './browsers.mjs';
import { feedStatus, scannerIdle } from './checks.mjs';
import { DEMO_ENTRY_COUNT, startFeedServer } from './feed-server.mjs';
import { startReportServer } from './report-server.mjs';
import { startFixtureServer } from './server.mjs';

export async function chromiumSession({ receiver = false, waitForSync = true, binaryFeed = false } = {}) {
  const server = await startFixtureServer();
  const feed = await startFeedServer({ binary: binaryFeed });
  const reports = receiver ? await startReportServer() : null;
  const ext = await launchChromium('test-chrome');
  const popup = await ext.context.newPage();
  await popup.goto(ext.extensionUrl('popup/index.html'));
  if (waitForSync) await feedStatus(popup, (f) => f.seq === 1 && f.entries === DEMO_ENTRY_COUNT);
  return {
    server,
    feed,
    receiver: reports,
    ext,
    popup,
    /** Sends the background a ui/… message from the extension page; resolves to the raw reply. */
    message: (type, payload = {}) => popup.evaluate(([t, p]) => chrome.runtime.sendMessage({ type: t, payload: p }), [type, payload]),
    async close() {
      await ext.close();
      await reports?.close();
      await feed.close();
      await server.close();
    },
  };
}

/** The first status link of each home-timeline post that carries a notice, sorted. */
export async function noticedPosts(context, url, { atLeast = 1 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 6000 }); // every post near the viewport
  await page.goto(url);
  await page.waitForFunction((n) => document.querySelectorAll('[data-already-debunked="notice"]').length >= n, atLeast, { timeout: 60_000 }).catch(() => {});
  await scannerIdle(page); // every media item near the viewport answered: nothing more comes
  const posts = await page.evaluate(() => [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) => h.closest('article').querySelector('a[href*="/status/"]').getAttribute('href')));
  await page.close();
  return posts.sort();
}
