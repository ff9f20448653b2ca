// End to end in Debian's Firefox ESR: a report made through the dialog waits for Firefox's built-in
// data consent (the extension declares websiteContent as optional data collection), and goes to
// the reference receiver, exactly as shown, once the reader allows it in the popup — without an
// Origin header (Firefox's would carry its per-installation id), a cookie or a referrer.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { firefoxPath, launchFirefox, missingPrerequisite, setViewport } from './helpers/browsers.mjs';
import { feedStatus, poll } from './helpers/checks.mjs';
import { DEMO_ENTRY_COUNT, startFeedServer } from './helpers/feed-server.mjs';
import { REPORT_PORT, startReportServer } from './helpers/report-server.mjs';
import { startFixtureServer } from './helpers/server.mjs';

const skip = missingPrerequisite('Firefox', firefoxPath(), 'test-firefox');
const DIALOG = '[data-already-debunked="report-dialog"]';

describe('Firefox: reporting', { skip: skip ?? false }, () => {
  let server;
  let feed;
  let receiver;
  let relay;
  const seenHeaders = [];
  let ff;

  before(async () => {
    server = await startFixtureServer();
    feed = await startFeedServer();
    // The reference receiver behind a recording relay on the demo feed's report port, so the test
    // sees the headers a desk gets (Firefox would put its per-installation origin in Origin).
    receiver = await startReportServer({ port: REPORT_PORT + 2 });
    relay = http.createServer((req, res) => {
      seenHeaders.push(req.headers);
      const out = http.request({ host: '127.0.0.1', port: REPORT_PORT + 2, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
    });
    await new Promise((r) => relay.listen(REPORT_PORT, '127.0.0.1', r));
    // Grants an optional permission asked on a click without the doorhanger a test cannot answer.
    ff = await launchFirefox('test-firefox', { prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
  });
  after(async () => {
    await ff?.close();
    await receiver?.close();
    await new Promise((r) => (relay ? (relay.closeAllConnections(), relay.close(r)) : r()));
    await feed?.close();
    await server?.close();
  });

  test('a report waits for the reader’s data consent, then arrives exactly as shown', async () => {
    const popup = await ff.openExtensionPage('popup/index.html');
    await feedStatus(popup, (f) => f.seq === 1 && f.entries === DEMO_ENTRY_COUNT);
    const page = await ff.browser.newPage();
    await setViewport(page, { width: 1280, height: 3000 });
    await page.goto(server.url('home'));
    const control = `a[href="/alice_photos/status/1861000000000000002"]`;
    await poll(page, (sel) => !!document.querySelector(sel)?.closest('article').querySelector('[data-already-debunked="report-control"]'), control, 20_000);
    const button = await page.evaluateHandle((sel) => document.querySelector(sel).closest('article').querySelector('[data-already-debunked="report-control"]').shadowRoot.querySelector('button'), control);
    await button.click();
    const inDialog = (sel) => page.evaluate((d, s) => document.querySelector(d)?.shadowRoot.querySelector(s)?.textContent ?? null, DIALOG, sel);
    const shown = await poll(page, (d) => document.querySelector(d)?.shadowRoot.querySelector('[data-part="preview"]')?.textContent, DIALOG);
    assert.equal(JSON.parse(shown).post.url, 'https://x.com/alice_photos/status/1861000000000000002');
    const send = await page.evaluateHandle((d) => document.querySelector(d).shadowRoot.querySelector('[data-part="send"]'), DIALOG);
    await send.click();
    await poll(page, (d) => !!document.querySelector(d)?.shadowRoot.querySelector('[data-part="outcome"]'), DIALOG);
    assert.match(await inDialog('[data-part="outcome"]'), /Firefox needs your permission/);
    assert.equal(receiver.lines().length, 0, 'nothing sent before the reader allows it');
    await page.close();

    await popup.close(); // a fresh popup, as the reader opens it (BiDi reports no reload of extension pages)
    const again = await ff.openExtensionPage('popup/index.html');
    await poll(again, () => !!document.querySelector('[data-testid="allow-reports"]'));
    await again.click('[data-testid="allow-reports"]');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && receiver.lines().length === 0) await new Promise((r) => setTimeout(r, 250));
    const lines = receiver.lines();
    assert.equal(lines.length, 1);
    assert.equal(lines[0].sha256, createHash('sha256').update(shown).digest('hex'));
    const posts = seenHeaders.filter((h) => h['idempotency-key']);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].origin, undefined, 'no Origin: Firefox’s per-installation moz-extension origin would identify the reader');
    assert.equal(posts[0].cookie, undefined);
    assert.equal(posts[0].referer, undefined);
    await poll(again, () => !document.querySelector('[data-testid="allow-reports"]')); // nothing waits any more
    await again.close();
  });
});
