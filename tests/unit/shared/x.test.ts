import { describe, expect, it } from 'vitest';
import { isXMediaUrl, isXPageUrl } from '../../../src/shared/x';

// vitest runs as a test build: loopback hosts count as X (the store-build case is covered by the
// manifest/bundle tests, which check that store bundles do not contain the loopback hosts at all).
describe('X URLs', () => {
  it('recognises X pages, and nothing that merely looks like one', () => {
    for (const u of ['https://x.com/home', 'https://twitter.com/a/status/1', 'https://mobile.x.com/', 'https://x.com:443/i/bookmarks']) {
      expect(isXPageUrl(u), u).toBe(true);
    }
    for (const u of [
      'http://x.com/home',
      'https://x.com.evil.example/',
      'https://evil.example/x.com',
      'https://pbs.twimg.com/media/A.jpg',
      'https://x.com:8443/',
      'chrome-extension://abc/x.com',
      'not a url',
    ]) {
      expect(isXPageUrl(u), u).toBe(false);
    }
  });

  it('recognises X media hosts only', () => {
    for (const u of [
      'https://pbs.twimg.com/media/GxJIrSUagAAK-ZP?format=jpg&name=small',
      'https://video.twimg.com/tweet_video/abc.mp4',
      'http://127.0.0.1:9999/media/abc?format=jpg',
    ]) {
      expect(isXMediaUrl(u), u).toBe(true);
    }
    for (const u of [
      'http://pbs.twimg.com/media/a.jpg',
      'https://x.com/media/a.jpg',
      'https://pbs.twimg.com.evil.example/a.jpg',
      'https://user@pbs.twimg.com/a.jpg',
      'http://10.0.0.1/a.jpg',
      'http://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'data:image/png;base64,AAAA',
    ]) {
      expect(isXMediaUrl(u), u).toBe(false);
    }
  });
});
