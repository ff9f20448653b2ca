/**
 * The background's own texts (the context menu entry, the badge) follow the reader's language
 * choice too: activate its catalogue, and re-create the menu entry in it.
 */
import type { Locale } from '../shared/locales';
import { activateLocale } from '../shared/i18n';
import { setUpMenu } from './menu';

let active: Locale | null | undefined;

/** Makes sure the background speaks `language` (a restarted worker starts with the browser's). */
export async function ensureLanguage(language: Locale | null): Promise<void> {
  if (language === active) return;
  try {
    await activateLocale(language);
    active = language;
  } catch (e) {
    console.warn('[already-debunked] could not load the chosen language, using the browser’s:', e);
    await activateLocale(null);
    active = null;
  }
}

export async function applyLanguage(language: Locale | null): Promise<void> {
  await ensureLanguage(language);
  await setUpMenu();
}
