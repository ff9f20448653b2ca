/**
 * The notice on a matched media item, and its details panel. It speaks about the media and where it
 * really comes from — most recycled media is authentic, shown out of context — and never calls the
 * post fake. Every text from the feed is rendered as text (Preact escapes it); the one link is the
 * fact-check, and only if it is https.
 *
 * On the media: the compact form only (the mark, the verdict, the origin in one line, the
 * fact-check link, Show anyway, Details), so it fits any box it is laid on; small media get a
 * label. Everything else (why it matched, which feed, how alike, "uses it correctly", "Wrong
 * match?") is in the details panel (./panel.ts), which opens beside or over the post, never inside
 * the picture's bounds.
 */
import { useState } from 'preact/hooks';
import type { MatchView } from '../../shared/messages';
import { t } from '../../shared/i18n';
import { VERDICT_KEYS } from '../../shared/report-texts';
import { originLine } from './origin';

export type NoticeMode = 'blur' | 'banner';

const LABEL_KEYS = VERDICT_KEYS;

/**
 * Text from a feed (or the page) as it is shown: bidi embedding, override and isolate controls
 * removed, so a string cannot reorder what follows it (a publisher name that reads backwards, a
 * "date" that flips the sentence); Preact then renders it as text, never as HTML.
 */
export function plainText<T extends string | null | undefined>(s: T): T {
  return (s == null ? s : s.replace(/[\u202A-\u202E\u2066-\u2069]/g, '')) as T;
}

/** The match with every feed text made plain (above). */
export function plainMatch(raw: MatchView): MatchView {
  return {
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
}

/**
 * Only the reader's own input acts on the notice: a click or key the page scripted (untrusted
 * event) does nothing, so a hostile page cannot reveal media or dismiss a notice for the reader.
 */
export function byReader<E extends Event>(fn: (e: E) => void): (e: E) => void {
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

export function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/**
 * The notice's mark: an "i" in a circle, the sign for "context / information" that X's Community
 * Notes ("Readers added context") and Meta's fact-check overlays ("Missing context") lead readers
 * to expect — not a check mark, which reads as "verified, fine". Drawn, so no font changes it.
 */
export function Mark() {
  return (
    <svg class="mark" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="9" fill="currentColor" />
      <circle cx="10" cy="5.6" r="1.5" fill="var(--bg-solid)" />
      <rect x="8.6" y="8.4" width="2.8" height="7" rx="1" fill="var(--bg-solid)" />
    </svg>
  );
}

export interface NoticeActions {
  revealed: boolean;
  onReveal: (revealed: boolean) => void;
  onCorrectUse: () => void;
  /** "Wrong match?": the reader says this notice is on the wrong media (opens the report dialog). */
  onWrongMatch?: (opener: HTMLElement) => void;
}

export interface NoticeProps extends NoticeActions {
  match: MatchView;
  mode: NoticeMode;
  /** Small media (card thumbnails, grid tiles, short boxes): a label that opens the details panel. */
  compact: boolean;
  /** Opens the details panel next to the post; `opener` gets focus back when it closes. */
  onDetails: (opener: HTMLElement) => void;
  /** The panel is open (the opener says so to screen readers). */
  detailsOpen?: boolean;
}

function Heading({ match }: { match: MatchView }) {
  return (
    <p class="kicker">
      <Mark />
      <span>{t('noticeTitle')}</span>
      <span aria-hidden="true">·</span>
      <span class={`label label-${match.label}`}>{t(LABEL_KEYS[match.label])}</span>
    </p>
  );
}

function origin(match: MatchView): string | null {
  return originLine(match.originalContext, formatDate) ?? (match.headline || null);
}

/** "Where it comes from: …", on the card (one line, the whole text as its title) and in the panel. */
function Origin({ line, oneLine }: { line: string | null; oneLine: boolean }) {
  if (!line) return null;
  return (
    <p class="context" title={oneLine ? line : undefined}>
      <span class="muted">{t('noticeOriginalContext')} </span>
      {line}
    </p>
  );
}

/** The fact-check link (https only) and, when the media is blurred, Show anyway / Blur again. */
function MainActions({ link, mode, revealed, onReveal }: { link: string | null; mode: NoticeMode; revealed: boolean; onReveal: (r: boolean) => void }) {
  return (
    <>
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
    </>
  );
}

export function Notice(props: NoticeProps) {
  const match = plainMatch(props.match);
  const { mode, compact, revealed, onReveal, onDetails, detailsOpen = false } = props;
  const link = safeHttpsUrl(match.factCheckUrl);
  const line = origin(match);
  const blurred = mode === 'blur' && !revealed;
  const openDetails = byReader((e: MouseEvent) => {
    e.stopPropagation();
    onDetails(e.currentTarget as HTMLElement);
  });

  if (compact) {
    return (
      <div class={blurred ? 'veil blurred compact' : 'veil compact'}>
        <button type="button" class="badge" aria-haspopup="dialog" aria-expanded={detailsOpen} aria-label={`${t('noticeTitle')}: ${t(LABEL_KEYS[match.label])}. ${t('noticeDetails')}`} onClick={openDetails}>
          <Mark />
          <span class="badge-text">{t(LABEL_KEYS[match.label])}</span>
        </button>
      </div>
    );
  }

  return (
    <div class={blurred ? 'veil blurred' : 'veil'}>
      <section class="card" role="note" aria-label={t('noticeAria')} lang={match.lang} onClick={(e) => e.stopPropagation()}>
        <Heading match={match} />
        <Origin line={line} oneLine />
        <div class="actions">
          <MainActions link={link} mode={mode} revealed={revealed} onReveal={onReveal} />
          <button type="button" class="open-details" aria-haspopup="dialog" aria-expanded={detailsOpen} onClick={openDetails}>
            {t('noticeDetails')}
          </button>
        </div>
      </section>
    </div>
  );
}

export interface DetailsProps extends NoticeActions {
  match: MatchView;
  mode: NoticeMode;
  onClose: () => void;
}

/** The details panel's content (mounted by ./panel.ts). */
export function NoticeDetails(props: DetailsProps) {
  const match = plainMatch(props.match);
  const { mode, revealed, onReveal, onCorrectUse, onWrongMatch, onClose } = props;
  const [thanked, setThanked] = useState(false);
  const link = safeHttpsUrl(match.factCheckUrl);
  const line = origin(match);
  const similarity = Math.round((100 * (256 - match.distance)) / 256);
  return (
    <div class="panel" role="dialog" aria-modal="false" aria-labelledby="ad-panel-title" lang={match.lang}>
      <div class="panel-head">
        <h2 id="ad-panel-title">
          <Mark />
          <span>{t('noticeTitle')}</span>
        </h2>
        <button type="button" class="close" aria-label={t('noticeCloseDetails')} onClick={byReader(onClose)}>
          ×
        </button>
      </div>
      <p class={`label label-${match.label}`}>{t(LABEL_KEYS[match.label])}</p>
      <Origin line={line} oneLine={false} />
      {match.claim && (
        <p class="claim">
          <span class="muted">{t('noticeClaim')} </span>“{plainText(match.claim)}”
        </p>
      )}
      <p class="source">
        {t('noticeFactCheckBy', match.publisherName, formatDate(match.datePublished) ?? '')}
        {' · '}
        <span class="muted">“{match.rating}”</span>
      </p>
      <div class="actions">
        <MainActions link={link} mode={mode} revealed={revealed} onReveal={onReveal} />
      </div>
      <h3>{t('noticeWhy')}</h3>
      <p class="why">{t('noticeWhyText', match.feedName, match.entryId, String(similarity), String(match.distance), match.variant)}</p>
      <div class="actions">
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
        {onWrongMatch && (
          <button type="button" class="wrong-match" aria-haspopup="dialog" onClick={byReader((e: MouseEvent) => onWrongMatch(e.currentTarget as HTMLElement))}>
            {t('noticeWrongMatch')}
          </button>
        )}
      </div>
    </div>
  );
}
