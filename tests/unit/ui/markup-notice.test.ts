// @vitest-environment happy-dom
// The popup's diagnostics line: absent when all is well, a quiet line naming what X changed otherwise.
import { h, render } from 'preact';
import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getUILanguage: () => 'en', getMessage: (key: string, subs: string[] = []) => `${key}(${subs.join('|')})` } },
}));
const { MarkupNotice } = await import('../../../src/ui/components/MarkupNotice');

describe('popup diagnostics', () => {
  it('shows nothing when X’s markup is recognised', () => {
    const root = document.createElement('div');
    render(h(MarkupNotice, { diagnostic: null }), root);
    expect(root.innerHTML).toBe('');
  });

  it('names the selectors that went silent, with the counts for a maintainer', () => {
    const root = document.createElement('div');
    const sample = { posts: 12, media: 9, mediaInPosts: 9, boxed: 0, cardsInPosts: 0, cardsBoxed: 0, actionBars: 12, texts: 12 };
    render(h(MarkupNotice, { diagnostic: { at: '2026-12-01T10:00:00.000Z', version: '0.1.0', silent: ['mediaBox', 'cardBox'], sample } }), root);
    const line = root.querySelector('[data-testid="markup-diagnostic"]')!;
    expect(line.textContent).toMatch(/^diagnosticsMarkup\(mediaBox, cardBox\|.+\)$/);
    expect(line.getAttribute('data-silent')).toBe('mediaBox cardBox');
    expect(line.getAttribute('title')).toContain('boxed 0');
    expect(root.querySelector('h2')!.textContent).toBe('diagnosticsHeading()');
  });
});
