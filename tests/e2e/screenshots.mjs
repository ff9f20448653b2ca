// Screenshots of what a reader sees, saved by `npm run demo` into docs/screenshots/ (and shown in the
// README): the notice and its details panel in X's light, dim and dark themes, left-to-right and
// right-to-left (Arabic), on a desktop window and a phone-width one, the first-run page and the
// popup's history. Runs against the fixture X with the demo feed synced.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/browsers.mjs';

export const SHOTS_DIR = path.join(ROOT, 'docs', 'screenshots');
const SEED = 'a[href="/newsdesk_fx/status/1861000000000000001"]';

/** The seed post (its article), as a locator. */
const seedPost = (page) => page.locator('article[data-testid="tweet"]').filter({ has: page.locator(SEED) }).first();

async function openDetails(page) {
  const notice = seedPost(page).locator('[data-already-debunked="notice"]');
  await notice.locator('button.open-details, button.badge').first().click();
  const panel = page.locator('[data-already-debunked="notice-panel"]');
  await panel.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-already-debunked="notice-panel"]')?.style.visibility === 'visible');
  return panel;
}

/** A screenshot of the union of the given locators' boxes, with a margin, clamped to the page. */
async function shotAround(page, locators, file, margin = 12) {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter(Boolean);
  const vp = page.viewportSize();
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(vp.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  await page.screenshot({ path: path.join(SHOTS_DIR, file), clip: { x, y, width: right - x, height: bottom - y } });
}

async function timeline(context, url, viewport) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const post = seedPost(page);
  await post.locator('[data-already-debunked="notice"]').waitFor({ timeout: 20_000 });
  await post.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -80));
  return page;
}

/**
 * @param {{ context: import('playwright-core').BrowserContext, extensionUrl: (p: string) => string }} ext
 * @param {{ url: (name?: string) => string }} server
 * @param {(type: string, payload?: object) => Promise<unknown>} message sends the background a ui/… message
 */
export async function takeScreenshots(ext, server, message) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const saved = [];
  const desktop = { width: 1280, height: 900 };
  const phone = { width: 390, height: 844 };
  for (const [theme, name] of [['light', 'home'], ['dim', 'home-dim'], ['dark', 'home-dark']]) {
    const page = await timeline(ext.context, server.url(name), desktop);
    await page.waitForTimeout(250); // the notice's entrance animation
    await shotAround(page, [seedPost(page)], `notice-${theme}.png`);
    const panel = await openDetails(page);
    await page.waitForTimeout(250);
    await shotAround(page, [seedPost(page), panel], `panel-${theme}.png`);
    saved.push(`notice-${theme}.png`, `panel-${theme}.png`);
    await page.close();
  }
  {
    const page = await timeline(ext.context, server.url('home'), phone);
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'phone-notice.png') });
    await openDetails(page);
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'phone-panel.png') });
    saved.push('phone-notice.png', 'phone-panel.png');
    await page.close();
  }
  {
    // The popup with its local history (the notices above were shown), and the first-run page.
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 340, height: 700 });
    await popup.goto(ext.extensionUrl('popup/index.html'));
    await popup.locator('[data-testid="history"] li').first().waitFor({ timeout: 15_000 });
    await popup.locator('body').screenshot({ path: path.join(SHOTS_DIR, 'popup-history.png') });
    await popup.close();
    const welcome = await ext.context.newPage();
    await welcome.setViewportSize({ width: 900, height: 1200 });
    await welcome.goto(ext.extensionUrl('welcome/index.html'));
    await welcome.locator('[data-testid="directory"] li').first().waitFor({ timeout: 15_000 });
    await welcome.screenshot({ path: path.join(SHOTS_DIR, 'welcome.png'), fullPage: true });
    await welcome.close();
    saved.push('popup-history.png', 'welcome.png');
  }
  // Right to left: the reader chose Arabic (the notice takes it on X's next page load).
  await message('ui/update-settings', { patch: { language: 'ar' } });
  try {
    const page = await timeline(ext.context, server.url('home-rtl'), desktop);
    await page.waitForTimeout(250);
    const panel = await openDetails(page);
    await page.waitForTimeout(250);
    await shotAround(page, [seedPost(page), panel], 'panel-rtl.png');
    saved.push('panel-rtl.png');
    await page.close();
  } finally {
    await message('ui/update-settings', { patch: { language: null } });
  }
  return saved.map((f) => path.relative(ROOT, path.join(SHOTS_DIR, f)));
}
