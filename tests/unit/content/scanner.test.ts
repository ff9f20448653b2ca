// @vitest-environment happy-dom
// The scanner's scheduling, with a scripted IntersectionObserver: what is checked, once, and what
// is dropped when it leaves the viewport before its turn.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MatchView, MediaResult } from '../../../src/shared/messages';
import { Scanner } from '../../../src/content/scanner';

vi.mock('webextension-polyfill', () => ({ default: { runtime: { id: 'test-extension' } } }));
const { ContentScriptContext } = await import('../../../src/content/context');

let io: { cb: IntersectionObserverCallback; targets: Set<Element> };
class FakeIntersectionObserver {
  targets = new Set<Element>();
  constructor(cb: IntersectionObserverCallback) {
    io = { cb, targets: this.targets };
  }
  observe(t: Element) {
    this.targets.add(t);
  }
  unobserve(t: Element) {
    this.targets.delete(t);
  }
  disconnect() {
    this.targets.clear();
  }
}
vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);

const MEDIA = 'http://127.0.0.1:9/media';
const post = (key: string) => `<article data-testid="tweet"><div data-testid="tweetPhoto"><img src="${MEDIA}/${key}?format=jpg&amp;name=small"></div></article>`;
const boxes = () => [...document.querySelectorAll<HTMLElement>('[data-testid="tweetPhoto"]')];
const visibility = (list: [Element, boolean][]) =>
  io.cb(list.map(([target, isIntersecting]) => ({ target, isIntersecting }) as IntersectionObserverEntry), io as unknown as IntersectionObserver);
const flush = () => new Promise((r) => setTimeout(r, 0));
const MATCH = { entryId: 'e1' } as MatchView;

describe('scanner', () => {
  let checked: string[][];
  let shown: Element[];
  let release: (() => void)[];
  let hold: boolean;
  beforeEach(() => {
    checked = [];
    shown = [];
    release = [];
    hold = false;
  });
  const scanner = () =>
    new Scanner(document, {
      check: async (urls) => {
        checked.push(urls.map((u) => new URL(u).pathname));
        if (hold) await new Promise<void>((r) => release.push(r));
        return urls.map((url): MediaResult => ({ url, matches: url.includes('Debunked') ? [MATCH] : [], quality: 90, error: null }));
      },
      show: (item) => shown.push(item.box),
    }, new ContentScriptContext({ alive: () => true }));

  it('checks an upload seen in two posts once, even when one of them is far from the viewport', async () => {
    document.body.innerHTML = post('Debunked01') + post('Other00001') + post('Debunked01');
    scanner().start();
    const [a, b, c] = boxes();
    visibility([[a!, true], [b!, true], [c!, false]]); // the far copy must not cancel the near one
    await flush();
    expect(checked).toEqual([['/media/Debunked01', '/media/Other00001']]);
    expect(shown).toEqual([a]);
    visibility([[c!, true]]); // the other copy scrolls in: answered from the cache
    await flush();
    expect(checked).toHaveLength(1);
    expect(shown).toEqual([a, c]);
  });

  it('drops media that leaves the viewport before its turn, and checks it when it comes back', async () => {
    // Two batches in flight (the scanner's limit: a new batch starts when media comes into view or a
    // batch ends) keep the rest waiting.
    document.body.innerHTML = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((i) => post(`Filler${String(i).padStart(4, '0')}`)).join('') + post('Debunked02');
    hold = true;
    scanner().start();
    const all = boxes();
    visibility(all.slice(0, 12).map((b) => [b, true]));
    await flush();
    expect(checked).toHaveLength(1);
    const late = all[13]!;
    visibility([[all[12]!, true], [late, true]]);
    await flush();
    expect(checked).toHaveLength(2);
    visibility([[late, false]]); // scrolled past before its turn
    release.splice(0).forEach((r) => r());
    await flush();
    await flush();
    expect(checked.flat()).not.toContain('/media/Debunked02');
    expect(checked.flat()).toContain('/media/Filler0013');
    hold = false;
    release.splice(0).forEach((r) => r());
    visibility([[late, true]]);
    await flush();
    expect(checked.flat()).toContain('/media/Debunked02');
    expect(shown).toEqual([late]);
  });
});
