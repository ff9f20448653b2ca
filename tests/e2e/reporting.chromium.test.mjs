// End to end in Debian's Chromium: reporting suspect posts and wrong matches to the reference
// receiver (a real child process, killed and restarted), the popup and the options page (a real
// signed feed added and removed), accessibility (axe-core) and a switch to Arabic (right to left).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { seriousViolations } from './helpers/axe.mjs';
import { DEMO_ENTRY_COUNT, KEY, startFeedServer } from './helpers/feed-server.mjs';
import { chromiumSession } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');
const DIALOG = '[data-already-debunked="report-dialog"]';
const postSel = (path) => `article:has(a[href="${path}"])`;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** Calls fn until it returns something truthy. */
async function eventually(fn, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Chromium: reporting, popup and options', { skip: skip ?? false }, () => {
  let session;
  let server;
  let feed;
  let receiver;
  let ext;
  let bg; // an extension page to talk to the background from

  before(async () => {
    session = await chromiumSession({ receiver: true });
    ({ server, feed, receiver, ext, popup: bg } = session);
  });
  after(() => session?.close());

  /** The X timeline with every post near the viewport, notices and report controls in place. */
  async function timeline() {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 6000 });
    await page.goto(server.url('home'));
    await page.waitForFunction(() => document.querySelectorAll('[data-already-debunked="notice"]').length >= 5, null, { timeout: 20_000 });
    await page.locator(`${postSel('/travelbug/status/1861000000000000004')} [data-already-debunked="report-control"]`).waitFor({ timeout: 15_000 });
    return page;
  }
  const preview = (page) => page.locator(`${DIALOG} [data-part="preview"]`).textContent();
  const status = () => bg.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/get-status', payload: {} }).then((r) => r.value));

  test('a post with media gets the control in its action bar; posts with a notice do not (they offer “Wrong match?”)', async () => {
    const page = await timeline();
    const withControl = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="report-control"]')].map((h) => ({
        post: h.closest('article').querySelector('a[href*="/status/"]').getAttribute('href'),
        inActionBar: h.parentElement.getAttribute('role') === 'group',
        label: h.shadowRoot.querySelector('button').getAttribute('aria-label'),
      })),
    );
    const posts = withControl.map((c) => c.post).sort();
    assert.ok(posts.includes('/alice_photos/status/1861000000000000002'), posts.join());
    assert.ok(posts.includes('/travelbug/status/1861000000000000004'));
    assert.ok(!posts.includes('/newsdesk_fx/status/1861000000000000001'), 'a post with a notice has no report control');
    assert.ok(!posts.includes('/textonly/status/1861000000000000009'), 'a post without media has none');
    assert.ok(withControl.every((c) => c.inActionBar && c.label === 'Report to fact-checkers'));
    // Adding it moves nothing: the action bar (so the post, so every post below) keeps its height.
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('[data-already-debunked="report-control"]')].map((h) => {
        const bar = h.parentElement;
        const post = bar.closest('article');
        const withIt = [bar.getBoundingClientRect().height, post.getBoundingClientRect().height];
        h.style.display = 'none';
        const without = [bar.getBoundingClientRect().height, post.getBoundingClientRect().height];
        h.style.display = '';
        return { withIt, without };
      }),
    );
    for (const { withIt, without } of heights) assert.deepEqual(withIt, without, 'the control changes no height');
    // X's action bar keeps its own buttons, in order, and the control is one more item after them.
    const bar = await page.evaluate(() => [...document.querySelector('a[href="/travelbug/status/1861000000000000004"]').closest('article').querySelector('[role="group"]').children].map((c) => c.getAttribute('data-already-debunked') ?? c.querySelector('[data-testid], a')?.getAttribute('data-testid') ?? 'link'));
    assert.deepEqual(bar.slice(0, 3), ['reply', 'retweet', 'like']);
    assert.equal(bar.at(-1), 'report-control');
    await page.locator(`${postSel('/newsdesk_fx/status/1861000000000000001')} [data-already-debunked="notice"] button:has-text("Details")`).click();
    assert.ok(await page.locator('[data-already-debunked="notice-panel"] button:has-text("Wrong match?")').count());
    await page.close();
  });

  test('report a post through the dialog: the receiver gets exactly the JSON the dialog showed, byte for byte', async () => {
    const page = await timeline();
    await page.locator(`${postSel('/alice_photos/status/1861000000000000002')} [data-already-debunked="report-control"] button`).click();
    const dialog = page.locator(`${DIALOG} [role="dialog"]`);
    await dialog.waitFor();
    assert.equal(page.url(), server.url('home'), 'the click did not reach X (no navigation to the post)');
    assert.equal(await page.locator(`${DIALOG} h2`).textContent(), 'Report to fact-checkers');
    assert.match(await page.locator(`${DIALOG} [data-part="recipient"]`).textContent(), /Local demo fact-checks \(http:\/\/127\.0\.0\.1:47111\/reports\)/);
    assert.deepEqual(await seriousViolations(page, { include: [{ fromShadowDom: [DIALOG, '.dialog'] }] }), []);

    await page.locator(`${DIALOG} input[value="edited-or-fabricated"]`).check();
    await page.locator(`${DIALOG} textarea`).fill('The sunset looks pasted in.');
    await page.locator(`${DIALOG} #ad-contact`).fill('reader@example.org');
    const shown = await preview(page);
    const report = JSON.parse(shown);
    assert.equal(report.kind, 'tip');
    assert.equal(report.reason, 'edited-or-fabricated');
    assert.equal(report.post.url, 'https://x.com/alice_photos/status/1861000000000000002');
    assert.equal(report.post.author, 'alice_photos');
    assert.equal(report.post.text, 'Sunset over the bay this evening.');
    assert.equal(report.media.length, 1);
    assert.match(report.media[0].pdq.value, /^[0-9a-f]{64}$/);
    assert.equal(report.note, 'The sunset looks pasted in.');
    assert.equal(report.contact, 'reader@example.org');
    assert.deepEqual(Object.keys(report).sort(), ['client', 'contact', 'createdAt', 'format', 'formatVersion', 'kind', 'match', 'media', 'note', 'post', 'reason', 'recipient', 'reportId'].sort());
    assert.doesNotMatch(shown, /cookie|history/i);

    await page.locator(`${DIALOG} [data-part="send"]`).click();
    await page.locator(`${DIALOG} [data-part="outcome"][data-status="delivered"]`).waitFor({ timeout: 15_000 });
    const lines = receiver.lines();
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0].report, report);
    assert.equal(lines[0].sha256, sha256(shown), 'the body sent is the very text shown');
    await page.locator(`${DIALOG} button:has-text("Close")`).click();
    assert.equal(await page.locator(DIALOG).count(), 0);
    await page.close();
  });

  test('the receiver is down: the report waits in the outbox, survives a stopped worker, and arrives once when the desk is back', async () => {
    await receiver.kill();
    const page = await timeline();
    await page.locator(`${postSel('/travelbug/status/1861000000000000004')} [data-already-debunked="report-control"] button`).click();
    await page.locator(`${DIALOG} [role="dialog"]`).waitFor();
    const shown = await preview(page);
    const { reportId } = JSON.parse(shown);
    await page.locator(`${DIALOG} [data-part="send"]`).click();
    const outcome = page.locator(`${DIALOG} [data-part="outcome"]`);
    await outcome.waitFor({ timeout: 30_000 });
    assert.equal(await outcome.getAttribute('data-status'), 'queued');
    assert.match(await outcome.textContent(), /not sent yet .*network error/i);
    await page.close();

    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    const row = popup.locator(`[data-report-id="${reportId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'queued');
    assert.match(await row.locator('.report-state').textContent(), /Not sent yet \(network error.*\); next try/);

    // MV3 stops an idle worker: the retry must come from the alarm, with the state in IndexedDB.
    const cdp = await ext.context.newCDPSession(popup);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`));
    await cdp.send('Target.closeTarget', { targetId: worker.targetId });

    await receiver.restart();
    // The first retry is due 30 s after the failure.
    const arrived = await eventually(() => receiver.lines().filter((l) => l.report.reportId === reportId).at(0), 120_000, 'the queued report never arrived');
    assert.equal(arrived.sha256, sha256(shown));
    await popup.reload();
    assert.equal(await popup.locator(`[data-report-id="${reportId}"]`).getAttribute('data-status'), 'delivered');
    assert.equal(receiver.lines().length, 2, 'each report stored once');
    await popup.close();
  });

  test('“Wrong match?” on a notice files a false-match report naming the feed entry', async () => {
    const page = await timeline();
    const notice = page.locator(`${postSel('/newsdesk_fx/status/1861000000000000001')} [data-already-debunked="notice"]`);
    await notice.locator('button:has-text("Details")').click();
    await page.locator('[data-already-debunked="notice-panel"] button:has-text("Wrong match?")').click();
    assert.equal(await page.locator('[data-already-debunked="notice-panel"]').count(), 0, 'the dialog replaces the panel');
    await page.locator(`${DIALOG} [role="dialog"]`).waitFor();
    assert.equal(await page.locator(`${DIALOG} h2`).textContent(), 'Report a wrong match');
    const report = JSON.parse(await preview(page));
    assert.equal(report.kind, 'wrong-match');
    assert.equal(report.reason, 'not-the-same-media');
    assert.equal(report.match.entryId, 'demo-2022-putin-kim-vladivostok-video');
    assert.equal(report.match.feedUrl, feed.url);
    assert.ok(report.match.distance <= 31);
    assert.equal(report.media.length, 1);
    assert.match(report.media[0].url, /KimMoscowClip/);
    await page.locator(`${DIALOG} [data-part="send"]`).click();
    await page.locator(`${DIALOG} [data-part="outcome"][data-status="delivered"]`).waitFor({ timeout: 15_000 });
    const stored = receiver.lines().find((l) => l.report.reportId === report.reportId);
    assert.deepEqual(stored.report, report);
    await page.close();
  });

  test('the context menu entry on a picture opens the dialog for that picture (background → content script)', async () => {
    const page = await timeline();
    const img = page.locator(`${postSel('/citywatch/status/1861000000000000003')} [data-testid="tweetPhoto"] img`).nth(1);
    const src = await img.evaluate((i) => i.src);
    await img.click({ button: 'right' }); // the content script notes where the reader right-clicked
    const opened = await ext.sw.evaluate(async ({ pageUrl, srcUrl }) => {
      const [tab] = await chrome.tabs.query({ url: pageUrl });
      globalThis.__alreadyDebunkedTest.clickMenu({ menuItemId: 'report-to-fact-checkers', srcUrl, frameId: 0, editable: false, modifiers: [] }, tab);
      return !!tab;
    }, { pageUrl: server.url('home'), srcUrl: src });
    assert.ok(opened);
    await page.locator(`${DIALOG} [role="dialog"]`).waitFor({ timeout: 15_000 });
    const report = JSON.parse(await preview(page));
    assert.equal(report.kind, 'tip');
    assert.equal(report.post.author, 'citywatch');
    assert.deepEqual(report.media.map((m) => m.url), [src]);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(DIALOG).count(), 0);
    await page.close();
  });

  test('the popup shows the state: switch, notices today, each feed, Sync now, the reports with their status; no serious accessibility violation', async () => {
    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.waitForSelector('[data-testid="reports"] li');
    assert.equal(await popup.locator('[data-testid="enabled"]').isChecked(), true);
    const today = Number((await popup.locator('[data-testid="notices-today"]').textContent()).match(/(\d+)$/)[1]);
    assert.ok(today >= 5, `notices today: ${today}`);
    assert.equal(today, (await status()).noticesToday);
    assert.match(await popup.locator('.feed-state').textContent(), new RegExp(`^${DEMO_ENTRY_COUNT} entries · synced `));
    const rows = await popup.locator('[data-testid="reports"] li').evaluateAll((lis) => lis.map((li) => li.dataset.status));
    assert.ok(rows.length >= 3 && rows.every((s) => s === 'delivered'), rows.join());
    const before = feed.requests.length;
    await popup.locator('[data-testid="sync-now"]').click();
    await popup.waitForSelector('[data-testid="sync-now"]:not([disabled])');
    assert.ok(feed.requests.slice(before).some((r) => r.path === '/feed/index.json'), 'Sync now fetched the index');
    assert.deepEqual(await seriousViolations(popup), []);
    // Deleting a report from the popup removes it from this device.
    const first = popup.locator('[data-testid="reports"] li').first();
    const id = await first.getAttribute('data-report-id');
    await first.locator('button:has-text("Delete")').click();
    await popup.waitForSelector(`[data-report-id="${id}"]`, { state: 'detached' });
    assert.ok(!(await status()).reports.some((r) => r.report.reportId === id));
    await popup.close();
  });

  test('options: exports of the reports, as JSON and CSV', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('options/index.html'));
    await page.waitForSelector('[data-testid="reports"] li');
    const count = await page.locator('[data-testid="reports"] li').count();
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-json"]').click()]);
    const doc = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
    assert.equal(doc.format, 'already-debunked/reports-export');
    assert.equal(doc.reports.length, count);
    for (const r of doc.reports) assert.deepEqual(r.report, receiver.lines().find((l) => l.report.reportId === r.report.reportId).report);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()]);
    const lines = fs.readFileSync(await csv.path(), 'utf8').trimEnd().split('\r\n');
    assert.match(lines[0], /^reportId,createdAt,kind,status,/);
    assert.equal(lines.length, count + 1);
    await page.close();
  });

  test('options: adding a feed checks each field, asks nothing half-way; a real signed feed is added, synced, and removed', async () => {
    const second = await startFeedServer({ port: 47112 });
    try {
      const page = await ext.context.newPage();
      await page.goto(ext.extensionUrl('options/index.html'));
      await page.waitForSelector('[data-testid="feeds"] li');
      assert.deepEqual(await seriousViolations(page), []);
      await page.locator('[data-testid="feed-name"]').fill('Second desk');
      await page.locator('[data-testid="feed-url"]').fill('ftp://127.0.0.1:47112/feed/index.json');
      await page.locator('[data-testid="feed-key"]').fill('not a key');
      await page.locator('[data-testid="feed-add"]').click();
      assert.match(await page.locator('[data-testid="feed-url-error"]').textContent(), /must start with https:\/\//);
      assert.match(await page.locator('[data-testid="feed-key-error"]').textContent(), /44 characters of base64/);
      assert.equal(await page.locator('[data-testid="feed-url"]').getAttribute('aria-invalid'), 'true');
      assert.equal((await status()).feeds.length, 1, 'nothing was added');

      await page.locator('[data-testid="feed-url"]').fill(second.url);
      await page.locator('[data-testid="feed-key"]').fill(KEY.publicKey);
      await page.locator('[data-testid="feed-add"]').click();
      await page.waitForSelector(`[data-testid="feeds"] li[data-url="${second.url}"]`);
      const added = (await status()).feeds.find((f) => f.url === second.url);
      assert.equal(added.name, 'Second desk');
      assert.equal(added.entries, DEMO_ENTRY_COUNT, 'synced when added');
      assert.equal(added.lastError, null);
      assert.ok(second.requests.some((r) => r.path === '/feed/index.json'));
      assert.equal(await page.locator('[data-testid="feed-name"]').inputValue(), '', 'the form is cleared');

      await page.locator(`[data-testid="feeds"] li[data-url="${second.url}"] [data-testid="feed-remove"]`).click();
      await page.waitForSelector(`[data-testid="feeds"] li[data-url="${second.url}"]`, { state: 'detached' });
      assert.deepEqual((await status()).feeds.map((f) => f.url), [feed.url]);
      await page.close();
    } finally {
      await second.close();
    }
  });

  test('options: settings export and import round-trip; a bad file changes nothing, with the reason next to the field', async () => {
    const page = await ext.context.newPage();
    await page.goto(ext.extensionUrl('options/index.html'));
    await page.waitForSelector('[data-testid="feeds"] li');
    await page.locator('[data-testid="strictness-strict"]').check();
    await page.waitForSelector('[data-testid="strictness-strict"]:checked');
    assert.equal((await status()).settings.matchStrictness, 'strict');
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-settings"]').click()]);
    const exported = JSON.parse(fs.readFileSync(await file.path(), 'utf8'));
    assert.equal(exported.matchStrictness, 'strict');
    await page.locator('[data-testid="strictness-standard"]').check();
    await page.waitForSelector('[data-testid="strictness-standard"]:checked');

    await page.locator('[data-testid="import-settings"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...exported, matchStrictness: 'extreme' })) });
    await page.locator('[data-testid="import-confirm"]').click();
    assert.match(await page.locator('[data-testid="import-error"]').textContent(), /Nothing was changed: .*matchStrictness/);
    assert.equal((await status()).settings.matchStrictness, 'standard', 'nothing saved half-way');

    await page.locator('[data-testid="import-settings"]').setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await page.locator('[data-testid="import-confirm"]').click();
    await page.waitForSelector('[data-testid="strictness-strict"]:checked');
    assert.deepEqual((await status()).settings, exported);
    await page.locator('[data-testid="strictness-standard"]').check(); // back to the default
    await page.waitForSelector('[data-testid="strictness-standard"]:checked');
    await page.close();
  });

  test('options: the reader’s own report address is checked, saved, and offered in the dialog; caches clear', async () => {
    const options = await ext.context.newPage();
    await options.goto(ext.extensionUrl('options/index.html'));
    await options.waitForSelector('[data-testid="report-endpoint"]');
    await options.locator('[data-testid="report-endpoint"]').fill('desk.example.org/reports');
    await options.locator('[data-testid="endpoint-save"]').click();
    assert.match(await options.locator('[data-testid="report-endpoint-error"]').textContent(), /must start with https:\/\//);
    assert.equal((await status()).settings.reportEndpoint, null, 'nothing saved');
    await options.locator('[data-testid="report-endpoint"]').fill(receiver.url);
    await options.locator('[data-testid="endpoint-save"]').click();
    await options.waitForSelector('.saved');
    assert.equal((await status()).settings.reportEndpoint, receiver.url);

    const page = await timeline();
    await page.locator(`${postSel('/travelbug/status/1861000000000000004')} [data-already-debunked="report-control"] button`).click();
    const select = page.locator(`${DIALOG} select#ad-recipient`);
    await select.waitFor();
    assert.deepEqual(await select.locator('option').allTextContents(), [`Local demo fact-checks (${receiver.url})`, `Your own address (${receiver.url})`]);
    await select.selectOption('1');
    const report = JSON.parse(await preview(page));
    assert.deepEqual(report.recipient, { endpoint: receiver.url, feedUrl: null, feedId: null });
    await page.locator(`${DIALOG} [data-part="send"]`).click();
    await page.locator(`${DIALOG} [data-part="outcome"][data-status="delivered"]`).waitFor({ timeout: 15_000 });
    assert.deepEqual(receiver.lines().find((l) => l.report.reportId === report.reportId).report, report);
    await page.close();

    await options.locator('[data-testid="report-endpoint"]').fill('');
    await options.locator('[data-testid="endpoint-save"]').click();
    await options.waitForFunction(() => document.querySelector('.saved')?.textContent.includes('Removed'));
    assert.equal((await status()).settings.reportEndpoint, null);

    const cached = () => ext.sw.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('already-debunked');
      open.onsuccess = () => {
        const req = open.result.transaction('mediaCache').objectStore('mediaCache').count();
        req.onsuccess = () => (open.result.close(), resolve(req.result));
      };
    }));
    assert.ok((await cached()) > 0, 'media fingerprints were cached');
    await options.locator('[data-testid="clear-caches"]').click();
    await options.waitForFunction(() => document.body.textContent.includes('Cleared.'));
    assert.equal(await cached(), 0);
    await options.close();
  });

  test('a switch to Arabic: the options, the popup, the notice and the dialog speak it, right to left', async () => {
    const options = await ext.context.newPage();
    await options.goto(ext.extensionUrl('options/index.html'));
    await options.waitForSelector('[data-testid="language"]');
    await options.locator('[data-testid="language"]').selectOption('ar');
    await options.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await options.evaluate(() => document.documentElement.lang), 'ar');
    assert.equal(await options.locator('h1').textContent(), 'إعدادات Already Debunked');
    assert.equal(await options.title(), 'إعدادات Already Debunked');
    assert.deepEqual(await seriousViolations(options), []);

    const popup = await ext.context.newPage();
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await popup.locator('[data-testid="sync-now"]').textContent(), 'زامِن الآن');
    await popup.close();

    const page = await timeline();
    const notice = page.locator(`${postSel('/newsdesk_fx/status/1861000000000000001')} [data-already-debunked="notice"]`);
    assert.equal(await notice.evaluate((h) => h.shadowRoot.lastElementChild.dir), 'rtl');
    assert.match(await notice.evaluate((h) => h.shadowRoot.querySelector(".veil").textContent), /التفاصيل/); // Details (Wrong match? is in the panel)
    await page.locator(`${postSel('/travelbug/status/1861000000000000004')} [data-already-debunked="report-control"] button`).click();
    await page.locator(`${DIALOG} [role="dialog"]`).waitFor();
    assert.equal(await page.locator(`${DIALOG} h2`).textContent(), 'إبلاغ مدقّقي الحقائق');
    assert.equal(await page.locator(DIALOG).evaluate((h) => h.shadowRoot.lastElementChild.dir), 'rtl');
    assert.equal(JSON.parse(await preview(page)).client.locale, 'ar');
    await page.keyboard.press('Escape');
    await page.close();

    await options.locator('[data-testid="language"]').selectOption(''); // back to the browser's language
    await options.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.equal(await options.locator('h1').textContent(), 'Already Debunked settings');
    await options.close();
  });
});
