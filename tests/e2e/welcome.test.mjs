// The first-run page: opened by itself when the extension is installed (Chromium and Firefox); says
// what the extension does and does not do; lists the feeds it starts with and the build's signed
// directory of known feeds, each one click from a subscription; the strictness choice; in Firefox the
// data-consent step; all of it in the reader's language, Arabic right to left; axe-core clean.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seriousViolations } from './helpers/axe.mjs';
import { firefoxPath, launchFirefox, missingPrerequisite } from './helpers/browsers.mjs';
import { poll } from './helpers/checks.mjs';
import { startFeedServer } from './helpers/feed-server.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { chromiumSession } from './helpers/session.mjs';

const FR_FEED = 'http://127.0.0.1:47110/feed-fr/index.json'; // listed in tests/fixtures/feeds/test-directory.json

describe('first-run page (Chromium)', () => {
  let s;
  let page;
  before(async () => {
    s = await chromiumSession();
    // Opened by the extension on install: find it among the tabs.
    const deadline = Date.now() + 20_000;
    while (!(page = s.ext.context.pages().find((p) => p.url().endsWith('/welcome/index.html')))) {
      if (Date.now() > deadline) throw new Error(`no first-run tab: ${s.ext.context.pages().map((p) => p.url())}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => s?.close());

  test('opens on install and says what the extension does and does not do, with the feeds it starts with', async () => {
    await page.locator('[data-testid="welcome"] [data-testid="feeds"]').waitFor();
    const text = await page.locator('main').textContent();
    assert.match(text, /Welcome to Already Debunked/);
    assert.match(text, /Nothing about what you view on X leaves your browser/);
    assert.match(text, /never calls a post fake/);
    assert.match(await page.locator('[data-testid="feeds"]').textContent(), /Local demo fact-checks/);
    assert.deepEqual(await seriousViolations(page), [], 'axe-core: the first-run page');
  });

  test('the signed directory: the feed already followed says so, another is one click away', async () => {
    const demo = page.locator('[data-testid="directory"] li[data-url="http://127.0.0.1:47110/feed/index.json"]');
    await demo.locator('[data-testid="subscribed"]').waitFor();
    const fr = page.locator(`[data-testid="directory"] li[data-url="${FR_FEED}"]`);
    assert.match(await fr.textContent(), /Languages: fr/);
    await fr.locator('[data-testid="subscribe"]').click();
    await fr.locator('[data-testid="subscribed"]').waitFor({ timeout: 15_000 });
    const status = await s.message('ui/get-status');
    assert.deepEqual(status.value.feeds.map((f) => f.url).sort(), ['http://127.0.0.1:47110/feed/index.json', FR_FEED].sort());
    await page.locator(`[data-testid="feeds"] li[data-url="${FR_FEED}"]`).waitFor();
    await s.message('ui/remove-feed', { url: FR_FEED });
  });

  test('the strictness choice is saved; Arabic turns the page right to left', async () => {
    await page.locator('[data-testid="strictness-strict"]').check();
    await poll(page, () => true);
    assert.equal((await s.message('ui/get-status')).value.settings.matchStrictness, 'strict');
    await page.locator('[data-testid="strictness-standard"]').check();
    await page.locator('[data-testid="language"]').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.match(await page.locator('h1').textContent(), /مرحبًا/);
    assert.deepEqual(await seriousViolations(page), [], 'axe-core: the first-run page in Arabic');
    await page.locator('[data-testid="language"]').selectOption('');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
  });
});

const skip = missingPrerequisite('Firefox', firefoxPath(), 'test-firefox');

describe('first-run page (Firefox)', { skip: skip ?? false }, () => {
  let server;
  let feed;
  let ff;
  before(async () => {
    server = await startFixtureServer();
    feed = await startFeedServer();
    ff = await launchFirefox('test-firefox');
  });
  after(async () => {
    await ff?.close();
    await feed?.close();
    await server?.close();
  });

  // (That it opens on install is checked in Chromium: WebDriver BiDi does not list a tab the
  // extension itself opened on a moz-extension:// page, so here the page is opened by the test.)
  test('the data-consent step and the directory', async () => {
    const page = await ff.openExtensionPage('welcome/index.html');
    await poll(page, () => !!document.querySelector('[data-testid="directory"] li') && !!document.querySelector('[data-testid="allow-reports"], [data-testid="consent-given"]'));
    assert.match(await page.evaluate(() => document.querySelector('main').textContent), /Firefox asks your permission before an extension may send website content/);
    await page.close();
  });
});
