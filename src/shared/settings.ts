/**
 * The reader's settings: type, defaults, validation. Stored by the background in
 * storage.local under SETTINGS_KEY; pages read them through the protocol.
 * Versioned: settings of an older schemaVersion are migrated step by step (migrateSettings); a
 * stored object that still fails validation is replaced by defaults.
 */
import * as v from 'valibot';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_SCHEMA_VERSION = 2;
export const DISPLAY_MODES = ['blur', 'banner'] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];
const MAX_SUBSCRIPTIONS = 50;

/** https only; plain http only to a test host (loopback, test builds only: see BuildInfo.testHosts). */
export function isAllowedFeedUrl(raw: string, testHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && testHosts.includes(u.hostname);
}

/** Ed25519 public key: 32 bytes, base64 (44 characters with padding). */
const PUBLIC_KEY_RE = /^[A-Za-z0-9+/]{43}=$/;

export function subscriptionSchema(testHosts: readonly string[]) {
  return v.strictObject({
    name: v.pipe(v.string(), v.trim(), v.minLength(1, 'a feed needs a name'), v.maxLength(100)),
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
    subscriptions: v.pipe(v.array(subscriptionSchema(testHosts)), v.maxLength(MAX_SUBSCRIPTIONS)),
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
  return s;
}
export type Settings = v.InferOutput<ReturnType<typeof settingsSchema>>;

export function defaultSettings(defaultFeeds: FeedSubscription[]): Settings {
  return { schemaVersion: SETTINGS_SCHEMA_VERSION, enabled: true, displayMode: 'blur', subscriptions: defaultFeeds };
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
