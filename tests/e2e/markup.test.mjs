// End to end in Debian's Chromium: when X changes its markup, the reader sees nothing on the page,
// the popup's diagnostics name what stopped matching, and the test build warns in the console.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { readHandshake } from './helpers/checks.mjs';
import { chromiumSession } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium: X changes its markup', { skip: skip ?? false }, () => {
  let session;
  before(async () => {
    session = await chromiumSession();
  });
  after(() => session?.close());

  test('a renamed media box: no notice, a diagnostics line in the popup, a warning in the test build console', async () => {
    const { ext, server, message } = session;
    const before = await message('ui/get-status');
    assert.equal(before.value.markup, null, 'no diagnostic on a fresh profile');
    const page = await ext.context.newPage();
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.setViewportSize({ width: 1280, height: 3000 });
    // X ships new markup: the photo box is renamed (what the X module relies on is gone).
    await page.route(server.url('home'), async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replaceAll('data-testid="tweetPhoto"', 'data-testid="postMedia"') });
    });
    await page.goto(server.url('home'), { waitUntil: 'domcontentloaded' });
    await readHandshake(page);
    const deadline = Date.now() + 30_000;
    let status;
    while (!(status = (await message('ui/get-status')).value).markup) {
      if (Date.now() > deadline) throw new Error('no markup diagnostic recorded');
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(status.markup.silent.includes('mediaBox'), JSON.stringify(status.markup));
    assert.ok(status.markup.sample.mediaInPosts > 0 && status.markup.sample.boxed === 0);
    assert.ok(warnings.some((w) => /X's markup changed: .*mediaBox/.test(w)), `console: ${warnings.join(' | ')}`);
    // Quiet for the reader: nothing new on the page; notices only where a box is still recognised (cards).
    assert.equal(await page.locator('[data-already-debunked]:not([data-already-debunked="notice"]):not([data-already-debunked="report-control"])').count(), 0);
    const noticeBoxes = await page.evaluate(() => [...document.querySelectorAll('[data-already-debunked="notice"]')].map((h) => h.parentElement.getAttribute('data-testid')));
    assert.ok(noticeBoxes.every((t) => t.startsWith('card.')), `notices only in card boxes: ${noticeBoxes}`);
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    const line = popup.locator('[data-testid="markup-diagnostic"]');
    await line.waitFor({ timeout: 10_000 });
    assert.match(await line.getAttribute('data-silent'), /mediaBox/);
    assert.match(await line.textContent(), /mediaBox/);
    await Promise.all([page.close(), popup.close()]);
  });
});
