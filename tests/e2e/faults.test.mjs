// Fault tolerance, end to end in Debian's Chromium (the test build, whose network clocks this test
// runs 10x faster while a fault waits for a timeout; every other sync keeps them as written, which
// a loaded machine needs): a feed server that hangs, fails, redirects, cuts a body off, sends
// ten times too much or drips; a service worker stopped in the middle of a sync. Each ends in a
// recorded error the popup shows, and the last good list stays in use — never a mix of two.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { lookupBurst } from './helpers/burst.mjs';
import { workerSession } from './helpers/cdp.mjs';
import { feedStatus } from './helpers/checks.mjs';
import { DEMO_ENTRY_COUNT } from './helpers/feed-server.mjs';
import { chromiumSession, noticedPosts } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium: fault tolerance', { skip: skip ?? false }, () => {
  let session;
  let server;
  let feed;
  let ext;
  let popup;

  before(async () => {
    session = await chromiumSession();
    ({ server, feed, ext, popup } = session);
  });
  after(() => session?.close());

  const syncNow = () => popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
  /** The worker's network clocks: 0.1 = feed files time out 10x sooner (the test hook), 1 = as written. */
  const networkTimeScale = async (scale) => {
    await feedStatus(popup, () => true); // wakes a stopped worker
    const sw = ext.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${ext.extensionId}/`));
    assert.ok(sw, 'the extension has a running service worker');
    await sw.evaluate((s) => globalThis.__alreadyDebunkedTest.networkTimeScale(s), scale);
  };
  /** Which home-timeline posts carry a notice (the demo feed debunks the clip and the flood photo, among others). */
  const noticed = () => noticedPosts(ext.context, server.url('home'));

  test('a broken feed server — no answer, 503, a redirect elsewhere, a body cut off, 10x the limit, a slow drip — each ends in a recorded error, shown in the popup, and the last good list stays', async () => {
    const good = await noticed();
    assert.ok(good.includes('/citywatch/status/1861000000000000003') && good.includes('/newsdesk_fx/status/1861000000000000001'), good.join());
    await feed.publish(); // seq 2 exists, but every fault below stands in its way
    const faults = [
      ['no answer', () => feed.override('index.json', () => {}), /no answer from/],
      ['503', () => feed.override('index.json', 503), /HTTP 503/],
      ['a redirect to another host', () => feed.override('index.json', (_q, res) => res.writeHead(302, { location: `${server.mediaOrigin}/elsewhere/index.json` }).end()), /could not fetch .*redirect/],
      ['a body cut off mid-way', () => {
        const cut = (req, res, real) => {
          res.writeHead(200, { 'content-length': String(real.length) });
          res.write(real.subarray(0, real.length >> 1));
          setTimeout(() => req.socket.destroy(), 50);
        };
        feed.override('deltas/1-2.json', cut);
        feed.override('snapshots/2.json', cut);
      }, /broke after \d+ bytes/],
      ['10x the size limit', () => feed.override('index.json', Buffer.alloc(10 * 64 * 1024, 0x20)), /more than the limit of 65536/],
      ['a slow drip', () => feed.override('index.json', (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const t = setInterval(() => res.write(' '), 200);
        res.on('close', () => clearInterval(t));
      }), /timed out/],
    ];
    for (const [what, breakIt, reason] of faults) {
      feed.clearOverrides();
      breakIt();
      await networkTimeScale(0.1); // each time: a worker restarted meanwhile starts with clocks as written
      const before = (await feedStatus(popup, () => true)).lastAttemptAt;
      await syncNow();
      const s = await feedStatus(popup, (f) => f.lastAttemptAt !== before);
      assert.match(s.lastError ?? '', reason, `${what}: ${s.lastError}`);
      assert.equal(s.seq, 1, `${what}: still the last good sequence`);
      assert.equal(s.entries, DEMO_ENTRY_COUNT, `${what}: still the last good entries`);
    }
    assert.ok(!server.requests.some((r) => r.path.startsWith('/elsewhere')), 'the redirect was not followed');
    // The popup shows the reason next to the list still in use.
    const p = await ext.context.newPage();
    await p.goto(ext.extensionUrl('popup/index.html'));
    await p.waitForSelector('.feed.error');
    assert.match(await p.locator('.feed-state').textContent(), new RegExp(`${DEMO_ENTRY_COUNT} entries · synced .*timed out`));
    await p.close();
    assert.deepEqual(await noticed(), good, 'the notices come from the last good list');
    await networkTimeScale(1);
    feed.clearOverrides();
    await syncNow();
    const healed = await feedStatus(popup, (f) => f.seq === 2);
    assert.equal(healed.lastError, null);
  });

  test('the service worker stopped in the middle of a sync: afterwards the old list is whole, and the next sync brings the new one whole', async () => {
    const seq = (await feedStatus(popup, () => true)).seq;
    // The next sequence withdraws every entry but the first (the seed clip): the flood photo is no longer debunked.
    await feed.publish((reviews) => reviews.slice(0, 1));
    const served = [];
    const stall = (_req, res, real) => {
      served.push(real.length);
      res.writeHead(200, { 'content-length': String(real.length) });
      res.write(real.subarray(0, real.length >> 1)); // half, then the worker is stopped
    };
    feed.override(`deltas/${seq}-${seq + 1}.json`, stall);
    feed.override(`snapshots/${seq + 1}.json`, stall);
    void syncNow().catch(() => {}); // its answer never comes: the worker is stopped
    const deadline = Date.now() + 60_000;
    while (!served.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(served.length, 'the worker was reading the new list');
    const sw = await workerSession(ext.context, popup, ext.extensionId);
    await sw.stop();
    // A fresh worker answers from what is stored: the old list, whole.
    const after = await feedStatus(popup, (f) => f.seq !== null);
    assert.equal(after.seq, seq);
    assert.equal(after.entries, DEMO_ENTRY_COUNT);
    const old = await noticed();
    assert.ok(old.includes('/citywatch/status/1861000000000000003'), `the flood photo is still debunked: ${old}`);
    // The server recovers: the new list arrives whole.
    feed.clearOverrides();
    await syncNow();
    const next = await feedStatus(popup, (f) => f.seq === seq + 1);
    assert.equal(next.entries, 1);
    const now = await noticed();
    assert.ok(!now.includes('/citywatch/status/1861000000000000003'), `the withdrawn entry no longer matches: ${now}`);
    assert.ok(now.includes('/newsdesk_fx/status/1861000000000000001'), `the kept entry still matches: ${now}`);
    await feed.publish(); // every entry again
    await syncNow();
    await feedStatus(popup, (f) => f.entries === DEMO_ENTRY_COUNT);
  });

  test('a burst of 1,000 media lookups from four tabs at once: every one answered, each upload fetched once, the worker’s memory bounded', async () => {
    const from = server.requests.length;
    const burst = await lookupBurst({ context: ext.context, extensionId: ext.extensionId, pageUrl: server.url('home'), mediaOrigin: server.mediaOrigin });
    console.log(`  ${burst.asked} lookups in ${burst.seconds.toFixed(1)} s; worker heap ${(burst.startHeap / 2 ** 20).toFixed(1)} → peak ${(burst.peakHeap / 2 ** 20).toFixed(1)} MB`);
    assert.equal(burst.results.length, burst.asked, 'an answer for every lookup');
    assert.deepEqual(burst.errors, [], 'no lookup failed');
    assert.equal(burst.answered, burst.asked);
    const debunkedAsked = burst.results.filter((r) => r.url.includes('/GfxGridPhoto003')).length;
    assert.ok(debunkedAsked > 200);
    assert.equal(burst.matched, debunkedAsked, 'the debunked photo matched every time it was asked, nothing else did');
    const fetched = server.requests.slice(from).filter((r) => r.dest === 'empty' && r.path.startsWith('/media/GfxBurst'));
    assert.equal(new Set(fetched.map((r) => r.path)).size, 250);
    assert.equal(fetched.length, 250, 'each upload fetched once, however many tabs asked at once');
    // Bounded: at most a few decodes at a time, whatever the burst (the heap of a worker that held
    // every image at once would be hundreds of MB).
    assert.ok(burst.peakHeap < 64 * 2 ** 20, `peak worker heap ${(burst.peakHeap / 2 ** 20).toFixed(1)} MB`);
  });
});
