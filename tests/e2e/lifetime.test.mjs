// End to end in Debian's Chromium: the content script's lifetime. When the extension is reloaded
// (as on an update), the scripts it injected into open tabs are cut off; the old script must stop —
// no scanning, no sampling, no sends — and take its notices with it, instead of failing a send per
// new post and per second of playing video.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANDSHAKE_ATTR, chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { poll, readHandshake } from './helpers/checks.mjs';
import { chromiumSession } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium: the content script after the extension goes away', { skip: skip ?? false }, () => {
  let session;
  before(async () => {
    session = await chromiumSession();
  });
  after(() => session?.close());

  test('after a reload of the extension, the old script stops: its notices go, new posts are not scanned, nothing is sent', async () => {
    const { ext, server } = session;
    const page = await ext.context.newPage();
    const warnings = [];
    page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && warnings.push(m.text()));
    await page.setViewportSize({ width: 1280, height: 3000 });
    await page.goto(server.url('home'), { waitUntil: 'domcontentloaded' });
    assert.equal((await readHandshake(page)).ready, true);
    await page.waitForSelector('[data-already-debunked="notice"]', { timeout: 20_000 });

    // The extension is reloaded (what an update does); the old content script is not told.
    await ext.sw.evaluate(() => chrome.runtime.reload()).catch(() => undefined); // the worker goes away mid-call

    // X keeps rendering: a new post with new media arrives; the old script notices it is cut off.
    const requestsBefore = server.requests.length;
    await page.evaluate((origin) => {
      const list = document.querySelector('[data-testid="cellInnerDiv"]').parentElement;
      const cell = document.createElement('div');
      cell.setAttribute('data-testid', 'cellInnerDiv');
      cell.innerHTML = `<article data-testid="tweet"><a href="/late/status/1861000000000000098"><time>now</time></a><div data-testid="tweetPhoto"><img src="${origin}/media/GfxAfterReload1?format=jpg&name=small"></div></article>`;
      list.prepend(cell);
      window.scrollBy(0, 1);
    }, server.mediaOrigin);
    // (X's page keeps changing: each look adds a node, which the old script's observer sees.)
    const record = await poll(
      page,
      (attr) => {
        document.body.append(document.createElement('span'));
        const r = JSON.parse(document.documentElement.getAttribute(attr) ?? '{}');
        return r.invalidated ? r : null;
      },
      HANDSHAKE_ATTR,
      20_000,
    );
    assert.equal(record.invalidated, true, 'the old script knows it was cut off');
    warnings.length = 0; // (a check in flight at the reload may have failed: that one is fair to log)
    assert.equal(await page.locator('[data-already-debunked]').count(), 0, 'it took its notices and controls with it');
    // More of X's rendering: nothing of ours runs any more.
    await page.evaluate(() => {
      for (const box of document.querySelectorAll('[data-testid="tweetPhoto"]')) box.append(document.createElement('span'));
      window.scrollTo(0, 400);
    });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.locator('[data-already-debunked]').count(), 0, 'no notice comes back');
    assert.deepEqual(
      server.requests.slice(requestsBefore).filter((r) => r.path.includes('GfxAfterReload1') && r.dest === 'empty'),
      [],
      'the new post’s media was not fetched for the old script',
    );
    assert.deepEqual(warnings.filter((w) => /already-debunked|Extension context invalidated/.test(w)), [], 'nothing logged after it stopped: no failed sends');
    await page.close();
  });
});
