/**
 * The reader's local history of notices (src/shared/history.ts), in storage.local: written when a
 * notice is shown, read by the popup, cleared by the reader. Never sent anywhere.
 */
import browser from 'webextension-polyfill';
import { addToHistory, readHistory, type HistoryItem } from '../shared/history';

const KEY = 'noticeHistory';
let writing: Promise<unknown> = Promise.resolve();

export async function getHistory(now = Date.now()): Promise<HistoryItem[]> {
  return readHistory((await browser.storage.local.get(KEY))[KEY], now);
}

/** Adds a row; writes go one after another (notices arrive in bursts: no read-modify-write race). */
export function recordNotice(item: Omit<HistoryItem, 'at'>, now = Date.now()): Promise<HistoryItem[]> {
  const next = writing.then(async () => {
    const items = addToHistory(await getHistory(now), { ...item, at: now }, now);
    await browser.storage.local.set({ [KEY]: items });
    return items;
  });
  writing = next.catch(() => undefined);
  return next;
}

export function clearHistory(): Promise<HistoryItem[]> {
  const next = writing.then(async () => {
    await browser.storage.local.remove(KEY);
    return [];
  });
  writing = next.catch(() => undefined);
  return next;
}
