/**
 * Background entry: a service worker in Chrome, an event page in Firefox. Wiring only; listeners
 * are registered synchronously at top level so a restarted worker receives the event that woke it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { hashToHex } from '../core/hash256';
import { SYNC_ALARM, syncAll } from './feeds';
import { handlers } from './handlers';
import { applyLanguage } from './language';
import { onMenuClick } from './menu';
import { OUTBOX_ALARM } from './outbox';
import { flushReports } from './reports';
import { createRouter } from './router';
import { ensureSettings, loadSettings } from './settings-store';
import { IS_TEST_BUILD } from '../shared/build';
import { decodeImage, hashPixels } from './media';

const route = createRouter(handlers, {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));

function logFailure(what: string) {
  return (e: unknown) => console.error(`[already-debunked] ${what} failed:`, e);
}

/** The reader's language for the background's texts, and the context menu entry in it. */
async function setUpTexts(): Promise<void> {
  await applyLanguage((await loadSettings()).language);
}

browser.runtime.onInstalled.addListener(() => {
  ensureSettings()
    .then(setUpTexts)
    .then(() => Promise.all([syncAll({ force: true }), flushReports()]))
    .catch(logFailure('first sync'));
});

browser.runtime.onStartup.addListener(() => {
  setUpTexts().catch(logFailure('menu at start'));
  syncAll().catch(logFailure('sync at start'));
  flushReports().catch(logFailure('reports at start'));
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) syncAll().catch(logFailure('scheduled sync'));
  if (alarm.name === OUTBOX_ALARM) flushReports().catch(logFailure('report delivery'));
});

browser.contextMenus.onClicked.addListener(onMenuClick);

// Firefox: the reader allowed sending reports (data consent): send what waited for it.
browser.permissions.onAdded?.addListener(() => {
  flushReports(true).catch(logFailure('reports after consent'));
});

// Test builds only: lets the benchmarks hash bytes through the browser's own decoding path, and
// the end-to-end tests click the context menu entry (a test cannot click a native menu).
if (IS_TEST_BUILD) {
  Object.assign(globalThis, {
    __alreadyDebunkedTest: {
      clickMenu: onMenuClick,
      hashBytes: async (base64: string, type: string) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const { hashes, quality } = await hashPixels(await decodeImage(bytes, type));
        return { hash: hashToHex(hashes[0]!), quality };
      },
    },
  });
}
