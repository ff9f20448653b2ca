/**
 * The directory of known feeds this build ships (directory.json, checked with the build's directory
 * keys: src/core/feed/directory.ts), with each feed marked subscribed or not. A build without a
 * directory says so; a directory that does not verify is reported, never used.
 */
import browser from 'webextension-polyfill';
import { openDirectory } from '../core/feed';
import { BUILD } from '../shared/build';
import type { DirectoryView } from '../shared/messages';
import { loadSettings } from './settings-store';

export async function directoryView(now = new Date()): Promise<DirectoryView> {
  if (!BUILD.directoryKeys.length) return { available: false, issued: null, feeds: [], error: null };
  const subscribed = new Set((await loadSettings()).subscriptions.map((f) => f.url));
  try {
    const res = await fetch(browser.runtime.getURL('directory.json'));
    const dir = openDirectory(new Uint8Array(await res.arrayBuffer()), BUILD.directoryKeys, now, BUILD.testHosts);
    return { available: true, issued: dir.issued, feeds: dir.feeds.map((f) => ({ ...f, homepage: f.homepage ?? null, subscribed: subscribed.has(f.url) })), error: null };
  } catch (e) {
    return { available: true, issued: null, feeds: [], error: (e as Error).message };
  }
}
