/**
 * Request schemas of the message protocol (see ./messages.ts), and the validating parser the
 * background runs on every incoming message. Imported at run time by the background only.
 */
import * as v from 'valibot';
import { MEDIA_TYPES, REPORT_KINDS, REPORT_LIMITS, choicesSchema, draftSchema } from '../core/report';
import { BUILD } from './build';
import { LOCALES } from './locales';
import { DISPLAY_MODES, MATCH_STRICTNESS } from './settings';
import { MARKUP_CHECKS } from './x';
import { VERDICT_LABELS, type MessageType, type ProtocolError, type RequestOf } from './messages';

const url = v.pipe(v.string(), v.maxLength(4096));
const hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const quality = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9));
const reportIds = v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(10_000));
const reportOptions = { testHosts: BUILD.testHosts };

/**
 * The 8 dihedral PDQ hashes of a video frame the reader is playing (hashed in the content
 * script), and optionally the frame's other views hashed for matching (src/core/match
 * queryProbes: the picture inside a player or a letterbox, caption cuts, the centre; the moving
 * picture).
 */
const frameSchema = v.strictObject({
  hashes: v.pipe(v.array(hex), v.length(8)),
  quality,
  probes: v.optional(
    v.pipe(
      v.array(v.strictObject({ probe: v.pipe(v.string(), v.regex(/^(picture|inner|center|turn|motion|half-(top|bottom|left|right)|mid:0\.[0-9]{1,4}|cut-(top|bottom):0\.[0-9]{1,4})$/)), hashes: v.pipe(v.array(hex), v.length(1)), quality })),
      // picture, inner and the picture inside it (or two sharp bands), two caption cuts, four halves, the
      // middle band, the turn, and up to MAX_PICTURES (4) moving pictures: 16 at most
      v.maxLength(16),
    ),
  ),
});

export const requestSchemas = {
  /** A content script announces itself; the answer says whether it should do anything. */
  'cs/hello': v.strictObject({ protocol: v.pipe(v.number(), v.integer()), page: url }),
  /** The media URLs of posts near the viewport: hash them (background fetch) and look them up. */
  'cs/match-media': v.strictObject({ urls: v.pipe(v.array(url), v.minLength(1), v.maxLength(24)) }),
  /**
   * The 8 dihedral PDQ hashes of a video frame the reader is playing (hashed in the content
   * script), and optionally the frame's other views hashed for matching (src/core/match
   * queryProbes: the picture inside a player or a letterbox, caption cuts, the centre).
   */
  'cs/match-hashes': frameSchema,
  /**
   * A video frame the reader is playing, hashed as for cs/match-hashes: the entries it comes near
   * (within the evidence rule's `near` distance), each with its keyframe's time, for the sequence
   * rule the content script applies across frames (src/core/match/video.ts VideoEvidence).
   */
  'cs/match-frame': frameSchema,
  /** Popup/options: everything they render, from stored state only (no network). */
  'ui/get-status': v.strictObject({}),
  /** Popup/options: turn the extension on or off everywhere. */
  'ui/set-enabled': v.strictObject({ enabled: v.boolean() }),
  /** Options: blur matched media, or show a banner only. */
  'ui/set-display-mode': v.strictObject({ mode: v.picklist(['blur', 'banner']) }),
  /** Popup/options: sync every enabled feed now. */
  'ui/sync-now': v.strictObject({}),
  /** Options: subscribe to a feed (the page has asked for its host permission first). The
   * subscription itself is validated by the background against the settings schema. */
  'ui/add-feed': v.strictObject({ name: v.string(), url, publicKey: v.string() }),
  'ui/remove-feed': v.strictObject({ url }),
  'ui/set-feed-enabled': v.strictObject({ url, enabled: v.boolean() }),
  /** The reader wants to report this post (or say its notice is wrong): what the content script
   * read from the page. The background adds the media hashes, an id and where it can go. */
  'cs/prepare-report': v.strictObject({
    kind: v.picklist(REPORT_KINDS),
    post: v.strictObject({
      author: v.pipe(v.string(), v.maxLength(50)),
      postId: v.pipe(v.string(), v.maxLength(25)),
      text: v.nullable(v.pipe(v.string(), v.maxLength(REPORT_LIMITS.maxPostText))),
      lang: v.nullable(v.pipe(v.string(), v.maxLength(35))),
    }),
    media: v.pipe(v.array(v.strictObject({ type: v.picklist(MEDIA_TYPES), url, quoted: v.boolean() })), v.maxLength(REPORT_LIMITS.maxMedia)),
    match: v.nullable(
      v.strictObject({
        feedUrl: url,
        entryId: v.pipe(v.string(), v.maxLength(128)),
        distance: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(256)),
        variant: v.pipe(v.string(), v.maxLength(20)),
      }),
    ),
  }),
  /** The reader pressed Send: the draft as prepared and shown, and what the reader chose. */
  'cs/submit-report': v.strictObject({ draft: draftSchema(reportOptions), choices: choicesSchema(reportOptions) }),
  /**
   * A notice was put on a media item: counted for "notices shown today", and added to the reader's
   * local history (kept on this device only, clearable; src/shared/history.ts).
   */
  'cs/notice-shown': v.strictObject({
    post: v.nullable(url),
    media: url,
    feedUrl: url,
    feedName: v.pipe(v.string(), v.maxLength(200)),
    entryId: v.pipe(v.string(), v.maxLength(128)),
    label: v.picklist(VERDICT_LABELS),
    headline: v.nullable(v.pipe(v.string(), v.maxLength(500))),
    factCheckUrl: url,
  }),
  /** First-run page and options: the directory of known feeds this build ships, checked. */
  'ui/get-directory': v.strictObject({}),
  /** Popup: the local history of notices, newest first. */
  'ui/get-history': v.strictObject({}),
  /** Popup: forget the local history of notices. */
  'ui/clear-history': v.strictObject({}),
  /**
   * X's markup no longer matches what src/shared/x.ts expects on this page: the selectors that
   * never matched though they should have, and the counts that show it (src/shared/x.ts
   * silentSelectors). Kept for the popup's diagnostics; nothing leaves the browser.
   */
  'cs/markup-report': v.strictObject({
    silent: v.pipe(v.array(v.picklist(MARKUP_CHECKS)), v.minLength(1), v.maxLength(MARKUP_CHECKS.length)),
    sample: v.strictObject({ posts: count, media: count, mediaInPosts: count, boxed: count, cardsInPosts: count, cardsBoxed: count, actionBars: count, texts: count }),
  }),
  /** The dialog's "Settings" link (a content script cannot open the options page itself). */
  'cs/open-options': v.strictObject({}),
  /** Options: change some settings; the result is validated whole and saved at once, or not at all. */
  'ui/update-settings': v.strictObject({
    patch: v.strictObject({
      displayMode: v.optional(v.picklist(DISPLAY_MODES)),
      matchStrictness: v.optional(v.picklist(MATCH_STRICTNESS)),
      language: v.optional(v.nullable(v.picklist(LOCALES))),
      reportEndpoint: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2048)))),
    }),
  }),
  /** Options: replace the settings with an exported file's (migrated and validated as stored ones). */
  'ui/import-settings': v.strictObject({ settings: v.unknown() }),
  /** Options: drop the media hash cache and the match index (rebuilt on demand). */
  'ui/clear-caches': v.strictObject({}),
  'ui/get-reports': v.strictObject({}),
  'ui/delete-reports': v.strictObject({ ids: reportIds }),
  /** Try these (null: all) queued or refused reports again now. */
  'ui/retry-reports': v.strictObject({ ids: v.nullable(reportIds) }),
} as const;

export type ParsedMessage = { [T in MessageType]: { ok: true; type: T; payload: RequestOf<T> } }[MessageType];

/** A short human-readable summary of validation issues: where, and what was expected. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], max = 3): string {
  return issues
    .slice(0, max)
    .map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`)
    .join('; ');
}

/** Validates a raw incoming message. Never throws. */
export function parseMessage(raw: unknown): ParsedMessage | { ok: false; error: ProtocolError } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: { code: 'bad-message', message: 'a message must be an object {type, payload}' } };
  }
  const { type, payload } = raw as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string') {
    return { ok: false, error: { code: 'bad-message', message: 'a message needs a string "type"' } };
  }
  if (!Object.hasOwn(requestSchemas, type)) {
    return { ok: false, error: { code: 'unknown-type', message: `unknown message type ${JSON.stringify(type.slice(0, 64))}` } };
  }
  const t = type as MessageType;
  const parsed = v.safeParse(requestSchemas[t], payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad-payload', message: `${t}: ${describeIssues(parsed.issues)}` } };
  }
  return { ok: true, type: t, payload: parsed.output } as ParsedMessage;
}
