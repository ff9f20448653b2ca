import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../../shared/i18n';
import type { StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { DISPLAY_MODES, MATCH_STRICTNESS, type Settings } from '../../shared/settings';
import { errorText } from '../components/Field';
import { Choices, EnabledToggle } from '../components/Toggle';
import { LanguageSelect } from '../components/LanguageSelect';
import { StorageNotice } from '../components/StorageNotice';
import { useStatus } from '../components/use-status';
import { DataSection } from './DataSection';
import { FeedsSection } from './FeedsSection';
import { ReportsSection } from './ReportsSection';

const DISPLAY_KEYS: Record<Settings['displayMode'], MessageKey> = { blur: 'optionsDisplayBlur', banner: 'optionsDisplayBanner' };
const STRICTNESS_KEYS: Record<Settings['matchStrictness'], [MessageKey, MessageKey]> = {
  strict: ['strictnessStrict', 'strictnessStrictText'],
  standard: ['strictnessStandard', 'strictnessStandardText'],
  loose: ['strictnessLoose', 'strictnessLooseText'],
};

/**
 * The options page. Each change goes to the background, which validates the whole result and saves
 * it at once (or answers why not, shown next to the field); the page then shows the stored state.
 */
export function Options() {
  const [loaded, reload] = useStatus();
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  document.title = t('optionsTitle');

  async function update(field: string, patch: Parameters<typeof send<'ui/update-settings'>>[1]['patch']) {
    try {
      await reload(await send('ui/update-settings', { patch }));
      setProblem(null);
    } catch (e) {
      setProblem({ field, text: errorText(e) });
    }
  }
  const problemFor = (field: string) =>
    problem?.field === field ? (
      <p role="alert" class="field-error">
        {problem.text}
      </p>
    ) : null;
  const onStatus = (s: StatusView) => reload(s);

  return (
    <main data-testid="options">
      <header class="brand">
        <img src="../icons/icon-48.png" alt="" />
        <h1>{t('optionsTitle')}</h1>
      </header>
      {loaded.state === 'loading' && <p class="muted">{t('loading')}</p>}
      {loaded.state === 'error' && <p role="alert">{t('loadFailed', loaded.error)}</p>}
      {loaded.state === 'ready' && (
        <>
          <section aria-labelledby="general-heading">
            <h2 id="general-heading">{t('optionsGeneral')}</h2>
            <EnabledToggle label={t('optionsEnabled')} enabled={loaded.status.enabled} reload={reload} />
            <StorageNotice event={loaded.status.storage} />
            <LanguageSelect value={loaded.status.settings.language} onChange={(language) => void update('language', { language })} />
            {problemFor('language')}
            <p class="muted">
              {t('optionsPrivacy')}{' '}
              <a href="../privacy.html" target="_blank" rel="noopener" data-testid="privacy-link">
                {t('optionsPrivacyLink')}
              </a>
            </p>
          </section>
          <section aria-labelledby="display-heading">
            <h2 id="display-heading">{t('optionsDisplay')}</h2>
            <Choices
              name="display"
              labelledBy="display-heading"
              options={DISPLAY_MODES}
              value={loaded.status.settings.displayMode}
              label={(m) => t(DISPLAY_KEYS[m])}
              onChange={(displayMode) => void update('display', { displayMode })}
            />
            {problemFor('display')}
            <h3 id="strictness-heading">{t('strictnessHeading')}</h3>
            <Choices
              name="strictness"
              labelledBy="strictness-heading"
              options={MATCH_STRICTNESS}
              value={loaded.status.settings.matchStrictness}
              label={(l) => t(STRICTNESS_KEYS[l][0])}
              description={(l) => t(STRICTNESS_KEYS[l][1])}
              onChange={(matchStrictness) => void update('strictness', { matchStrictness })}
            />
            {problemFor('strictness')}
          </section>
          <FeedsSection status={loaded.status} onStatus={onStatus} />
          <ReportsSection status={loaded.status} onStatus={onStatus} />
          <DataSection status={loaded.status} onStatus={onStatus} />
          <footer data-testid="version">{t('versionLabel', loaded.status.version)}</footer>
        </>
      )}
    </main>
  );
}
