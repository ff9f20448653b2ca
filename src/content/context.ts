/**
 * The content script's lifetime (the pattern of WXT's ContentScriptContext): one object owns every
 * observer, timer, listener and message the script makes, and stops them all when the extension
 * goes away.
 *
 * When the extension is updated, reloaded or disabled, the browser leaves the scripts it had
 * injected running in open tabs, cut off from the extension: `runtime.id` disappears and every send
 * fails with "Extension context invalidated". Nothing tells the old script, so the context looks at
 * each opportunity — before every guarded callback (observer, timer, event) and around every send —
 * and on the first sign aborts: observers are disconnected, timers cleared, listeners removed, and
 * the `onInvalidated` callbacks run (they remove what we put into the page). After that, no callback
 * of ours runs and nothing is sent.
 */
import browser from 'webextension-polyfill';
import { send } from '../shared/messaging';
import type { MessageType, RequestOf, ResponseOf } from '../shared/messages';

/** What Chromium and Firefox say when a script of a gone extension uses its API. */
const INVALIDATED = /extension context invalidated|dead object/i;

/** Whether the extension this script belongs to is still there (its runtime still has an id). */
export function extensionAlive(): boolean {
  try {
    return !!browser.runtime?.id;
  } catch {
    return false;
  }
}

/** Thrown by ctx.send once the context is invalidated: callers may ignore it (nothing to report). */
export class ContextInvalidatedError extends Error {
  constructor() {
    super('the extension was updated or disabled: this content script has stopped');
    this.name = 'ContextInvalidatedError';
  }
}

export interface Disconnectable {
  disconnect(): void;
}

export interface ContextOptions {
  /** Whether the extension is still there (default: extensionAlive; tests script it). */
  alive?: () => boolean;
  /** The sending side (default: shared/messaging send; tests script it). */
  send?: typeof send;
}

export class ContentScriptContext {
  private readonly controller = new AbortController();
  private readonly alive: () => boolean;
  private readonly sender: typeof send;

  constructor(options: ContextOptions = {}) {
    this.alive = options.alive ?? extensionAlive;
    this.sender = options.send ?? send;
  }

  /** Aborted when the context is invalidated: for fetches, listeners, anything taking a signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** False once the extension is gone (checking is what notices it: callbacks call this first). */
  get isValid(): boolean {
    if (!this.controller.signal.aborted && !this.alive()) this.abort('the extension is gone');
    return !this.controller.signal.aborted;
  }

  get isInvalid(): boolean {
    return !this.isValid;
  }

  /** Stops everything this context owns (idempotent). */
  abort(reason = 'stopped'): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** Runs `cb` when the context is invalidated (at once if it already is). Returns an unsubscribe. */
  onInvalidated(cb: () => void): () => void {
    if (this.controller.signal.aborted) {
      cb();
      return () => undefined;
    }
    this.controller.signal.addEventListener('abort', cb, { once: true });
    return () => this.controller.signal.removeEventListener('abort', cb);
  }

  /** `fn`, but doing nothing once the context is invalid (for observer and library callbacks). */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      if (this.isValid) fn(...args);
    };
  }

  /** An observer (MutationObserver, IntersectionObserver, ResizeObserver…) disconnected on invalidation. */
  own<T extends Disconnectable>(observer: T): T {
    this.onInvalidated(() => observer.disconnect());
    return observer;
  }

  // A one-shot timer or frame lets go of its invalidation callback when it runs: the scanner asks
  // for a frame at every change of the page, and each used to leave a listener on the signal for
  // the page's life.
  setTimeout(handler: () => void, ms?: number): ReturnType<typeof setTimeout> {
    let off = () => undefined as void;
    const id = setTimeout(() => {
      off();
      if (this.isValid) handler();
    }, ms);
    off = this.onInvalidated(() => clearTimeout(id));
    return id;
  }

  setInterval(handler: () => void, ms?: number): ReturnType<typeof setInterval> {
    const id = setInterval(this.guard(handler), ms);
    this.onInvalidated(() => clearInterval(id));
    return id;
  }

  requestAnimationFrame(handler: FrameRequestCallback): number {
    let off = () => undefined as void;
    const id = requestAnimationFrame((time) => {
      off();
      if (this.isValid) handler(time);
    });
    off = this.onInvalidated(() => cancelAnimationFrame(id));
    return id;
  }

  /**
   * A listener removed on invalidation (or when `options.signal`, if given, aborts). Returns a
   * function that removes it.
   */
  addEventListener<E extends Event = Event>(
    target: EventTarget,
    type: string,
    handler: (e: E) => void,
    options: { capture?: boolean; passive?: boolean; once?: boolean; signal?: AbortSignal } = {},
  ): () => void {
    const own = new AbortController();
    const off = this.onInvalidated(() => own.abort());
    options.signal?.addEventListener('abort', () => own.abort(), { once: true });
    const remove = () => {
      off();
      own.abort();
    };
    if (own.signal.aborted || options.signal?.aborted) return remove;
    target.addEventListener(type, this.guard(handler as (e: Event) => void), { capture: options.capture, passive: options.passive, once: options.once, signal: own.signal });
    return remove;
  }

  /**
   * Sends a message to the background. Once the context is invalid it sends nothing and rejects with
   * ContextInvalidatedError; a send that fails because the extension went away invalidates it.
   */
  async send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
    if (this.isInvalid) throw new ContextInvalidatedError();
    try {
      return await this.sender(type, payload);
    } catch (e) {
      if (INVALIDATED.test(e instanceof Error ? e.message : String(e)) || !this.alive()) {
        this.abort('a send found the extension gone');
        throw new ContextInvalidatedError();
      }
      throw e;
    }
  }
}
