// Every text in six languages, and a language override that does not depend on browser.i18n.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const getMessage = vi.fn((key: string) => `browser:${key}`);
vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage, getUILanguage: () => 'de-AT' }, runtime: { getURL: (p: string) => `file://${p}` } } }));
const { formatMessage, t, useCatalogue, currentLocale, textDirection } = await import('../../../src/shared/i18n');
const { LOCALES, directionOf, matchLocale, resolveLocale } = await import('../../../src/shared/locales');

const DIR = path.resolve(import.meta.dirname, '../../../src/_locales');
type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(DIR, lang, 'messages.json'), 'utf8')) as Catalogue;
const en = load('en');

describe('catalogues', () => {
  it('every locale has every key, with the same placeholders mapped to the same substitutions', () => {
    expect(fs.readdirSync(DIR).sort()).toEqual([...LOCALES].sort());
    for (const lang of LOCALES) {
      const c = load(lang);
      expect(Object.keys(c).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, m] of Object.entries(c)) {
        expect(m.message.trim(), `${lang}/${key}`).not.toBe('');
        expect(Object.keys(m.placeholders ?? {}).sort(), `${lang}/${key}`).toEqual(Object.keys(en[key]!.placeholders ?? {}).sort());
        for (const [name, p] of Object.entries(m.placeholders ?? {})) expect(p.content, `${lang}/${key}/${name}`).toBe(en[key]!.placeholders![name]!.content);
      }
    }
  });

  it('translations are translations: most UI texts differ from the English', () => {
    for (const lang of LOCALES.filter((l) => l !== 'en')) {
      const c = load(lang);
      const same = Object.keys(en).filter((k) => c[k]!.message === en[k]!.message);
      expect(same.length / Object.keys(en).length, `${lang}: ${same.join(', ')}`).toBeLessThan(0.1);
    }
  });
});

describe('formatMessage (browser.i18n rules)', () => {
  it('fills named placeholders from their $n content, case-insensitively, and $$ is a dollar sign', () => {
    const entry = { message: 'Fact-check by $PUBLISHER$, $date$ ($$5)', placeholders: { publisher: { content: '$1' }, date: { content: '$2' } } };
    expect(formatMessage(entry, ['AFP', 'Oct 8'])).toBe('Fact-check by AFP, Oct 8 ($5)');
    expect(formatMessage(entry, ['AFP'])).toBe('Fact-check by AFP,  ($5)');
    expect(formatMessage({ message: 'no placeholders $X$' }, [])).toBe('no placeholders $X$');
  });
  it('gives what Chromium gives for every English message (placeholders in catalogue order)', () => {
    const e = en.noticeWhyText!;
    expect(formatMessage(e, ['Feed', 'entry-1', '97', '8', 'original'])).toBe(
      'This picture matches entry “entry-1” of the feed “Feed”: 97% alike (8 of 256 fingerprint bits differ; original). The match was made on your device.',
    );
  });
});

describe('t() with and without a chosen language', () => {
  beforeEach(() => useCatalogue('en', null));

  it('follows the browser (browser.i18n) until a language is chosen', () => {
    expect(t('dialogSend')).toBe('browser:dialogSend');
    expect(currentLocale()).toBe('de');
  });
  it('speaks the chosen catalogue, and its direction', () => {
    useCatalogue('ar', load('ar'));
    expect(t('dialogSend')).toBe('أرسل');
    expect(t('feedEntries', '12')).toBe('12 مدخلًا');
    expect(currentLocale()).toBe('ar');
    expect(textDirection()).toBe('rtl');
    useCatalogue('fr', load('fr'));
    expect(t('popupNoticesToday', '3')).toBe('Avis affichés aujourd’hui : 3');
    expect(textDirection()).toBe('ltr');
  });
});

describe('locales', () => {
  it('match browser language tags to the languages we speak, else English', () => {
    expect(matchLocale('fr-CA')).toBe('fr');
    expect(matchLocale('pt_BR')).toBe('pt');
    expect(matchLocale('it')).toBeNull();
    expect(resolveLocale(null, 'es-419')).toBe('es');
    expect(resolveLocale(null, 'ja')).toBe('en');
    expect(resolveLocale('ar', 'fr')).toBe('ar');
    expect(directionOf('ar')).toBe('rtl');
    expect(LOCALES.filter((l) => directionOf(l) === 'rtl')).toEqual(['ar']);
  });
});
