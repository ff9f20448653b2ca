// @vitest-environment happy-dom
// The details panel: outside the media box, a dialog that takes focus, closes on Escape, Close or a
// press outside, gives focus back to the control that opened it, and offers what left the card.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MatchView } from '../../../src/shared/messages';

vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getUILanguage: () => 'en', getMessage: (key: string, subs: string[] = []) => (messages[key]?.message ?? '').replace(/\$(\w+)\$/g, (_m, name: string) => subs[Number(messages[key]?.placeholders?.[name.toLowerCase()]?.content.slice(1)) - 1] ?? '') } },
}));
import catalogue from '../../../src/_locales/en/messages.json';
const messages = catalogue as unknown as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const { mountNotice } = await import('../../../src/content/notice/mount');
const { currentPanel, PANEL_ATTR_VALUE } = await import('../../../src/content/notice/panel');

const match: MatchView = {
  feedUrl: 'https://feeds.example.org/index.json',
  feedName: 'Example Feed',
  entryId: 'afp-2022-putin-kim',
  label: 'missing-context',
  rating: 'Missing context',
  claim: 'Kim arrives in Moscow today',
  originalContext: { description: 'Filmed on 25 April 2019 at the summit in Vladivostok', date: '2019-04-25', location: 'Vladivostok, Russia' },
  headline: 'Old video',
  factCheckUrl: 'https://factcheck.example.org/check',
  publisherName: 'Example Checks',
  datePublished: '2022-10-08',
  lang: 'en',
  distance: 8,
  variant: 'original',
};

/** A reader's own click (the notice ignores page-scripted, untrusted ones). */
function readerClick(el: Element) {
  const e = new MouseEvent('click', { bubbles: true, composed: true });
  Object.defineProperty(e, 'isTrusted', { value: true });
  el.dispatchEvent(e);
}
function readerKey(el: Element, key: string) {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, composed: true });
  Object.defineProperty(e, 'isTrusted', { value: true });
  el.dispatchEvent(e);
}
const button = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;
const panelHost = () => document.querySelector<HTMLElement>(`[data-already-debunked="${PANEL_ATTR_VALUE}"]`);

describe('details panel', () => {
  let box: HTMLElement;
  beforeEach(() => {
    currentPanel()?.close();
    document.body.innerHTML = '<article data-testid="tweet"><div data-testid="tweetPhoto"><img src="x.jpg"></div></article>';
    box = document.querySelector('[data-testid="tweetPhoto"]')!;
  });

  const mount = (over: object = {}) => {
    const p = { match, mode: 'blur' as const, compact: false, revealed: false, onReveal: vi.fn(), onCorrectUse: vi.fn(), onWrongMatch: vi.fn(), ...over };
    return { p, n: mountNotice(box, p) };
  };

  it('the card on the media keeps only the compact form; the rest opens outside the media box', async () => {
    const { n } = mount();
    await Promise.resolve();
    const root = n.host.shadowRoot!;
    expect(root.textContent).not.toContain('This post uses it correctly');
    expect(root.textContent).not.toContain('Wrong match?');
    expect(root.textContent).toContain('Filmed on 25 April 2019 at the summit in Vladivostok');
    expect(root.textContent, 'the origin says the date and place once').not.toContain('Vladivostok, Russia');
    const details = button(root, 'Details');
    expect(details.getAttribute('aria-expanded')).toBe('false');
    readerClick(details);
    await Promise.resolve();
    const host = panelHost()!;
    expect(host, 'the panel is not inside the media box').not.toBeNull();
    expect(box.contains(host)).toBe(false);
    expect(host.parentElement).toBe(document.documentElement);
    const panel = host.shadowRoot!.querySelector('[role="dialog"]')!;
    expect(panel.getAttribute('aria-labelledby')).toBe('ad-panel-title');
    expect(host.shadowRoot!.activeElement, 'focus moves into the panel').toBe(panel);
    expect(panel.textContent).toContain('entry “afp-2022-putin-kim” of the feed “Example Feed”');
    expect(panel.textContent).toContain('97% alike');
    expect(panel.textContent).toContain('Kim arrives in Moscow today');
    expect(button(root, 'Details').getAttribute('aria-expanded')).toBe('true');
  });

  it('Escape closes it and gives focus back to Details', async () => {
    const { n } = mount();
    await Promise.resolve();
    const details = button(n.host.shadowRoot!, 'Details');
    readerClick(details);
    const panel = panelHost()!.shadowRoot!.querySelector('.panel')!;
    readerKey(panel, 'Escape');
    expect(panelHost()).toBeNull();
    expect(n.host.shadowRoot!.activeElement).toBe(details);
    expect(details.getAttribute('aria-expanded')).toBe('false');
  });

  it('Close and a press outside close it; a press inside does not', async () => {
    const { n } = mount();
    await Promise.resolve();
    readerClick(button(n.host.shadowRoot!, 'Details'));
    const host = panelHost()!;
    host.shadowRoot!.querySelector('.panel')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    expect(panelHost()).not.toBeNull();
    readerClick(host.shadowRoot!.querySelector('button.close')!);
    expect(panelHost()).toBeNull();
    readerClick(button(n.host.shadowRoot!, 'Details'));
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(panelHost()).toBeNull();
  });

  it('offers “uses it correctly” and “Wrong match?”, and Show anyway acts on the media', async () => {
    const { n, p } = mount();
    await Promise.resolve();
    readerClick(button(n.host.shadowRoot!, 'Details'));
    const root = panelHost()!.shadowRoot!;
    readerClick(button(root, 'Show anyway'));
    expect(p.onReveal).toHaveBeenCalledWith(true);
    readerClick(button(root, 'This post uses it correctly'));
    expect(p.onCorrectUse).toHaveBeenCalledOnce();
    await Promise.resolve();
    expect(root.querySelector('[role="status"]')?.textContent).toContain('will not be shown on this post again');
    readerClick(button(root, 'Wrong match?'));
    expect(panelHost(), 'the report dialog replaces the panel').toBeNull();
    expect(p.onWrongMatch).toHaveBeenCalledWith(button(n.host.shadowRoot!, 'Details'));
  });

  it('small media get a label that opens the same panel', async () => {
    const { n } = mount({ compact: true });
    await Promise.resolve();
    const root = n.host.shadowRoot!;
    expect(root.querySelector('.card')).toBeNull();
    const badge = root.querySelector<HTMLButtonElement>('button.badge')!;
    expect(badge.getAttribute('aria-haspopup')).toBe('dialog');
    expect(badge.textContent).toContain('Real media, shown out of context');
    readerClick(badge);
    expect(panelHost()!.shadowRoot!.textContent).toContain('This post uses it correctly');
  });

  it('a page-scripted click opens nothing, and unmounting the notice closes its panel', async () => {
    const { n } = mount();
    await Promise.resolve();
    button(n.host.shadowRoot!, 'Details').click();
    expect(panelHost()).toBeNull();
    readerClick(button(n.host.shadowRoot!, 'Details'));
    n.unmount();
    expect(panelHost()).toBeNull();
  });

  it('the mark is drawn, not a check mark', async () => {
    const { n } = mount();
    await Promise.resolve();
    const root = n.host.shadowRoot!;
    expect(root.querySelector('svg.mark')).not.toBeNull();
    expect(root.textContent).not.toMatch(/[✓✔☑]/);
  });
});

describe('a notice inside X’s link (a photo opens the viewer)', () => {
  it('a press on the notice does not follow the link; its own fact-check link does', async () => {
    document.body.innerHTML = '<article data-testid="tweet"><a href="/citywatch/status/1/photo/3"><div data-testid="tweetPhoto"><img src="x.jpg"></div></a></article>';
    const box = document.querySelector<HTMLElement>('[data-testid="tweetPhoto"]')!;
    const n = mountNotice(box, { match, mode: 'blur', compact: true, revealed: false, onReveal: vi.fn(), onCorrectUse: vi.fn() });
    await Promise.resolve();
    const click = new MouseEvent('click', { bubbles: true, composed: true, cancelable: true });
    Object.defineProperty(click, 'isTrusted', { value: true });
    n.host.shadowRoot!.querySelector('button.badge')!.dispatchEvent(click);
    expect(click.defaultPrevented, 'X’s photo link is not followed').toBe(true);
    const panelLink = panelHost()!.shadowRoot!.querySelector('a.primary')!;
    let prevented: boolean | null = null;
    panelLink.addEventListener('click', (e) => {
      prevented = e.defaultPrevented; // as the browser would see it, after the notice's own listeners
      e.preventDefault(); // (and no navigation in the test)
    });
    panelLink.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    expect(prevented, 'the fact-check link is followed').toBe(false);
    n.unmount();
  });
});
