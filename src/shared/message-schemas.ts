/**
 * Request schemas of the message protocol (see ./messages.ts), and the validating parser the
 * background runs on every incoming message. Imported at run time by the background only.
 */
import * as v from 'valibot';
import type { MessageType, ProtocolError, RequestOf } from './messages';

const url = v.pipe(v.string(), v.maxLength(4096));
const hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const quality = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));

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
  'cs/match-hashes': v.strictObject({
    hashes: v.pipe(v.array(hex), v.length(8)),
    quality,
    probes: v.optional(
      v.pipe(
        v.array(v.strictObject({ probe: v.pipe(v.string(), v.regex(/^(picture|inner|center|cut-(top|bottom):0\.[0-9]{1,4})$/)), hashes: v.pipe(v.array(hex), v.length(1)), quality })),
        v.maxLength(6),
      ),
    ),
  }),
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
