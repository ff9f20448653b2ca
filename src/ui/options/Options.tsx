import { t } from '../../shared/i18n';
import { send } from '../../shared/messaging';
import { FeedList } from '../components/FeedList';
import { Toggle } from '../components/Toggle';
import { useStatus } from '../components/use-status';

export function Options() {
  const [loaded, reload] = useStatus();
  document.title = t('optionsTitle');
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
          <h2>{t('optionsGeneral')}</h2>
          <Toggle
            label={t('optionsEnabled')}
            checked={loaded.status.enabled}
            testId="enabled"
            onChange={async (enabled) => {
              await send('ui/set-enabled', { enabled });
              await reload();
            }}
          />
          <p class="muted">{t('optionsPrivacy')}</p>
          <h2 id="display-heading">{t('optionsDisplay')}</h2>
          <div role="radiogroup" aria-labelledby="display-heading">
            {(['blur', 'banner'] as const).map((mode) => (
              <label class="toggle" key={mode}>
                <input
                  type="radio"
                  name="display"
                  value={mode}
                  data-testid={`display-${mode}`}
                  checked={loaded.status.settings.displayMode === mode}
                  onChange={async () => {
                    await send('ui/set-display-mode', { mode });
                    await reload();
                  }}
                />
                <span>{t(mode === 'blur' ? 'optionsDisplayBlur' : 'optionsDisplayBanner')}</span>
              </label>
            ))}
          </div>
          <h2>{t('feedsHeading')}</h2>
          <FeedList feeds={loaded.status.feeds} />
          <footer data-testid="version">{t('versionLabel', loaded.status.version)}</footer>
        </>
      )}
    </main>
  );
}
