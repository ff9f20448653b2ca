/** The background's answer to each message type. */
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import { PROTOCOL_VERSION, type FeedStatus } from '../shared/messages';
import type { Handlers } from './router';
import { loadSettings, updateSettings } from './settings-store';

export const handlers: Handlers = {
  async 'cs/hello'() {
    const settings = await loadSettings();
    return { enabled: settings.enabled, version: BUILD.version, protocol: PROTOCOL_VERSION };
  },

  async 'ui/get-status'() {
    const settings = await loadSettings();
    // Feed sync state joins with the feed issue; until then each subscription is "never synced".
    const feeds: FeedStatus[] = settings.subscriptions.map((s) => ({
      name: s.name,
      url: s.url,
      enabled: s.enabled,
      entries: 0,
      lastSyncAt: null,
      lastError: null,
    }));
    return { version: BUILD.version, enabled: settings.enabled, feeds, settings };
  },

  async 'ui/set-enabled'({ enabled }) {
    const settings = await updateSettings((s) => ({ ...s, enabled }));
    await browser.action.setBadgeText({ text: settings.enabled ? '' : browser.i18n.getMessage('badgeOff') });
    return { enabled: settings.enabled };
  },
};
