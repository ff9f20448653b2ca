/**
 * Data: clear the caches (media fingerprints and the match index, rebuilt as needed), export the
 * settings to a file, import them from one. An import is checked whole by the background (the
 * same migration and validation as stored settings) and replaces the settings at once, or not at
 * all; the feeds' host permissions are asked on the reader's "Replace" click.
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { BUILD } from '../../shared/build';
import { t } from '../../shared/i18n';
import type { StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { feedUrlProblem, originPattern } from '../../shared/validate';
import { errorText } from '../components/Field';
import { download } from '../components/use-status';

type Pending = { raw: unknown; feeds: string[] };

export function DataSection({ status, onStatus }: { status: StatusView; onStatus: (s: StatusView) => Promise<void> }) {
  const [cleared, setCleared] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [imported, setImported] = useState(false);

  async function pick(e: Event) {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    setImported(false);
    setPending(null);
    if (!file) return;
    try {
      const raw = JSON.parse(await file.text()) as { subscriptions?: { url?: unknown }[] };
      const feeds = (Array.isArray(raw?.subscriptions) ? raw.subscriptions : []).map((s) => (typeof s?.url === 'string' ? s.url : ''));
      if (feeds.some((u) => feedUrlProblem(u, BUILD.testHosts))) throw new Error(t('errFeedUrl'));
      setImportError(null);
      setPending({ raw, feeds });
    } catch (err) {
      setImportError(t('importNotSettings', err instanceof SyntaxError ? t('importNotJson') : errorText(err)));
    }
  }

  async function replace() {
    if (!pending) return;
    const origins = [...new Set(pending.feeds.map(originPattern))];
    let granted = origins.length === 0;
    try {
      granted ||= await browser.permissions.request({ origins });
    } catch (err) {
      console.warn('[already-debunked] permission request failed:', err);
    }
    if (!granted) return setImportError(t('importNoPermission'));
    try {
      await onStatus(await send('ui/import-settings', { settings: pending.raw }));
      setPending(null);
      setImportError(null);
      setImported(true);
    } catch (err) {
      setImportError(t('importNotSettings', errorText(err)));
    }
  }

  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{t('dataHeading')}</h2>
      <div class="card">
        <p class="muted">{t('cacheExplain')}</p>
        <button
          type="button"
          data-testid="clear-caches"
          onClick={async () => {
            await onStatus(await send('ui/clear-caches', {}));
            setCleared(true);
          }}
        >
          {t('cacheClear')}
        </button>
        {cleared && (
          <span role="status" class="saved">
            {' '}
            {t('cacheCleared')}
          </span>
        )}
      </div>
      <div class="card">
        <p class="muted">{t('settingsFileExplain')}</p>
        <button type="button" data-testid="export-settings" onClick={() => download('already-debunked-settings.json', JSON.stringify(status.settings, null, 2), 'application/json')}>
          {t('settingsExport')}
        </button>{' '}
        <label class="file-button">
          {t('settingsImport')}
          <input type="file" accept="application/json,.json" data-testid="import-settings" aria-describedby={importError ? 'import-error' : undefined} onChange={(e) => void pick(e)} />
        </label>
        {pending && (
          <div role="status" class="confirm">
            <p>{t('importConfirm', String(pending.feeds.length))}</p>
            <button type="button" class="primary" data-testid="import-confirm" onClick={() => void replace()}>
              {t('importReplace')}
            </button>{' '}
            <button type="button" onClick={() => setPending(null)}>
              {t('dialogCancel')}
            </button>
          </div>
        )}
        {importError && (
          <p id="import-error" role="alert" class="field-error" data-testid="import-error">
            {importError}
          </p>
        )}
        {imported && (
          <p role="status" class="saved">
            {t('importDone')}
          </p>
        )}
      </div>
    </section>
  );
}
