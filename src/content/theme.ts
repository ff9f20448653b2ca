/**
 * X's theme, read from the page and followed live. X sets the theme as the body's background
 * colour (light: white; "Lights out": black or near-black; "Dim", removed by X in 2026 but
 * re-created by popular extensions: dark blue-grey) and switches it without a reload when the
 * reader changes the display setting. We read the computed colour's luminance rather than exact
 * values, and put the result on each of our shadow hosts (`data-theme`), whose CSS does the rest.
 */
import type { ContentScriptContext } from './context';

export type Theme = 'light' | 'dim' | 'dark';

/** Marks every element we put into X's page (its value says which kind). */
export const HOST_ATTR = 'data-already-debunked';

export function pageTheme(doc: Document = document): Theme {
  const m = /rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?/.exec(getComputedStyle(doc.body).backgroundColor);
  if (!m || m[4] === '0') return 'light'; // transparent: the browser's default white
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => Number(x) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  if (luminance >= 0.5) return 'light';
  return Math.max(r, g, b) < 0.08 ? 'dark' : 'dim';
}

/** The theme as last read by followTheme (null: not following), so hosts need no style read each. */
let followed: Theme | null = null;

/** The page's theme for a new host: the followed value, or a fresh read when not following. */
export function currentTheme(doc: Document = document): Theme {
  return followed ?? pageTheme(doc);
}

/**
 * Keeps `data-theme` on all our hosts in step with the page: watches the body's style and class and
 * the theme-color meta tag, which are what X changes on a theme switch. Returns a stop function.
 */
export function followTheme(doc: Document = document, ctx?: ContentScriptContext): () => void {
  followed = pageTheme(doc);
  const apply = () => {
    const next = pageTheme(doc);
    if (next === followed) return;
    followed = next;
    for (const host of doc.querySelectorAll<HTMLElement>(`[${HOST_ATTR}]`)) host.dataset['theme'] = next;
  };
  const observer = new MutationObserver(ctx ? ctx.guard(apply) : apply);
  observer.observe(doc.body, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(doc.head, { subtree: true, attributes: true, attributeFilter: ['content'], childList: true });
  const stop = () => {
    observer.disconnect();
    followed = null;
  };
  ctx?.onInvalidated(stop);
  return stop;
}
