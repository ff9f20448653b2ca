// @vitest-environment happy-dom
// The content script's context: once the extension is gone (runtime.id disappears, or a send fails
// with "Extension context invalidated"), none of the timers, listeners and observers it owns runs
// again, and nothing more is sent.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { runtime: { id: 'test-extension' } } }));
const { ContentScriptContext, ContextInvalidatedError } = await import('../../../src/content/context');

describe('content script context', () => {
  let alive: boolean;
  let sent: string[];
  let failWith: Error | null;
  const make = () =>
    new ContentScriptContext({
      alive: () => alive,
      send: (async (type: string) => {
        if (failWith) throw failWith;
        sent.push(type);
        return {};
      }) as never,
    });
  beforeEach(() => {
    alive = true;
    sent = [];
    failWith = null;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('runs its timers while the extension is there, and none after it went away', () => {
    const ctx = make();
    const ran: string[] = [];
    ctx.setTimeout(() => ran.push('t1'), 10);
    ctx.setInterval(() => ran.push('tick'), 10);
    vi.advanceTimersByTime(25);
    expect(ran).toEqual(['t1', 'tick', 'tick']);
    ctx.setTimeout(() => ran.push('t2'), 10);
    alive = false; // nothing tells the script: the next timer notices
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['t1', 'tick', 'tick']);
    expect(ctx.isValid).toBe(false);
    expect(vi.getTimerCount()).toBe(0); // cleared, not just muted
  });

  it('a timer or frame that ran holds nothing on the context (the scanner asks for a frame at every change)', () => {
    const ctx = make();
    const signal = ctx.signal;
    let listening = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...a: Parameters<typeof add>) => (listening++, add(...a))) as typeof add;
    signal.removeEventListener = ((...a: Parameters<typeof remove>) => (listening--, remove(...a))) as typeof remove;
    for (let i = 0; i < 100; i++) {
      ctx.setTimeout(() => undefined, 1);
      ctx.requestAnimationFrame(() => undefined);
    }
    expect(listening).toBe(200);
    vi.advanceTimersByTime(100);
    expect(listening).toBe(0);
    // One still pending is cancelled when the context goes.
    let ran = false;
    ctx.requestAnimationFrame(() => (ran = true));
    ctx.abort();
    vi.advanceTimersByTime(100);
    expect(ran).toBe(false);
  });

  it('removes its listeners and disconnects its observers when invalidated', async () => {
    const ctx = make();
    const target = document.createElement('div');
    document.body.append(target);
    const heard: string[] = [];
    ctx.addEventListener(target, 'ping', (e) => heard.push(e.type));
    const observer = ctx.own(new MutationObserver(ctx.guard(() => heard.push('mutation'))));
    observer.observe(target, { childList: true });
    target.dispatchEvent(new Event('ping'));
    target.append(document.createElement('span'));
    await vi.waitFor(() => expect(heard).toEqual(['ping', 'mutation']));
    const disconnect = vi.spyOn(observer, 'disconnect');
    let invalidated = 0;
    ctx.onInvalidated(() => invalidated++);
    alive = false;
    target.dispatchEvent(new Event('ping')); // the guarded listener notices, and everything stops
    target.append(document.createElement('span'));
    target.dispatchEvent(new Event('ping'));
    await Promise.resolve();
    vi.advanceTimersByTime(10);
    expect(heard).toEqual(['ping', 'mutation']);
    expect(disconnect).toHaveBeenCalledTimes(1);
    expect(invalidated).toBe(1);
    ctx.abort();
    expect(invalidated).toBe(1); // once
  });

  it('sends nothing once invalid, and a send failing with "Extension context invalidated" invalidates it', async () => {
    const ctx = make();
    await ctx.send('cs/open-options', {});
    expect(sent).toEqual(['cs/open-options']);
    failWith = new Error('Extension context invalidated.');
    await expect(ctx.send('cs/open-options', {})).rejects.toBeInstanceOf(ContextInvalidatedError);
    expect(ctx.isValid).toBe(false);
    failWith = null;
    await expect(ctx.send('cs/open-options', {})).rejects.toBeInstanceOf(ContextInvalidatedError);
    expect(sent).toEqual(['cs/open-options']);
  });

  it('passes other send errors through and stays valid', async () => {
    const ctx = make();
    failWith = new Error('rate-limited: slow down');
    await expect(ctx.send('cs/open-options', {})).rejects.toThrow('rate-limited');
    expect(ctx.isValid).toBe(true);
  });

  it('a listener removed by its own signal stays removed; onInvalidated after the fact runs at once', () => {
    const ctx = make();
    const target = new EventTarget();
    const heard: string[] = [];
    const own = new AbortController();
    ctx.addEventListener(target, 'x', () => heard.push('x'), { signal: own.signal });
    own.abort();
    target.dispatchEvent(new Event('x'));
    expect(heard).toEqual([]);
    ctx.abort();
    let ran = false;
    ctx.onInvalidated(() => (ran = true));
    expect(ran).toBe(true);
  });
});
