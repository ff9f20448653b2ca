// @vitest-environment happy-dom
// X's markup knowledge (src/shared/x.ts) against the fixture pages (tests/fixtures/x, generated from
// ../shared/docs/x-dom.md's outline) and their manifest: every media item is found, in the right
// box, with the right kind, and quoted media is told apart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SELECTORS,
  actionBarOf,
  findMedia,
  isCanonicalPostUrl,
  isHashableMediaUrl,
  mediaItemAt,
  mediaItemBySrc,
  mediaKey,
  parseStatusPath,
  postElementOf,
  postOf,
  postUrl,
  preferredVariant,
  reportSubject,
} from '../../../src/shared/x';
import { generate } from '../../fixtures/x/generate.mjs';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/x');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as Record<
  string,
  { id: string; author: string; kind: string; media: { url: string }[]; quoted: { id: string; media: { url: string }[] } | null }[]
>;

function load(page: string): Document {
  const doc = document.implementation.createHTMLDocument('');
  doc.documentElement.innerHTML = fs.readFileSync(path.join(DIR, page), 'utf8').replace(/^<!DOCTYPE html>\s*<html[^>]*>/i, '');
  return doc;
}

describe('fixture pages', () => {
  it('are exactly what tests/fixtures/x/generate.mjs writes', () => {
    for (const [name, text] of Object.entries(generate())) {
      expect(fs.readFileSync(path.join(DIR, name), 'utf8'), `${name}: run node tests/fixtures/x/generate.mjs`).toBe(text);
    }
  });
});

describe.each(Object.keys(manifest))('X markup: %s', (page) => {
  const doc = load(page);
  const posts = manifest[page]!;

  it('finds every post', () => {
    expect(doc.querySelectorAll(SELECTORS.post)).toHaveLength(posts.length);
  });

  it('finds every media item of every post, once, with its kind and whether it is quoted', () => {
    const found = findMedia(doc);
    const expected = posts.flatMap((p) => [...p.media.map((m) => ({ url: m.url, quoted: false, kind: p.kind })), ...(p.quoted?.media ?? []).map((m) => ({ url: m.url, quoted: true, kind: p.kind }))]);
    expect(found.map((f) => f.url).sort()).toEqual(expected.map((e) => e.url).sort());
    for (const f of found) {
      const e = expected.find((x) => x.url === f.url)!;
      expect(f.quoted, f.url).toBe(e.quoted);
      expect(f.box.matches(`${SELECTORS.mediaBox}, ${SELECTORS.cardBox}`), f.url).toBe(true);
      if (e.kind === 'video') expect(f.kind).toBe('video');
      if (e.kind === 'gif') expect(f.kind).toBe('gif');
      if (e.kind === 'card') expect(f.kind).toBe('card');
    }
  });

  it('knows which post (author and id) each media item belongs to; the quoted post for quoted media', () => {
    for (const f of findMedia(doc)) {
      const owner = posts.find((p) => p.media.some((m) => m.url === f.url)) ?? posts.find((p) => p.quoted?.media.some((m) => m.url === f.url))!;
      const expected = f.quoted ? { author: (owner.quoted as unknown as { author: string }).author, id: owner.quoted!.id } : { author: owner.author, id: owner.id };
      expect(postOf(f.box), f.url).toEqual(expected);
    }
  });

  it('never offers avatars, emoji or other non-media images', () => {
    for (const f of findMedia(doc)) expect(f.url).not.toMatch(/profile_images|emoji/);
  });
});

describe('status links', () => {
  it('parses handles and ids strictly', () => {
    expect(parseStatusPath('/alice_01/status/1861000000000000001')).toEqual({ author: 'alice_01', id: '1861000000000000001' });
    expect(parseStatusPath('https://x.com/a/status/12/photo/2')).toEqual({ author: 'a', id: '12' });
    expect(parseStatusPath('/status/status/123')).toEqual({ author: 'status', id: '123' }); // a handle named "status"
    for (const bad of ['/a/status/12/analytics', '/a/status/x1', '/toolonghandle_abcdefghij/status/1', '/a/statuses/1', 'javascript:alert(1)']) {
      expect(parseStatusPath(bad), bad).toBeNull();
    }
  });
});

describe('media URLs', () => {
  it('keys every size variant of an upload alike', () => {
    const k = mediaKey('https://pbs.twimg.com/media/GZA6uwubAAA0-Wm?format=jpg&name=small');
    expect(k).toBe('pbs.twimg.com/media/GZA6uwubAAA0-Wm');
    expect(mediaKey('https://pbs.twimg.com/media/GZA6uwubAAA0-Wm?format=png&name=orig')).toBe(k);
    expect(mediaKey('https://pbs.twimg.com/media/GZA6uwubAAA0-Wm.jpg:large')).toBe(k);
  });

  it('fetches the small variant where X offers variants', () => {
    expect(preferredVariant('https://pbs.twimg.com/media/A1?format=jpg&name=large')).toBe('https://pbs.twimg.com/media/A1?format=jpg&name=small');
    expect(preferredVariant('https://pbs.twimg.com/amplify_video_thumb/1/img/x.jpg')).toBe('https://pbs.twimg.com/amplify_video_thumb/1/img/x.jpg');
  });

  it('hashes photos, posters and card images; not avatars, emoji or the age-restriction placeholder', () => {
    for (const u of ['https://pbs.twimg.com/media/A1?format=jpg', 'https://pbs.twimg.com/amplify_video_thumb/1/img/x.jpg', 'https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/x.jpg', 'https://pbs.twimg.com/tweet_video_thumb/x.jpg', 'https://pbs.twimg.com/card_img/1/x?format=jpg']) {
      expect(isHashableMediaUrl(u), u).toBe(true);
    }
    for (const u of ['https://pbs.twimg.com/profile_images/1/x_normal.jpg', 'https://abs-0.twimg.com/emoji/v2/svg/1f600.svg', 'https://pbs.twimg.com/media/GxJIrSUagAAK-ZP?format=jpg', 'https://example.org/media/A1']) {
      expect(isHashableMediaUrl(u), u).toBe(false);
    }
  });
});

describe('reports: what a report says about a post, and where its control goes', () => {
  it.each(Object.keys(manifest))('%s: every post with media has its own action bar; a report about it names its author, id, text and media', (page) => {
    const doc = load(page);
    for (const p of manifest[page]!.filter((x) => x.media.length || x.quoted?.media.length)) {
      const media = findMedia(doc).filter((f) => p.media.some((m) => m.url === f.url) || p.quoted?.media.some((m) => m.url === f.url));
      if (media.some((m) => m.box.matches('[data-testid="swipe-to-dismiss"]'))) continue; // the viewer's picture: no action bar there
      const post = postElementOf(media[0]!.box)!;
      const bar = actionBarOf(post);
      expect(bar, p.id).not.toBeNull();
      expect(bar!.matches(SELECTORS.actionBar) && post.contains(bar!)).toBe(true);
      const subject = reportSubject(bar!)!;
      expect({ author: subject.author, id: subject.id }).toEqual({ author: p.author, id: p.id });
      expect(subject.text).toBe(post.querySelector(':scope [data-testid="tweetText"]')!.textContent!.trim());
      expect(subject.media.map((m) => m.url).sort()).toEqual([...p.media, ...(p.quoted?.media ?? [])].map((m) => m.url).sort());
    }
  });

  it('a report about quoted media is about the quoted post: its author, id, text and only its media', () => {
    const doc = load('home.html');
    const quoted = findMedia(doc).find((f) => f.quoted)!;
    const subject = reportSubject(quoted.box)!;
    expect({ author: subject.author, id: subject.id }).toEqual({ author: 'original_poster', id: '1860000000000000070' });
    expect(subject.text).toBe(quoted.box.closest('div[role="link"]')!.querySelector('[data-testid="tweetText"]')!.textContent!.trim());
    expect(subject.media.map((m) => [m.url, m.quoted])).toEqual([[quoted.url, false]]);
  });

  it('finds the media item a right-click landed in, or by its address', () => {
    const doc = load('home.html');
    const item = findMedia(doc)[0]!;
    const inner = item.box.querySelector('img, video')!;
    expect(mediaItemAt(inner)?.url).toBe(item.url);
    expect(mediaItemAt(doc.body)).toBeNull();
    expect(mediaItemBySrc(doc, item.url)?.box).toBe(item.box);
    expect(mediaItemBySrc(doc, 'https://pbs.twimg.com/media/nothing')).toBeNull();
  });

  it('post addresses are canonical x.com status URLs, whatever page they were seen on', () => {
    expect(postUrl('newsdesk_fx', '1861000000000000001')).toBe('https://x.com/newsdesk_fx/status/1861000000000000001');
    expect(isCanonicalPostUrl('https://x.com/newsdesk_fx/status/1861000000000000001')).toBe(true);
    for (const bad of ['http://x.com/a/status/1', 'https://twitter.com/a/status/1', 'https://x.com/a/status/1?s=20', 'https://x.com/a/status/1/photo/1', 'https://x.com/a', 'https://evil.example/a/status/1']) {
      expect(isCanonicalPostUrl(bad), bad).toBe(false);
    }
  });
});
