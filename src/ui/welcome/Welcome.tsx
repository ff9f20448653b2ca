/**
 * The first-run page, opened once when the extension is installed: what it does and does not do,
 * the feeds it starts with, the directory of known feeds (one click to subscribe: the host
 * permission is asked on that click, the feed then checked and synced like any other), how strict
 * matching is, the language, and in Firefox the built-in consent for sending reports.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { BUILD } from '../../shared/build';
import { t, type MessageKey } from '../../shared/i18n';
import type { DirectoryFeedView, DirectoryView, StatusView } from '../../shared/messages';
import { send } from '../../shared/messaging';
import { MATCH_STRICTNESS, type Settings } from '../../shared/settings';
import { originPattern } from '../../shared/validate';
import { errorText } from '../components/Field';
import { FeedList } from '../components/FeedList';
import { LanguageSelect } from '../components/LanguageSelect';
import { Choices } from '../components/Toggle';
import { useStatus } from '../components/use-status';

const STRICTNESS_KEYS: Record<Settings['matchStrictness'], [MessageKey, MessageKey]> = {
  strict: ['strictnessStrict', 'strictnessStrictText'],
  standard: ['strictnessStandard', 'strictnessStandardText'],
  loose: ['strictnessLoose', 'strictnessLooseText'],
};
const CONSENT = { data_collection: ['websiteContent'] } as unknown as browser.Permissions.AnyPermissions;

function DirectoryList({ view, onStatus }: { view: DirectoryView; onStatus: (s: StatusView) => Promise<void> }) {
  const [feeds, setFeeds] = useState(view.feeds);
  const [problem, setProblem] = useState<{ url: string; text: string } | null>(null);
  useEffect(() => setFeeds(view.feeds), [view]);
  if (!view.available) return <p class="muted" data-testid="directory-none">{t('welcomeDirectoryNone')}</p>;
  if (view.error) return <p role="alert" class="error">{t('welcomeDirectoryBroken', view.error)}</p>;
  async function subscribe(f: DirectoryFeedView) {
    setProblem(null);
    try {
      // The permission request must come straight from the reader's click: before any other await.
      if (!(await browser.permissions.request({ origins: [originPattern(f.url)] }))) throw new Error(t('errPermissionDenied'));
      await onStatus(await send('ui/add-feed', { name: f.name, url: f.url, publicKey: f.publicKey }));
      setFeeds((list) => list.map((x) => (x.url === f.url ? { ...x, subscribed: true } : x)));
    } catch (e) {
      setProblem({ url: f.url, text: errorText(e) });
    }
  }
  return (
    <ul class="directory" data-testid="directory">
      {feeds.map((f) => (
        <li key={f.url} data-url={f.url}>
          <div>
            <strong>{f.name}</strong> — {f.publisher}
            <div class="meta">
              {t('welcomeDirectoryMeta', f.languages.join(', '), String(f.entries), f.updated)}
            </div>
            <div class="meta">
              {t('welcomeDirectoryKey')} <code>{f.publicKey}</code>
            </div>
            {problem?.url === f.url && (
              <p role="alert" class="error">
                {problem.text}
              </p>
            )}
          </div>
          {f.subscribed ? (
            <span class="done" data-testid="subscribed">
              {t('welcomeSubscribed')}
            </span>
          ) : (
            <button type="button" class="primary" data-testid="subscribe" aria-label={t('welcomeSubscribeTo', f.name)} onClick={() => void subscribe(f)}>
              {t('welcomeSubscribe')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Firefox asks the reader, once, before website content (a report) may be sent. */
function FirefoxConsent() {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    browser.permissions.contains(CONSENT).then(setGranted, () => setGranted(true));
  }, []);
  if (granted === null) return null;
  return (
    <section aria-labelledby="consent-heading">
      <h2 id="consent-heading">{t('welcomeConsentHeading')}</h2>
      <p>{t('welcomeConsentText')}</p>
      {granted ? (
        <p class="done" data-testid="consent-given">
          {t('welcomeConsentGiven')}
        </p>
      ) : (
        <button type="button" data-testid="allow-reports" onClick={async () => setGranted(await browser.permissions.request(CONSENT as unknown as browser.Permissions.Permissions))}>
          {t('consentAllow')}
        </button>
      )}
    </section>
  );
}

export function Welcome() {
  const [loaded, reload] = useStatus();
  const [directory, setDirectory] = useState<DirectoryView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    send('ui/get-directory', {}).then(setDirectory, (e: unknown) => setDirectory({ available: true, issued: null, feeds: [], error: errorText(e) }));
  }, []);
  document.title = t('welcomeTitle');
  async function update(patch: Parameters<typeof send<'ui/update-settings'>>[1]['patch']) {
    try {
      await reload(await send('ui/update-settings', { patch }));
      setProblem(null);
    } catch (e) {
      setProblem(errorText(e));
    }
  }

  return (
    <main data-testid="welcome">
      <header class="brand">
        <img src="../icons/icon-48.png" alt="" />
        <h1>{t('welcomeTitle')}</h1>
      </header>
      {loaded.state === 'loading' && <p class="muted">{t('loading')}</p>}
      {loaded.state === 'error' && <p role="alert">{t('loadFailed', loaded.error)}</p>}
      {loaded.state === 'ready' && (
        <>
          <p class="lead">{t('welcomeLead')}</p>
          <LanguageSelect value={loaded.status.settings.language} onChange={(language) => void update({ language })} />
          <section aria-labelledby="does-heading">
            <h2 id="does-heading">{t('welcomeDoesHeading')}</h2>
            <ul class="points">
              <li>{t('welcomeDoes1')}</li>
              <li>{t('welcomeDoes2')}</li>
              <li>{t('welcomeDoes3')}</li>
            </ul>
          </section>
          <section aria-labelledby="doesnt-heading">
            <h2 id="doesnt-heading">{t('welcomeDoesntHeading')}</h2>
            <ul class="points">
              <li>{t('welcomeDoesnt1')}</li>
              <li>{t('welcomeDoesnt2')}</li>
              <li>{t('welcomeDoesnt3')}</li>
            </ul>
            <p>
              <a href="../privacy.html" target="_blank" rel="noopener">
                {t('optionsPrivacyLink')}
              </a>
            </p>
          </section>
          <section aria-labelledby="feeds-heading">
            <h2 id="feeds-heading">{t('welcomeFeedsHeading')}</h2>
            <FeedList feeds={loaded.status.feeds} />
            <h3 id="directory-heading">{t('welcomeDirectoryHeading')}</h3>
            <p class="muted">{t('welcomeDirectoryText')}</p>
            {directory ? <DirectoryList view={directory} onStatus={(s) => reload(s)} /> : <p class="muted">{t('loading')}</p>}
          </section>
          <section aria-labelledby="strictness-heading">
            <h2 id="strictness-heading">{t('strictnessHeading')}</h2>
            <Choices
              name="strictness"
              labelledBy="strictness-heading"
              options={MATCH_STRICTNESS}
              value={loaded.status.settings.matchStrictness}
              label={(l) => t(STRICTNESS_KEYS[l][0])}
              description={(l) => t(STRICTNESS_KEYS[l][1])}
              onChange={(matchStrictness) => void update({ matchStrictness })}
            />
          </section>
          {BUILD.target === 'firefox' && <FirefoxConsent />}
          {problem && (
            <p role="alert" class="error">
              {problem}
            </p>
          )}
          <footer>
            <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('openSettings')}
            </button>
          </footer>
        </>
      )}
    </main>
  );
}
