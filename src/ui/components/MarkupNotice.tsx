import type { MarkupDiagnostic } from '../../shared/messages';
import { t } from '../../shared/i18n';

/**
 * Diagnostics: X changed its markup and a part of src/shared/x.ts stopped recognising it (shown for
 * a week, until an update). A small muted line — notices may be missing, nothing for the reader to
 * do — with the details for a maintainer in its title and data attributes.
 */
export function MarkupNotice({ diagnostic }: { diagnostic: MarkupDiagnostic | null }) {
  if (!diagnostic) return null;
  const when = new Date(diagnostic.at).toLocaleString();
  const counts = Object.entries(diagnostic.sample)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return (
    <section class="diagnostics" data-testid="diagnostics" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">{t('diagnosticsHeading')}</h2>
      <p class="muted" data-testid="markup-diagnostic" data-silent={diagnostic.silent.join(' ')} title={`${diagnostic.silent.join(', ')} — ${counts}`}>
        {t('diagnosticsMarkup', diagnostic.silent.join(', '), when)}
      </p>
    </section>
  );
}
