import { t } from '../../shared/i18n';
import { LOCALES, LOCALE_NAMES, isLocale, type Locale } from '../../shared/locales';

/** The reader's language: the browser's, or one of the six the extension speaks (options, first run). */
export function LanguageSelect({ value, onChange }: { value: Locale | null; onChange: (language: Locale | null) => void }) {
  return (
    <p class="field">
      <label for="language">{t('optionsLanguage')}</label>{' '}
      <select
        id="language"
        data-testid="language"
        value={value ?? ''}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          onChange(isLocale(v) ? v : null);
        }}
      >
        <option value="">{t('optionsLanguageBrowser')}</option>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </p>
  );
}
