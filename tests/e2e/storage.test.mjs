// What survives when storage or the worker fails, end to end in Debian's Chromium (test build):
// a damaged stored index, a deleted database, a full disk, and the worker stopped half-way through
// an index rebuild or a report delivery (at named test points, ../../src/background/test-points.ts).
// Each is detected, shown in the popup, and repaired without losing settings or unsent reports.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { contentScriptWorld, workerSession } from './helpers/cdp.mjs';
import { feedStatus, readHandshake } from './helpers/checks.mjs';
import { DEMO_ENTRY_COUNT } from './helpers/feed-server.mjs';
import { chromiumSession, noticedPosts } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');
const DEBUNKED = ['/adco_fx/status/1861000000000000011/analytics', '/citywatch/status/1861000000000000003', '/gifmaster/status/1861000000000000005', '/newsdesk_fx/status/1861000000000000001', '/quoter/status/1861000000000000007', '/readernews/status/1861000000000000006', '/sensitive_fx/status/1861000000000000010'];

describe('Chromium: storage and worker failures', { skip: skip ?? false }, () => {
  let session;
  let server;
  let feed;
  let receiver;
  let ext;
  let popup;
  let message;

  before(async () => {
    session = await chromiumSession({ receiver: true });
    ({ server, feed, receiver, ext, popup, message } = session);
  });
  after(() => session?.close());

  const status = async () => (await message('ui/get-status')).value;
  const origin = () => `chrome-extension://${ext.extensionId}`;

  /** The running service worker (a stopped one is replaced by the next event). */
  async function worker() {
    await status(); // wakes one if needed
    for (let i = 0; i < 50; i++) {
      const w = ext.context.serviceWorkers().find((s) => s.url().startsWith(`${origin()}/`));
      if (w && (await w.evaluate(() => true).catch(() => false))) return w;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no service worker');
  }
  async function stopWorker() {
    const sw = await workerSession(ext.context, popup, ext.extensionId);
    await sw.stop();
  }
  /**
   * Runs fn(db, arg) in the worker with the extension's database open on a second connection (fn
   * is serialised by the driver: it must be self-contained).
   */
  const inDatabase = async (fn, arg) =>
    (await worker()).evaluate(`(async () => {
      const db = await new Promise((res, rej) => { const r = indexedDB.open('already-debunked'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      try { return await (${fn.toString()})(db, ${JSON.stringify(arg ?? null)}); } finally { db.close(); }
    })()`);
  const storedIndex = () => inDatabase(async (db) => !!(await new Promise((res) => (db.transaction('matchIndex').objectStore('matchIndex').get('current').onsuccess = (e) => res(e.target.result)))));

  const noticed = () => noticedPosts(ext.context, server.url('home'), { atLeast: DEBUNKED.length });

  /** A tip about Alice's photo, sent through the protocol the report dialog uses. */
  async function sendReport() {
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    await readHandshake(page);
    const world = await contentScriptWorld(ext.context, page, ext.extensionId);
    const payload = { kind: 'tip', post: { author: 'alice_photos', postId: '1861000000000000002', text: 'Sunset over the bay this evening.', lang: 'en' }, media: [{ type: 'photo', url: `${server.mediaOrigin}/media/GfxAlicePhoto01?format=jpg&name=medium`, quoted: false }], match: null };
    const prepared = await world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/prepare-report', payload: ${JSON.stringify(payload)} })`);
    assert.equal(prepared.ok, true, JSON.stringify(prepared));
    const { draft, recipients } = prepared.value;
    const choices = { recipient: recipients[0].recipient, reason: 'recycled-out-of-context', includeText: true, note: '', contact: '' };
    const submitted = world.evaluate(`chrome.runtime.sendMessage({ type: 'cs/submit-report', payload: ${JSON.stringify({ draft, choices })} })`).catch((e) => ({ ok: false, error: { code: 'lost', message: String(e) } }));
    return { reportId: draft.reportId, submitted, close: async () => (await world.detach(), await page.close()) };
  }

  test('a damaged stored index — another format version, a truncated buffer, tables that do not fit — is detected, shown in the popup, and rebuilt', async () => {
    assert.deepEqual(await noticed(), DEBUNKED); // the index is built and stored
    for (const [damage, reason] of [['version', /index format 99/], ['truncated', /truncated or corrupt|too short/], ['tables', /rows for \d+ hashes/]]) {
      assert.equal(await storedIndex(), true, 'an index is stored');
      const done = await inDatabase(async (db, mode) => {
        const store = db.transaction('matchIndex', 'readwrite').objectStore('matchIndex');
        const rec = await new Promise((res) => (store.get('current').onsuccess = (e) => res(e.target.result)));
        if (mode === 'version') {
          rec.buffer = rec.buffer.slice(0);
          new Uint32Array(rec.buffer)[1] = 99;
        }
        if (mode === 'truncated') rec.buffer = rec.buffer.slice(0, rec.buffer.byteLength >> 1);
        if (mode === 'tables') rec.rowEntry = new Uint32Array(1);
        await new Promise((res) => (store.put(rec).onsuccess = res));
        return mode;
      }, damage);
      assert.equal(done, damage);
      await stopWorker(); // a fresh worker reads the damaged copy
      assert.deepEqual(await noticed(), DEBUNKED, `${damage}: the notices are still right`);
      const s = await status();
      assert.equal(s.storage?.kind, 'index-rebuilt', damage);
      assert.match(s.storage.detail, reason);
      assert.equal(await storedIndex(), true, `${damage}: a good index is stored again`);
    }
    const p = await ext.context.newPage();
    await p.goto(ext.extensionUrl('popup/index.html'));
    assert.match(await p.locator('[data-testid="storage-notice"]').textContent(), /match index was damaged; it was rebuilt/);
    await p.close();
  });

  test('the worker stopped between building the index and saving it: no half index is kept, the next lookup rebuilds it', async () => {
    await message('ui/clear-caches'); // the next lookup must build the index
    assert.equal(await storedIndex(), false);
    await (await worker()).evaluate(() => globalThis.__alreadyDebunkedTest.points.arm('index-built-not-saved'));
    const page = await ext.context.newPage();
    await page.goto(server.url('home'));
    const w = await worker();
    for (const end = Date.now() + 60_000; Date.now() < end && !(await w.evaluate(() => globalThis.__alreadyDebunkedTest.points.reached('index-built-not-saved'))); ) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await w.evaluate(() => globalThis.__alreadyDebunkedTest.points.reached('index-built-not-saved')), true, 'the rebuild reached the point');
    await page.close();
    await stopWorker();
    assert.equal(await storedIndex(), false, 'nothing half-written was kept');
    assert.deepEqual(await noticed(), DEBUNKED, 'a fresh worker rebuilds and answers');
    assert.equal(await storedIndex(), true);
  });

  test('the worker stopped after the desk got a report but before it was marked delivered: sent again with its id, the desk keeps one copy', async () => {
    await (await worker()).evaluate(() => globalThis.__alreadyDebunkedTest.points.arm('report-sent-not-recorded'));
    const before = receiver.lines().length;
    const r = await sendReport();
    for (const end = Date.now() + 60_000; Date.now() < end && !receiver.lines().some((l) => l.report.reportId === r.reportId); ) await new Promise((res) => setTimeout(res, 100));
    assert.ok(receiver.lines().some((l) => l.report.reportId === r.reportId), 'the desk received it');
    await stopWorker(); // its answer never recorded
    await r.close();
    const queued = (await status()).reports.find((x) => x.report.reportId === r.reportId);
    assert.equal(queued.status, 'queued', 'not known to be delivered: still queued');
    await message('ui/retry-reports', { ids: [r.reportId] });
    const delivered = (await status()).reports.find((x) => x.report.reportId === r.reportId);
    assert.equal(delivered.status, 'delivered');
    assert.equal(delivered.attempts, 2, 'sent twice');
    const copies = receiver.lines().filter((l) => l.report.reportId === r.reportId);
    assert.equal(copies.length, 1, 'the desk kept one copy (Idempotency-Key / report id)');
    assert.equal(receiver.lines().length, before + 1);
  });

  test('the database deleted (as "clear site data" does): detected, settings and unsent reports kept, feeds downloaded again, the popup says so', async () => {
    await message('ui/update-settings', { patch: { displayMode: 'banner' } });
    await receiver.kill(); // the desk is down: the report stays queued
    const r = await sendReport();
    const outcome = await r.submitted;
    assert.equal(outcome.value?.status, 'queued', JSON.stringify(outcome));
    await r.close();
    const cdp = await ext.context.newCDPSession(popup);
    await cdp.send('Storage.clearDataForOrigin', { origin: origin(), storageTypes: 'indexeddb' });
    await stopWorker();
    const healed = await feedStatus(popup, (f) => f.seq !== null && f.entries === DEMO_ENTRY_COUNT, 30_000);
    assert.equal(healed.lastError, null, 'downloaded again');
    const s = await status();
    assert.equal(s.storage?.kind, 'database-reset');
    assert.equal(s.storage.reportsKept, 1);
    assert.equal(s.settings.displayMode, 'banner', 'settings kept');
    const kept = s.reports.find((x) => x.report.reportId === r.reportId);
    assert.equal(kept?.status, 'queued', 'the unsent report is back in the outbox');
    assert.deepEqual(await noticed(), DEBUNKED, 'notices work again');
    await receiver.restart();
    await message('ui/retry-reports', { ids: [r.reportId] });
    assert.equal((await status()).reports.find((x) => x.report.reportId === r.reportId).status, 'delivered');
    assert.equal(receiver.lines().filter((l) => l.report.reportId === r.reportId).length, 1);
    const p = await ext.context.newPage();
    await p.goto(ext.extensionUrl('popup/index.html'));
    assert.match(await p.locator('[data-testid="storage-notice"]').textContent(), /database was lost; your settings and 1 unsent reports were kept/);
    await p.close();
    await message('ui/update-settings', { patch: { displayMode: 'blur' } });
    await cdp.detach();
  });

  test('a full disk: a feed update that cannot be stored keeps the last good list whole and says why; a report is refused before it is queued', async () => {
    // Chromium does not enforce storage quotas on extension origins, so the worker's IndexedDB is
    // made to refuse writes the way a full disk does (QuotaExceededError), in this worker only.
    const countEntries = () => inDatabase(async (db) => new Promise((res) => (db.transaction('entries').objectStore('entries').count().onsuccess = (e) => res(e.target.result))));
    const seq = (await status()).feeds[0].seq;
    const entriesBefore = await countEntries();
    assert.equal(entriesBefore, DEMO_ENTRY_COUNT);
    await feed.publish((reviews) => reviews.slice(0, 2));
    await (await worker()).evaluate(() => {
      const full = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.put = full;
      IDBObjectStore.prototype.add = full;
    });
    await message('ui/sync-now');
    const s = await feedStatus(popup, (f) => f.lastError !== null);
    assert.match(s.lastError, /not enough disk space/);
    assert.equal(s.seq, seq, 'the last good sequence');
    assert.equal(await countEntries(), entriesBefore, 'the last good entries, whole: not half deleted');
    assert.deepEqual(await noticed(), DEBUNKED, 'and in use');
    assert.equal((await status()).storage?.kind, 'disk-full', 'the popup says the disk is full');
    const before = (await status()).reports.length;
    const r = await sendReport();
    const outcome = await r.submitted;
    await r.close();
    assert.equal(outcome.ok, false);
    assert.match(outcome.error.message, /not enough disk space to keep the report/);
    assert.equal((await status()).reports.length, before, 'no half-kept report');
    // Space is freed (a fresh worker): the update arrives whole.
    await stopWorker();
    await message('ui/sync-now');
    const healed = await feedStatus(popup, (f) => f.seq === seq + 1);
    assert.equal(healed.lastError, null);
    assert.equal(await countEntries(), 2);
    await feed.publish();
    await message('ui/sync-now');
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT);
  });
});
