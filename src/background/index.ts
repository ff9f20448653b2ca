/**
 * Background entry: a service worker in Chrome, an event page in Firefox. Wiring only; listeners
 * are registered synchronously at top level so a restarted worker receives the event that woke it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { SYNC_ALARM, syncAll } from './feeds';
import { handlers } from './handlers';
import { createRouter } from './router';
import { ensureSettings } from './settings-store';

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
