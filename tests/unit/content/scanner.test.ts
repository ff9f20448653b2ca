// @vitest-environment happy-dom
// The scanner's scheduling, with a scripted IntersectionObserver: what is checked, once, and what
// is dropped when it leaves the viewport before its turn.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MatchView, MediaResult } from '../../../src/shared/messages';
import { RESULTS_KEPT, Scanner } from '../../../src/content/scanner';

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
  /** How the background answers a URL: by default, matched when its name says Debunked. */
  let answer: (url: string) => MediaResult | 'throw' | 'omit';
  beforeEach(() => {
    answer = (url) => ({ url, matches: url.includes('Debunked') ? [MATCH] : [], quality: 90, error: null });
  });
  const scanner = () =>
    new Scanner(
      document,
      {
        check: async (urls) => {
          checked.push(urls.map((u) => new URL(u).pathname));
          if (hold) await new Promise<void>((r) => release.push(r));
          const answers = urls.map(answer);
          if (answers.includes('throw')) throw new Error('background restarted');
          return answers.filter((a): a is MediaResult => typeof a === 'object');
        },
        // Like the content script: a notice host in the box, mounted again if it is gone.
        show: (item) => {
          if (item.box.querySelector('[data-already-debunked]')) return;
          shown.push(item.box);
          const host = document.createElement('div');
          host.setAttribute('data-already-debunked', 'notice');
          item.box.append(host);
        },
      },
      new ContentScriptContext({ alive: () => true }),
    );

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

  describe('failed checks are not cached', () => {
    for (const [how, fail] of [
      ['the background answers with an error', (url: string): MediaResult => ({ url, matches: [], quality: null, error: 'fetch failed: 503' })],
      ['the check throws', () => 'throw' as const],
      ['the answer leaves the URL out', () => 'omit' as const],
    ] as const) {
      it(`${how}: the media is checked again when it comes back into view, and then shown`, async () => {
        document.body.innerHTML = post('Debunked03');
        scanner().start();
        const [box] = boxes();
        answer = fail;
        visibility([[box!, true]]);
        await flush();
        expect(checked).toEqual([['/media/Debunked03']]);
        expect(shown).toEqual([]);
        answer = (url) => ({ url, matches: [MATCH], quality: 90, error: null });
        visibility([[box!, false]]);
        visibility([[box!, true]]);
        await flush();
        expect(checked).toEqual([['/media/Debunked03'], ['/media/Debunked03']]);
        expect(shown).toEqual([box]);
      });
    }
  });

  describe('the notice comes back when X re-renders, without a second check', () => {
    const rendered = async () => {
      document.body.innerHTML = post('Debunked04');
      scanner().start();
      visibility([[boxes()[0]!, true]]);
      await flush();
      expect(shown).toHaveLength(1);
      expect(document.querySelectorAll('[data-already-debunked]')).toHaveLength(1);
    };
    // The scanner looks again on the animation frame after X's mutations (a microtask away).
    const frame = async () => {
      await flush();
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    };

    it('X replaces the whole post (a new box for the same media)', async () => {
      await rendered();
      document.body.innerHTML = post('Debunked04');
      const [box] = boxes();
      await frame();
      visibility([[box!, true]]);
      await flush();
      expect(shown).toHaveLength(2);
      expect(shown[1]).toBe(box);
      expect(checked).toHaveLength(1);
    });

    it("X re-renders the box's children (our notice is dropped with them)", async () => {
      await rendered();
      const [box] = boxes();
      box!.replaceChildren(Object.assign(document.createElement('img'), { src: `${MEDIA}/Debunked04?format=jpg&name=small` }));
      await frame();
      await flush();
      expect(shown).toEqual([box, box]);
      expect(box!.querySelector('[data-already-debunked]')).not.toBeNull();
      expect(checked).toHaveLength(1);
    });

    it('X removes only our notice from the box it reconciles', async () => {
      await rendered();
      const [box] = boxes();
      box!.querySelector('[data-already-debunked]')!.remove();
      await frame();
      await flush();
      expect(shown).toEqual([box, box]);
      expect(box!.querySelector('[data-already-debunked]')).not.toBeNull();
      expect(checked).toHaveLength(1);
    });
  });

  describe('holds no more than it needs on a long scroll', () => {
    // X's timeline is virtualised: cells are created as they come near and removed once scrolled past.
    const scroll = async (s: Scanner, posts: number, from = 0, perScreen = 10) => {
      for (let first = from; first < from + posts; first += perScreen) {
        document.body.innerHTML = Array.from({ length: perScreen }, (_, i) => post(`Scroll${String(first + i).padStart(5, '0')}`)).join('');
        await flush();
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        visibility(boxes().map((b) => [b, true]));
        await flush();
      }
      document.body.innerHTML = '';
      await flush();
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    };

    it('media that scrolled away before its check is not kept waiting', async () => {
      hold = true; // the background is slow: most media is gone before its turn
      const s = scanner();
      s.start();
      await scroll(s, 600);
      expect(checked).toHaveLength(2); // two batches in flight, the rest dropped as it left
      const sizes = s.sizes();
      expect(sizes.watched).toBe(0);
      expect(sizes.queue).toBe(0);
      expect(sizes.near).toBe(0);
      expect(sizes.waitingItems).toBeLessThanOrEqual(12); // at most the two batches in flight
      hold = false;
      release.splice(0).forEach((r) => r());
      await flush();
      await flush();
      expect(s.sizes().waitingItems).toBe(0);
    });

    it(`answers are kept for the ${RESULTS_KEPT} most recently seen uploads, not for the page's life`, async () => {
      const s = scanner();
      s.start();
      // One debunked upload reposted every 100 posts stays in the cache: shown again without a check.
      document.body.innerHTML = post('Debunked05');
      await flush();
      visibility([[boxes()[0]!, true]]);
      await flush();
      for (let round = 0; round < 15; round++) {
        await scroll(s, 100, round * 100);
        document.body.innerHTML = post('Debunked05');
        await flush();
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        visibility([[boxes()[0]!, true]]);
        await flush();
      }
      expect(checked.flat().filter((p) => p === '/media/Debunked05')).toHaveLength(1);
      expect(checked.flat()).toHaveLength(1 + 1500);
      expect(s.sizes().results).toBe(RESULTS_KEPT);
      // An upload seen 1,500 uploads ago was forgotten: it is checked again.
      document.body.innerHTML = post('Scroll00000');
      await flush();
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      visibility([[boxes()[0]!, true]]);
      await flush();
      expect(checked.at(-1)).toEqual(['/media/Scroll00000']);
    });
  });

  it('says where a check stands and when nothing near the viewport is left to answer (what the e2e tests wait for)', async () => {
    document.body.innerHTML = post('Debunked06') + post('Other00006');
    hold = true;
    const s = scanner();
    s.start();
    const [a, b] = boxes();
    expect(s.stateOf(`${MEDIA}/Debunked06?format=jpg&name=small`)).toBe('unseen');
    visibility([[a!, true], [b!, true]]);
    await flush();
    expect(s.stateOf(`${MEDIA}/Debunked06?format=jpg&name=large`)).toBe('pending');
    expect(s.sizes()).toMatchObject({ near: 2, unanswered: 2, inFlight: 1 });
    release.splice(0).forEach((r) => r());
    await flush();
    await flush();
    expect(s.stateOf(`${MEDIA}/Debunked06`)).toBe('matched');
    expect(s.stateOf(`${MEDIA}/Other00006`)).toBe('unmatched');
    expect(s.sizes()).toMatchObject({ near: 2, unanswered: 0, inFlight: 0, queue: 0 });
  });
});
