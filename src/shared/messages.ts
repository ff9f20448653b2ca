/**
 * THE message protocol between the runtimes (content script, extension pages, background): every
 * message type is declared once, in ./message-schemas.ts (its request schema, validated on receipt
 * in the background so a malformed or unknown message gets an error answer, never silence), with
 * its response type here. The direction is in the name: `cs/…` comes from a content script on an X
 * tab, `ui/…` from one of our own extension pages, `bg/…` from the background to a content script
 * (ToContentMap below; the content script accepts them only from its own extension's background).
 *
 * This file holds no run-time dependency on the schema library: content scripts and pages import
 * it (and ./messaging.ts) without bundling the validator; only the background imports the schemas.
 */
import type { HistoryItem } from './history';
import type { InferOutput } from 'valibot';
import type { Recipient, ReportDraft, ReportRow } from '../core/report';
import type { EvidenceRule } from '../core/match/video';
import type { Catalogue } from './i18n';
import type { Locale } from './locales';
import type { requestSchemas } from './message-schemas';
import type { Settings } from './settings';
import type { MarkupCheck, MarkupSample } from './x';

export const PROTOCOL_VERSION = 1;

export type MessageType = keyof typeof requestSchemas;
export type RequestOf<T extends MessageType> = InferOutput<(typeof requestSchemas)[T]>;

/** A subscribed feed as the UI shows it. Times are ISO strings; null = not yet. */
export interface FeedStatus {
  name: string;
  url: string;
  enabled: boolean;
  publisherName: string | null;
  seq: number | null;
  entries: number;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  nextTryAt: string | null;
  expiresAt: string | null;
}

/** How fact-checkers rated the media (docs/feed-format.md, verdict labels). */
export const VERDICT_LABELS = ['false', 'altered', 'missing-context', 'staged', 'satire', 'misleading', 'unproven', 'accurate'] as const;
export type VerdictLabel = (typeof VERDICT_LABELS)[number];

/**
 * What the notice on a matched media item shows: one feed entry, already localised by the
 * background to the reader's language where the feed has it. Plain text only; the fact-check URL
 * was checked to be https by the feed parser and is checked again before it is linked.
 */
export interface MatchView {
  feedUrl: string;
  feedName: string;
  entryId: string;
  label: VerdictLabel;
  /** The publisher's own rating text ("Missing context", "Faux", …). */
  rating: string;
  claim: string | null;
  originalContext: { description: string | null; date: string | null; location: string | null } | null;
  headline: string | null;
  factCheckUrl: string;
  publisherName: string;
  datePublished: string | null;
  /** Language of the texts above (BCP 47), for the lang attribute. */
  lang: string;
  /** Hamming distance of the best matching hash (0–256), and which view of the media matched. */
  distance: number;
  variant: string;
}

/** A feed of the directory of known feeds (src/core/feed/directory.ts), and whether the reader follows it. */
export interface DirectoryFeedView {
  name: string;
  publisher: string;
  url: string;
  publicKey: string;
  languages: string[];
  entries: number;
  updated: string;
  homepage: string | null;
  subscribed: boolean;
}

export interface DirectoryView {
  /** False: this build ships no directory. */
  available: boolean;
  issued: string | null;
  feeds: DirectoryFeedView[];
  /** Why the shipped directory was refused (bad signature, expired …), or null. */
  error: string | null;
}

export interface StatusView {
  version: string;
  enabled: boolean;
  feeds: FeedStatus[];
  settings: Settings;
  /** Notices shown today on this device (counted locally, never sent anywhere). */
  noticesToday: number;
  /** The reader's latest reports, newest first, with their delivery status. */
  reports: ReportRow[];
  /** Firefox: reports wait until the reader allows sending them (built-in data consent). */
  reportsNeedConsent: boolean;
  /** The last problem with the extension's storage and its repair (shown for a week), or null. */
  storage: StorageEvent | null;
  /** The last sign that X changed its markup (shown for a week), or null. */
  markup: MarkupDiagnostic | null;
}

/** X's markup did not match src/shared/x.ts on a page: which selectors stayed silent, and the counts. */
export interface MarkupDiagnostic {
  at: string;
  /** The extension's version that saw it (an update may fix it). */
  version: string;
  silent: MarkupCheck[];
  sample: MarkupSample;
}

/**
 * Something went wrong with IndexedDB and was repaired: `index-rebuilt` — the stored match index
 * was unreadable (`detail`: why) and was rebuilt from the feeds; `index-not-saved` — a full disk:
 * the index is rebuilt in memory when needed; `database-reset` — the database was deleted or lost:
 * settings and `reportsKept` unsent reports were kept and the feeds downloaded again; `disk-full` —
 * a feed update (`detail`: the error) could not be stored, the last good list stays in use.
 */
export interface StorageEvent {
  kind: 'index-rebuilt' | 'index-not-saved' | 'database-reset' | 'disk-full';
  at: string;
  detail: string | null;
  reportsKept: number | null;
}

/** One place a report can go, as the dialog offers it. */
export interface RecipientOption {
  recipient: Recipient;
  /** The feed's name as the reader subscribed it, or null for the reader's own address. */
  feedName: string | null;
}

/** What the report dialog needs: the facts (with media hashes) and where the report can go. */
export interface ReportPrepared {
  draft: ReportDraft;
  /** Empty when no feed takes reports and the reader set no address. */
  recipients: RecipientOption[];
}

/** What became of a submitted report. */
export interface ReportOutcome {
  reportId: string;
  status: ReportRow['status'];
  lastError: string | null;
  /** This report id was already in the outbox: nothing new was queued. */
  duplicate: boolean;
  /** Firefox: it waits until the reader allows sending reports (in the popup or the options). */
  needsConsent: boolean;
}

export interface ReportsView {
  rows: ReportRow[];
  reportsNeedConsent: boolean;
}

/** The answer for one media URL: the feed entries it matches (empty: none), or why it could not be checked. */
export interface MediaResult {
  url: string;
  matches: MatchView[];
  quality: number | null;
  error: string | null;
}

/**
 * A feed entry a video frame came near (src/background/video-evidence.ts): the notice it would
 * show, how near, and when in the published clip (the keyframe's time, null when the hash met is
 * not a keyframe), for the content script's evidence across frames (src/core/match/video.ts
 * VideoEvidence, which decides).
 */
export interface FrameHitView {
  match: MatchView;
  distance: number;
  t: number | null;
  /** The entry's clip looks alike throughout (a fixed camera): one frame must be nearer. */
  alike: boolean;
}

export interface ResponseMap {
  'cs/hello': {
    enabled: boolean;
    version: string;
    protocol: number;
    displayMode: 'blur' | 'banner';
    /** The reader's language, and its catalogue when it is not the browser's (see ./i18n.ts). */
    locale: Locale;
    messages: Catalogue | null;
  };
  'cs/match-media': { results: MediaResult[] };
  'cs/match-hashes': { matches: MatchView[] };
  /** The hits, and the evidence rule of the reader's level to weigh them by. */
  'cs/match-frame': { hits: FrameHitView[]; rule: EvidenceRule };
  'ui/get-status': StatusView;
  'ui/set-enabled': { enabled: boolean };
  'ui/set-display-mode': StatusView;
  'ui/sync-now': StatusView;
  'ui/add-feed': StatusView;
  'ui/remove-feed': StatusView;
  'ui/set-feed-enabled': StatusView;
  'cs/prepare-report': ReportPrepared;
  'cs/submit-report': ReportOutcome;
  'cs/notice-shown': { today: number };
  'ui/get-directory': DirectoryView;
  'ui/get-history': { items: HistoryItem[] };
  'ui/clear-history': { items: HistoryItem[] };
  'cs/open-options': { opened: boolean };
  'cs/markup-report': { recorded: boolean };
  'ui/update-settings': StatusView;
  'ui/import-settings': StatusView;
  'ui/clear-caches': StatusView;
  'ui/get-reports': ReportsView;
  'ui/delete-reports': ReportsView;
  'ui/retry-reports': ReportsView;
}
export type ResponseOf<T extends MessageType> = ResponseMap[T];

/** What goes over runtime.sendMessage. */
export interface Envelope<T extends MessageType = MessageType> {
  type: T;
  payload: RequestOf<T>;
}

export type ErrorCode = 'bad-message' | 'unknown-type' | 'bad-payload' | 'forbidden-sender' | 'internal';
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}
export type Reply<T extends MessageType = MessageType> =
  | { ok: true; value: ResponseOf<T> }
  | { ok: false; error: ProtocolError };

/**
 * Background → content script (browser.tabs.sendMessage). The content script checks the sender
 * (its own extension, not a tab) and the shape, and answers in the same Reply form.
 */
export interface ToContentMap {
  /** The reader chose "Report to fact-checkers" in the context menu of a picture or video. */
  'bg/open-report': { request: { srcUrl: string | null }; response: { opened: boolean } };
}
export type ToContentType = keyof ToContentMap;
export interface ToContentEnvelope<T extends ToContentType = ToContentType> {
  type: T;
  payload: ToContentMap[T]['request'];
}

/** Which kind of sender may send a message type: decided by its direction prefix. */
export type SenderKind = 'content-script' | 'extension-page';
export function senderKindOf(type: MessageType): SenderKind {
  return type.startsWith('cs/') ? 'content-script' : 'extension-page';
}

