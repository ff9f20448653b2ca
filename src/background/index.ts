/**
 * Background entry: a service worker in Chrome, an event page in Firefox. Wiring only; listeners
 * are registered synchronously at top level so a restarted worker receives the event that woke it.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { hashToHex } from '../core/hash256';
import { SYNC_ALARM, syncAll } from './feeds';
import { whenDatabaseCreated } from './db';
import { handlers } from './handlers';
import { onFreshDatabase } from './health';
import { invalidateMatcher } from './matcher';
import { applyLanguage } from './language';
import { onMenuClick } from './menu';
import { OUTBOX_ALARM } from './outbox';
import { flushReports } from './reports';
import { createRouter } from './router';
import { setNetworkTimeScale } from './net';
import { ensureSettings, loadSettings } from './settings-store';
import { IS_TEST_BUILD } from '../shared/build';
import { decodeImage, hashPixels } from './media';
import { testPoints } from './test-points';
import { mark, traceMarks } from './trace';

mark('worker:module-start');

const route = createRouter(handlers, {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));

// The database was deleted or lost while settings remained: unsent reports come back from their
// backup, the index is rebuilt and the feeds are downloaded again (not awaited: the sync itself
// waits for the database being opened here).
whenDatabaseCreated(async (db) => {
  if (!(await onFreshDatabase(db)).lost) return;
  invalidateMatcher();
  syncAll({ force: true }).catch(logFailure('resync after the database was lost'));
});

function logFailure(what: string) {
  return (e: unknown) => console.error(`[already-debunked] ${what} failed:`, e);
}

/** The reader's language for the background's texts, and the context menu entry in it. */
async function setUpTexts(): Promise<void> {
  await applyLanguage((await loadSettings()).language);
}

browser.runtime.onInstalled.addListener((details) => {
  // A new reader: the first-run page says what the extension does and offers feeds (not on updates).
  if (details.reason === 'install') browser.tabs.create({ url: browser.runtime.getURL('welcome/index.html') }).catch(logFailure('first-run page'));
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
// the end-to-end tests click the context menu entry (a test cannot click a native menu) and stop
// work half-way (./test-points.ts).
if (IS_TEST_BUILD) {
  Object.assign(globalThis, {
    __alreadyDebunkedTest: {
      clickMenu: onMenuClick,
      points: testPoints,
      /** Phase marks (./trace.ts) for the benchmarks. */
      trace: traceMarks,
      /** 0.1: feed syncs time out 10× sooner (the fault tests); 1: as written. */
      networkTimeScale: setNetworkTimeScale,
      hashBytes: async (base64: string, type: string) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const { hashes, quality } = await hashPixels(await decodeImage(bytes, type));
        return { hash: hashToHex(hashes[0]!), quality };
      },
    },
  });
}
