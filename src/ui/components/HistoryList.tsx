import { t } from '../../shared/i18n';
import type { HistoryItem } from '../../shared/history';
import { VERDICT_KEYS } from '../../shared/report-texts';

/** Links only to https addresses (feed text is the publisher's, the post address is X's). */
function https(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && !u.username && !u.password ? u.href : null;
  } catch {
    return null;
  }
}

function when(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The reader's local history of notices: what was flagged, on which post, from which feed, with
 * the post and the fact-check one click away. Kept on this device only; "Clear history" forgets it.
 */
export function HistoryList({ items, limit, busy, onClear }: { items: HistoryItem[]; limit: number; busy: boolean; onClear: () => void }) {
  if (!items.length) return <p class="muted" data-testid="history-empty">{t('historyEmpty')}</p>;
  return (
    <>
      <ul class="history" data-testid="history">
        {items.slice(0, limit).map((h) => {
          const post = https(h.post);
          const check = https(h.factCheckUrl);
          return (
            <li key={`${h.post}|${h.media}|${h.entryId}`} data-entry={h.entryId}>
              <span class="label">{t(VERDICT_KEYS[h.label])}</span>
              <span class="what">{h.headline ?? h.entryId}</span>
              <span class="muted">
                {t('historyFrom', h.feedName)} · <time dateTime={new Date(h.at).toISOString()}>{when(h.at)}</time>
              </span>
              <span class="links">
                {post && (
                  <a href={post} target="_blank" rel="noopener noreferrer">
                    {t('historyPost')}
                  </a>
                )}
                {check && (
                  <a href={check} target="_blank" rel="noopener noreferrer">
                    {t('historyFactCheck')}
                  </a>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <button type="button" data-testid="clear-history" disabled={busy} onClick={onClear}>
        {t('historyClear')}
      </button>
    </>
  );
}
