/**
 * Diagnostics for the maintainer, shown quietly in the popup: the last sign that X changed its
 * markup (a content script found X's media on a page but a selector of src/shared/x.ts never
 * matched it). Kept in storage.local for a week; nothing leaves the browser.
 */
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import type { MarkupDiagnostic } from '../shared/messages';

const MARKUP_KEY = 'markupDiagnostic';
const SHOWN_FOR_MS = 7 * 24 * 60 * 60_000;

export async function recordMarkup(report: Pick<MarkupDiagnostic, 'silent' | 'sample'>, now = new Date()): Promise<void> {
  const diagnostic: MarkupDiagnostic = { at: now.toISOString(), version: BUILD.version, silent: [...report.silent], sample: { ...report.sample } };
  await browser.storage.local.set({ [MARKUP_KEY]: diagnostic });
}

/** The last markup diagnostic of this version, if recent (an update is expected to fix it). */
export async function lastMarkup(now = new Date()): Promise<MarkupDiagnostic | null> {
  const d = (await browser.storage.local.get(MARKUP_KEY))[MARKUP_KEY] as MarkupDiagnostic | undefined;
  if (!d || d.version !== BUILD.version) return null;
  return now.getTime() - Date.parse(d.at) < SHOWN_FOR_MS ? d : null;
}
