/**
 * Listens for X changing its markup: samples the page now and then (src/shared/x.ts sampleMarkup)
 * and, once the page's evidence says a selector should have matched and never did, reports it —
 * once per finding, for the popup's diagnostics. Quiet for the reader (nothing on the page); the
 * caller also warns in the test build's console.
 */
import { addMarkupSample, emptyMarkupSample, sampleMarkup, silentSelectors, type MarkupCheck, type MarkupSample } from '../shared/x';
import type { ContentScriptContext } from './context';

export interface MarkupWatchOptions {
  /** The first look, after the page has had time to render its timeline. */
  firstAfterMs?: number;
  /** Then one look this often for the page's life. */
  everyMs?: number;
}

export function watchMarkup(
  ctx: ContentScriptContext,
  root: ParentNode,
  report: (silent: MarkupCheck[], total: MarkupSample) => void,
  { firstAfterMs = 5_000, everyMs = 30_000 }: MarkupWatchOptions = {},
): void {
  let total = emptyMarkupSample();
  let reported = '';
  const look = () => {
    total = addMarkupSample(total, sampleMarkup(root));
    const silent = silentSelectors(total);
    const key = silent.join(',');
    if (!silent.length || key === reported) return;
    reported = key;
    report(silent, total);
  };
  ctx.setTimeout(() => {
    look();
    ctx.setInterval(look, everyMs);
  }, firstAfterMs);
}
