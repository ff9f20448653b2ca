// The notice's details panel, checked the way a keyboard-only reader meets it. Written on
// page.evaluate and page.keyboard alone, which Playwright (Chromium) and Puppeteer (Firefox) share.
import assert from 'node:assert/strict';
import { poll } from './checks.mjs';
import { seriousViolations } from './axe.mjs';

export const PANEL = '[data-already-debunked="notice-panel"]';

/** Where keyboard focus is: the innermost focused element's text and class, through shadow roots. */
function focused() {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  const host = el?.getRootNode()?.host;
  return el ? { text: el.textContent.trim(), cls: el.getAttribute('class') ?? '', host: host?.getAttribute('data-already-debunked') ?? null } : null;
}

/** The notice on the post whose status link is `href`: a large card or a small label. */
export async function noticeForm(page, href) {
  return poll(page, (h) => {
    const host = [...document.querySelectorAll('[data-already-debunked="notice"]')].find((n) => n.closest('article')?.querySelector(`a[href="${h}"]`));
    const root = host?.shadowRoot;
    if (!root?.querySelector('.card, .badge')) return null;
    return root.querySelector('.card') ? 'card' : 'label';
  }, href, 20_000);
}

/**
 * Opens the panel from the keyboard alone (focus starts on the post's status link; Tab until the
 * notice's Details control or label, Enter), checks it is wholly inside the window and not on the
 * picture, walks its controls with Tab, closes it with Escape and checks focus is back on the
 * control that opened it. Returns what it saw.
 */
export async function panelByKeyboard(page, href) {
  await page.evaluate((h) => {
    const link = [...document.querySelectorAll(`article a[href="${h}"]`)].at(-1);
    link.scrollIntoView({ block: 'center' });
    link.focus();
  }, href);
  let at = null;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    at = await page.evaluate(focused);
    if (at?.host === 'notice' && /open-details|badge/.test(at.cls)) break;
  }
  assert.ok(at?.host === 'notice' && /open-details|badge/.test(at.cls), `Tab never reached the notice's Details: last ${JSON.stringify(at)}`);
  await page.keyboard.press('Enter');
  const box = await poll(page, (sel) => {
    const host = document.querySelector(sel);
    const panel = host?.shadowRoot.querySelector('.panel');
    // Placed, and its entrance animation over.
    if (!host || host.style.visibility !== 'visible' || panel.getAnimations().some((a) => a.playState !== 'finished')) return null;
    const r = panel.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, placement: host.dataset.placement, w: innerWidth, h: innerHeight };
  }, PANEL);
  assert.ok(box.left >= 0 && box.top >= 0 && box.right <= box.w + 0.5 && box.bottom <= box.h + 0.5, `the panel is wholly in the window: ${JSON.stringify(box)}`);
  const inPanel = await page.evaluate(focused);
  assert.equal(inPanel?.host, 'notice-panel', 'focus moved into the panel');
  // Every control of the panel is reachable with Tab, and Tab stays in the panel (it goes round).
  const texts = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(focused);
    assert.equal(f?.host, 'notice-panel', `Tab stays in the panel: ${JSON.stringify(f)}`);
    if (texts.includes(f.text)) break;
    texts.push(f.text);
  }
  assert.ok(texts.includes('This post uses it correctly'), `Tab reaches “uses it correctly”: ${JSON.stringify(texts)}`);
  assert.ok(texts.includes('Wrong match?'), `Tab reaches “Wrong match?”: ${JSON.stringify(texts)}`);
  const violations = await seriousViolations(page, { include: [PANEL] });
  assert.deepEqual(violations, [], 'axe-core: the panel');
  await page.keyboard.press('Escape');
  await poll(page, (sel) => !document.querySelector(sel), PANEL);
  const back = await page.evaluate(focused);
  assert.equal(back?.host, 'notice', 'focus is back on the notice');
  assert.match(back.cls, /open-details|badge/);
  return { placement: box.placement, controls: texts };
}
