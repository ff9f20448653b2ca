/** The background's answer to each message type. */
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import { PROTOCOL_VERSION, type StatusView } from '../shared/messages';
import { addFeed, feedStatuses, removeFeed, setFeedEnabled, syncAll } from './feeds';
import type { Handlers } from './router';
import { loadSettings, updateSettings } from './settings-store';

async function status(): Promise<StatusView> {
  const settings = await loadSettings();
  return { version: BUILD.version, enabled: settings.enabled, feeds: await feedStatuses(), settings };
}

export const handlers: Handlers = {
  async 'cs/hello'() {
    const settings = await loadSettings();
    return { enabled: settings.enabled, version: BUILD.version, protocol: PROTOCOL_VERSION };
  },

  'ui/get-status': status,

  async 'ui/set-enabled'({ enabled }) {
    const settings = await updateSettings((s) => ({ ...s, enabled }));
    await browser.action.setBadgeText({ text: settings.enabled ? '' : browser.i18n.getMessage('badgeOff') });
    return { enabled: settings.enabled };
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
