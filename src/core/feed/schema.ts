/**
 * The feed format v1 (docs/feed-format.md): schemas for the index, snapshot and delta payloads and
 * their entries, with the limits, and the parsers that apply them. Types are derived from the
 * schemas, so each field is declared once. Unknown fields are dropped, hash algorithms we do not
 * implement are ignored (a later version may add some); nothing in a feed is ever executed.
 */
import * as v from 'valibot';
import { isHashHex } from '../hash256';
import { isAllowedUrl, normalizeUrl } from '../url';
import { FeedError } from './errors';
import { FORMAT_VERSION, LIMITS } from './limits';

export interface ParseOptions {
  /** Hosts allowed over plain http (loopback in test builds only); everything else must be https. */
  testHosts?: readonly string[];
  /** For expiry checks; defaults to the current time. */
  now?: Date;
}

/** Control characters but tab and line break (C0, DEL, C1): never in a feed's text. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Characters that show nothing: zero-width, bidi controls, joiners, soft hyphen, BOM. */
const INVISIBLE = /[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/g;
const text = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1),
    v.maxLength(max),
    v.check((s) => !CONTROLS.test(s), 'must not contain control characters'),
    v.check((s) => s.replace(INVISIBLE, '') !== '', 'must contain visible text'),
  );
/** A time or a date, ISO 8601 with a four-digit year (ClaimReview dates are often a day only). */
const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** A point in time: date, time and zone (the index's and files' generatedAt and expiresAt). */
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const realDate = (s: string) => !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s.slice(0, 10))).toISOString().slice(0, 10) === s.slice(0, 10);
const iso = v.pipe(v.string(), v.maxLength(40), v.regex(DATE_RE, 'not an ISO 8601 date'), v.check(realDate, 'not a date'));
const isoTime = v.pipe(v.string(), v.maxLength(40), v.regex(TIME_RE, 'not an ISO 8601 time with a zone'), v.check(realDate, 'not a date'));
const lang = v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'not a language tag'));
const localized = (max: number) =>
  v.pipe(
    v.record(lang, text(max)),
    v.check((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 40, 'needs 1 to 40 languages'),
  );
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const hex64 = v.pipe(v.string(), v.check(isHashHex, 'not a 64-hex-digit hash'));
/** A variant name: a kind, and a number for kinds with a parameter. */
const VARIANT_RE = /^[a-z][a-z-]{0,23}(:-?[0-9]{1,3}(\.[0-9]{1,4})?)?$/;

function urlSchema(testHosts: readonly string[]) {
  return v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(2048),
    v.check((s) => isAllowedUrl(s, testHosts), 'must be an https URL'),
    v.transform(normalizeUrl),
  );
}

const VERDICTS = ['false', 'altered', 'missing-context', 'staged', 'satire', 'misleading', 'unproven', 'accurate'] as const;
export const MEDIA_REVIEW_CATEGORIES = [
  'OriginalMediaContent',
  'DecontextualizedContent',
  'EditedOrCroppedContent',
  'TransformedContent',
  'StagedContent',
  'SatireOrParodyContent',
] as const;

const pdqHashSchema = v.object({
  alg: v.literal('pdq'),
  value: hex64,
  quality: int(0, 100),
  role: v.optional(v.picklist(['original', 'variant', 'poster', 'keyframe', 'thumbnail'])),
  /**
   * With role "variant": which re-share of the image this hashes (docs/matching.md), e.g.
   * "crop:0.9", "rotate:-3", "cut-bottom:0.125", "picture". Optional in v1: older clients ignore it.
   */
  variant: v.optional(v.pipe(v.string(), v.regex(VARIANT_RE, 'not a variant name'))),
  /** The version of the canonical form (src/core/pdq canonicalPixels) the hash was made from, if any. */
  canon: v.optional(int(1, 1000)),
});
/** Hash objects of other algorithms pass through unvalidated and are dropped: forward compatible. */
const anyHash = v.union([pdqHashSchema, v.object({ alg: v.pipe(v.string(), v.check((a) => a !== 'pdq')) })]);

function entrySchema(testHosts: readonly string[]) {
  const url = urlSchema(testHosts);
  const appearance = v.object({ url, date: v.optional(iso) });
  return v.object({
    id: v.pipe(v.string(), v.regex(/^[a-z0-9._-]{1,128}$/, 'ids are 1–128 of a-z 0-9 . _ -')),
    rev: int(1),
    status: v.picklist(['active', 'withdrawn']),
    addedAt: v.optional(iso),
    updatedAt: v.optional(iso),
    verdict: v.object({
      label: v.picklist(VERDICTS),
      category: v.optional(v.picklist(MEDIA_REVIEW_CATEGORIES)),
      textualRating: localized(LIMITS.text.rating),
    }),
    claim: v.object({
      text: localized(LIMITS.text.claim),
      claimant: v.optional(text(LIMITS.text.name)),
      claimDate: v.optional(iso),
      firstAppearance: v.optional(appearance),
      appearances: v.optional(v.pipe(v.array(appearance), v.maxLength(LIMITS.maxAppearances))),
    }),
    originalContext: v.optional(
      v.object({
        description: v.optional(localized(LIMITS.text.context)),
        date: v.optional(text(40)),
        location: v.optional(text(LIMITS.text.short)),
        links: v.optional(v.pipe(v.array(url), v.maxLength(LIMITS.maxLinks))),
      }),
    ),
    factCheck: v.object({
      url,
      headline: localized(LIMITS.text.headline),
      inLanguage: lang,
      datePublished: iso,
      dateModified: v.optional(iso),
      publisher: v.object({ name: text(LIMITS.text.name), url: v.optional(url) }),
    }),
    media: v.pipe(
      v.array(
        v.object({
          type: v.picklist(['image', 'video', 'gif']),
          width: v.optional(int(1, 100_000)),
          height: v.optional(int(1, 100_000)),
          durationSec: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(LIMITS.maxMediaSeconds))),
          hashes: v.pipe(v.array(anyHash), v.maxLength(LIMITS.maxHashesPerMedia)),
          frames: v.optional(
            v.object({
              alg: v.literal('pdq'),
              items: v.pipe(
                v.array(
                  v.object({
                    t: v.pipe(v.number(), v.minValue(0), v.maxValue(LIMITS.maxMediaSeconds)),
                    value: hex64,
                    quality: int(0, 100),
                    /** Re-share variants of this keyframe (docs/matching.md, "Video"): crop ladder, caption cuts, middle band, caption-bar pictures. */
                    variants: v.optional(
                      v.pipe(
                        v.array(v.object({ variant: v.pipe(v.string(), v.regex(VARIANT_RE, 'not a variant name')), value: hex64, quality: int(0, 100) })),
                        v.maxLength(LIMITS.maxVariantsPerFrame),
                      ),
                    ),
                  }),
                ),
                v.maxLength(LIMITS.maxFramesPerMedia),
              ),
            }),
          ),
        }),
      ),
      v.minLength(1, 'an entry needs at least one media item'),
      v.maxLength(LIMITS.maxMediaPerEntry),
    ),
    source: v.optional(v.object({ type: text(LIMITS.text.short), url: v.optional(url) })),
  });
}

const fileRef = v.object({
  path: v.pipe(v.string(), v.maxLength(512), v.regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'a relative path without ..')),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')),
  bytes: int(1),
});

const envelopeHead = (format: string) => ({
  format: v.literal(format),
  formatVersion: v.literal(FORMAT_VERSION),
  epoch: int(1),
  generatedAt: isoTime,
  expiresAt: isoTime,
});

function indexSchema(testHosts: readonly string[]) {
  return v.object({
    ...envelopeHead('already-debunked/index'),
    feedId: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
    seq: int(1),
    minimumWaitSeconds: v.optional(int(0, 7 * 86_400)),
    snapshot: v.object({ ...fileRef.entries, seq: int(1) }),
    deltas: v.optional(v.pipe(v.array(v.object({ ...fileRef.entries, fromSeq: int(0), toSeq: int(1) })), v.maxLength(LIMITS.maxDeltas)), []),
    /**
     * The same sequence in the binary form (ADFB payloads): readers that know it use these files,
     * older readers ignore the field (unknown fields are dropped) and keep to `snapshot`/`deltas`.
     */
    binary: v.optional(
      v.object({
        snapshot: v.object({ ...fileRef.entries, seq: int(1) }),
        deltas: v.optional(v.pipe(v.array(v.object({ ...fileRef.entries, fromSeq: int(0), toSeq: int(1) })), v.maxLength(LIMITS.maxDeltas)), []),
      }),
    ),
    reportEndpoint: v.optional(urlSchema(testHosts)),
  });
}

function snapshotSchema(testHosts: readonly string[]) {
  return v.object({
    ...envelopeHead('already-debunked/snapshot'),
    feed: v.object({
      id: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
      name: localized(LIMITS.text.name),
      publisher: v.object({ name: text(LIMITS.text.name), url: v.optional(urlSchema(testHosts)) }),
      license: v.optional(text(LIMITS.text.short)),
      defaultLanguage: v.optional(lang),
    }),
    seq: int(1),
    entryCount: int(0, LIMITS.maxEntries),
    stateHash: v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/)),
    entries: v.pipe(v.array(entrySchema(testHosts)), v.maxLength(LIMITS.maxEntries)),
  });
}

function deltaSchema(testHosts: readonly string[]) {
  return v.object({
    ...envelopeHead('already-debunked/delta'),
    feedId: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
    fromSeq: int(0),
    toSeq: int(1),
    remove: v.pipe(v.array(v.object({ id: v.string(), rev: int(1) })), v.maxLength(LIMITS.maxEntries)),
    upsert: v.pipe(v.array(entrySchema(testHosts)), v.maxLength(LIMITS.maxEntries)),
    stateHash: v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/)),
  });
}

type Entry = v.InferOutput<ReturnType<typeof entrySchema>>;
type PdqHashObject = v.InferOutput<typeof pdqHashSchema>;
/** A feed entry, with only the hash objects we implement kept. */
export type FeedEntry = Omit<Entry, 'media'> & { media: (Omit<Entry['media'][number], 'hashes'> & { hashes: PdqHashObject[] })[] };
export type FeedMedia = FeedEntry['media'][number];
export type FeedIndex = v.InferOutput<ReturnType<typeof indexSchema>>;
export type FeedSnapshot = Omit<v.InferOutput<ReturnType<typeof snapshotSchema>>, 'entries'> & { entries: FeedEntry[] };
export type FeedDelta = Omit<v.InferOutput<ReturnType<typeof deltaSchema>>, 'upsert'> & { upsert: FeedEntry[] };
export type FileRef = v.InferOutput<typeof fileRef>;
export type VerdictLabelV1 = (typeof VERDICTS)[number];
export type Localized = Record<string, string>;

function parseJson(payload: Uint8Array, listField?: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new FeedError('not-json', 'the payload is not JSON');
  }
  // Refuse an oversized list before validating its items one by one.
  const list = listField ? (value as Record<string, unknown> | null)?.[listField] : undefined;
  if (Array.isArray(list) && list.length > LIMITS.maxEntries) {
    throw new FeedError('schema', `more than ${LIMITS.maxEntries} entries`, listField);
  }
  return value;
}

function validate<T>(schema: v.GenericSchema<unknown, T>, value: unknown, kind: string): T {
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== FORMAT_VERSION) {
    throw new FeedError('unsupported-version', `${kind} format version ${version}; this client reads version ${FORMAT_VERSION}`);
  }
  const r = v.safeParse(schema, value);
  if (!r.success) {
    const issue = r.issues[0];
    throw new FeedError('schema', issue.message, v.getDotPath(issue) ?? kind);
  }
  return r.output;
}

function keepKnownHashes(e: Entry): FeedEntry {
  return { ...e, media: e.media.map((m) => ({ ...m, hashes: m.hashes.filter((h): h is PdqHashObject => h.alg === 'pdq') })) };
}

function checkTimes(p: { generatedAt: string; expiresAt: string }, kind: string): void {
  const valid = Date.parse(p.expiresAt) - Date.parse(p.generatedAt);
  if (valid <= 0) throw new FeedError('schema', 'expiresAt must be after generatedAt', `${kind}.expiresAt`);
  if (valid > LIMITS.maxValidityDays * 86_400_000) throw new FeedError('schema', `a file is valid for at most ${LIMITS.maxValidityDays} days`, `${kind}.expiresAt`);
}

function checkUniqueIds(entries: readonly { id: string }[], where: string): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.id)) throw new FeedError('duplicate-id', `duplicate id ${e.id}`, `${where}[${i}].id`);
    seen.add(e.id);
  });
}

export function parseIndex(payload: Uint8Array, opts: ParseOptions = {}): FeedIndex {
  const index = validate(indexSchema(opts.testHosts ?? []), parseJson(payload), 'index');
  checkTimes(index, 'index');
  if (index.snapshot.seq !== index.seq) throw new FeedError('schema', 'the snapshot must be of the index’s seq', 'snapshot.seq');
  if (index.binary && index.binary.snapshot.seq !== index.seq) throw new FeedError('schema', 'the snapshot must be of the index’s seq', 'binary.snapshot.seq');
  return index;
}

export function parseSnapshot(payload: Uint8Array, opts: ParseOptions = {}): FeedSnapshot {
  return parseSnapshotValue(parseJson(payload, 'entries'), opts);
}

/**
 * A snapshot from its JSON value. `entriesParsed`: the entries were each validated already (the
 * binary form validates them chunk by chunk with parseEntry); the rest is checked here alike.
 */
export function parseSnapshotValue(value: unknown, opts: ParseOptions = {}, entriesParsed = false): FeedSnapshot {
  const entries = entriesParsed ? ((value as { entries: FeedEntry[] }).entries ?? []) : null;
  const raw = validate(snapshotSchema(opts.testHosts ?? []), entries ? { ...(value as object), entries: [] } : value, 'snapshot');
  checkTimes(raw, 'snapshot');
  const list = entries ?? raw.entries.map(keepKnownHashes);
  if (list.length > LIMITS.maxEntries) throw new FeedError('schema', `more than ${LIMITS.maxEntries} entries`, 'entries');
  if (raw.entryCount !== list.length) throw new FeedError('schema', `says ${raw.entryCount} entries, has ${list.length}`, 'entryCount');
  checkUniqueIds(list, 'entries');
  return { ...raw, entries: list };
}

/**
 * A snapshot's fields but its entries (the binary form's head), validated as parseSnapshotValue
 * does; the entries are checked as they are decoded, their count and ids at the end.
 */
export function parseSnapshotHead(value: unknown, opts: ParseOptions = {}): Omit<FeedSnapshot, 'entries'> {
  const raw = validate(snapshotSchema(opts.testHosts ?? []), { ...(value as object), entries: [] }, 'snapshot');
  checkTimes(raw, 'snapshot');
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'entries')) as Omit<FeedSnapshot, 'entries'>;
}

export function parseDelta(payload: Uint8Array, opts: ParseOptions = {}): FeedDelta {
  return parseDeltaValue(parseJson(payload, 'upsert'), opts);
}

export function parseDeltaValue(value: unknown, opts: ParseOptions = {}, entriesParsed = false): FeedDelta {
  const upsert = entriesParsed ? ((value as { upsert: FeedEntry[] }).upsert ?? []) : null;
  const raw = validate(deltaSchema(opts.testHosts ?? []), upsert ? { ...(value as object), upsert: [] } : value, 'delta');
  checkTimes(raw, 'delta');
  if (raw.toSeq !== raw.fromSeq + 1) throw new FeedError('delta-gap', 'a delta goes from one sequence to the next', 'toSeq');
  const list = upsert ?? raw.upsert.map(keepKnownHashes);
  if (list.length > LIMITS.maxEntries) throw new FeedError('schema', `more than ${LIMITS.maxEntries} entries`, 'upsert');
  checkUniqueIds(list, 'upsert');
  return { ...raw, upsert: list };
}

/** Validates one entry (the publisher tool uses this before signing). */
export function parseEntry(value: unknown, opts: ParseOptions = {}): FeedEntry {
  return entryParser(opts)(value);
}

/** A validator for many entries: the schema is made once (making it costs more than using it). */
export function entryParser(opts: ParseOptions = {}): (value: unknown) => FeedEntry {
  const schema = entrySchema(opts.testHosts ?? []);
  return (value) => keepKnownHashes(validate(schema, value, 'entry'));
}
