/** How the pages and the dialog name report reasons (message keys, one place). */
import type { ReportReason } from '../core/report';
import type { MessageKey } from './i18n';

export const REASON_KEYS: Record<ReportReason, MessageKey> = {
  'recycled-out-of-context': 'reasonRecycled',
  'edited-or-fabricated': 'reasonEdited',
  'ai-generated': 'reasonAiGenerated',
  'not-the-same-media': 'reasonNotSameMedia',
  other: 'reasonOther',
};
