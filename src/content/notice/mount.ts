/**
 * Puts a notice on a media box: a host element with an open shadow root, absolutely positioned
 * over the box so X's layout does not move, re-attached if X re-renders the box. The theme follows
 * the page (../theme.ts, live), the direction the reader's language. Its Details control opens the
 * details panel (./panel.ts) beside the post.
 */
import { h, render } from 'preact';
import { textDirection } from '../../shared/i18n';
import { isolateEvents } from '../isolate';
import css from './notice.css?inline';
import { Notice, type NoticeProps } from './Notice';
import { currentPanel, openPanel } from './panel';
import { HOST_ATTR, currentTheme } from '../theme';

export const NOTICE_ATTR = HOST_ATTR;

/** What the caller gives: the notice's props without the panel wiring, which is the mount's. */
export type NoticeInput = Omit<NoticeProps, 'onDetails' | 'detailsOpen'>;

export interface MountedNotice {
  host: HTMLElement;
  update(props: NoticeInput): void;
  unmount(): void;
}

/**
 * @param layout what the caller already read of the box (so that a batch of mounts reads the page
 *   once, before writing): whether it is positioned (else it is made relative, to hold the notice).
 */
export function mountNotice(box: HTMLElement, input: NoticeInput, layout?: { positioned: boolean }): MountedNotice {
  const host = box.ownerDocument.createElement('div');
  host.setAttribute(NOTICE_ATTR, 'notice');
  host.dataset['theme'] = currentTheme(box.ownerDocument);
  const root = host.attachShadow({ mode: 'open' });
  const style = box.ownerDocument.createElement('style');
  style.textContent = css;
  const app = box.ownerDocument.createElement('div');
  // The notice's text is in the reader's language: its direction follows that language (Arabic is
  // right-to-left even on a left-to-right page, and the reader may have chosen it in the options).
  app.dir = textDirection();
  root.append(style, app);
  // Clicks inside the notice must not reach X's handlers (which would open the photo viewer).
  isolateEvents(host, ['click', 'pointerdown', 'mousedown', 'keydown']);
  // Media boxes sit inside X's links (a photo opens the viewer): a press on the notice must not follow
  // them. Only the notice's own link (the fact-check) keeps its default action.
  // (Caught on the way down, before the notice's own handlers stop the event.)
  root.addEventListener(
    'click',
    (e) => {
      if (!e.composedPath().some((n) => n instanceof HTMLAnchorElement && root.contains(n))) e.preventDefault();
    },
    true,
  );
  if (!(layout?.positioned ?? getComputedStyle(box).position !== 'static')) box.style.position = 'relative';
  box.append(host);

  let props = input;
  let open = false;
  let opener: HTMLElement | null = null;
  const panelOf = () => {
    const p = currentPanel();
    return open && p?.box === box ? p : null;
  };
  const details = (p: NoticeInput) => ({
    match: p.match,
    mode: p.mode,
    revealed: p.revealed,
    onReveal: p.onReveal,
    onCorrectUse: p.onCorrectUse,
    // The report dialog replaces the panel; closing the dialog gives focus back to Details.
    onWrongMatch:
      p.onWrongMatch &&
      (() => {
        panelOf()?.close();
        p.onWrongMatch!(opener ?? host);
      }),
  });
  const draw = () =>
    render(
      h(Notice, {
        ...props,
        detailsOpen: open,
        onDetails: (from: HTMLElement) => {
          // Already open (a second press, or a touch screen's extra click): keep it, do not toggle.
          if (panelOf()) return;
          open = true;
          opener = from;
          draw();
          openPanel(box, details(props), from, () => {
            open = false;
            if (host.isConnected) draw();
          });
        },
      }),
      app,
    );
  draw();
  return {
    host,
    update(next) {
      props = next;
      host.dataset['theme'] = currentTheme(box.ownerDocument);
      if (!host.isConnected) box.append(host);
      draw();
      panelOf()?.update(details(next));
    },
    unmount() {
      panelOf()?.close();
      render(null, app);
      host.remove();
    },
  };
}
