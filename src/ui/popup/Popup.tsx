import { useEffect, useState } from 'preact/hooks';
import type { HistoryItem } from '../../shared/history';
import browser from 'webextension-polyfill';
import { t } from '../../shared/i18n';
import { send } from '../../shared/messaging';
import { FeedList } from '../components/FeedList';
import { HistoryList } from '../components/HistoryList';
import { ConsentNotice, ReportList } from '../components/ReportList';
import { StorageNotice } from '../components/StorageNotice';
import { EnabledToggle } from '../components/Toggle';
import { useStatus } from '../components/use-status';
import { useAction } from '../components/use-action';

/**
 * The toolbar popup, at a glance: on/off, notices shown today and the recent ones (kept on this
 * device only, clearable), each feed's state with "Sync now",
 * and the latest reports with their delivery status. Renders from stored state only, so it opens
 * instantly and needs no network (only "Sync now" and report retries go out, on the reader's click).
 */
export function Popup() {
  const [loaded, reload] = useStatus();
  const [syncing, setSyncing] = useState(false);
  const { busy, error: problem, run } = useAction();
  const [history, setHistory] = useState<HistoryItem[] | null>(null);
  useEffect(() => {
    send('ui/get-history', {}).then(
      (r) => setHistory(r.items),
      () => setHistory([]),
    );
  }, []);

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
          <EnabledToggle label={t('popupEnabled')} enabled={loaded.status.enabled} reload={reload} />
          {!loaded.status.enabled && <p class="muted">{t('popupDisabledHint')}</p>}
          <p data-testid="notices-today">{t('popupNoticesToday', String(loaded.status.noticesToday))}</p>
          {history && (
            <section aria-labelledby="history-heading">
              <h2 id="history-heading">{t('historyHeading')}</h2>
              <HistoryList items={history} limit={8} busy={busy} onClear={() => void run(() => send('ui/clear-history', {}), () => setHistory([]))} />
            </section>
          )}
          <StorageNotice event={loaded.status.storage} />
          <div class="heading-row">
            <h2>{t('feedsHeading')}</h2>
            <button
              type="button"
              data-testid="sync-now"
              disabled={busy}
              onClick={() => {
                setSyncing(true);
                void run(() => send('ui/sync-now', {}), reload).finally(() => setSyncing(false));
              }}
            >
              {syncing ? t('syncing') : t('syncNow')}
            </button>
          </div>
          <FeedList feeds={loaded.status.feeds} />
          <h2>{t('reportsHeading')}</h2>
          {loaded.status.reportsNeedConsent && <ConsentNotice onChange={() => void reload()} />}
          <ReportList
            rows={loaded.status.reports}
            busy={busy}
            onRetry={(id) => void run(() => send('ui/retry-reports', { ids: [id] }), () => reload())}
            onDelete={(id) => void run(() => send('ui/delete-reports', { ids: [id] }), () => reload())}
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
