import browser from 'webextension-polyfill';
import { t } from '../../shared/i18n';
import { send } from '../../shared/messaging';
import { FeedList } from '../components/FeedList';
import { Toggle } from '../components/Toggle';
import { useStatus } from '../components/use-status';

/** The toolbar popup: renders from stored state only, so it opens instantly and needs no network. */
export function Popup() {
  const [loaded, reload] = useStatus();
  return (
    <main data-testid="popup">
      <header class="brand">
        <img src="../icons/icon-48.png" alt="" />
        <h1>{t('popupTitle')}</h1>
      </header>
      {loaded.state === 'loading' && <p class="muted">{t('loading')}</p>}
      {loaded.state === 'error' && (
        <p role="alert" class="error">
          {t('loadFailed', loaded.error)}
        </p>
      )}
      {loaded.state === 'ready' && (
        <>
          <Toggle
            label={t('popupEnabled')}
            checked={loaded.status.enabled}
            testId="enabled"
            onChange={async (enabled) => {
              await send('ui/set-enabled', { enabled });
              await reload();
            }}
          />
          {!loaded.status.enabled && <p class="muted">{t('popupDisabledHint')}</p>}
          <h2>{t('feedsHeading')}</h2>
          <FeedList feeds={loaded.status.feeds} />
          <footer>
            <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('openSettings')}
            </button>{' '}
            <span data-testid="version">{t('versionLabel', loaded.status.version)}</span>
          </footer>
        </>
      )}
    </main>
  );
}
