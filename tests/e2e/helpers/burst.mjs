// A burst of media lookups from several tabs at once, sent from each tab's content-script world
// (cs/match-media, as the scanner sends them), while the service worker's JS heap is sampled.
// Used by the fault-tolerance e2e test (everything answered) and the load benchmark (peak memory).
import { contentScriptWorld, workerSession } from './cdp.mjs';
import { readHandshake } from './checks.mjs';

/**
 * `lookups` URLs over `distinct` media keys (each asked for from several tabs), plus the debunked
 * flood photo in every batch, in messages of `perMessage` URLs, all sent at once.
 */
export async function lookupBurst({ context, extensionId, pageUrl, mediaOrigin, tabs = 4, lookups = 1000, distinct = 250, perMessage = 4 }) {
  const pages = [];
  const worlds = [];
  for (let t = 0; t < tabs; t++) {
    const page = await context.newPage();
    await page.goto(pageUrl);
    await readHandshake(page);
    pages.push(page);
    worlds.push(await contentScriptWorld(context, page, extensionId));
  }
  const sw = await workerSession(context, pages[0], extensionId);
  const heap = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      heap.push((await sw.send('Runtime.getHeapUsage').catch(() => ({ usedSize: NaN }))).usedSize);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const perTab = Math.ceil(lookups / tabs);
  const started = Date.now();
  const replies = await Promise.all(
    worlds.map((w, t) => {
      const urls = Array.from({ length: perTab }, (_, i) => {
        const n = (t * 37 + i) % distinct;
        return i % perMessage === 0 ? `${mediaOrigin}/media/GfxGridPhoto003?format=jpg&name=small` : `${mediaOrigin}/media/GfxBurst${String(n).padStart(6, '0')}?format=jpg&name=small`;
      });
      const messages = [];
      for (let i = 0; i < urls.length; i += perMessage) messages.push(urls.slice(i, i + perMessage));
      return w.evaluate(
        `Promise.all(${JSON.stringify(messages)}.map((urls) => chrome.runtime.sendMessage({ type: 'cs/match-media', payload: { urls } }).catch((e) => ({ ok: false, error: { code: 'lost', message: String(e) } }))))`,
        600_000,
      );
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  sampling = false;
  await sampler;
  await sw.detach();
  for (const w of worlds) await w.detach();
  for (const p of pages) await p.close();
  const results = replies.flat().flatMap((r) => (r.ok ? r.value.results : [{ url: '?', error: `${r.error.code}: ${r.error.message}`, matches: [] }]));
  return {
    asked: tabs * perTab,
    results,
    answered: results.filter((r) => r.error === null && typeof r.quality === 'number').length,
    matched: results.filter((r) => r.matches.length > 0).length,
    errors: results.filter((r) => r.error !== null).map((r) => r.error),
    peakHeap: Math.max(...heap.filter(Number.isFinite)),
    startHeap: heap[0],
    seconds,
  };
}
