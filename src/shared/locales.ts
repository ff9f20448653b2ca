/**
 * The languages the extension speaks (src/_locales/<tag>), without any runtime dependency, so that
 * settings (also read by the build in node) and i18n share one list.
 */
export const LOCALES = ['en', 'fr', 'es', 'de', 'pt', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
/** Each language's own name, for the language choice. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  de: 'Deutsch',
  pt: 'Português',
  ar: 'العربية',
};
const RTL: readonly Locale[] = ['ar'];

export function isLocale(tag: unknown): tag is Locale {
  return typeof tag === 'string' && (LOCALES as readonly string[]).includes(tag);
}

/** Our language for a BCP 47 tag (`fr-CA` → `fr`), or null if we do not speak it. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const base = tag.toLowerCase().replace('_', '-').split('-')[0];
  return isLocale(base) ? base : null;
}

/** The reader's choice if any, else the browser's language if we speak it, else English. */
export function resolveLocale(override: Locale | null, uiLanguage: string | null | undefined): Locale {
  return override ?? matchLocale(uiLanguage) ?? DEFAULT_LOCALE;
}

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return RTL.includes(locale) ? 'rtl' : 'ltr';
}
