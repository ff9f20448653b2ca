/**
 * Background entry: a service worker in Chrome, an event page in Firefox. Wiring only; listeners
 * are registered synchronously at top level so a restarted worker receives the event that woke it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { handlers } from './handlers';
import { createRouter } from './router';
import { ensureSettings } from './settings-store';

const route = createRouter(handlers, {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));

browser.runtime.onInstalled.addListener(() => {
  ensureSettings().catch((e: unknown) => console.error('[already-debunked] could not write settings:', e));
});
