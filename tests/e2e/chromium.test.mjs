// End to end in Debian's Chromium (headless, playwright-core): the test build of the extension
// loaded unpacked, against fixture pages that follow X's DOM, served on 127.0.0.1 by the test.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HANDSHAKE_ATTR, chromiumPath, launchChromium, missingPrerequisite } from './helpers/browsers.mjs';
import { startFixtureServer } from './helpers/server.mjs';
import { protocolProbe, readHandshake } from './helpers/checks.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium', { skip: skip ?? false }, () => {
  let server;
  let ext;

  before(async () => {
    server = await startFixtureServer();
    ext = await launchChromium('test-chrome');
  });
  after(async () => {
    await ext?.close();
    await server?.close();
  });

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
    const feeds = await page.locator('[data-testid="feeds"] li').allTextContents();
    assert.deepEqual(feeds, ['Local demo fact-checksnot synced yet']);
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
    await page.close();
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
