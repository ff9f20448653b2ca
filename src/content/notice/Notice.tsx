/**
 * The notice on a matched media item. It speaks about the media and where it really comes from —
 * most recycled media is authentic, shown out of context — and never calls the post fake. Every
 * text from the feed is rendered as text (Preact escapes it); the one link is the fact-check, and
 * only if it is https.
 */
import { useState } from 'preact/hooks';
import type { MatchView, VerdictLabel } from '../../shared/messages';
import { t, type MessageKey } from '../../shared/i18n';

export type NoticeMode = 'blur' | 'banner';

const LABEL_KEYS: Record<VerdictLabel, MessageKey> = {
  'missing-context': 'verdictMissingContext',
  altered: 'verdictAltered',
  staged: 'verdictStaged',
  false: 'verdictFalse',
  misleading: 'verdictMisleading',
  satire: 'verdictSatire',
  unproven: 'verdictUnproven',
  accurate: 'verdictAccurate',
};

/**
 * Text from a feed (or the page) as it is shown: bidi embedding, override and isolate controls
 * removed, so a string cannot reorder what follows it (a publisher name that reads backwards, a
 * "date" that flips the sentence); Preact then renders it as text, never as HTML.
 */
export function plainText<T extends string | null | undefined>(s: T): T {
  return (s == null ? s : s.replace(/[\u202A-\u202E\u2066-\u2069]/g, '')) as T;
}

/**
 * Only the reader's own input acts on the notice: a click or key the page scripted (untrusted
 * event) does nothing, so a hostile page cannot reveal media or dismiss a notice for the reader.
 */
function byReader<E extends Event>(fn: (e: E) => void): (e: E) => void {
  return (e) => {
    if (e.isTrusted) fn(e);
  };
}

export function safeHttpsUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && !u.username && !u.password ? u.href : null;
  } catch {
    return null;
  }
}

function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

export interface NoticeProps {
  match: MatchView;
  mode: NoticeMode;
  /** Small media (card thumbnails, grid tiles): a compact badge that opens the full text. */
  compact: boolean;
  revealed: boolean;
  onReveal: (revealed: boolean) => void;
  onCorrectUse: () => void;
  /** "Wrong match?": the reader says this notice is on the wrong media (opens the report dialog). */
  onWrongMatch?: (opener: HTMLElement) => void;
}

export function Notice({ match: raw, mode, compact, revealed, onReveal, onCorrectUse, onWrongMatch }: NoticeProps) {
  const match = {
    ...raw,
    rating: plainText(raw.rating),
    headline: plainText(raw.headline),
    publisherName: plainText(raw.publisherName),
    feedName: plainText(raw.feedName),
    entryId: plainText(raw.entryId),
    originalContext: raw.originalContext && {
      description: plainText(raw.originalContext.description),
      date: plainText(raw.originalContext.date),
      location: plainText(raw.originalContext.location),
    },
  };
  const [details, setDetails] = useState(false);
  const [thanked, setThanked] = useState(false);
  const [expanded, setExpanded] = useState(!compact);
  const link = safeHttpsUrl(match.factCheckUrl);
  const context = match.originalContext;
  const contextText = [context?.description, [formatDate(context?.date ?? null), context?.location].filter(Boolean).join(', ')]
    .filter(Boolean)
    .join(' — ');
  const similarity = Math.round((100 * (256 - match.distance)) / 256);
  const blurred = mode === 'blur' && !revealed;

  if (!expanded) {
    return (
      <div class="badge-wrap">
        <button type="button" class="badge" aria-expanded="false" onClick={byReader((e: MouseEvent) => (e.stopPropagation(), setExpanded(true)))}>
          {t('noticeTitle')}
        </button>
      </div>
    );
  }

  return (
    <div class={blurred ? 'veil blurred' : 'veil'}>
      <section class="card" role="note" aria-label={t('noticeAria')} lang={match.lang} onClick={(e) => e.stopPropagation()}>
        <p class="kicker">
          <span class="mark" aria-hidden="true">
            ✓
          </span>
          {t('noticeTitle')} · <span class={`label label-${match.label}`}>{t(LABEL_KEYS[match.label])}</span>
        </p>
        {contextText && (
          <p class="context">
            <span class="muted">{t('noticeOriginalContext')} </span>
            {contextText}
          </p>
        )}
        {!contextText && match.headline && <p class="context">{match.headline}</p>}
        <p class="source">
          {t('noticeFactCheckBy', match.publisherName, formatDate(match.datePublished) ?? '')}
          {' · '}
          <span class="muted">“{match.rating}”</span>
        </p>
        <div class="actions">
          {link && (
            <a class="primary" href={link} target="_blank" rel="noopener noreferrer">
              {t('noticeReadFactCheck')}
            </a>
          )}
          {mode === 'blur' && (
            <button type="button" onClick={byReader(() => onReveal(!revealed))}>
              {revealed ? t('noticeHideAgain') : t('noticeShowAnyway')}
            </button>
          )}
          <button type="button" aria-expanded={details} onClick={byReader(() => setDetails(!details))}>
            {t('noticeWhy')}
          </button>
          {onWrongMatch && (
            <button type="button" class="wrong-match" aria-haspopup="dialog" onClick={byReader((e: MouseEvent) => onWrongMatch(e.currentTarget as HTMLElement))}>
              {t('noticeWrongMatch')}
            </button>
          )}
          {compact && (
            <button type="button" onClick={byReader(() => setExpanded(false))}>
              {t('noticeCollapse')}
            </button>
          )}
        </div>
        {details && (
          <div class="details">
            <p>{t('noticeWhyText', match.feedName, match.entryId, String(similarity), String(match.distance), match.variant)}</p>
            {thanked ? (
              <p role="status">{t('noticeCorrectUseThanks')}</p>
            ) : (
              <button
                type="button"
                onClick={byReader(() => {
                  setThanked(true);
                  onCorrectUse();
                })}
              >
                {t('noticeCorrectUse')}
              </button>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
