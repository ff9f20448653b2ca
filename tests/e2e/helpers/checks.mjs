// Checks shared by the Chromium and Firefox end-to-end tests.
import { HANDSHAKE_ATTR } from './browsers.mjs';

/** Waits for the content script's handshake record (test builds write it on <html>) and parses it. */
export async function readHandshake(page, timeout = 15_000) {
  return JSON.parse(await poll(page, (attr) => document.documentElement.getAttribute(attr), HANDSHAKE_ATTR, timeout));
}

/**
 * Evaluates fn(arg) in the page until it returns something truthy (return plain values, not DOM
 * nodes: Puppeteer cannot serialise a node and answers undefined). Written on page.evaluate alone,
 * whose signature Playwright and Puppeteer share (their waitForFunction signatures differ).
 */
export async function poll(page, fn, arg, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${fn.toString().slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs inside an extension page (serialised by the driver): sends the background a set of bad and
 * good messages and returns the raw replies.
 */
export async function protocolProbe() {
  const api = globalThis.browser ?? globalThis.chrome;
  const send = (m) => api.runtime.sendMessage(m);
  return {
    unknown: await send({ type: 'ui/does-not-exist', payload: {} }),
    notAnObject: await send('hello'),
    badPayload: await send({ type: 'ui/set-enabled', payload: { enabled: 'yes' } }),
    fromWrongSender: await send({ type: 'cs/hello', payload: { protocol: 1, page: 'https://x.com/home' } }),
    good: await send({ type: 'ui/get-status', payload: {} }),
  };
}

/** Polls the background (from an extension page) until the first feed's status satisfies `until`. */
export async function feedStatus(page, until, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    const reply = await page.evaluate(() => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: 'ui/get-status', payload: {} }));
    last = reply?.value?.feeds?.[0];
    if (last && until(last)) return last;
    if (Date.now() > deadline) throw new Error(`feed status never matched; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * What the content script's scanner holds (test builds answer the 'already-debunked:e2e-sizes'
 * event on <html>), and where the check of `ask` (a media URL) stands, if given.
 */
export async function scannerState(page, ask = null) {
  return page.evaluate((url) => {
    const html = document.documentElement;
    if (url) html.setAttribute('data-already-debunked-e2e-ask', url);
    else html.removeAttribute('data-already-debunked-e2e-ask');
    document.dispatchEvent(new Event('already-debunked:e2e-sizes'));
    const raw = html.getAttribute('data-already-debunked-scanner');
    return raw ? JSON.parse(raw) : null;
  }, ask);
}

/**
 * Waits until the content script has an answer for every media item near the viewport and nothing
 * is queued or in flight (after two frames, so that the scanner has seen the latest changes): the
 * state in which "nothing more comes" without waiting for time.
 */
export async function scannerIdle(page, { timeout = 90_000, requireNear = true } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await page.evaluate(
      () =>
        new Promise((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              document.dispatchEvent(new Event('already-debunked:e2e-sizes'));
              const raw = document.documentElement.getAttribute('data-already-debunked-scanner');
              resolve(raw ? JSON.parse(raw) : null);
            }),
          ),
        ),
    );
    if (s && (s.near > 0 || !requireNear) && s.unanswered === 0 && s.queue === 0 && s.inFlight === 0) return s;
    if (Date.now() > deadline) throw new Error(`the content script was still busy after ${timeout} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the check of this media URL has an answer ('matched' or 'unmatched') and returns it. */
export async function checkedAs(page, mediaUrl, timeout = 90_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await scannerState(page, mediaUrl);
    if (s?.asked === 'matched' || s?.asked === 'unmatched') return s.asked;
    if (Date.now() > deadline) throw new Error(`${mediaUrl} was never answered; last state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The text a notice shows (its shadow root's rendered content, not its stylesheet), once rendered:
 * waits for the state rather than reading too early.
 */
export async function noticeText(locator, pattern, timeout = 15_000) {
  await locator.waitFor({ state: 'attached', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await locator.evaluate((h) => [...(h.shadowRoot?.children ?? [])].filter((c) => c.tagName !== 'STYLE').map((c) => c.textContent).join(' '));
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Scrolls a long page as a reader does, step by step, and waits at each step until what came near
 * the viewport has been checked (on a loaded machine a fixed pause lets media scroll past unchecked).
 * Calls `each(y)` after each step.
 */
export async function scrollChecked(page, stepPx, each = async () => {}) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += stepPx) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await each(y);
    await scannerIdle(page, { requireNear: false }); // (a stretch of text-only posts has no media near)
  }
}
