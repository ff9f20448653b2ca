/** The background's answer to each message type. */
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import { PROTOCOL_VERSION, type StatusView } from '../shared/messages';
import { hashFromHex } from '../core/hash256';
import { probeFromHex, type ProbeHex } from '../core/match';
import { isHashableMediaUrl } from '../shared/x';
import { addFeed, feedStatuses, removeFeed, setFeedEnabled, syncAll } from './feeds';
import { matchHashes } from './matcher';
import { hashMediaUrl } from './media';
import type { Handlers } from './router';
import { loadSettings, updateSettings } from './settings-store';

async function status(): Promise<StatusView> {
  const settings = await loadSettings();
  return { version: BUILD.version, enabled: settings.enabled, feeds: await feedStatuses(), settings };
}

export const handlers: Handlers = {
  async 'cs/hello'() {
    const settings = await loadSettings();
    return { enabled: settings.enabled, version: BUILD.version, protocol: PROTOCOL_VERSION, displayMode: settings.displayMode };
  },

  async 'cs/match-media'({ urls }) {
    const settings = await loadSettings();
    const languages = [...(navigator.languages ?? []), navigator.language].filter(Boolean);
    const results = [];
    // One at a time: the content script already sends only what is near the viewport, a few at once.
    for (const url of urls) {
      // Whatever a page-side context puts in a message, only X's media hosts are ever fetched.
      if (!isHashableMediaUrl(url)) {
        results.push({ url, matches: [], quality: null, error: 'refused: not an X media URL' });
        continue;
      }
      try {
        const { hashes, quality, probes } = await hashMediaUrl(url);
        results.push({ url, matches: await matchHashes(hashes, quality, settings, languages, probes), quality, error: null });
      } catch (e) {
        results.push({ url, matches: [], quality: null, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { results };
  },

  async 'cs/match-hashes'({ hashes, quality, probes }) {
    const settings = await loadSettings();
    const languages = [...(navigator.languages ?? []), navigator.language].filter(Boolean);
    const views = (probes ?? []).map((p) => probeFromHex(p as ProbeHex)); // probe names checked by the schema
    return { matches: await matchHashes(hashes.map(hashFromHex), quality, settings, languages, views) };
  },

  'ui/get-status': status,

  async 'ui/set-enabled'({ enabled }) {
    const settings = await updateSettings((s) => ({ ...s, enabled }));
    await browser.action.setBadgeText({ text: settings.enabled ? '' : browser.i18n.getMessage('badgeOff') });
    return { enabled: settings.enabled };
  },

  async 'ui/set-display-mode'({ mode }) {
    await updateSettings((s) => ({ ...s, displayMode: mode }));
    return status();
  },

  async 'ui/sync-now'() {
    await syncAll({ force: true });
    return status();
  },

  async 'ui/add-feed'(sub) {
    await addFeed(sub);
    return status();
  },

  async 'ui/remove-feed'({ url }) {
    await removeFeed(url);
    return status();
  },

  async 'ui/set-feed-enabled'({ url, enabled }) {
    await setFeedEnabled(url, enabled);
    return status();
  },
};
