/**
 * Every user-visible string, by key of _locales/en/messages.json (a key that does not exist there
 * is a compile error).
 *
 * browser.i18n follows the browser's language and cannot be told otherwise, but the reader may
 * choose another language in the options. So each runtime activates one catalogue (the parsed
 * messages.json of the chosen language) and t() formats from it, with browser.i18n's placeholder
 * rules; without an active catalogue, t() asks browser.i18n. Extension pages and the background
 * read the catalogue from the extension's own files (fetchCatalogue); content scripts cannot
 * (the files are not web-accessible), so the background hands it to them with cs/hello.
 */
import browser from 'webextension-polyfill';
import type catalogue from '../_locales/en/messages.json';
import { directionOf, resolveLocale, type Locale } from './locales';

export type MessageKey = keyof typeof catalogue;
export type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

let active: { locale: Locale; messages: Catalogue } | null = null;

/**
 * A message with its substitutions, as browser.i18n.getMessage does it: `$NAME$` is the named
 * placeholder (case-insensitive), whose content's `$1`…`$9` are the substitutions; `$$` is `$`.
 */
export function formatMessage(entry: Catalogue[string], substitutions: readonly string[]): string {
  const fill = (s: string) => s.replace(/\$(\d)/g, (_m, d: string) => substitutions[Number(d) - 1] ?? '');
  const named = new Map(Object.entries(entry.placeholders ?? {}).map(([k, p]) => [k.toLowerCase(), fill(p.content)]));
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (m, name: string | undefined) => (name === undefined ? '$' : (named.get(name.toLowerCase()) ?? m)));
}

/** Speak this language from now on in this runtime (null: follow the browser through browser.i18n). */
export function useCatalogue(locale: Locale, messages: Catalogue | null): void {
  active = messages ? { locale, messages } : null;
}

export function t(key: MessageKey, ...substitutions: string[]): string {
  const entry = active?.messages[key];
  if (entry) return formatMessage(entry, substitutions);
  const text = browser.i18n.getMessage(key, substitutions);
  // An empty answer means a missing translation: show the key rather than nothing.
  return text || key;
}

/** The language texts are shown in now. */
export function currentLocale(): Locale {
  return active?.locale ?? resolveLocale(null, browser.i18n.getUILanguage());
}

export function textDirection(): 'ltr' | 'rtl' {
  return directionOf(currentLocale());
}

/** A language's catalogue, from the extension's files (extension pages and the background only). */
export async function fetchCatalogue(locale: Locale): Promise<Catalogue> {
  const res = await fetch(browser.runtime.getURL(`_locales/${locale}/messages.json`));
  if (!res.ok) throw new Error(`no catalogue for ${locale}: HTTP ${res.status}`);
  return (await res.json()) as Catalogue;
}

/**
 * Activates the reader's language in an extension page or the background: its catalogue when the
 * reader chose one, else browser.i18n. Returns the language now in use.
 */
export async function activateLocale(override: Locale | null): Promise<Locale> {
  if (!override) {
    useCatalogue('en', null);
    return currentLocale();
  }
  useCatalogue(override, await fetchCatalogue(override));
  return override;
}
