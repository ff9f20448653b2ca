/**
 * The reader's settings in storage.local, owned by the background: it alone writes them.
 * A stored value that fails validation (hand-edited, from a newer version, corrupted) is reported
 * and replaced by the defaults of this build rather than crashing every message handler.
 */
import * as v from 'valibot';
import browser from 'webextension-polyfill';
import { BUILD } from '../shared/build';
import { SETTINGS_KEY, defaultSettings, migrateSettings, settingsSchema, type Settings } from '../shared/settings';

const schema = settingsSchema(BUILD.testHosts);

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  if (stored === undefined) return defaultSettings(BUILD.defaultFeeds);
  const parsed = v.safeParse(schema, migrateSettings(stored));
  if (parsed.success) return parsed.output;
  console.warn('[already-debunked] stored settings are invalid, using defaults:', parsed.issues[0].message);
  return defaultSettings(BUILD.defaultFeeds);
}

export async function saveSettings(settings: Settings): Promise<Settings> {
  const valid = v.parse(schema, settings);
  await browser.storage.local.set({ [SETTINGS_KEY]: valid });
  return valid;
}

/** On install: write the defaults (with the build's default feeds) if nothing valid is stored. */
export async function ensureSettings(): Promise<Settings> {
  const current = await loadSettings();
  return saveSettings(current);
}

export async function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  return saveSettings(change(await loadSettings()));
}
