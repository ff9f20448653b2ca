/**
 * Reporting on X pages: the control in the action bar of every post with media (not on posts that
 * carry a notice: there the notice offers "Wrong match?"), the notice's "Wrong match?", and the
 * context menu entry on pictures and videos (the background asks, bg/open-report).
 */
import type { MatchView } from '../../shared/messages';
import { listenToBackground } from '../../shared/messaging';
import { actionBarOf, mediaItemAt, mediaItemBySrc, postElementOf, reportSubject, type FoundMedia } from '../../shared/x';
import type { ContentScriptContext } from '../context';
import { currentTheme } from '../theme';
import { addControl, removeControl } from './control';
import { openReport } from './open';

export interface Reporting {
  /** A media item came near the viewport: its post gets the control (unless it has a notice). */
  visible(item: FoundMedia): void;
  /** A notice went on this media item: its post has "Wrong match?" instead of the control. */
  noticed(item: FoundMedia, match: MatchView): void;
  /** The notice's "Wrong match?" for this item. */
  wrongMatch(item: FoundMedia, match: MatchView): (opener: HTMLElement) => void;
}

export function startReporting(ctx: ContentScriptContext, doc: Document = document): Reporting {
  /** Media boxes with a notice, and its match (a right-click there reports the match). */
  const matched = new WeakMap<Element, MatchView>();
  const noticedPosts = new WeakSet<Element>();
  let rightClicked: Element | null = null;

  const tip = (el: Element, media: FoundMedia[] | null, opener: HTMLElement | null) => {
    const subject = reportSubject(el);
    if (!subject) return false;
    void openReport(ctx, 'tip', subject, media ?? subject.media, null, opener, currentTheme(doc));
    return true;
  };
  const wrong = (item: FoundMedia, match: MatchView, opener: HTMLElement | null) => {
    const subject = reportSubject(item.box);
    if (!subject) return false;
    void openReport(ctx, 'wrong-match', subject, [item], match, opener, currentTheme(doc));
    return true;
  };

  // Where the reader right-clicked: the context menu click arrives later, from the background.
  ctx.addEventListener(doc, 'contextmenu', (e) => (rightClicked = e.composedPath()[0] instanceof Element ? (e.composedPath()[0] as Element) : null), { capture: true });
  listenToBackground(
    {
      async 'bg/open-report'({ srcUrl }) {
        const item = (rightClicked && mediaItemAt(rightClicked)) ?? (srcUrl ? mediaItemBySrc(doc, srcUrl) : null);
        if (!item) return { opened: false };
        const match = matched.get(item.box);
        return { opened: match ? wrong(item, match, null) : tip(item.box, [item], null) };
      },
    },
    { 'bg/open-report': (p): p is { srcUrl: string | null } => typeof p === 'object' && p !== null && (typeof (p as { srcUrl?: unknown }).srcUrl === 'string' || (p as { srcUrl?: unknown }).srcUrl === null) },
    ctx.signal,
  );

  return {
    visible(item) {
      const post = postElementOf(item.box);
      const bar = post && actionBarOf(post);
      if (!bar || noticedPosts.has(post)) return;
      addControl(bar, currentTheme(doc), (opener) => tip(bar, null, opener));
    },
    noticed(item, match) {
      matched.set(item.box, match);
      const post = postElementOf(item.box);
      if (!post) return;
      noticedPosts.add(post);
      const bar = actionBarOf(post);
      if (bar) removeControl(bar);
    },
    wrongMatch: (item, match) => (opener) => void wrong(item, match, opener),
  };
}
