/**
 * Opens the report dialog over the page: a host outside X's React tree with a CLOSED shadow root
 * (the page can neither read what the reader types nor press Send: Send also needs a trusted
 * event), so only this content script, through runtime messaging, talks to the background. Test
 * builds open the root so that the end-to-end tests can read the dialog like a reader does.
 * Focus moves into the dialog, stays there (Tab wraps), Escape closes, and focus returns to the
 * control that opened it.
 */
import { h, render } from 'preact';
import { IS_TEST_BUILD } from '../../shared/build';
import { textDirection } from '../../shared/i18n';
import { isolateEvents } from '../isolate';
import { dialogKeys } from '../keyboard';
import { HOST_ATTR, type Theme } from '../theme';
import css from './dialog.css?inline';
import { ReportDialog, type DialogProps } from './Dialog';

export const DIALOG_ATTR_VALUE = 'report-dialog';
const SHADOW_MODE: ShadowRootMode = IS_TEST_BUILD ? 'open' : 'closed';

let current: { close: () => void } | null = null;

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select, textarea, pre[tabindex], a[href]';

export function openDialog(props: Omit<DialogProps, 'onClose'>, opener: HTMLElement | null, theme: Theme): { close: () => void } {
  current?.close();
  const doc = document;
  const host = doc.createElement('div');
  host.setAttribute(HOST_ATTR, DIALOG_ATTR_VALUE);
  host.dataset['theme'] = theme;
  const root = host.attachShadow({ mode: SHADOW_MODE });
  const style = doc.createElement('style');
  style.textContent = css;
  const app = doc.createElement('div');
  app.dir = textDirection();
  root.append(style, app);
  isolateEvents(host);

  const close = () => {
    if (!host.isConnected) return;
    render(null, app);
    host.remove();
    if (current?.close === close) current = null;
    if (opener?.isConnected) opener.focus();
  };
  root.addEventListener('keydown', dialogKeys(root, FOCUSABLE, close));
  // Outside X's React root, on top of everything.
  doc.documentElement.append(host);
  render(h(ReportDialog, { ...props, onClose: close }), app);
  root.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  current = { close };
  return current;
}
