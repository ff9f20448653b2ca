/**
 * The background's own texts (the context menu entry, the badge) follow the reader's language
 * choice too: activate its catalogue, and re-create the menu entry in it.
 */
import type { Locale } from '../shared/locales';
import { activateLocale } from '../shared/i18n';
import { setUpMenu } from './menu';

export async function applyLanguage(language: Locale | null): Promise<void> {
  try {
    await activateLocale(language);
  } catch (e) {
    console.warn('[already-debunked] could not load the chosen language, using the browser’s:', e);
    await activateLocale(null);
  }
  await setUpMenu();
}
