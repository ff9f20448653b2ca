/**
 * Load: a burst of 1,000 media lookups from four tabs at once (Debian's Chromium, the test build,
 * media served locally, 250 distinct uploads each asked for from several tabs, the debunked photo
 * in every batch): how long until all are answered, and the service worker's JS heap at its peak.
 */
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { lookupBurst } from '../e2e/helpers/burst.mjs';
import { feedStatus } from '../e2e/helpers/checks.mjs';
import { startFeedServer } from '../e2e/helpers/feed-server.mjs';
import { startFixtureServer } from '../e2e/helpers/server.mjs';

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Load\n\nNot run: Chromium not found.';
  const server = await startFixtureServer();
  const feed = await startFeedServer();
  const ext = await launchChromium('test-chrome');
  try {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await feedStatus(popup, (f: { seq: number | null }) => f.seq === 1);
    const burst = await lookupBurst({ context: ext.context, extensionId: ext.extensionId, pageUrl: server.url('home'), mediaOrigin: server.mediaOrigin });
    const fetched = server.requests.filter((r) => r.dest === 'empty' && r.path.startsWith('/media/GfxBurst')).length;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    console.log(`burst: ${burst.answered}/${burst.asked} in ${burst.seconds.toFixed(1)} s, peak ${mb(burst.peakHeap)}`);
    return `## Load: 1,000 lookups in a burst

Four tabs send ${burst.asked} media lookups at once (messages of 4 URLs over 250 distinct uploads, the
debunked photo in every message), as content scripts do. Chromium, test build, media served locally.

| measure | result |
| --- | --- |
| answered / asked | ${burst.answered} / ${burst.asked} (errors: ${burst.errors.length}${burst.errors.length ? `, e.g. "${burst.errors[0]!.slice(0, 120)}"` : ''}) |
| matched (the debunked photo each time it was asked) | ${burst.matched} |
| fetches for the 250 uploads | ${fetched} |
| time until the last answer | ${burst.seconds.toFixed(1)} s |
| worker JS heap: before → peak (sampled every 200 ms) | ${mb(burst.startHeap)} → ${mb(burst.peakHeap)} |`;
  } finally {
    await ext.close();
    await feed.close();
    await server.close();
  }
}
