import type { StorageEvent } from '../../shared/messages';
import { t } from '../../shared/i18n';

/** The last problem with the extension's storage and how it was repaired (shown for a week). */
export function StorageNotice({ event }: { event: StorageEvent | null }) {
  if (!event) return null;
  const when = new Date(event.at).toLocaleString();
  const text =
    event.kind === 'database-reset'
      ? t('storageDatabaseReset', String(event.reportsKept ?? 0), when)
      : event.kind === 'index-not-saved'
        ? t('storageIndexNotSaved', when)
        : event.kind === 'disk-full'
          ? t('storageDiskFull', when)
          : t('storageIndexRebuilt', when);
  return (
    <p class="storage-notice" role="status" data-testid="storage-notice" data-kind={event.kind} title={event.detail ?? undefined}>
      {text}
    </p>
  );
}
