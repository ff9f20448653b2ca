/**
 * The reader's reports with their delivery status: sent (when), waiting (why, and when the next
 * try is), or refused by the desk (what it said). Each can be tried again or deleted.
 */
import browser, { type Permissions } from 'webextension-polyfill';
import type { ReportRow } from '../../core/report';
import type { ReportsView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { t } from '../../shared/i18n';
import { REASON_KEYS } from '../../shared/report-texts';


const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

function statusText(r: ReportRow): string {
  if (r.status === 'delivered') return t('reportDelivered', when(r.deliveredAt));
  if (r.status === 'rejected') return t('reportRejected', r.lastError ?? '');
  return r.lastError ? t('reportWaitingError', r.lastError, when(r.nextTryAt)) : t('reportWaiting');
}

export function ReportList(props: { rows: ReportRow[]; busy: boolean; onDelete: (id: string) => void; onRetry: (id: string) => void }) {
  if (props.rows.length === 0) return <p class="muted" data-testid="reports-empty">{t('reportsEmpty')}</p>;
  return (
    <ul class="reports" data-testid="reports">
      {props.rows.map(({ report, ...row }) => (
        <li key={report.reportId} class={`report ${row.status}`} data-report-id={report.reportId} data-status={row.status}>
          <span class="report-what">
            {t(report.kind === 'wrong-match' ? 'reportKindWrongMatch' : 'reportKindTip')} · {t(REASON_KEYS[report.reason])} ·{' '}
            <a href={report.post.url} target="_blank" rel="noopener noreferrer" dir="ltr">
              @{report.post.author}
            </a>
          </span>
          <span class="report-state">{statusText({ report, ...row })}</span>
          <span class="report-to muted" dir="ltr">
            {report.recipient.endpoint}
          </span>
          <span class="report-actions">
            {row.status !== 'delivered' && (
              <button type="button" disabled={props.busy} onClick={() => props.onRetry(report.reportId)} aria-label={t('reportRetryLabel', report.post.author)}>
                {t('reportRetry')}
              </button>
            )}
            <button type="button" disabled={props.busy} onClick={() => props.onDelete(report.reportId)} aria-label={t('reportDeleteLabel', report.post.author)}>
              {t('reportDelete')}
            </button>
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Firefox: reports wait for the reader's permission to transmit website content (its built-in data
 * consent, asked here on a click, which a permission request needs); then the waiting ones go.
 */
export function ConsentNotice({ onChange }: { onChange: (view: ReportsView) => void }) {
  return (
    <div class="consent" role="status">
      <p>{t('consentNeeded')}</p>
      <button
        type="button"
        data-testid="allow-reports"
        onClick={async () => {
          const request = { data_collection: ['websiteContent'] } as unknown as Permissions.Permissions;
          if (await browser.permissions.request(request)) onChange(await send('ui/retry-reports', { ids: null }));
        }}
      >
        {t('consentAllow')}
      </button>
    </div>
  );
}
