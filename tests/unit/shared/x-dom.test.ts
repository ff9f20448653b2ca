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
  isPlaceholderUrl,
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
type Item = { url: string; kind: string; quoted: boolean };
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as Record<
  string,
  { id: string; author: string; kind: string; media: Item[]; quoted: { id: string; author: string; media: Item[] } | null }[]
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

  // Post by post in document order (the same upload can appear in several posts of one page).
  const postEls = [...doc.querySelectorAll(SELECTORS.post)];

  it('finds every media item of every post, once, with its kind and whether it is quoted', () => {
    const all = findMedia(doc);
    postEls.forEach((el, i) => {
      const p = posts[i]!;
      const expected = [...p.media, ...(p.quoted?.media ?? [])];
      const found = all.filter((f) => postElementOf(f.box) === el);
      expect(found.map((f) => ({ url: f.url, kind: f.kind, quoted: f.quoted })), `${page} post ${p.id}`).toEqual(expected);
      for (const f of found) expect(f.box.matches(`${SELECTORS.mediaBox}, ${SELECTORS.cardBox}`), f.url).toBe(true);
    });
    expect(all).toHaveLength(posts.reduce((n, p) => n + p.media.length + (p.quoted?.media.length ?? 0), 0));
  });

  it('knows which post (author and id) each media item belongs to; the quoted post for quoted media', () => {
    postEls.forEach((el, i) => {
      const p = posts[i]!;
      for (const f of findMedia(doc).filter((x) => postElementOf(x.box) === el)) {
        const expected = f.quoted ? { author: p.quoted!.author, id: p.quoted!.id } : { author: p.author, id: p.id };
        expect(postOf(f.box), f.url).toEqual(expected);
      }
    });
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

  it('refuses the age-restriction placeholder by its shape (the 240x240 tombstone variant), whatever its id', () => {
    // The URL X's API gives as a BlurredMediaTombstone's blurred_image_url, as other tools record it.
    for (const u of [
      'https://pbs.twimg.com/media/GxJIrSUagAAK-ZP?format=jpg&name=240x240',
      'https://pbs.twimg.com/media/GzNewPlaceholder?format=jpg&name=240x240',
      'https://pbs.twimg.com/media/GzNewPlaceholder.jpg:240x240',
      'https://pbs.twimg.com/media/GxJIrSUagAAK-ZP.jpg:large',
    ]) {
      expect(isPlaceholderUrl(u), u).toBe(true);
      expect(isHashableMediaUrl(u), u).toBe(false);
    }
    // A post's own photos at the sizes X shows them are media.
    for (const name of ['small', 'medium', 'large', 'orig', '360x360', '900x900', '4096x4096']) {
      const u = `https://pbs.twimg.com/media/GzNewPlaceholder?format=jpg&name=${name}`;
      expect(isPlaceholderUrl(u), u).toBe(false);
      expect(isHashableMediaUrl(u), u).toBe(true);
    }
  });
});

describe('stand-ins for post media (tests/fixtures/x/stand-ins.html)', () => {
  const doc = load('stand-ins.html');
  it('finds no media in an age-restricted photo box (only a localised text tells it apart), in the timeline or the viewer', () => {
    const restricted = [...doc.querySelectorAll(SELECTORS.post)].filter((p) => p.querySelector('a[href^="/adult_fx/"]'));
    expect(restricted).toHaveLength(3);
    expect(doc.querySelectorAll('[data-testid="tweetPhoto"], [data-testid="swipe-to-dismiss"]')).toHaveLength(3);
    for (const box of doc.querySelectorAll('[data-testid="tweetPhoto"], [data-testid="swipe-to-dismiss"]')) {
      expect(findMedia(box.parentElement!), box.outerHTML.slice(0, 200)).toEqual([]);
      expect(mediaItemAt(box.querySelector('img')!)).toBeNull();
    }
  });
  it("never takes an article's cover or an avatar for post media, whatever their URL; a card's own picture is media", () => {
    const found = findMedia(doc).map((m) => new URL(m.url).pathname);
    expect(found).toEqual(['/card_img/1861000000000000704/CardWithAvatar']);
    expect(doc.querySelector('[data-testid="article-cover-image"] img')!.getAttribute('src')).toMatch(/\/media\/GfxArticleCov1\?format=jpg&name=medium$/);
    expect(doc.querySelector('[data-testid^="UserAvatar-Container"] img[src*="/media/"]')).not.toBeNull();
  });
});

describe('reports: what a report says about a post, and where its control goes', () => {
  it.each(Object.keys(manifest))('%s: every post with media has its own action bar; a report about it names its author, id, text and media', (page) => {
    const doc = load(page);
    [...doc.querySelectorAll(SELECTORS.post)].forEach((post, i) => {
      const p = manifest[page]![i]!;
      const media = [...p.media, ...(p.quoted?.media ?? [])];
      const bar = actionBarOf(post);
      if (!media.length || !bar) {
        // Only the media viewer's side panel (a div post, in the fixtures without its bar) lacks one.
        if (media.length) expect(post.tagName, `${page} post ${p.id}`).toBe('DIV');
        return;
      }
      expect(bar.matches(SELECTORS.actionBar) && post.contains(bar) && !bar.closest(SELECTORS.quote)).toBe(true);
      const subject = reportSubject(bar)!;
      expect({ author: subject.author, id: subject.id }, `${page} post ${p.id}`).toEqual({ author: p.author, id: p.id });
      const text = [...post.querySelectorAll('[data-testid="tweetText"]')].find((t) => !t.closest(SELECTORS.quote));
      expect(subject.text).toBe(text?.textContent?.trim() || null);
      expect(subject.media.map((m) => m.url)).toEqual(media.map((m) => m.url));
    });
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
