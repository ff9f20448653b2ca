/**
 * The report format v1 (docs/report-format.md): what a reader sends to a fact-checking desk about a
 * suspect post ("tip") or about a notice that matched the wrong media ("wrong-match").
 *
 * ONE function, buildReport, turns a draft (the facts the extension gathered about the post) and the
 * reader's choices (recipient, reason, note, contact, whether to include the post's text) into the
 * report. The report dialog shows reportText(buildReport(…)) before anything is sent, and the
 * background stores and POSTs that very text: what the reader saw is, byte for byte, what the desk
 * receives. The schemas here are also what the reference receiver validates with. Pure.
 */
import * as v from 'valibot';
import { isHashHex } from '../hash256';
import { X_MEDIA_HOSTS, X_PAGE_HOSTS, isAllowedUrl, isUrlOnHosts, normalizeUrl } from '../url';

export const REPORT_FORMAT = 'already-debunked/report';
export const REPORT_FORMAT_VERSION = 1;
export const CLIENT_NAME = 'already-debunked';

export const REPORT_KINDS = ['tip', 'wrong-match'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** Why a reader sends a tip about a post. */
export const TIP_REASONS = ['recycled-out-of-context', 'edited-or-fabricated', 'ai-generated', 'other'] as const;
/** Why a reader says a notice is wrong. */
export const WRONG_MATCH_REASONS = ['not-the-same-media', 'other'] as const;
export type ReportReason = (typeof TIP_REASONS)[number] | (typeof WRONG_MATCH_REASONS)[number];
export const REASONS: Record<ReportKind, readonly ReportReason[]> = { tip: TIP_REASONS, 'wrong-match': WRONG_MATCH_REASONS };
export const MEDIA_TYPES = ['photo', 'video', 'gif', 'card'] as const;

export const REPORT_LIMITS = {
  /** The whole report as sent (UTF-8 bytes); the reference receiver accepts up to 64 KiB. */
  maxReportBytes: 32 * 1024,
  maxPostText: 2000,
  maxNote: 1000,
  maxContact: 200,
  maxMedia: 8,
} as const;

export class ReportError extends Error {
  override name = 'ReportError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

export interface ReportSchemaOptions {
  /** Hosts allowed over plain http (loopback in test builds and the receiver's --allow-loopback). */
  testHosts?: readonly string[];
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Schemas are made by functions, never at module level: the content script imports buildReport
// from here, and module-level calls would keep the schema library in its bundle.
/** An ISO 8601 UTC time as the extension writes it (toISOString: seconds, optional milliseconds, Z), and a real one. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const iso = () =>
  v.pipe(
    v.string(),
    v.regex(ISO_UTC, 'must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'),
    v.check((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 19) === s.slice(0, 19), 'not a real date'),
  );
const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
/** Control characters (C0 but tab and line breaks, DEL, C1): never in a report's text — they forge log lines and drive terminals. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const noControls = v.check((s: string) => !CONTROLS.test(s), 'must not contain control characters');
const oneLine = v.check((s: string) => !/[\t\n\r\u2028\u2029]/.test(s), 'must be one line');
const short = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), noControls, oneLine);
const nullableText = (max: number) => v.nullable(v.pipe(v.string(), v.maxLength(max), noControls));

function httpsUrl(testHosts: readonly string[]) {
  return v.pipe(v.string(), v.maxLength(2048), v.check((s) => isAllowedUrl(s, testHosts), 'must be an https URL'), v.transform(normalizeUrl));
}

/** A post on X: https://x.com/<handle>/status/<digits> (X's page hosts; a loopback page in test builds). */
function postUrl(testHosts: readonly string[]) {
  return v.pipe(
    v.string(),
    v.maxLength(2048),
    v.check((s) => isUrlOnHosts(s, X_PAGE_HOSTS, testHosts), 'must be an address on X (https://x.com/…)'),
    v.transform(normalizeUrl),
    v.check((s) => testHosts.includes(new URL(s).hostname) || /^\/[A-Za-z0-9_]{1,50}\/status\/\d{1,25}$/.test(new URL(s).pathname), 'must be a post’s address: https://x.com/<handle>/status/<id>'),
  );
}

/** A media file on X's media hosts (a loopback media server in test builds). */
function mediaUrl(testHosts: readonly string[]) {
  return v.pipe(v.string(), v.maxLength(2048), v.check((s) => isUrlOnHosts(s, X_MEDIA_HOSTS, testHosts), 'must be on X’s media hosts (https://pbs.twimg.com/…)'), v.transform(normalizeUrl));
}

function parts(testHosts: readonly string[]) {
  const url = httpsUrl(testHosts);
  return {
    reportId: v.pipe(v.string(), v.regex(UUID_V4, 'must be a UUID v4 (lower case)')),
    kind: v.picklist(REPORT_KINDS),
    createdAt: iso(),
    client: v.strictObject({ name: v.literal(CLIENT_NAME), version: short(40), locale: short(35) }),
    post: v.strictObject({
      url: postUrl(testHosts),
      postId: v.pipe(v.string(), v.regex(/^\d{1,25}$/, 'must be the numeric post id')),
      author: short(50),
      text: nullableText(REPORT_LIMITS.maxPostText),
      lang: v.nullable(short(35)),
    }),
    media: v.pipe(
      v.array(
        v.strictObject({
          type: v.picklist(MEDIA_TYPES),
          url: mediaUrl(testHosts),
          quoted: v.boolean(),
          pdq: v.nullable(v.strictObject({ value: v.pipe(v.string(), v.check(isHashHex, 'not a 64-hex-digit hash')), quality: int(0, 100) })),
        }),
      ),
      v.maxLength(REPORT_LIMITS.maxMedia),
    ),
    match: v.nullable(
      v.strictObject({
        feedUrl: url,
        feedId: v.nullable(short(2048)),
        entryId: short(128),
        distance: int(0, 256),
        variant: short(20),
      }),
    ),
    recipient: v.strictObject({ endpoint: url, feedUrl: v.nullable(url), feedId: v.nullable(short(2048)) }),
  };
}

/** The facts the extension gathered about a post, before the reader chose anything. */
export function draftSchema(opts: ReportSchemaOptions = {}) {
  const p = parts(opts.testHosts ?? []);
  // The post's text as the page showed it: buildReport cleans it (cleanText) before it is sent.
  const post = v.strictObject({ ...p.post.entries, text: v.nullable(v.pipe(v.string(), v.maxLength(REPORT_LIMITS.maxPostText * 2))) });
  return v.strictObject({ reportId: p.reportId, kind: p.kind, createdAt: p.createdAt, client: p.client, post, media: p.media, match: p.match });
}
export type ReportDraft = v.InferOutput<ReturnType<typeof draftSchema>>;
export type ReportMedia = ReportDraft['media'][number];

/** Where a report can go: a subscribed feed's report endpoint, or the one the reader set. */
export function recipientSchema(opts: ReportSchemaOptions = {}) {
  return parts(opts.testHosts ?? []).recipient;
}
export type Recipient = v.InferOutput<ReturnType<typeof recipientSchema>>;

/** What the reader chose in the dialog. */
export function choicesSchema(opts: ReportSchemaOptions = {}) {
  return v.strictObject({
    recipient: recipientSchema(opts),
    reason: v.picklist([...TIP_REASONS, ...WRONG_MATCH_REASONS]),
    includeText: v.boolean(),
    note: v.pipe(v.string(), v.maxLength(REPORT_LIMITS.maxNote)),
    contact: v.pipe(v.string(), v.maxLength(REPORT_LIMITS.maxContact)),
  });
}
export type ReportChoices = v.InferOutput<ReturnType<typeof choicesSchema>>;

/** A report as sent (docs/report-format.md). */
export function reportSchema(opts: ReportSchemaOptions = {}) {
  const p = parts(opts.testHosts ?? []);
  return v.pipe(
    v.strictObject({
      format: v.literal(REPORT_FORMAT),
      formatVersion: v.literal(REPORT_FORMAT_VERSION),
      reportId: p.reportId,
      kind: p.kind,
      createdAt: p.createdAt,
      client: p.client,
      recipient: p.recipient,
      post: p.post,
      media: p.media,
      match: p.match,
      reason: v.picklist([...TIP_REASONS, ...WRONG_MATCH_REASONS]),
      note: nullableText(REPORT_LIMITS.maxNote),
      contact: nullableText(REPORT_LIMITS.maxContact),
    }),
    v.check((r) => REASONS[r.kind].includes(r.reason), 'reason does not fit the kind of report'),
    v.check((r) => (r.kind === 'wrong-match') === (r.match !== null), 'a wrong-match report names the match, a tip does not'),
  );
}
export type Report = v.InferOutput<ReturnType<typeof reportSchema>>;

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): ReportError {
  const i = issues[0]!;
  return new ReportError(i.message, v.getDotPath(i) ?? undefined);
}

/** Validates a draft (e.g. one that crossed the message boundary). Throws ReportError. */
export function parseDraft(raw: unknown, opts: ReportSchemaOptions = {}): ReportDraft {
  const r = v.safeParse(draftSchema(opts), raw);
  if (!r.success) throw firstIssue(r.issues);
  return r.output;
}

/** Validates a received report (the reference receiver does this). Throws ReportError. */
export function parseReport(raw: unknown, opts: ReportSchemaOptions = {}): Report {
  const r = v.safeParse(reportSchema(opts), raw);
  if (!r.success) throw firstIssue(r.issues);
  return r.output;
}

/** Free text as sent: trimmed, control characters (but line breaks and tabs) removed; empty → null. */
export function cleanText(s: string, max: number): string | null {
  const t = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').trim();
  return t ? t.slice(0, max) : null;
}

/**
 * THE report: from a draft and the reader's choices. Deterministic (same inputs, same text), so
 * the preview and what is sent cannot differ. Throws ReportError when the choices do not fit the
 * draft (a reason of the other kind) or the result breaks a limit.
 */
export function buildReport(draft: ReportDraft, choices: ReportChoices): Report {
  if (!REASONS[draft.kind].includes(choices.reason)) throw new ReportError(`not a reason for a ${draft.kind} report`, 'reason');
  const report: Report = {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    reportId: draft.reportId,
    kind: draft.kind,
    createdAt: draft.createdAt,
    client: { name: draft.client.name, version: draft.client.version, locale: draft.client.locale },
    recipient: { endpoint: choices.recipient.endpoint, feedUrl: choices.recipient.feedUrl, feedId: choices.recipient.feedId },
    post: {
      url: draft.post.url,
      postId: draft.post.postId,
      author: draft.post.author,
      text: choices.includeText && draft.post.text ? cleanText(draft.post.text, REPORT_LIMITS.maxPostText) : null,
      lang: draft.post.lang,
    },
    media: draft.media.map((m) => ({ type: m.type, url: m.url, quoted: m.quoted, pdq: m.pdq ? { value: m.pdq.value, quality: m.pdq.quality } : null })),
    match: draft.match
      ? { feedUrl: draft.match.feedUrl, feedId: draft.match.feedId, entryId: draft.match.entryId, distance: draft.match.distance, variant: draft.match.variant }
      : null,
    reason: choices.reason,
    note: cleanText(choices.note, REPORT_LIMITS.maxNote),
    contact: cleanText(choices.contact, REPORT_LIMITS.maxContact),
  };
  const bytes = new TextEncoder().encode(reportText(report)).byteLength;
  if (bytes > REPORT_LIMITS.maxReportBytes) throw new ReportError(`the report is ${bytes} bytes, more than ${REPORT_LIMITS.maxReportBytes}`);
  return report;
}

/** The exact text shown in the dialog and sent as the request body. */
export function reportText(report: Report): string {
  return JSON.stringify(report, null, 2);
}
