/**
 * The "Report to fact-checkers" control in a post's action bar: one more item after X's own
 * (reply, repost, like, views, bookmark, share), the same height, an icon with an accessible name
 * and a tooltip. In its own shadow root; its clicks do not reach X (which would open the post).
 */
import { h, render } from 'preact';
import { t } from '../../shared/i18n';
import { isolateEvents } from '../isolate';
import { HOST_ATTR, type Theme } from '../theme';

export const CONTROL_ATTR_VALUE = 'report-control';

const CSS = `
/* (Almost) no height of its own — 1 px: whatever the height of X's action bar, adding the control must not change
   it (a taller bar grows the post, and X then moves every post below: a layout shift, and long
   rendering tasks on every insertion). The button is centred on the bar's middle line. */
:host { all: initial; display: block; position: relative; align-self: center; inline-size: 2.125rem; block-size: 1px; }
button {
  position: absolute; inset-block-start: 50%; inset-inline-start: 0; transform: translateY(-50%);
  display: inline-flex; align-items: center; justify-content: center; inline-size: 2.125rem; block-size: 2.125rem;
  padding: 0; border: 0; border-radius: 999px; background: transparent; color: var(--fg, #536471); cursor: pointer;
}
:host([data-theme='dark']) button, :host([data-theme='dim']) button { --fg: #8b98a5; }
button:hover { background: rgba(29, 78, 216, 0.1); color: #1d4ed8; }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 1px; }
svg { inline-size: 1.25rem; block-size: 1.25rem; fill: currentColor; }
`;

function Control({ onOpen }: { onOpen: (opener: HTMLElement) => void }) {
  const label = t('reportControl');
  return h(
    'button',
    { type: 'button', 'aria-label': label, title: label, 'aria-haspopup': 'dialog', onClick: (e: MouseEvent) => e.isTrusted && onOpen(e.currentTarget as HTMLElement) },
    // A flag: "raise this with the fact-checkers".
    h('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, h('path', { d: 'M6 3h2v1h5l1 2h6v10h-6l-1-2H8v7H6V3Zm2 3v6h6.2l1 2H18V8h-5.2l-1-2H8Z' })),
  );
}

/** Adds the control to an action bar (once: a second call finds the first). */
export function addControl(bar: HTMLElement, theme: Theme, onOpen: (opener: HTMLElement) => void): HTMLElement {
  const existing = bar.querySelector<HTMLElement>(`:scope > [${HOST_ATTR}="${CONTROL_ATTR_VALUE}"]`);
  if (existing) return existing;
  const host = bar.ownerDocument.createElement('div');
  host.setAttribute(HOST_ATTR, CONTROL_ATTR_VALUE);
  host.dataset['theme'] = theme;
  const root = host.attachShadow({ mode: 'open' });
  const style = bar.ownerDocument.createElement('style');
  style.textContent = CSS;
  const app = bar.ownerDocument.createElement('div');
  app.style.display = 'contents';
  root.append(style, app);
  isolateEvents(host);
  bar.append(host);
  render(h(Control, { onOpen }), app);
  return host;
}

export function removeControl(bar: HTMLElement): void {
  const host = bar.querySelector<HTMLElement>(`:scope > [${HOST_ATTR}="${CONTROL_ATTR_VALUE}"]`);
  if (!host?.shadowRoot) return;
  render(null, host.shadowRoot.lastElementChild as HTMLElement);
  host.remove();
}
