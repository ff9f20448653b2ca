/** The background's answer to each message type. */
import * as v from 'valibot';
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import { PROTOCOL_VERSION, type ReportsView, type StatusView } from '../shared/messages';
import { hashFromHex } from '../core/hash256';
import { evidenceRule, probeFromHex, type ProbeHex } from '../core/match';
import { resolveLocale } from '../shared/locales';
import { fetchCatalogue, t, type Catalogue } from '../shared/i18n';
import { migrateSettings, settingsSchema, type Settings } from '../shared/settings';
import { originPattern } from '../shared/validate';
import { isHashableMediaUrl } from '../shared/x';
import { describeIssues } from '../shared/message-schemas';
import { bumpListGeneration, dropStoredIndex, openDatabase } from './db';
import { addFeed, feedStatuses, removeFeed, scheduleNext, setFeedEnabled, syncAll } from './feeds';
import { invalidateMatcher, matchHashes } from './matcher';
import { hashMediaUrl } from './media';
import { holdingMatches, matchFrame } from './video-evidence';
import { backUpOutbox, lastStorageEvent } from './health';
import { lastMarkup, recordMarkup } from './diagnostics';
import { deleteReports, listReports, requeue } from './outbox';
import { directoryView } from './directory';
import { clearHistory, getHistory, recordNotice } from './history';
import { countNotice, flushReports, mayTransmit, noticesToday, prepareReport, submitReport } from './reports';
import type { Handlers } from './router';
import { loadSettings, saveSettings, updateSettings } from './settings-store';
import { applyLanguage, ensureLanguage } from './language';
import { mark } from './trace';

const STATUS_REPORTS = 5;

async function reportsView(limit = Infinity): Promise<ReportsView> {
  const rows = await listReports(await openDatabase(), limit);
  return { rows, reportsNeedConsent: rows.some((r) => r.status === 'queued') && !(await mayTransmit()) };
}

async function status(): Promise<StatusView> {
  const settings = await loadSettings();
  const reports = await reportsView(STATUS_REPORTS);
  return {
    version: BUILD.version,
    enabled: settings.enabled,
    feeds: await feedStatuses(),
    settings,
    noticesToday: await noticesToday(),
    reports: reports.rows,
    reportsNeedConsent: reports.reportsNeedConsent,
    storage: await lastStorageEvent(),
    markup: await lastMarkup(),
  };
}

/** The reader's languages, best first, for picking among a feed's translations. */
function languages(settings: Settings): string[] {
  return [...(settings.language ? [settings.language] : []), ...(navigator.languages ?? []), navigator.language].filter(Boolean);
}

const catalogues = new Map<string, Promise<Catalogue>>();

/** Settings changed in a way that changes what matches or how it reads. */
async function settingsChanged(before: Settings, after: Settings): Promise<void> {
  if (before.matchStrictness !== after.matchStrictness) invalidateMatcher();
  if (before.language !== after.language) await applyLanguage(after.language);
}

export const handlers: Handlers = {
  async 'cs/hello'() {
    const settings = await loadSettings();
    const locale = resolveLocale(settings.language, browser.i18n.getUILanguage());
    let messages: Catalogue | null = null;
    if (settings.language) {
      const loading = catalogues.get(locale) ?? fetchCatalogue(locale);
      catalogues.set(locale, loading);
      messages = await loading.catch(() => (catalogues.delete(locale), null));
    }
    return { enabled: settings.enabled, version: BUILD.version, protocol: PROTOCOL_VERSION, displayMode: settings.displayMode, locale, messages };
  },

  async 'cs/match-media'({ urls }) {
    const settings = await loadSettings();
    const results = [];
    // One at a time: the content script already sends only what is near the viewport, a few at once.
    for (const url of urls) {
      // Whatever a page-side context puts in a message, only X's media hosts are ever fetched.
      if (!isHashableMediaUrl(url)) {
        results.push({ url, matches: [], quality: null, error: 'refused: not an X media URL' });
        continue;
      }
      try {
        mark('media:start');
        const { hashes, quality, probes } = await hashMediaUrl(url);
        mark('media:hashes-ready');
        // A poster of another moment of a fixed camera's clip is not the clip (holdingMatches).
        const matches = await holdingMatches(await matchHashes(hashes, quality, settings, languages(settings), probes), hashes, quality, settings, probes);
        results.push({ url, matches, quality, error: null });
      } catch (e) {
        results.push({ url, matches: [], quality: null, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { results };
  },

  async 'cs/match-hashes'({ hashes, quality, probes }) {
    const settings = await loadSettings();
    const views = (probes ?? []).map((p) => probeFromHex(p as ProbeHex)); // probe names checked by the schema
    const hs = hashes.map(hashFromHex);
    return { matches: await holdingMatches(await matchHashes(hs, quality, settings, languages(settings), views), hs, quality, settings, views) };
  },

  async 'cs/match-frame'({ hashes, quality, probes }) {
    const settings = await loadSettings();
    const views = (probes ?? []).map((p) => probeFromHex(p as ProbeHex));
    return { hits: await matchFrame(hashes.map(hashFromHex), quality, settings, languages(settings), views), rule: evidenceRule(settings.matchStrictness) };
  },

  'cs/prepare-report': (req) => prepareReport(req),

  'cs/submit-report': (req) => submitReport(req),

  async 'cs/notice-shown'(shown) {
    await recordNotice(shown);
    return { today: await countNotice() };
  },

  async 'cs/markup-report'(report) {
    await recordMarkup(report);
    return { recorded: true };
  },

  'ui/get-directory': () => directoryView(),

  async 'ui/get-history'() {
    return { items: await getHistory() };
  },

  async 'ui/clear-history'() {
    return { items: await clearHistory() };
  },

  async 'cs/open-options'() {
    await browser.runtime.openOptionsPage();
    return { opened: true };
  },

  'ui/get-status': status,

  async 'ui/set-enabled'({ enabled }) {
    const settings = await updateSettings((s) => ({ ...s, enabled }));
    await ensureLanguage(settings.language);
    await browser.action.setBadgeText({ text: settings.enabled ? '' : t('badgeOff') });
    return { enabled: settings.enabled };
  },

  async 'ui/set-display-mode'({ mode }) {
    await updateSettings((s) => ({ ...s, displayMode: mode }));
    return status();
  },

  async 'ui/update-settings'({ patch }) {
    const before = await loadSettings();
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const after = await saveSettings({ ...before, ...defined });
    await settingsChanged(before, after);
    return status();
  },

  async 'ui/import-settings'({ settings: raw }) {
    const parsed = v.safeParse(settingsSchema(BUILD.testHosts), migrateSettings(raw));
    if (!parsed.success) throw new Error(`not valid settings: ${describeIssues(parsed.issues, 1)}`);
    const next = parsed.output;
    // Every feed's host must be reachable: the options page asked for these permissions first.
    for (const sub of next.subscriptions) {
      if (!(await browser.permissions.contains({ origins: [originPattern(sub.url)] }))) {
        throw new Error(`no permission to reach ${new URL(sub.url).origin}: allow it when asked`);
      }
    }
    const before = await loadSettings();
    await saveSettings(next);
    const removed = before.subscriptions.filter((s) => !next.subscriptions.some((n) => n.url === s.url));
    for (const sub of removed) await removeFeed(sub.url);
    await settingsChanged(before, next);
    invalidateMatcher();
    await dropStoredIndex(await openDatabase());
    await syncAll({ force: true });
    await scheduleNext();
    return status();
  },

  async 'ui/clear-caches'() {
    const db = await openDatabase();
    const tx = db.transaction(['mediaCache', 'matchIndex'], 'readwrite');
    await Promise.all([tx.objectStore('mediaCache').clear(), bumpListGeneration(tx.objectStore('matchIndex')), tx.done]);
    invalidateMatcher();
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

  'ui/get-reports': () => reportsView(),

  async 'ui/delete-reports'({ ids }) {
    const db = await openDatabase();
    await deleteReports(db, ids);
    await backUpOutbox(db);
    return reportsView();
  },

  async 'ui/retry-reports'({ ids }) {
    await requeue(await openDatabase(), ids, Date.now());
    await flushReports(true);
    return reportsView();
  },
};
