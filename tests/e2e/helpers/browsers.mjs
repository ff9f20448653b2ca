// Launching Debian's Chromium and Firefox ESR headless with an unpacked build of the extension.
// Nothing here downloads a browser: the binaries come from `apt-get install chromium firefox-esr`
// (or CHROMIUM_PATH / FIREFOX_PATH). When one is missing, the tests that need it say so loudly and
// fail under CI (CI=true), so a CI run can never pass without having run them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const GECKO_ID = 'already-debunked@already-debunked.org'; // = vite.config.ts GECKO_ID
export const FIREFOX_UUID = '0a1d5e2b-7c3f-4b8e-9d61-5f2a3c4b6e70'; // pinned moz-extension:// host

export const distDir = (flavour) => path.join(ROOT, 'dist', flavour);

function findBinary(envName, candidates) {
  const fromEnv = process.env[envName];
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}
export const chromiumPath = () => findBinary('CHROMIUM_PATH', ['/usr/bin/chromium', '/usr/bin/chromium-browser']);
export const firefoxPath = () => findBinary('FIREFOX_PATH', ['/usr/bin/firefox-esr', '/usr/bin/firefox']);

/**
 * Returns null when the browser and the build are there; otherwise the reason, printed loudly.
 * Under CI a missing browser throws, so the suite fails instead of passing without e2e.
 */
export function missingPrerequisite(browserName, binary, flavour) {
  let reason = null;
  if (!binary) reason = `${browserName} not found (apt-get install -y ${browserName === 'Chromium' ? 'chromium' : 'firefox-esr'}, or set ${browserName === 'Chromium' ? 'CHROMIUM_PATH' : 'FIREFOX_PATH'})`;
  else if (!fs.existsSync(path.join(distDir(flavour), 'manifest.json'))) reason = `dist/${flavour} is missing: run npm run build:test first`;
  if (!reason) return null;
  const banner = `\n${'!'.repeat(78)}\n!! E2E NOT RUN: ${reason}\n${'!'.repeat(78)}\n`;
  console.error(banner);
  if (process.env.CI) throw new Error(`E2E prerequisite missing under CI: ${reason}`);
  return reason;
}

/** Chromium with the extension loaded; returns the context, its service worker and the extension id. */
export async function launchChromium(flavour = 'test-chrome', { headless = true } = {}) {
  const ext = distDir(flavour);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless,
    viewport: headless ? { width: 1280, height: 900 } : null,
    args: [
      `--disable-extensions-except=${ext}`, // Playwright adds --disable-extensions; this re-allows ours
      `--load-extension=${ext}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking', // this machine's network is closed: no calls home
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    sw,
    extensionId,
    extensionUrl: (file) => `chrome-extension://${extensionId}/${file}`,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Firefox ESR over WebDriver BiDi with the extension installed as a temporary add-on. `prefs` adds
 * Firefox preferences (e.g. extensions.webextOptionalPermissionPrompts: false, so that an optional
 * permission asked on a click is granted without the prompt a test cannot answer).
 */
export async function launchFirefox(flavour = 'test-firefox', { prefs = {} } = {}) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Lets WebDriver open moz-extension:// pages (popup, options). Test-only: it grants the
    // remote agent privileged access, which no reader's browser ever has.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }), ...prefs },
  });
  const addonId = await browser.installExtension(distDir(flavour));
  return {
    browser,
    addonId,
    extensionUrl: (file) => `moz-extension://${FIREFOX_UUID}/${file}`,
    /** BiDi never reports the load of a moz-extension:// page: start it, then wait inside the page. */
    async openExtensionPage(file) {
      const page = await browser.newPage();
      await page.goto(`moz-extension://${FIREFOX_UUID}/${file}`, { timeout: 300 }).catch(() => {});
      // Not page.waitForFunction: Puppeteer's in-page poller builds its predicate with Function(),
      // which an extension page's CSP blocks (Firefox ESR 140.12: "call to Function() blocked by
      // CSP"); a plain evaluate is the driver's own call. Asked again until the page is there.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await page.evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete').catch(() => false);
        if (ready) return page;
        if (Date.now() > deadline) throw new Error(`moz-extension://…/${file} did not load within 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => browser.close(),
  };
}

/** Reads the content script's handshake record (test builds only) from a page. */
export const HANDSHAKE_ATTR = 'data-already-debunked-e2e';

/**
 * page.setViewport for Firefox: Puppeteer's BiDi setViewport also sends
 * emulation.setScreenOrientationOverride, which Firefox ESR 140.12 does not know ("unknown
 * command"). The size command is sent alongside it and still applies: that refusal alone is let
 * pass, and the new size is waited for, so a test never runs at the old one.
 */
export async function setViewport(page, viewport) {
  try {
    await page.setViewport(viewport);
  } catch (e) {
    if (!/unknown command emulation\.setScreenOrientationOverride/.test(String(e?.message))) throw e;
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const size = await page.evaluate(() => [innerWidth, innerHeight]).catch(() => null);
    if (size && size[0] === viewport.width && size[1] === viewport.height) return;
    if (Date.now() > deadline) throw new Error(`the viewport did not become ${viewport.width}x${viewport.height} (it is ${size?.join('x')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
