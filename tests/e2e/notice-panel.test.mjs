// The notice fits any media box: on a large picture a card, on a small one a label, and from both a
// details panel that is wholly visible, outside the picture, operable by keyboard alone, and that
// closes back to the notice — in Chromium and in Firefox. axe-core checks the notice and the panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { firefoxPath, launchFirefox, missingPrerequisite, setViewport } from './helpers/browsers.mjs';
import { seriousViolations } from './helpers/axe.mjs';
import { feedStatus } from './helpers/checks.mjs';
import { startFeedServer } from './helpers/feed-server.mjs';
import { noticeForm, panelByKeyboard } from './helpers/notice-panel.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { chromiumSession } from './helpers/session.mjs';

const SEED = '/newsdesk_fx/status/1861000000000000001'; // the debunked clip's poster, large
const GRID = '/citywatch/status/1861000000000000003'; // the debunked flood photo as one of four tiles

describe('the notice and its details panel (Chromium)', () => {
  let s;
  before(async () => {
    s = await chromiumSession();
  });
  after(async () => s?.close());

  test('large media: the card; the panel opens beside or below, by keyboard alone, and closes back', async () => {
    const page = await s.ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(s.server.url('home'), { waitUntil: 'domcontentloaded' });
    assert.equal(await noticeForm(page, SEED), 'card');
    assert.deepEqual(await seriousViolations(page, { include: ['article [data-already-debunked="notice"]'] }), [], 'axe-core: the notice');
    const seen = await panelByKeyboard(page, SEED);
    assert.notEqual(seen.placement, 'sheet');
    await page.close();
  });

  test('small media: a label that opens the same panel', async () => {
    const page = await s.ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(s.server.url('home'), { waitUntil: 'domcontentloaded' });
    assert.equal(await noticeForm(page, GRID), 'label');
    await panelByKeyboard(page, GRID);
    await page.close();
  });
});

describe('the popup’s local history of notices (Chromium)', () => {
  let s;
  before(async () => {
    s = await chromiumSession();
  });
  after(async () => s?.close());

  test('lists the notices shown (post, entry, feed, links), passes axe-core, and clears', async () => {
    const page = await s.ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(s.server.url('home'), { waitUntil: 'domcontentloaded' });
    assert.equal(await noticeForm(page, SEED), 'card');
    const popup = await s.ext.context.newPage();
    await popup.goto(s.ext.extensionUrl('popup/index.html'));
    const row = popup.locator('[data-testid="history"] li[data-entry="demo-2022-putin-kim-vladivostok-video"]');
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await row.locator('a', { hasText: 'Post' }).getAttribute('href'), 'https://x.com/newsdesk_fx/status/1861000000000000001');
    assert.match(await row.textContent(), /Real media, shown out of context/);
    assert.match(await row.textContent(), /from Local demo fact-checks/);
    assert.deepEqual(await seriousViolations(popup), [], 'axe-core: the popup with its history');
    await popup.locator('[data-testid="clear-history"]').click();
    await popup.locator('[data-testid="history-empty"]').waitFor();
    await popup.reload();
    await popup.locator('[data-testid="history-empty"]').waitFor();
    await popup.close();
    await page.close();
  });
});

const skip = missingPrerequisite('Firefox', firefoxPath(), 'test-firefox');

describe('the notice and its details panel (Firefox)', { skip: skip ?? false }, () => {
  let server;
  let feed;
  let ff;
  before(async () => {
    server = await startFixtureServer();
    feed = await startFeedServer();
    ff = await launchFirefox('test-firefox');
    const popup = await ff.openExtensionPage('popup/index.html');
    await feedStatus(popup, (f) => f.seq === 1);
    await popup.close();
  });
  after(async () => {
    await ff?.close();
    await feed?.close();
    await server?.close();
  });

  for (const [name, href, form] of [['large', SEED, 'card'], ['small', GRID, 'label']]) {
    test(`${name} media: the panel by keyboard alone`, async () => {
      const page = await ff.browser.newPage();
      await setViewport(page, { width: 1280, height: 900 });
      await page.goto(server.url('home'), { waitUntil: 'domcontentloaded' });
      assert.equal(await noticeForm(page, href), form);
      await panelByKeyboard(page, href);
      await page.close();
    });
  }
});
