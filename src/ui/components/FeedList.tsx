import type { ComponentChildren } from 'preact';
import type { FeedStatus } from '../../shared/messages';
import { t } from '../../shared/i18n';

function feedState(f: FeedStatus): string {
  if (!f.enabled) return t('feedDisabled');
  const parts: string[] = [];
  // A failed sync keeps the last good list: show both what is in use and why the update failed.
  if (f.lastSyncAt) parts.push(t('feedEntries', String(f.entries)), t('feedLastSync', new Date(f.lastSyncAt).toLocaleString()));
  else if (!f.lastError) parts.push(t('feedNeverSynced'));
  if (f.lastError) parts.push(t('feedError', f.lastError));
  return parts.join(' · ');
}

/** The subscribed feeds with their state; the options page adds its controls to each. */
export function FeedList({ feeds, actions }: { feeds: FeedStatus[]; actions?: (f: FeedStatus) => ComponentChildren }) {
  if (feeds.length === 0) return <p class="muted" data-testid="feeds-empty">{t('feedsEmpty')}</p>;
  return (
    <ul class="feeds" data-testid="feeds">
      {feeds.map((f) => (
        <li key={f.url} class={f.lastError ? 'feed error' : 'feed'} data-url={f.url}>
          <span class="feed-name">{f.name}</span>
          <span class="feed-state">{feedState(f)}</span>
          {actions && <span class="feed-actions">{actions(f)}</span>}
        </li>
      ))}
    </ul>
  );
}
