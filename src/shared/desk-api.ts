/**
 * The desk's HTTP API between its server (src/desk/server) and its web app (src/desk/app): request
 * schemas, validated by the server on receipt (as the extension's messages are), and the answers'
 * types. Every mutating request carries the session's CSRF token in DESK_CSRF_HEADER.
 */
import * as v from 'valibot';

export const DESK_CSRF_HEADER = 'x-csrf-token';
export const DESK_ROLES = ['reviewer', 'publisher', 'admin'] as const;
export type DeskRole = (typeof DESK_ROLES)[number];
/** What each role may do, cumulative: a publisher is also a reviewer, an admin also a publisher. */
export const ROLE_RANK: Record<DeskRole, number> = { reviewer: 1, publisher: 2, admin: 3 };

const username = v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9._-]{2,40}$/i, 'a user name is 2–40 of a-z 0-9 . _ -'));
const password = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const newPassword = v.pipe(v.string(), v.minLength(12, 'a password has at least 12 characters'), v.maxLength(200));
const entryId = v.pipe(v.string(), v.regex(/^[a-z0-9._-]{1,128}$/, 'ids are 1–128 of a-z 0-9 . _ -'));

export const loginRequest = v.strictObject({ username, password });
export const passwordRequest = v.strictObject({ current: password, next: newPassword });
export const accountRequest = v.strictObject({ username, password: newPassword, role: v.picklist(DESK_ROLES) });
export const dismissRequest = v.strictObject({ note: v.optional(v.pipe(v.string(), v.maxLength(500))) });
export const coveredRequest = v.strictObject({ entryId });

/** The editable fields of a draft, turned by the server into a MediaReview record, then a feed entry. */
export const draftFields = v.strictObject({
  id: entryId,
  claim: v.pipe(v.string(), v.trim(), v.minLength(1, 'the claim is missing'), v.maxLength(500)),
  category: v.picklist(['DecontextualizedContent', 'EditedOrCroppedContent', 'TransformedContent', 'StagedContent', 'SatireOrParodyContent', 'OriginalMediaContent']),
  rating: v.pipe(v.string(), v.trim(), v.minLength(1, 'the rating is missing'), v.maxLength(80)),
  context: v.pipe(v.string(), v.trim(), v.maxLength(300)),
  contextDate: v.pipe(v.string(), v.trim(), v.maxLength(40)),
  contextLocation: v.pipe(v.string(), v.trim(), v.maxLength(120)),
  factCheckUrl: v.pipe(v.string(), v.trim(), v.url('the fact-check address is not a URL'), v.maxLength(2048)),
  headline: v.pipe(v.string(), v.trim(), v.minLength(1, 'the headline is missing'), v.maxLength(300)),
  inLanguage: v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'not a language tag')),
  datePublished: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')),
});
export type DraftFields = v.InferOutput<typeof draftFields>;
export const draftRequest = v.strictObject({ clusterId: v.nullable(v.pipe(v.number(), v.integer())), fields: draftFields, ready: v.boolean() });
export const correctRequest = v.strictObject({ fields: draftFields, ready: v.boolean() });

export type ClusterKind = 'picture' | 'entry' | 'address' | 'post';
export type ClusterState = 'open' | 'dismissed' | 'covered' | 'drafted';

export interface SessionInfo {
  username: string;
  role: DeskRole;
  csrf: string;
  mustChangePassword: boolean;
}

export interface Coverage {
  entryId: string;
  distance: number;
  status: 'active' | 'withdrawn';
  state: 'draft' | 'ready' | 'published';
}

export interface ClusterSummary {
  id: number;
  kind: ClusterKind;
  /** For an entry cluster: the feed entry its wrong-match reports dispute. */
  entryId: string | null;
  state: ClusterState;
  coveredBy: string | null;
  reportCount: number;
  firstAt: string;
  lastAt: string;
  hasThumb: boolean;
  /** The reported media's address (the first one reported, for a picture cluster). */
  mediaUrl: string | null;
  coverage: Coverage | null;
}

export interface ClusterReport {
  reportId: string;
  kind: 'tip' | 'wrong-match';
  reason: string;
  createdAt: string;
  receivedAt: string;
  postUrl: string;
  author: string;
  text: string | null;
  note: string | null;
  media: { url: string; type: string; pdq: string | null; quality: number | null }[];
}

export interface ClusterDetail {
  cluster: ClusterSummary;
  reports: ClusterReport[];
  /** A draft prefilled from the reports (the claim, today's date, the feed's language). */
  draft: DraftFields;
}

export interface EntrySummary {
  id: string;
  state: 'draft' | 'ready' | 'published';
  status: 'active' | 'withdrawn';
  rev: number;
  publishedRev: number | null;
  claim: string;
  clusterId: number | null;
  updatedAt: string;
  updatedBy: string;
  fields: DraftFields;
}

export interface PublishResult {
  seq: number;
  entries: number;
  changed: number;
  verified: string;
}

/** Validates a request body; the first problem as `field: message`. */
export function parseRequest<T>(schema: v.GenericSchema<unknown, T>, body: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const r = v.safeParse(schema, body);
  if (r.success) return { ok: true, value: r.output };
  const i = r.issues[0];
  const p = v.getDotPath(i);
  return { ok: false, error: p ? `${p}: ${i.message}` : i.message };
}
