/**
 * From something the reader pointed at (the action bar control, a notice's "Wrong match?", a
 * picture's context menu) to the open dialog: read the post from the page (X module), have the
 * background prepare the draft (media hashes, an id, where it can go), show it.
 */
import { REPORT_LIMITS, type ReportKind } from '../../core/report';
import type { MatchView } from '../../shared/messages';
import { ContextInvalidatedError, type ContentScriptContext } from '../context';
import type { FoundMedia, ReportSubject } from '../../shared/x';
import { openDialog } from './mount';
import type { Theme } from '../theme';

export async function openReport(
  ctx: ContentScriptContext,
  kind: ReportKind,
  subject: ReportSubject,
  media: FoundMedia[],
  match: MatchView | null,
  opener: HTMLElement | null,
  theme: Theme,
): Promise<void> {
  const common = {
    onOpenSettings: () => void ctx.send('cs/open-options', {}).catch(() => undefined),
    onSubmit: async () => {
      throw new Error('not ready');
    },
  };
  let prepared;
  try {
    prepared = await ctx.send('cs/prepare-report', {
      kind,
      post: { author: subject.author, postId: subject.id, text: subject.text?.slice(0, REPORT_LIMITS.maxPostText) ?? null, lang: subject.lang },
      media: media.slice(0, REPORT_LIMITS.maxMedia).map((m) => ({ type: m.kind, url: m.url, quoted: m.quoted })),
      match: match ? { feedUrl: match.feedUrl, entryId: match.entryId, distance: match.distance, variant: match.variant } : null,
    });
  } catch (e) {
    if (e instanceof ContextInvalidatedError) return; // the extension is gone: nothing to open
    openDialog({ ...common, prepared: null, problem: e instanceof Error ? e.message : String(e) }, opener, theme);
    return;
  }
  const draft = prepared.draft;
  openDialog(
    {
      ...common,
      prepared,
      problem: null,
      onSubmit: (choices) => ctx.send('cs/submit-report', { draft, choices }),
    },
    opener,
    theme,
  );
}
