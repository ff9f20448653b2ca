/**
 * The reader's settings: type, defaults, validation. Stored by the background in
 * storage.local under SETTINGS_KEY; pages read them through the protocol.
 * Versioned: settings of an older schemaVersion are migrated step by step (migrateSettings); a
 * stored object that still fails validation is replaced by defaults.
 */
import * as v from 'valibot';
import { LOCALES } from './locales.ts';
import { MAX_FEED_NAME, PUBLIC_KEY_RE, isAllowedFeedUrl } from './validate.ts';

export { isAllowedFeedUrl } from './validate.ts';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_SCHEMA_VERSION = 3;
export const DISPLAY_MODES = ['blur', 'banner'] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];
/**
 * How alike two pictures must be to match (src/core/match/rule.ts matchRule says what each
 * level accepts). 'standard' is the reference threshold.
 */
export const MATCH_STRICTNESS = ['strict', 'standard', 'loose'] as const;
export type MatchStrictness = (typeof MATCH_STRICTNESS)[number];
export const MAX_SUBSCRIPTIONS = 50;

export function subscriptionSchema(testHosts: readonly string[]) {
  return v.strictObject({
    name: v.pipe(v.string(), v.trim(), v.minLength(1, 'a feed needs a name'), v.maxLength(MAX_FEED_NAME)),
    url: v.pipe(
      v.string(),
      v.maxLength(2048),
      v.check((u) => isAllowedFeedUrl(u, testHosts), 'feed URL must be https'),
    ),
    publicKey: v.pipe(v.string(), v.regex(PUBLIC_KEY_RE, 'public key must be 32 bytes of base64 (Ed25519)')),
    enabled: v.optional(v.boolean(), true),
  });
}
export type FeedSubscription = v.InferOutput<ReturnType<typeof subscriptionSchema>>;

export function settingsSchema(testHosts: readonly string[]) {
  return v.strictObject({
    schemaVersion: v.literal(SETTINGS_SCHEMA_VERSION),
    enabled: v.boolean(),
    /** blur: matched media is blurred until the reader chooses to see it; banner: a banner only. */
    displayMode: v.picklist(DISPLAY_MODES),
    subscriptions: v.pipe(
      v.array(subscriptionSchema(testHosts)),
      v.maxLength(MAX_SUBSCRIPTIONS),
      v.check((subs) => new Set(subs.map((s) => s.url)).size === subs.length, 'the same feed is subscribed twice'),
    ),
    matchStrictness: v.picklist(MATCH_STRICTNESS),
    /** The reader's language for our texts; null follows the browser's. */
    language: v.nullable(v.picklist(LOCALES)),
    /** Where reports go when the reader picks "my own address" (besides each feed's endpoint); null: none. */
    reportEndpoint: v.nullable(v.pipe(v.string(), v.check((u) => isAllowedFeedUrl(u, testHosts), 'report address must be https'))),
  });
}

/**
 * Brings settings stored by an older version up to this one, one step per version. Unknown or
 * newer shapes are returned as they are (validation then decides).
 */
export function migrateSettings(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null) return stored;
  let s = stored as Record<string, unknown>;
  if (s.schemaVersion === 1) s = { ...s, schemaVersion: 2, displayMode: 'blur' }; // 1 → 2: display mode
  if (s.schemaVersion === 2) s = { ...s, schemaVersion: 3, matchStrictness: 'standard', language: null, reportEndpoint: null }; // 2 → 3
  return s;
}
export type Settings = v.InferOutput<ReturnType<typeof settingsSchema>>;

export function defaultSettings(defaultFeeds: FeedSubscription[]): Settings {
  return {
    schemaVersion: SETTINGS_SCHEMA_VERSION,
    enabled: true,
    displayMode: 'blur',
    subscriptions: defaultFeeds,
    matchStrictness: 'standard',
    language: null,
    reportEndpoint: null,
  };
}

/**
 * Parses the build-time AD_DEFAULT_FEEDS value (a JSON array of subscriptions). Throws an Error
 * that names the bad entry and field, so a wrong build setting stops the build.
 */
export function parseDefaultFeeds(json: string | undefined, testHosts: readonly string[]): FeedSubscription[] {
  if (!json || !json.trim()) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`AD_DEFAULT_FEEDS is not valid JSON: ${(e as Error).message}`);
  }
  const schema = v.pipe(v.array(subscriptionSchema(testHosts)), v.maxLength(MAX_SUBSCRIPTIONS));
  const parsed = v.safeParse(schema, value);
  if (!parsed.success) {
    const i = parsed.issues[0];
    throw new Error(`AD_DEFAULT_FEEDS: at ${v.getDotPath(i) ?? '(root)'}: ${i.message}`);
  }
  return parsed.output;
}
