// @vitest-environment happy-dom
// The whole content script has a lifetime: once the extension is updated or disabled (runtime.id
// gone), no observer callback, timer or video sample of the old script runs any more, nothing more
// is sent, its background listener is removed and what it put into the page goes away.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MatchView, MediaResult, MessageType } from '../../../src/shared/messages';

const removeListener = vi.fn();
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: { id: 'test-extension', sendMessage: () => Promise.reject(new Error('no background in this test')), onMessage: { addListener: vi.fn(), removeListener } },
    i18n: { getMessage: (k: string) => k, getUILanguage: () => 'en' },
  },
}));

// A scripted IntersectionObserver: the test says what is near the viewport.
const observed: Element[] = [];
let visibilityCallback: IntersectionObserverCallback | null = null;
class FakeIntersectionObserver {
  constructor(cb: IntersectionObserverCallback) {
    visibilityCallback = cb;
  }
  observe(t: Element) {
    observed.push(t);
  }
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
// Frames of a playing video: a blank 2D canvas (happy-dom has none); drawImage counts the samples.
const drawn = vi.fn();
class FakeOffscreenCanvas {
  constructor(
    public width: number,
    public height: number,
  ) {}
  getContext() {
    return { drawImage: drawn, getImageData: (_x: number, _y: number, w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4).fill(128), width: w, height: h }) };
  }
}
vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas);
let clock = 0;
vi.spyOn(performance, 'now').mockImplementation(() => clock);

// The entry script runs on import with a context of its own: this test gives it a scripted one
// (whether the extension is still there, and the background's answers).
const contextOptions: { alive?: () => boolean; send?: unknown } = {};
vi.mock('../../../src/content/context', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/content/context')>();
  return {
    ...real,
    ContentScriptContext: class extends real.ContentScriptContext {
      constructor() {
        super(contextOptions as ConstructorParameters<typeof real.ContentScriptContext>[0]);
      }
    },
  };
});

const MEDIA = 'http://127.0.0.1:9';
const photo = (key: string) => `<article data-testid="tweet"><div data-testid="tweetPhoto"><img src="${MEDIA}/media/${key}?format=jpg&amp;name=small"></div></article>`;
const video = (key: string) =>
  `<article data-testid="tweet"><div data-testid="tweetPhoto"><video poster="${MEDIA}/amplify_video_thumb/1/img/${key}.jpg"></video></div></article>`;
const MATCH = { entryId: 'e1', feedUrl: 'https://feeds.example.org/', feedName: 'Example', label: 'missing-context', rating: 'Missing context', claim: 'c', originalContext: { description: 'd', date: '2019-04-25', location: null }, headline: 'h', factCheckUrl: 'https://factcheck.example.org/', publisherName: 'P', datePublished: '2022-10-08', lang: 'en', distance: 4, variant: 'original' } as unknown as MatchView;
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
const visible = (els: Element[]) =>
  visibilityCallback!(els.map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry), {} as IntersectionObserver);

function playing(v: HTMLVideoElement) {
  for (const [k, value] of Object.entries({ paused: false, readyState: 4, videoWidth: 64, videoHeight: 36, currentTime: 1 })) Object.defineProperty(v, k, { value, configurable: true });
}

describe('content script lifetime', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('after the extension goes away, no observer callback, timer or video sample runs and nothing is sent', async () => {
    document.body.innerHTML = photo('Debunked01') + video('Video00001');
    let alive = true;
    const sent: MessageType[] = [];
    contextOptions.alive = () => alive;
    contextOptions.send = async (type: MessageType, payload: { urls?: string[] }) => {
      sent.push(type);
      if (type === 'cs/hello') return { enabled: true, version: '0', protocol: 1, displayMode: 'banner', locale: 'en', messages: null };
      if (type === 'cs/match-media') return { results: payload.urls!.map((url): MediaResult => ({ url, matches: url.includes('Debunked') ? [MATCH] : [], quality: 90, error: null })) };
      if (type === 'cs/match-frame') return { hits: [], rule: { accept: 31, sure: 24, near: 40, frames: 2 } };
      return {};
    };
    await import('../../../src/content/index'); // the content script starts (happy-dom's page is on localhost: an X page in test builds)
    const [photoBox, videoBox] = [...document.querySelectorAll<HTMLElement>('[data-testid="tweetPhoto"]')];
    await vi.waitFor(() => expect(observed).toEqual([photoBox, videoBox]));

    // Alive: the media is checked, the photo gets its notice, the video's frames are sampled.
    visible([photoBox!, videoBox!]);
    await vi.waitFor(() => expect(sent).toContain('cs/notice-shown'));
    expect(photoBox!.querySelector('[data-already-debunked="notice"]')).not.toBeNull();
    const v = videoBox!.querySelector('video')!;
    playing(v);
    v.dispatchEvent(new Event('timeupdate'));
    await vi.waitFor(() => expect(sent).toContain('cs/match-frame'));
    expect(drawn).toHaveBeenCalledTimes(1);
    // Still alive: a new post is found on the next frame.
    document.body.insertAdjacentHTML('beforeend', photo('Alive00001'));
    await vi.waitFor(() => expect(observed).toHaveLength(3));

    // The extension is updated or disabled: nothing tells the old script.
    alive = false;
    const before = sent.length;
    document.body.insertAdjacentHTML('beforeend', photo('Late000001')); // a mutation
    await nextFrame();
    await nextFrame();
    expect(observed).toHaveLength(3); // the mutation observer's callback did not scan
    visible([...document.querySelectorAll('[data-testid="tweetPhoto"]')]); // an intersection callback
    clock += 5000;
    v.dispatchEvent(new Event('timeupdate')); // the video keeps playing
    v.dispatchEvent(new Event('playing'));
    await nextFrame();
    expect(drawn).toHaveBeenCalledTimes(1); // no frame sampled
    expect(sent.slice(before)).toEqual([]);
    // It cleaned up after itself: no background listener, no notice left on the page.
    expect(removeListener).toHaveBeenCalledTimes(1);
    expect(document.querySelector('[data-already-debunked]')).toBeNull();
    expect(JSON.parse(document.documentElement.dataset['alreadyDebunkedE2e'] ?? '{}')).toMatchObject({ invalidated: true });
  });
});

describe('content script conventions', () => {
  it('timers, page listeners, observers and messages in src/content go through the context', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(__dirname, '../../../src/content');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && f !== 'context.ts');
    const problems: string[] = [];
    for (const f of files) {
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const at = `${f}:${i + 1}: ${line.trim()}`;
          if (/(?<![.\w])(setTimeout|setInterval|requestAnimationFrame)\(/.test(line)) problems.push(`raw timer ${at}`);
          if (/\b(window|document|doc|video)\.addEventListener\(/.test(line)) problems.push(`page listener not owned ${at}`);
          if (/new (Mutation|Intersection|Resize)Observer\(/.test(line) && !/guard\(/.test(line)) problems.push(`unguarded observer ${at}`);
          if (/import \{[^}]*\bsend\b[^}]*\} from '[./]*shared\/messaging'/.test(line)) problems.push(`send without the context ${at}`);
        });
    }
    // Known gap, left open: the notice's details panel (issue 19, notice/panel.ts) adds its page
    // listeners while open and removes them on close, outside the context; after an invalidation
    // its host is removed but an open panel's listeners stay until the page goes.
    const KNOWN = [/^page listener not owned notice\/panel\.ts:/];
    expect(problems.filter((p) => !KNOWN.some((k) => k.test(p)))).toEqual([]);
  });
});
