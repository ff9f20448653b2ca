// @vitest-environment happy-dom
// The content script's markup watch: it reports once per finding when X's markup stops matching
// (for the popup's diagnostics), stays quiet on markup it recognises, and stops with the context.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { runtime: { id: 'test-extension' } } }));
const { ContentScriptContext } = await import('../../../src/content/context');
const { watchMarkup } = await import('../../../src/content/markup');

const home = fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/x/home.html'), 'utf8').replace(/^<!DOCTYPE html>\s*<html[^>]*>/i, '');
const renamed = home.replaceAll('data-testid="tweetPhoto"', 'data-testid="postMedia"');

describe('markup watch', () => {
  let alive: boolean;
  let reports: string[][];
  const start = () => {
    const ctx = new ContentScriptContext({ alive: () => alive });
    watchMarkup(ctx, document, (silent) => reports.push(silent), { firstAfterMs: 1000, everyMs: 10_000 });
    return ctx;
  };
  beforeEach(() => {
    alive = true;
    reports = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('reports a media box that never matched, once, after the first look', () => {
    document.documentElement.innerHTML = renamed;
    start();
    vi.advanceTimersByTime(999);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reports).toEqual([['mediaBox']]);
    vi.advanceTimersByTime(60_000);
    expect(reports).toEqual([['mediaBox']]); // not again for the same finding
  });

  it('stays quiet on markup it recognises, for the page’s life', () => {
    document.documentElement.innerHTML = home;
    start();
    vi.advanceTimersByTime(120_000);
    expect(reports).toEqual([]);
  });

  it('stops looking when the extension goes away', () => {
    document.documentElement.innerHTML = home;
    start();
    vi.advanceTimersByTime(1000);
    alive = false;
    document.documentElement.innerHTML = renamed;
    vi.advanceTimersByTime(120_000);
    expect(reports).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
