/**
 * Feeds: each subscription with its state, a switch and a remove button; "Sync now"; and the form
 * to add one (name, the URL of its index.json, its public key), checked field by field before the
 * host permission is asked and the background subscribes (which checks everything again).
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { BUILD } from '../../shared/build';
import { t } from '../../shared/i18n';
import type { StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { feedNameProblem, feedUrlProblem, originPattern, publicKeyProblem } from '../../shared/validate';
import { Field, errorText } from '../components/Field';
import { FeedList } from '../components/FeedList';
import { useAction } from '../components/use-action';

type Errors = { name: string | null; url: string | null; key: string | null; form: string | null };
const NO_ERRORS: Errors = { name: null, url: null, key: null, form: null };

export function FeedsSection({ status, onStatus }: { status: StatusView; onStatus: (s: StatusView) => Promise<void> }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const list = useAction();
  const [adding, setAdding] = useState(false);
  const busy = list.busy || adding;
  const run = (action: () => Promise<StatusView>) => void list.run(action, onStatus);

  async function add(e: Event) {
    e.preventDefault();
    const problem = (k: ReturnType<typeof feedNameProblem>) => (k ? t(k) : null);
    const found: Errors = { name: problem(feedNameProblem(name)), url: problem(feedUrlProblem(url, BUILD.testHosts)), key: problem(publicKeyProblem(key)), form: null };
    if (!found.url && status.feeds.some((f) => f.url === url.trim())) found.url = t('errFeedDuplicate');
    setErrors(found);
    if (found.name || found.url || found.key) return;
    // The permission request must come straight from the reader's click: before any other await.
    let granted: boolean;
    try {
      granted = await browser.permissions.request({ origins: [originPattern(url.trim())] });
    } catch (err) {
      granted = false;
      console.warn('[already-debunked] permission request failed:', err);
    }
    if (!granted) return setErrors({ ...found, url: t('errPermissionDenied', new URL(url.trim()).host) });
    setAdding(true);
    try {
      await onStatus(await send('ui/add-feed', { name: name.trim(), url: url.trim(), publicKey: key.trim() }));
      setName('');
      setUrl('');
      setKey('');
      setErrors(NO_ERRORS);
    } catch (err) {
      setErrors({ ...found, form: errorText(err) });
    } finally {
      setAdding(false);
    }
  }

  return (
    <section aria-labelledby="feeds-heading">
      <div class="heading-row">
        <h2 id="feeds-heading">{t('feedsHeading')}</h2>
        <button type="button" data-testid="sync-now" disabled={busy} onClick={() => run(() => send('ui/sync-now', {}))}>
          {t('syncNow')}
        </button>
      </div>
      <FeedList
        feeds={status.feeds}
        actions={(f) => (
          <>
            <label class="inline">
              <input
                type="checkbox"
                role="switch"
                data-testid="feed-enabled"
                checked={f.enabled}
                disabled={busy}
                onChange={(e) => run(() => send('ui/set-feed-enabled', { url: f.url, enabled: (e.currentTarget as HTMLInputElement).checked }))}
              />
              {t('feedEnabled')}
            </label>
            <button type="button" data-testid="feed-remove" disabled={busy} aria-label={t('feedRemoveLabel', f.name)} onClick={() => run(() => send('ui/remove-feed', { url: f.url }))}>
              {t('feedRemove')}
            </button>
          </>
        )}
      />
      {list.error && (
        <p role="alert" class="field-error">
          {list.error}
        </p>
      )}
      <form class="card" onSubmit={add} noValidate aria-labelledby="add-feed-heading">
        <h3 id="add-feed-heading">{t('feedAddHeading')}</h3>
        <Field id="feed-name" label={t('feedName')} value={name} error={errors.name} onInput={setName} />
        <Field id="feed-url" label={t('feedUrl')} hint={t('feedUrlHint')} value={url} error={errors.url} onInput={setUrl} inputProps={{ type: 'url', dir: 'ltr' }} />
        <Field id="feed-key" label={t('feedKey')} hint={t('feedKeyHint')} value={key} error={errors.key} onInput={setKey} inputProps={{ dir: 'ltr', spellcheck: false }} />
        {errors.form && (
          <p role="alert" class="field-error" data-testid="feed-form-error">
            {errors.form}
          </p>
        )}
        <button type="submit" class="primary" data-testid="feed-add" disabled={busy}>
          {t('feedAdd')}
        </button>
      </form>
    </section>
  );
}
