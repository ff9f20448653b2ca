/**
 * Reports: the reader's own report address (besides each feed's), the list of reports with their
 * status, and exports (JSON: each report exactly as sent; CSV: one row each).
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { reportsToCsv, reportsToJson } from '../../core/report';
import { BUILD } from '../../shared/build';
import { t } from '../../shared/i18n';
import type { ReportsView, StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { endpointProblem, originPattern } from '../../shared/validate';
import { Field, errorText } from '../components/Field';
import { ConsentNotice, ReportList } from '../components/ReportList';
import { download } from '../components/use-status';
import { useAction } from '../components/use-action';

export function ReportsSection({ status, onStatus }: { status: StatusView; onStatus: (s: StatusView) => Promise<void> }) {
  const saved = status.settings.reportEndpoint ?? '';
  const [endpoint, setEndpoint] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [view, setView] = useState<ReportsView | null>(null);
  const { busy, error: actionError, run } = useAction();
  const [loadError, setLoadError] = useState<string | null>(null);
  const listError = actionError ?? loadError;

  const refresh = async (next?: ReportsView) => setView(next ?? (await send('ui/get-reports', {})));
  useEffect(() => {
    refresh().catch((e: unknown) => setLoadError(errorText(e)));
  }, [status]);

  async function save(e: Event) {
    e.preventDefault();
    setNote(null);
    const value = endpoint.trim();
    if (value) {
      const problem = endpointProblem(value, BUILD.testHosts);
      if (problem) return setError(t(problem));
      // Asked on the reader's click, so that reports reach it without the desk having to allow CORS.
      let granted = false;
      try {
        granted = await browser.permissions.request({ origins: [originPattern(value)] });
      } catch (err) {
        console.warn('[already-debunked] permission request failed:', err);
      }
      if (!granted) return setError(t('errPermissionDenied', new URL(value).host));
    }
    setError(null);
    try {
      await onStatus(await send('ui/update-settings', { patch: { reportEndpoint: value || null } }));
      setNote(value ? t('endpointSaved') : t('endpointCleared'));
    } catch (err) {
      setError(errorText(err));
    }
  }

  const act = (action: () => Promise<ReportsView>) => run(action, refresh);

  const rows = view?.rows ?? [];
  const stamp = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="reports-heading" id="reports">
      <h2 id="reports-heading">{t('reportsHeading')}</h2>
      <p class="muted">{t('reportsExplain')}</p>
      <form class="card" onSubmit={save} noValidate>
        <Field id="report-endpoint" label={t('endpointLabel')} hint={t('endpointHint')} value={endpoint} error={error} onInput={setEndpoint} inputProps={{ type: 'url', dir: 'ltr' }} />
        <button type="submit" data-testid="endpoint-save">
          {t('save')}
        </button>
        {note && (
          <span role="status" class="saved">
            {' '}
            {note}
          </span>
        )}
      </form>
      {view?.reportsNeedConsent && <ConsentNotice onChange={(v) => void refresh(v)} />}
      <ReportList rows={rows} busy={busy} onRetry={(id) => void act(() => send('ui/retry-reports', { ids: [id] }))} onDelete={(id) => void act(() => send('ui/delete-reports', { ids: [id] }))} />
      {listError && (
        <p role="alert" class="field-error">
          {listError}
        </p>
      )}
      <div class="buttons">
        <button type="button" data-testid="export-json" disabled={!rows.length} onClick={() => download(`already-debunked-reports-${stamp}.json`, reportsToJson(rows, new Date().toISOString()), 'application/json')}>
          {t('exportJson')}
        </button>
        <button type="button" data-testid="export-csv" disabled={!rows.length} onClick={() => download(`already-debunked-reports-${stamp}.csv`, reportsToCsv(rows), 'text/csv')}>
          {t('exportCsv')}
        </button>
        <button type="button" data-testid="delete-all" disabled={!rows.length || busy} onClick={() => void act(() => send('ui/delete-reports', { ids: rows.map((r) => r.report.reportId) }))}>
          {t('deleteAll')}
        </button>
      </div>
    </section>
  );
}
