/**
 * The notice's details panel: a host outside X's React tree (on <html>, like the report dialog),
 * with its own shadow root, placed beside or over the post (./place.ts) — never inside the
 * picture's bounds, so nothing in it is clipped by the media box. One panel at a time.
 * Keyboard: focus moves into the panel (a dialog, so screen readers say what opened), Escape or
 * Close shuts it, and focus returns to the control that opened it; a press outside closes it too.
 * It follows the media while the page scrolls and closes when the media leaves the page.
 */
import { h, render } from 'preact';
import { textDirection } from '../../shared/i18n';
import { postElementOf } from '../../shared/x';
import { isolateEvents } from '../isolate';
import { dialogKeys } from '../keyboard';
import { HOST_ATTR, currentTheme } from '../theme';
import css from './notice.css?inline';
import { NoticeDetails, type DetailsProps } from './Notice';
import { placePanel } from './place';

export const PANEL_ATTR_VALUE = 'notice-panel';

export interface OpenPanel {
  box: HTMLElement;
  update(props: Omit<DetailsProps, 'onClose'>): void;
  close(): void;
}

let current: OpenPanel | null = null;

export function currentPanel(): OpenPanel | null {
  return current;
}

export function openPanel(box: HTMLElement, props: Omit<DetailsProps, 'onClose'>, opener: HTMLElement | null, onClosed: () => void): OpenPanel {
  current?.close();
  const doc = box.ownerDocument;
  const win = doc.defaultView!;
  const host = doc.createElement('div');
  host.setAttribute(HOST_ATTR, PANEL_ATTR_VALUE);
  host.dataset['theme'] = currentTheme(doc);
  Object.assign(host.style, { position: 'fixed', zIndex: '2147483646', left: '0px', top: '0px', visibility: 'hidden' });
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const app = doc.createElement('div');
  app.dir = textDirection();
  root.append(style, app);
  isolateEvents(host);

  let frame = 0;
  const place = () => {
    frame = 0;
    if (!box.isConnected) return close();
    const panel = root.querySelector<HTMLElement>('.panel');
    if (!panel) return;
    const post = postElementOf(box)?.getBoundingClientRect() ?? null;
    const media = box.getBoundingClientRect();
    const view = { width: win.innerWidth, height: win.innerHeight };
    // The width does not depend on the height: set it first, then measure the height at that width
    // (borders included, and whole even where a maximum height cut it earlier).
    host.style.width = `${placePanel(media, post, view, 0).width}px`;
    const natural = panel.scrollHeight + panel.offsetHeight - panel.clientHeight;
    const p = placePanel(media, post, view, natural);
    Object.assign(host.style, { left: `${p.left}px`, top: `${p.top}px`, width: `${p.width}px`, visibility: 'visible' });
    host.dataset['placement'] = p.kind;
    panel.style.maxHeight = `${p.maxHeight}px`;
  };
  const schedule = () => {
    if (!frame) frame = win.requestAnimationFrame(place);
  };
  const outside = (e: Event) => {
    const path = e.composedPath();
    if (!path.includes(host) && !(opener && path.includes(opener))) close();
  };

  // Its content may change size (a button becomes a thank-you, late layout): place it again then.
  const resized = new win.ResizeObserver(() => schedule());

  function close() {
    if (!host.isConnected) return;
    resized.disconnect();
    if (frame) win.cancelAnimationFrame(frame);
    win.removeEventListener('scroll', schedule, true);
    win.removeEventListener('resize', schedule);
    doc.removeEventListener('pointerdown', outside, true);
    render(null, app);
    host.remove();
    if (current === handle) current = null;
    onClosed();
    if (opener?.isConnected) opener.focus();
  }

  const draw = (next: Omit<DetailsProps, 'onClose'>) => render(h(NoticeDetails, { ...next, onClose: close }), app);
  const handle: OpenPanel = {
    box,
    update(next) {
      draw(next);
      schedule();
    },
    close,
  };
  root.addEventListener('keydown', dialogKeys(root, 'a[href], button:not([disabled])', close));
  win.addEventListener('scroll', schedule, { capture: true, passive: true });
  win.addEventListener('resize', schedule, { passive: true });
  doc.addEventListener('pointerdown', outside, true);
  doc.documentElement.append(host);
  draw(props);
  place();
  const panel = root.querySelector<HTMLElement>('.panel');
  if (panel) {
    resized.observe(panel);
    panel.tabIndex = -1;
    panel.focus();
  }
  current = handle;
  return handle;
}
