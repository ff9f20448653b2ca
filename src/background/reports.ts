/**
 * Reports, background side: prepare a draft for the dialog (media hashes, a report id, where it can
 * go), accept the reader's submission (checked again against the stored state, built with the same
 * buildReport the dialog previewed with, queued, sent), and the reader's consent in Firefox.
 */
import browser from 'webextension-polyfill';
import { CLIENT_NAME, buildReport, parseDraft, reportText, type ReportChoices, type ReportDraft, type ReportMedia } from '../core/report';
import { hashToHex } from '../core/hash256';
import { BUILD } from '../shared/build';
import { resolveLocale } from '../shared/locales';
import type { RecipientOption, ReportOutcome, ReportPrepared, RequestOf } from '../shared/messages';
import type { Settings } from '../shared/settings';
import { isCanonicalPostUrl, isHashableMediaUrl, postUrl } from '../shared/x';
import { openDatabase } from './db';
import { backUpOutbox } from './health';
import { hashMediaUrl } from './media';
import { ensureOriginRule } from './origin-rule';
import { OUTBOX_ALARM, defaultPost, enqueue, flushOutbox, type OutboxDeps } from './outbox';
import { loadSettings } from './settings-store';

/** Firefox's built-in data consent: reports transmit website content the reader chose to send. */
const CONSENT = { data_collection: ['websiteContent'] };

export async function mayTransmit(): Promise<boolean> {
  if (BUILD.target !== 'firefox') return true;
  try {
    return await browser.permissions.contains(CONSENT as unknown as browser.Permissions.AnyPermissions);
  } catch {
    return true; // a Firefox without data-collection permissions has no such consent to ask for
  }
}

export async function outboxDeps(): Promise<OutboxDeps> {
  return {
    db: await openDatabase(),
    now: () => Date.now(),
    mayTransmit,
    post: async (endpoint, body, reportId) => {
      await ensureOriginRule(); // no per-installation Origin on a report (./origin-rule.ts)
      return defaultPost(endpoint, body, reportId);
    },
    arm: async (when) => {
      if (when === null) await browser.alarms.clear(OUTBOX_ALARM);
      else await browser.alarms.create(OUTBOX_ALARM, { when });
    },
  };
}

export async function flushReports(force = false): Promise<void> {
  const deps = await outboxDeps();
  try {
    await flushOutbox(deps, { force });
  } finally {
    await backUpOutbox(deps.db);
  }
}

/** Where a report can go now: each enabled feed's report endpoint, then the reader's own address. */
export async function recipientsFor(settings: Settings): Promise<RecipientOption[]> {
  const db = await openDatabase();
  const options: RecipientOption[] = [];
  for (const sub of settings.subscriptions) {
    if (!sub.enabled) continue;
    const rec = await db.get('feeds', sub.url);
    if (rec?.reportEndpoint) options.push({ recipient: { endpoint: rec.reportEndpoint, feedUrl: sub.url, feedId: rec.feedId }, feedName: sub.name });
  }
  if (settings.reportEndpoint) options.push({ recipient: { endpoint: settings.reportEndpoint, feedUrl: null, feedId: null }, feedName: null });
  return options;
}

export function readerLocale(settings: Settings): string {
  return resolveLocale(settings.language, browser.i18n.getUILanguage());
}

async function hashesOf(url: string): Promise<ReportMedia['pdq']> {
  if (!isHashableMediaUrl(url)) return null;
  try {
    const { hashes, quality } = await hashMediaUrl(url); // from the cache when the scanner saw it
    return { value: hashToHex(hashes[0]!), quality };
  } catch {
    return null; // shown as "no fingerprint" in the dialog, and sent as null
  }
}

export async function prepareReport(req: RequestOf<'cs/prepare-report'>, now = new Date()): Promise<ReportPrepared> {
  const settings = await loadSettings();
  const url = postUrl(req.post.author, req.post.postId);
  if (!isCanonicalPostUrl(url)) throw new Error('not a post this extension can report');
  const media: ReportMedia[] = [];
  for (const m of req.media) {
    if (!isHashableMediaUrl(m.url)) continue; // only X's media, whatever the message says
    media.push({ type: m.type, url: m.url, quoted: m.quoted, pdq: await hashesOf(m.url) });
  }
  let match: ReportDraft['match'] = null;
  let recipients = await recipientsFor(settings);
  if (req.kind === 'wrong-match') {
    if (!req.match) throw new Error('a wrong-match report names the notice it is about');
    const feedUrl = req.match.feedUrl;
    if (!settings.subscriptions.some((s) => s.url === feedUrl)) throw new Error('that notice came from a feed you no longer follow');
    const rec = await (await openDatabase()).get('feeds', feedUrl);
    match = { feedUrl, feedId: rec?.feedId ?? null, entryId: req.match.entryId, distance: req.match.distance, variant: req.match.variant };
    // The feed whose entry matched hears about it first.
    recipients = [...recipients.filter((r) => r.recipient.feedUrl === feedUrl), ...recipients.filter((r) => r.recipient.feedUrl !== feedUrl)];
  }
  const draft = parseDraft(
    {
      reportId: crypto.randomUUID(),
      kind: req.kind,
      createdAt: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
      client: { name: CLIENT_NAME, version: BUILD.version, locale: readerLocale(settings) },
      post: { url, postId: req.post.postId, author: req.post.author, text: req.post.text, lang: req.post.lang },
      media,
      match,
    },
    { testHosts: BUILD.testHosts },
  );
  return { draft, recipients };
}

const sameRecipient = (a: ReportChoices['recipient'], b: ReportChoices['recipient']) => a.endpoint === b.endpoint && a.feedUrl === b.feedUrl && a.feedId === b.feedId;

/**
 * The reader pressed Send. The draft comes back from the dialog: it is checked again (an X post,
 * X media, a recipient that is still one of the reader's), built into the report the dialog showed,
 * queued, and a first delivery attempted at once.
 */
export async function submitReport({ draft, choices }: RequestOf<'cs/submit-report'>): Promise<ReportOutcome> {
  const settings = await loadSettings();
  if (!isCanonicalPostUrl(draft.post.url)) throw new Error('not a post this extension can report');
  if (draft.media.some((m) => !isHashableMediaUrl(m.url))) throw new Error('a report carries X media only');
  const recipients = await recipientsFor(settings);
  if (!recipients.some((r) => sameRecipient(r.recipient, choices.recipient))) {
    throw new Error('that address no longer receives reports (the feed or your settings changed): open the report again');
  }
  const report = buildReport(draft, choices);
  const db = await openDatabase();
  const { record, duplicate } = await enqueue(db, { reportId: report.reportId, body: reportText(report), endpoint: report.recipient.endpoint, createdAt: report.createdAt }, Date.now());
  await backUpOutbox(db); // outside IndexedDB too, before the first attempt
  if (!duplicate) await flushReports();
  const now = (await db.get('outbox', record.reportId)) ?? record;
  return { reportId: now.reportId, status: now.status, lastError: now.lastError, duplicate, needsConsent: now.status === 'queued' && !(await mayTransmit()) };
}

/** Notices shown today: one number per local day in storage.local (nothing about what was seen). */
const NOTICE_COUNT_KEY = 'noticesToday';
let counting: Promise<number> = Promise.resolve(0);

function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export async function noticesToday(now = new Date()): Promise<number> {
  const stored = (await browser.storage.local.get(NOTICE_COUNT_KEY))[NOTICE_COUNT_KEY] as { day?: string; count?: number } | undefined;
  return stored?.day === localDay(now) && typeof stored.count === 'number' ? stored.count : 0;
}

export function countNotice(now = new Date()): Promise<number> {
  // One increment after another: notices arrive in bursts, and a read-modify-write must not race.
  const next = counting.then(async () => {
    const count = (await noticesToday(now)) + 1;
    await browser.storage.local.set({ [NOTICE_COUNT_KEY]: { day: localDay(now), count } });
    return count;
  });
  counting = next.catch(() => 0);
  return next;
}
