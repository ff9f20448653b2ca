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
