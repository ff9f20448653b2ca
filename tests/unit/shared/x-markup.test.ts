// @vitest-environment happy-dom
// Markup health (src/shared/x.ts): on every fixture page X's markup is recognised (no false alarm);
// when X renames what our selectors rely on, the evidence that does not depend on them (X media on
// the page) names the selector that went silent.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMarkupSample, emptyMarkupSample, sampleMarkup, silentSelectors } from '../../../src/shared/x';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/x');
const pages = fs.readdirSync(DIR).filter((f) => f.endsWith('.html'));

function load(html: string): Document {
  const doc = document.implementation.createHTMLDocument('');
  doc.documentElement.innerHTML = html.replace(/^<!DOCTYPE html>\s*<html[^>]*>/i, '');
  return doc;
}
const read = (page: string) => fs.readFileSync(path.join(DIR, page), 'utf8');

describe('markup health', () => {
  it.each(pages)('%s: every selector that should match does (no false alarm)', (page) => {
    expect(silentSelectors(sampleMarkup(load(read(page))))).toEqual([]);
  });

  it('X renames the media box: posts with X media but no media box recognised', () => {
    const s = sampleMarkup(load(read('home.html').replaceAll('data-testid="tweetPhoto"', 'data-testid="postMedia"')));
    expect(s.mediaInPosts).toBeGreaterThan(3);
    expect(s.boxed).toBe(0);
    expect(silentSelectors(s)).toEqual(['mediaBox']);
  });

  it('X renames the post: X media on the page but no post', () => {
    const s = sampleMarkup(load(read('home.html').replaceAll('data-testid="tweet"', 'data-testid="post"')));
    expect(silentSelectors(s)).toEqual(['post']);
  });

  it('X drops the role of the action bar, or renames the post text', () => {
    expect(silentSelectors(sampleMarkup(load(read('home.html').replaceAll('role="group"', ''))))).toEqual(['actionBar']);
    expect(silentSelectors(sampleMarkup(load(read('home.html').replaceAll('data-testid="tweetText"', 'data-testid="postText"'))))).toEqual(['postText']);
  });

  it("judges on the page's life: one look without evidence says nothing, a box seen once clears the media box", () => {
    const broken = sampleMarkup(load(read('home.html').replaceAll('data-testid="tweetPhoto"', 'data-testid="postMedia"')));
    const fine = sampleMarkup(load(read('home.html')));
    expect(silentSelectors(emptyMarkupSample())).toEqual([]);
    expect(silentSelectors(sampleMarkup(load('<main><p>Loading…</p></main>')))).toEqual([]);
    expect(silentSelectors(addMarkupSample(fine, broken))).toEqual([]);
    expect(silentSelectors(addMarkupSample(broken, broken))).toEqual(['mediaBox']);
  });
});
