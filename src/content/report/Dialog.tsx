/**
 * The report dialog: the reader picks where the report goes, why, and may add a note and a way to
 * reach them; below, the report exactly as it will be sent (reportText(buildReport(draft, choices)),
 * the same function the background builds the sent text with). Nothing leaves before Send.
 * Keyboard: focus starts on the first field, Tab stays inside, Escape closes; every field has a
 * label, the outcome is announced (role=status / alert).
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { REASONS, REPORT_LIMITS, buildReport, reportText, type ReportChoices, type ReportReason } from '../../core/report';
import type { RecipientOption, ReportOutcome, ReportPrepared } from '../../shared/messages';
import { t, type MessageKey } from '../../shared/i18n';
import { REASON_KEYS } from '../../shared/report-texts';


export interface DialogProps {
  /** Null when the report could not be prepared: then `problem` says why. */
  prepared: ReportPrepared | null;
  problem: string | null;
  onSubmit: (choices: ReportChoices) => Promise<ReportOutcome>;
  onClose: () => void;
  onOpenSettings: () => void;
}

type Phase = { name: 'editing' } | { name: 'sending' } | { name: 'done'; outcome: ReportOutcome } | { name: 'failed'; error: string };

function recipientLabel(o: RecipientOption): string {
  return o.feedName ? t('dialogRecipientFeed', o.feedName, o.recipient.endpoint) : t('dialogRecipientOwn', o.recipient.endpoint);
}

export function ReportDialog(props: DialogProps) {
  if (!props.prepared) {
    return (
      <Frame titleKey="dialogTitle" introKey="dialogIntro" onClose={props.onClose}>
        <p role="alert" class="problem">
          {t('dialogPrepareFailed', props.problem ?? '')}
        </p>
        <div class="buttons">
          <button type="button" onClick={props.onClose}>
            {t('dialogClose')}
          </button>
        </div>
      </Frame>
    );
  }
  return <Editor {...props} prepared={props.prepared} />;
}

function Frame(props: { titleKey: MessageKey; introKey: MessageKey; onClose: () => void; busy?: boolean; children: ComponentChildren }) {
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && !props.busy && props.onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="ad-title" aria-describedby="ad-intro">
        <h2 id="ad-title">{t(props.titleKey)}</h2>
        <p id="ad-intro">{t(props.introKey)}</p>
        {props.children}
      </div>
    </div>
  );
}

function Editor({ prepared, onSubmit, onClose, onOpenSettings }: DialogProps & { prepared: ReportPrepared }) {
  const { draft, recipients } = prepared;
  const reasons = REASONS[draft.kind];
  const [recipient, setRecipient] = useState(0);
  const [reason, setReason] = useState<ReportReason>(reasons[0]!);
  const [includeText, setIncludeText] = useState(draft.post.text !== null);
  const [note, setNote] = useState('');
  const [contact, setContact] = useState('');
  const [phase, setPhase] = useState<Phase>({ name: 'editing' });
  const sending = useRef(false);
  const wrongMatch = draft.kind === 'wrong-match';

  const choices: ReportChoices | null = recipients[recipient] ? { recipient: recipients[recipient].recipient, reason, includeText, note, contact } : null;
  const preview = previewOf(prepared, choices);

  async function send(e: Event) {
    e.preventDefault();
    // Only the reader's own click or key press sends (a page cannot script a trusted event).
    if (!e.isTrusted || !choices || !preview?.text || sending.current) return;
    sending.current = true;
    setPhase({ name: 'sending' });
    try {
      setPhase({ name: 'done', outcome: await onSubmit(choices) });
    } catch (err) {
      setPhase({ name: 'failed', error: err instanceof Error ? err.message : String(err) });
      sending.current = false;
    }
  }

  const done = phase.name === 'done' ? phase.outcome : null;
  return (
    <Frame titleKey={wrongMatch ? 'dialogTitleWrongMatch' : 'dialogTitle'} introKey={wrongMatch ? 'dialogIntroWrongMatch' : 'dialogIntro'} onClose={onClose} busy={phase.name === 'sending'}>
        {done ? (
          <Outcome outcome={done} onClose={onClose} onOpenSettings={onOpenSettings} />
        ) : recipients.length === 0 ? (
          <>
            <p role="alert" class="problem">
              {t('dialogNoRecipient')}
            </p>
            <div class="buttons">
              <button type="button" onClick={onClose}>
                {t('dialogClose')}
              </button>
              <button type="button" class="primary" onClick={onOpenSettings}>
                {t('openSettings')}
              </button>
            </div>
          </>
        ) : (
          <form onSubmit={send}>
            {recipients.length === 1 ? (
              <p class="field">
                <span class="label">{t('dialogRecipient')}</span> <span data-part="recipient">{recipientLabel(recipients[0]!)}</span>
              </p>
            ) : (
              <p class="field">
                <label for="ad-recipient" class="label">
                  {t('dialogRecipient')}
                </label>
                <select id="ad-recipient" value={String(recipient)} onChange={(e) => setRecipient(Number((e.currentTarget as HTMLSelectElement).value))}>
                  {recipients.map((o, i) => (
                    <option key={i} value={String(i)}>
                      {recipientLabel(o)}
                    </option>
                  ))}
                </select>
              </p>
            )}
            <fieldset>
              <legend class="label">{t('dialogReason')}</legend>
              {reasons.map((r) => (
                <label key={r} class="choice">
                  <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} />
                  {t(REASON_KEYS[r])}
                </label>
              ))}
            </fieldset>
            {draft.post.text !== null && (
              <label class="choice">
                <input type="checkbox" data-part="include-text" checked={includeText} onChange={(e) => setIncludeText((e.currentTarget as HTMLInputElement).checked)} />
                {t('dialogIncludeText')}
              </label>
            )}
            <p class="field">
              <label for="ad-note" class="label">
                {t('dialogNote')}
              </label>
              <textarea id="ad-note" rows={3} maxLength={REPORT_LIMITS.maxNote} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
            </p>
            <p class="field">
              <label for="ad-contact" class="label">
                {t('dialogContact')}
              </label>
              <input
                id="ad-contact"
                type="text"
                autocomplete="off"
                maxLength={REPORT_LIMITS.maxContact}
                aria-describedby="ad-contact-hint"
                value={contact}
                onInput={(e) => setContact((e.currentTarget as HTMLInputElement).value)}
              />
              <span id="ad-contact-hint" class="hint">
                {t('dialogContactHint')}
              </span>
            </p>
            <Summary prepared={prepared} includeText={includeText} />
            <h3 id="ad-preview-title">{t('dialogPreview')}</h3>
            <p class="hint">{t('dialogPreviewHint')}</p>
            {preview?.text ? (
              <pre class="preview" data-part="preview" tabindex={0} aria-labelledby="ad-preview-title" dir="ltr">
                {preview.text}
              </pre>
            ) : (
              <p role="alert" class="problem">
                {preview?.error}
              </p>
            )}
            {phase.name === 'failed' && (
              <p role="alert" class="problem" data-part="send-error">
                {t('dialogSendFailed', phase.error)}
              </p>
            )}
            <div class="buttons">
              <button type="button" onClick={onClose} disabled={phase.name === 'sending'}>
                {t('dialogCancel')}
              </button>
              <button type="submit" class="primary" data-part="send" disabled={phase.name === 'sending' || !preview?.text}>
                {phase.name === 'sending' ? t('dialogSending') : t('dialogSend')}
              </button>
            </div>
          </form>
        )}
    </Frame>
  );
}

function previewOf({ draft }: ReportPrepared, choices: ReportChoices | null): { text: string | null; error: string | null } | null {
  if (!choices) return null;
  try {
    return { text: reportText(buildReport(draft, choices)), error: null };
  } catch (e) {
    return { text: null, error: (e as Error).message };
  }
}

/** The same facts as the preview, readable: what the post is, which media, their fingerprints. */
function Summary({ prepared, includeText }: { prepared: ReportPrepared; includeText: boolean }) {
  const { post, media, match } = prepared.draft;
  return (
    <dl class="summary">
      <dt>{t('dialogPost')}</dt>
      <dd dir="ltr">{post.url}</dd>
      <dt>{t('dialogAuthor')}</dt>
      <dd dir="ltr">@{post.author}</dd>
      {post.text !== null && (
        <>
          <dt>{t('dialogPostText')}</dt>
          <dd lang={post.lang ?? undefined} dir="auto">
            {includeText ? post.text : t('dialogTextLeftOut')}
          </dd>
        </>
      )}
      <dt>{t('dialogMedia', String(media.length))}</dt>
      <dd>
        <ul>
          {media.map((m) => (
            <li key={m.url} dir="ltr">
              {m.url} — {m.pdq ? t('dialogFingerprint', m.pdq.value.slice(0, 16)) : t('dialogNoFingerprint')}
            </li>
          ))}
        </ul>
      </dd>
      {match && (
        <>
          <dt>{t('dialogMatch')}</dt>
          <dd dir="ltr">
            {match.entryId} ({match.feedUrl})
          </dd>
        </>
      )}
    </dl>
  );
}

function Outcome({ outcome, onClose, onOpenSettings }: { outcome: ReportOutcome; onClose: () => void; onOpenSettings: () => void }) {
  const key: MessageKey = outcome.needsConsent
    ? 'dialogNeedsConsent'
    : outcome.status === 'delivered'
      ? 'dialogDelivered'
      : outcome.status === 'rejected'
        ? 'dialogRejected'
        : 'dialogQueued';
  return (
    <>
      <p role={outcome.status === 'rejected' ? 'alert' : 'status'} data-part="outcome" data-status={outcome.status}>
        {t(key, outcome.lastError ?? '')}
      </p>
      <div class="buttons">
        {outcome.needsConsent && (
          <button type="button" onClick={onOpenSettings}>
            {t('openSettings')}
          </button>
        )}
        <button type="button" class="primary" onClick={onClose}>
          {t('dialogClose')}
        </button>
      </div>
    </>
  );
}
