/**
 * Watches the X web app for media and gets each item checked once.
 *
 * X is a single-page app with a virtualised timeline: cells are created, recycled and removed as
 * the reader scrolls, and navigation does not reload the page. One MutationObserver over the body
 * (batched per animation frame) finds new media; an IntersectionObserver sends only media near the
 * viewport; results are cached by media key, so a post re-created by X, reposted or quoted gets its
 * notice at once without a second lookup. No navigation events are needed.
 */
import type { MatchView, MediaResult } from '../shared/messages';
import { SELECTORS, findMedia, mediaKey, type FoundMedia } from '../shared/x';
import type { ContentScriptContext } from './context';
import { HOST_ATTR } from './theme';

export interface ScannerHooks {
  /** Checks a batch of media URLs (the background fetches, hashes and looks them up). */
  check(urls: string[]): Promise<MediaResult[]>;
  /** A media item matched: show the notice (called again if X re-renders the item). */
  show(item: FoundMedia, matches: MatchView[]): void;
  /** A media item was checked and did not match (a video may still match by its frames). */
  unmatched?(item: FoundMedia): void;
  /** A media item came near the viewport (before or without its result). */
  visible?(item: FoundMedia): void;
}

const BATCH = 6;
const NEAR_VIEWPORT = '600px 0px';
/** Answers kept (most recently used first to stay): a re-rendered, reposted or quoted upload seen
 * again within this many others is shown at once; an older one is checked again. */
export const RESULTS_KEPT = 1000;

/** How much the scanner holds (for tests and the scroll bench). */
export interface ScannerSizes {
  results: number;
  waiting: number;
  waitingItems: number;
  queue: number;
  watched: number;
  near: number;
  /** Batches being checked, and media near the viewport queued or being checked. */
  inFlight: number;
  unanswered: number;
}

export class Scanner {
  /** Answers by media key, least recently used first (bounded: RESULTS_KEPT). */
  private readonly results = new Map<string, MatchView[] | 'pending'>();
  /** Items near the viewport waiting for their key's answer; dropped when they leave or detach. */
  private readonly waiting = new Map<string, FoundMedia[]>();
  private readonly queue = new Set<string>();
  /** Boxes under observation; pruned when X removes them, so a long scroll does not pin old nodes. */
  private readonly watched = new Set<Element>();
  private readonly itemOf = new WeakMap<Element, FoundMedia>();
  /** Boxes near the viewport, by media key: a key is dropped from the queue only when none is left
   * (the same upload can be on screen in one post and far away in another). */
  private readonly near = new Map<string, Set<Element>>();
  private readonly mutations: MutationObserver;
  private readonly visibility: IntersectionObserver;
  private scheduled = false;
  private pruneDue = false;
  /** Where the page changed since the last scan: only these subtrees are searched again. */
  private readonly dirty = new Set<ParentNode>();
  private inFlight = 0;

  constructor(
    private readonly root: Document,
    private readonly hooks: ScannerHooks,
    /** Owns the observers and the frame callback: when the extension goes away, scanning stops. */
    private readonly ctx: ContentScriptContext,
  ) {
    this.mutations = ctx.own(new MutationObserver(ctx.guard((records: MutationRecord[]) => {
      for (const r of records) {
        // X dropped one of our hosts (a notice) from a box it kept: look at the box's post again.
        if (r.type === 'childList' && [...r.removedNodes].some((n) => n.nodeType === Node.ELEMENT_NODE && (n as Element).hasAttribute(HOST_ATTR))) {
          this.dirty.add(r.target.nodeType === Node.ELEMENT_NODE ? ((r.target as Element).closest(SELECTORS.post) ?? (r.target as Element)) : (r.target as ParentNode));
        }
        // Something left the page: forget its boxes on the next frame even if nothing new came.
        if (r.type === 'childList' && r.removedNodes.length) this.pruneDue = true;
        const nodes = r.type === 'childList' ? [...r.addedNodes] : [r.target];
        for (const n of nodes) {
          if (n.nodeType !== Node.ELEMENT_NODE) continue;
          const el = n as Element;
          // The whole post, so that a box and its <img> are seen together whichever changed; outside a
          // post the added subtree itself (its parent for a lone <img>/<video>, which a search from
          // itself would not include).
          this.dirty.add(el.closest(SELECTORS.post) ?? (el.matches('img, video') ? el.parentElement : null) ?? el);
        }
      }
      if (this.dirty.size || this.pruneDue) this.schedule();
    })));
    this.visibility = ctx.own(new IntersectionObserver(ctx.guard((entries: IntersectionObserverEntry[]) => this.onVisibility(entries)), { rootMargin: NEAR_VIEWPORT }));
  }

  start(): void {
    if (this.ctx.isInvalid) return;
    this.mutations.observe(this.root.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'poster'] });
    this.scan([this.root]);
  }

  sizes(): ScannerSizes {
    let waitingItems = 0;
    for (const items of this.waiting.values()) waitingItems += items.length;
    // Near media still to be answered (a failed check counts as answered: it is tried when seen again).
    const unanswered = [...this.near.keys()].filter((k) => this.queue.has(k) || this.results.get(k) === 'pending').length;
    return { results: this.results.size, waiting: this.waiting.size, waitingItems, queue: this.queue.size, watched: this.watched.size, near: this.near.size, inFlight: this.inFlight, unanswered };
  }

  /** Where the check of this media stands (for the end-to-end tests). */
  stateOf(url: string): 'unseen' | 'queued' | 'pending' | 'matched' | 'unmatched' {
    const key = mediaKey(url);
    const r = this.results.get(key);
    if (Array.isArray(r)) return r.length ? 'matched' : 'unmatched';
    if (r === 'pending') return 'pending';
    return this.queue.has(key) ? 'queued' : 'unseen';
  }

  /** The answer for a key, marked as just used. */
  private answer(key: string): MatchView[] | 'pending' | undefined {
    const r = this.results.get(key);
    if (Array.isArray(r)) {
      this.results.delete(key);
      this.results.set(key, r);
    }
    return r;
  }

  private remember(key: string, value: MatchView[] | 'pending'): void {
    this.results.delete(key);
    this.results.set(key, value);
    if (this.results.size <= RESULTS_KEPT) return;
    // Forget the least recently used answer (a check in flight is kept: its answer is on its way).
    for (const [k, v] of this.results) {
      if (v === 'pending') continue;
      this.results.delete(k);
      break;
    }
  }

  stop(): void {
    this.mutations.disconnect();
    this.visibility.disconnect();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.ctx.requestAnimationFrame(() => {
      this.scheduled = false;
      // Drop scopes inside other scopes, then search each once.
      const scopes = [...this.dirty].filter((s) => s.isConnected ?? true);
      this.dirty.clear();
      const outer = scopes.filter((s) => !scopes.some((o) => o !== s && o.contains(s as Node)));
      this.scan(outer);
    });
  }

  private scan(scopes: ParentNode[]): void {
    this.pruneDue = false;
    for (const box of this.watched) {
      if (box.isConnected) continue;
      this.visibility.unobserve(box);
      this.watched.delete(box);
      const item = this.itemOf.get(box);
      if (item) this.leave(mediaKey(item.url), box);
    }
    for (const item of scopes.flatMap((scope) => findMedia(scope))) {
      const known = this.itemOf.get(item.box);
      if (known && known.url === item.url && this.watched.has(item.box)) {
        this.reshow(item);
        continue;
      }
      this.itemOf.set(item.box, item);
      this.watched.add(item.box);
      // A box whose media changed in place (X swaps src): observe afresh for a new visibility callback.
      if (known) {
        this.visibility.unobserve(item.box);
        this.leave(mediaKey(known.url), item.box);
      }
      this.visibility.observe(item.box);
    }
  }

  /** X re-rendered a box we already answered: put the notice back if it was removed. */
  private reshow(item: FoundMedia): void {
    const r = this.answer(mediaKey(item.url));
    if (Array.isArray(r) && r.length) this.hooks.show(item, r);
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const item = this.itemOf.get(e.target);
      if (!item) continue;
      const key = mediaKey(item.url);
      if (!e.isIntersecting) {
        this.leave(key, e.target);
        continue;
      }
      this.near.set(key, (this.near.get(key) ?? new Set()).add(e.target));
      this.hooks.visible?.(item);
      const known = this.answer(key);
      if (Array.isArray(known)) {
        if (known.length) this.hooks.show(item, known);
        else this.hooks.unmatched?.(item);
        continue;
      }
      this.waiting.set(key, [...(this.waiting.get(key) ?? []).filter((x) => x.box.isConnected && x.box !== item.box), item]);
      if (known !== 'pending') this.queue.add(key);
    }
    void this.pump();
  }

  /** A box left the viewport's neighbourhood (or the page). */
  private leave(key: string, box: Element): void {
    // Its item no longer waits for an answer (it is shown from the cache if it comes back).
    const rest = this.waiting.get(key)?.filter((x) => x.box !== box && x.box.isConnected);
    if (rest?.length) this.waiting.set(key, rest);
    else this.waiting.delete(key);
    const boxes = this.near.get(key);
    boxes?.delete(box);
    if (boxes?.size) return;
    this.near.delete(key);
    // Scrolled away before its turn, everywhere it appears: do not spend a fetch on it.
    if (this.results.get(key) === undefined) this.queue.delete(key);
  }

  private urlOf(key: string): string | undefined {
    return this.waiting.get(key)?.[0]?.url;
  }

  private async pump(): Promise<void> {
    if (this.inFlight >= 2 || this.queue.size === 0 || this.ctx.isInvalid) return;
    const keys = [...this.queue].slice(0, BATCH);
    for (const k of keys) {
      this.queue.delete(k);
      this.remember(k, 'pending');
    }
    const urls = keys.map((k) => this.urlOf(k)).filter((u): u is string => !!u);
    this.inFlight++;
    try {
      const results = await this.hooks.check(urls);
      if (this.ctx.isInvalid) return;
      for (const r of results) {
        const key = mediaKey(r.url);
        // A failed check (network, decode) is not cached: it is tried again when seen again.
        if (r.error) this.results.delete(key);
        else this.remember(key, r.matches);
        for (const item of this.waiting.get(key) ?? []) {
          if (!item.box.isConnected) continue;
          if (r.matches.length) this.hooks.show(item, r.matches);
          else if (!r.error) this.hooks.unmatched?.(item);
        }
        this.waiting.delete(key);
      }
      // A URL the answer left out was not checked: like a failure, tried again when seen again.
      for (const k of keys) {
        if (this.results.get(k) !== 'pending') continue;
        this.results.delete(k);
        this.waiting.delete(k);
      }
    } catch (e) {
      for (const k of keys) this.results.delete(k);
      if (this.ctx.isInvalid) return;
      console.warn('[already-debunked] media check failed:', e);
    } finally {
      this.inFlight--;
      if (this.queue.size && this.ctx.isValid) void this.pump();
    }
  }
}
