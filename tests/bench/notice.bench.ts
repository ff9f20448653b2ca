/**
 * In the browser (Debian's Chromium, the test build): on the generated 500-post timeline, the time
 * from a matched post's media entering the viewport to its notice on screen, and the long tasks
 * (> 50 ms) during the scroll. Media is served locally, so this is the extension's own latency
 * (background fetch + decode + hash + lookup + render), cold caches.
 */
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { feedStatus } from '../e2e/helpers/checks.mjs';
import { startFeedServer } from '../e2e/helpers/feed-server.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';
import { percentile } from './lib/stats';

declare global {
  interface Window {
    __bench: { seen: Map<Element, number>; near: Map<Element, number>; shown: number[]; work: number[]; longTasks: number[] };
  }
}

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Notices in the browser\n\nNot run: Chromium not found.';
  const server = await startFixtureServer();
  const feed = await startFeedServer();
  const ext = await launchChromium('test-chrome');
  try {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await feedStatus(popup, (f: { seq: number | null }) => f.seq === 1);
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.addInitScript(() => {
      const b = { seen: new Map<Element, number>(), near: new Map<Element, number>(), shown: [] as number[], work: [] as number[], longTasks: [] as number[] };
      window.__bench = b;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => b.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
      const done = new WeakSet<Element>();
      // Every frame: note when each media box first shows in the viewport, and when its notice appears.
      const tick = () => {
        const now = performance.now();
        for (const box of document.querySelectorAll('[data-testid="tweetPhoto"]')) {
          if (done.has(box)) continue;
          const r = box.getBoundingClientRect();
          if (!b.near.has(box) && r.bottom > -600 && r.top < innerHeight + 600) b.near.set(box, now); // the extension's look-ahead
          if (!b.seen.has(box) && r.bottom > 0 && r.top < innerHeight) b.seen.set(box, now);
          if (b.near.has(box) && box.querySelector(':scope > [data-already-debunked="notice"]')) {
            b.work.push(now - b.near.get(box)!);
            b.shown.push(b.seen.has(box) ? now - b.seen.get(box)! : 0); // 0: ready before it was visible
            done.add(box);
          }
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(server.url('big', 'n=500'));
    await page.waitForSelector('article[data-testid="tweet"]');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y < height; y += 450) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(1500);
    const { shown, work, longTasks } = await page.evaluate(() => ({ shown: window.__bench.shown, work: window.__bench.work, longTasks: window.__bench.longTasks }));
    const mem = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    shown.sort((a, b) => a - b);
    work.sort((a, b) => a - b);
    console.log(`notices: ${shown.length}, latency median ${percentile(shown, 50)?.toFixed(0)} ms, p95 ${percentile(shown, 95)?.toFixed(0)} ms, long tasks ${longTasks.length}`);
    return `## Notices in the browser

Chromium ${(await ext.context.browser()?.version()) ?? '(Debian)'}, test build, the generated 500-post timeline (about a third with photos,
10 reposts of debunked media), scrolled 450 px every 120 ms, cold caches, media served locally.

| measure | result | target |
| --- | --- | --- |
| media entering the viewport → notice on screen, median (n = ${shown.length}) | ${percentile(shown, 50)?.toFixed(0)} ms | < 200 ms |
| same, p95 | ${percentile(shown, 95)?.toFixed(0)} ms | |
| media within 600 px of the viewport (where the extension starts) → notice, median / p95 | ${percentile(work, 50)?.toFixed(0)} / ${percentile(work, 95)?.toFixed(0)} ms | |
| long tasks (> 50 ms) on the page during the scroll | ${longTasks.length}${longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''} | none from the extension |
| page JS heap after the scroll | ${(mem / 2 ** 20).toFixed(0)} MB | |

Long tasks are the page's and the extension's together: the fixture page runs no script, but parsing
its 500 posts at load is one long task of the page's own.`;
  } finally {
    await ext.close();
    await feed.close();
    await server.close();
  }
}
