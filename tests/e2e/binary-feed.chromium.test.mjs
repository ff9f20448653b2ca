// A feed in the binary form (docs/feed-format.md "Binary payloads"), end to end in Debian's
// Chromium with the test build: the CLI builds the demo feed with --binary, the extension fetches
// the binary snapshot (not the JSON one beside it), stores it, and the notices appear on the posts
// whose media the feed lists; the next sequence arrives as a binary delta.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumPath, missingPrerequisite } from './helpers/browsers.mjs';
import { feedStatus } from './helpers/checks.mjs';
import { DEMO_ENTRY_COUNT } from './helpers/feed-server.mjs';
import { chromiumSession, noticedPosts } from './helpers/session.mjs';

const skip = missingPrerequisite('Chromium', chromiumPath(), 'test-chrome');

describe('Chromium: a binary feed', { skip: skip ?? false }, () => {
  let session;
  before(async () => {
    session = await chromiumSession({ binaryFeed: true });
  });
  after(() => session?.close());

  test('is synced from its binary snapshot and shows notices; the next sequence comes as a binary delta', async () => {
    const { feed, server, ext, popup } = session;
    const asked = () => feed.requests.map((r) => r.path).filter((p) => p !== '/feed/index.json');
    assert.deepEqual(asked(), ['/feed/snapshots/1.adfb'], 'only the binary snapshot was fetched');
    const noticed = await noticedPosts(ext.context, server.url('home'));
    assert.ok(noticed.includes('/newsdesk_fx/status/1861000000000000001') && noticed.includes('/citywatch/status/1861000000000000003'), noticed.join());

    await feed.publish((reviews) => reviews.slice(1));
    await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/sync-now', payload: {} }));
    const s = await feedStatus(popup, (f) => f.seq === 2);
    assert.equal(s.lastError, null);
    assert.equal(s.entries, DEMO_ENTRY_COUNT - 1);
    assert.ok(asked().includes('/feed/deltas/1-2.adfb'), asked().join());
    assert.ok(!asked().some((p) => p.endsWith('.json')), `no JSON file fetched: ${asked().join()}`);
  });
});
