// End to end, harvest → build → the extension: `already-debunked harvest` reads the fixture web's
// fact-check articles (tests/fixtures/web: six publishers' shapes, logos, author photos, stock
// illustrations, stamped and side-by-side pictures), the demo feed is republished from what it
// wrote (`build`, as the feed server does), and the test build of the extension, subscribed to that
// feed, puts notices on the fixture X's posts that re-share the debunked pictures, and on no post
// that shows one of the articles' logos, author photos, ads or illustrations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { feedStatus } from './helpers/checks.mjs';
import { chromiumSession, noticedPosts } from './helpers/session.mjs';
import { startFixtureWeb } from '../fixtures/web/server.mjs';
import { importSource } from './helpers/source.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('harvest → build → notices (Chromium)', { skip: skip ?? false }, () => {
  let session;
  let web;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-harvest-e2e-'));

  before(async () => {
    session = await chromiumSession();
    web = await startFixtureWeb();
  });
  after(async () => {
    await web?.close();
    await session?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('re-shares of the debunked pictures get a notice; posts using the articles’ logos, author photos, ads and illustrations do not', async () => {
    const module = await importSource(path.join(ROOT, 'src/cli/main.ts'));
    fs.writeFileSync(path.join(work, 'feed.json'), '{}');
    const lines = [];
    const io = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    const out = path.join(work, 'harvest');
    const code = await module.main(['harvest', '--allow-loopback', '--rate', '0', '--timeout', '1', '--retries', '1', '--feed', path.join(work, 'feed.json'), '--out', out, '--input', `${web.origin}/feeds/datacommons.json`, ...web.pageUrls().flatMap((u) => ['--page', u])], io);
    assert.equal(code, 0, lines.join('\n'));
    const harvested = JSON.parse(fs.readFileSync(path.join(out, 'reviews.json'), 'utf8')).reviews;
    assert.equal(harvested.length, 6, lines.join('\n'));
    // The feed the test build is subscribed to, republished from the harvest alone: the harvested
    // media copied into the feed's build folder (`build` reads media only from inside it).
    const into = path.join(session.feed.workDir, 'harvest');
    fs.cpSync(out, into, { recursive: true });
    const rel = (f) => path.join('harvest', f);
    const reviews = harvested.map((r) => ({ ...r, media: r.media.map((m) => (typeof m === 'string' ? rel(m) : { ...m, file: rel(m.file) })) }));
    await session.feed.publish(() => reviews);
    await session.popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    await feedStatus(session.popup, (f) => f.seq === 2 && f.entries === 6 && f.lastError === null);

    const posts = (await noticedPosts(session.ext.context, session.server.url('home'), { atLeast: 3 })).map((p) => p.replace(/\/analytics$/, ''));
    assert.deepEqual(posts, [
      '/alice_photos/status/1861000000000000002', // MediaReview contentUrl
      '/bakery_fx/status/1861000000000000012', // the picture cut out of a post screenshot in the article
      '/readernews/status/1861000000000000006', // the article picture captioned as the one shared
    ]);
    // and none on the posts that show what the articles also carry: the header logo (gifmaster,
    // …005), the reporter's headshot on every article (…008), the agency photo of a senator in a
    // quote check (quoter, …007), the ad slot's picture and the stamped picture (citywatch, …003).
  });
});
