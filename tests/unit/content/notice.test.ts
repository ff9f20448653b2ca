// @vitest-environment happy-dom
// The notice renders feed text as text, links only https, and speaks about the media, not the post.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MatchView } from '../../../src/shared/messages';

vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getUILanguage: () => 'en', getMessage: (key: string, subs: string[] = []) => (messages[key]?.message ?? '').replace(/\$(\w+)\$/g, (_m, name: string) => subs[Number(messages[key]?.placeholders?.[name.toLowerCase()]?.content.slice(1)) - 1] ?? '') } },
}));
import catalogue from '../../../src/_locales/en/messages.json';
const messages = catalogue as unknown as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const { mountNotice, NOTICE_ATTR } = await import('../../../src/content/notice/mount');
const { safeHttpsUrl } = await import('../../../src/content/notice/Notice');

const match = (over: Partial<MatchView> = {}): MatchView => ({
  feedUrl: 'https://feeds.example.org/index.json',
  feedName: 'Example',
  entryId: 'e1',
  label: 'missing-context',
  rating: 'Missing context',
  claim: 'Kim arrives in Moscow today',
  originalContext: { description: 'Filmed in Vladivostok in April 2019.', date: '2019-04-25', location: 'Vladivostok' },
  headline: 'Old video',
  factCheckUrl: 'https://factcheck.example.org/check',
  publisherName: 'Example Checks',
  datePublished: '2022-10-08',
  lang: 'en',
  distance: 8,
  variant: 'original',
  ...over,
});
const props = (m: MatchView) => ({ match: m, mode: 'blur' as const, compact: false, revealed: false, onReveal: vi.fn(), onCorrectUse: vi.fn() });

describe('notice', () => {
  let box: HTMLElement;
  beforeEach(() => {
    document.body.innerHTML = '<div data-testid="tweetPhoto"><img src="x.jpg"></div>';
    box = document.querySelector('[data-testid="tweetPhoto"]')!;
  });

  it('mounts in an open shadow root over the media box, with the fact-check link', async () => {
    const n = mountNotice(box, props(match()));
    await Promise.resolve();
    expect(n.host.getAttribute(NOTICE_ATTR)).toBe('notice');
    expect(n.host.parentElement).toBe(box);
    const root = n.host.shadowRoot!;
    const link = root.querySelector('a.primary')!;
    expect(link.getAttribute('href')).toBe('https://factcheck.example.org/check');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(root.textContent).toMatch(/Real media, shown out of context/);
    expect(root.textContent).toMatch(/Filmed in Vladivostok in April 2019/);
    expect(root.textContent).not.toMatch(/fake/i);
    expect(root.querySelector('[role="note"]')?.getAttribute('aria-label')).toBe('Fact-check notice about this media');
  });

  it('renders hostile feed text as text and links nothing but https', async () => {
    const evil = match({
      rating: '<img src=x onerror=alert(1)>',
      originalContext: { description: '<script>alert(1)</script>\u202Eevil', date: null, location: null },
      publisherName: '<b>bold</b>',
      factCheckUrl: 'javascript:alert(1)',
    });
    const n = mountNotice(box, props(evil));
    await Promise.resolve();
    const root = n.host.shadowRoot!;
    expect(root.querySelector('img, script, b')).toBeNull();
    expect(root.textContent).toContain('<script>alert(1)</script>');
    expect(root.textContent).toContain('evil');
    expect(root.textContent, 'no bidi override survives').not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(root.querySelector('a')).toBeNull();
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'http://example.org/', 'https://user:pw@example.org/']) expect(safeHttpsUrl(bad)).toBeNull();
    expect(safeHttpsUrl('https://example.org/x')).toBe('https://example.org/x');
  });

  it('acts on the reader’s clicks only: a click the page scripts does nothing', async () => {
    const p = props(match());
    const n = mountNotice(box, p);
    await Promise.resolve();
    const show = [...n.host.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Show anyway')!;
    show.click(); // a script's click: isTrusted is false
    show.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(p.onReveal).not.toHaveBeenCalled();
  });

  it('unmounts cleanly', () => {
    const n = mountNotice(box, props(match()));
    n.unmount();
    expect(box.querySelector(`[${NOTICE_ATTR}]`)).toBeNull();
  });
});
