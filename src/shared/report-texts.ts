/** How the pages, the dialog and the notice name report reasons and verdicts (message keys, one place). */
import type { ReportReason } from '../core/report';
import type { MessageKey } from './i18n';
import type { VerdictLabel } from './messages';

export const REASON_KEYS: Record<ReportReason, MessageKey> = {
  'recycled-out-of-context': 'reasonRecycled',
  'edited-or-fabricated': 'reasonEdited',
  'ai-generated': 'reasonAiGenerated',
  'not-the-same-media': 'reasonNotSameMedia',
  other: 'reasonOther',
};

/** How the notice, the details panel and the popup's history name a verdict (message keys). */
export const VERDICT_KEYS: Record<VerdictLabel, MessageKey> = {
  'missing-context': 'verdictMissingContext',
  altered: 'verdictAltered',
  staged: 'verdictStaged',
  false: 'verdictFalse',
  misleading: 'verdictMisleading',
  satire: 'verdictSatire',
  unproven: 'verdictUnproven',
  accurate: 'verdictAccurate',
};
