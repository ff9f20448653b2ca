import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '../../shared/i18n';
import { send } from '../../shared/messaging';
import { FeedList } from '../components/FeedList';
import { ConsentNotice, ReportList } from '../components/ReportList';
import { Toggle } from '../components/Toggle';
import { useStatus } from '../components/use-status';

/**
 * The toolbar popup, at a glance: on/off, notices shown today, each feed's state with "Sync now",
 * and the latest reports with their delivery status. Renders from stored state only, so it opens
 * instantly and needs no network (only "Sync now" and report retries go out, on the reader's click).
 */
export function Popup() {
  const [loaded, reload] = useStatus();
  const [busy, setBusy] = useState<'sync' | 'reports' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function act<T>(what: 'sync' | 'reports', run: () => Promise<T>, then: (value: T) => Promise<void>) {
    setBusy(what);
    setProblem(null);
    try {
      await then(await run());
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

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
          <p data-testid="notices-today">{t('popupNoticesToday', String(loaded.status.noticesToday))}</p>
          <div class="heading-row">
            <h2>{t('feedsHeading')}</h2>
            <button type="button" data-testid="sync-now" disabled={busy !== null} onClick={() => void act('sync', () => send('ui/sync-now', {}), reload)}>
              {busy === 'sync' ? t('syncing') : t('syncNow')}
            </button>
          </div>
          <FeedList feeds={loaded.status.feeds} />
          <h2>{t('reportsHeading')}</h2>
          {loaded.status.reportsNeedConsent && <ConsentNotice onChange={() => void reload()} />}
          <ReportList
            rows={loaded.status.reports}
            busy={busy !== null}
            onRetry={(id) => void act('reports', () => send('ui/retry-reports', { ids: [id] }), () => reload())}
            onDelete={(id) => void act('reports', () => send('ui/delete-reports', { ids: [id] }), () => reload())}
          />
          {problem && (
            <p role="alert" class="error">
              {problem}
            </p>
          )}
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
