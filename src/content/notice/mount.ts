/**
 * Puts a notice on a media box: a host element with an open shadow root, absolutely positioned
 * over the box so X's layout does not move, re-attached if X re-renders the box. The theme follows
 * the page (../theme.ts, live), the direction the reader's language.
 */
import { h, render } from 'preact';
import { textDirection } from '../../shared/i18n';
import { isolateEvents } from '../isolate';
import css from './notice.css?inline';
import { Notice, type NoticeProps } from './Notice';
import { HOST_ATTR, currentTheme } from '../theme';

export const NOTICE_ATTR = HOST_ATTR;

export interface MountedNotice {
  host: HTMLElement;
  update(props: NoticeProps): void;
  unmount(): void;
}

export function mountNotice(box: HTMLElement, props: NoticeProps): MountedNotice {
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
  if (getComputedStyle(box).position === 'static') box.style.position = 'relative';
  box.append(host);
  render(h(Notice, props), app);
  return {
    host,
    update(next) {
      host.dataset['theme'] = currentTheme(box.ownerDocument);
      if (!host.isConnected) box.append(host);
      render(h(Notice, next), app);
    },
    unmount() {
      render(null, app);
      host.remove();
    },
  };
}
