/**
 * Background entry: a service worker in Chrome, an event page in Firefox. Wiring only; listeners
 * are registered synchronously at top level so a restarted worker receives the event that woke it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { hashToHex } from '../core/hash256';
import { SYNC_ALARM, syncAll } from './feeds';
import { handlers } from './handlers';
import { createRouter } from './router';
import { ensureSettings } from './settings-store';
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

browser.runtime.onInstalled.addListener(() => {
  ensureSettings()
    .then(() => syncAll({ force: true }))
    .catch(logFailure('first sync'));
});

browser.runtime.onStartup.addListener(() => {
  syncAll().catch(logFailure('sync at start'));
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) syncAll().catch(logFailure('scheduled sync'));
});

// Test builds only: lets the benchmarks hash bytes through the browser's own decoding path.
if (IS_TEST_BUILD) {
  Object.assign(globalThis, {
    __alreadyDebunkedTest: {
      hashBytes: async (base64: string, type: string) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const { hashes, quality } = await hashPixels(await decodeImage(bytes, type));
        return { hash: hashToHex(hashes[0]!), quality };
      },
    },
  });
}
