/**
 * One source, four unpacked extensions. `vite build --mode <flavour>` with flavour one of
 *   chrome | firefox             store builds        -> dist/chrome, dist/firefox
 *   test-chrome | test-firefox   e2e builds          -> dist/test-chrome, dist/test-firefox
 * The extension pages (popup, options) are a normal multi-page Vite build; the plugin below then
 * builds the background and the content script as one self-contained classic IIFE each (a content
 * script cannot be an ES module, and a single file keeps chunks out of web_accessible_resources),
 * writes the per-browser manifest from ./manifest.json, copies locales and icons, and checks the
 * output. `AD_PACKAGE=1` also zips a store build. Vitest reads the `test` section.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type UserConfig } from 'vite';
import { defineConfig } from 'vitest/config';
import { parseDefaultFeeds } from './src/shared/settings.ts';
import type { BuildInfo } from './src/shared/build.ts';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

export const GECKO_ID = 'already-debunked@already-debunked.org';
/** Firefox 140 is the first ESR with data_collection_permissions (web-ext lint checks this). */
const FIREFOX_MIN = '140.0';
const FIREFOX_ANDROID_MIN = '142.0';
/** MV3 service worker + optional_host_permissions + storage.session are all there by Chrome 116. */
const CHROME_MIN = '116';
const TEST_HOSTS = ['127.0.0.1', 'localhost'];
const TEST_HOST_PATTERNS = TEST_HOSTS.map((h) => `http://${h}/*`);
const ICON_SIZES = [16, 32, 48, 96, 128] as const;

interface Flavour {
  name: string;
  target: 'chrome' | 'firefox';
  test: boolean;
  outDir: string;
}

function flavourOf(mode: string): Flavour {
  const m = /^(test-)?(chrome|firefox)$/.exec(mode);
  if (!m) throw new Error(`vite build --mode must be chrome, firefox, test-chrome or test-firefox (got ${mode})`);
  return { name: mode, target: m[2] as Flavour['target'], test: !!m[1], outDir: path.join(ROOT, 'dist', mode) };
}

type Manifest = Record<string, unknown> & {
  content_scripts: { matches: string[]; js: string[] }[];
  host_permissions: string[];
  icons: Record<string, string>;
  action: Record<string, unknown>;
};

/** The per-browser manifest. Exported for the manifest unit tests. */
export function transformManifest(source: Manifest, f: Pick<Flavour, 'target' | 'test'>, version: string): Manifest {
  const m: Manifest = structuredClone(source);
  m.version = version;
  const icons = Object.fromEntries(ICON_SIZES.map((s) => [String(s), `icons/icon-${s}.png`]));
  m.icons = icons;
  m.action = { ...m.action, default_icon: icons };
  if (f.test) {
    m.name = `${m.name as string} (test build)`;
    m.host_permissions = [...m.host_permissions, ...TEST_HOST_PATTERNS];
    m.content_scripts = m.content_scripts.map((cs) => ({ ...cs, matches: [...cs.matches, ...TEST_HOST_PATTERNS] }));
  }
  if (f.target === 'chrome') {
    m.background = { service_worker: 'background.js' };
    m.minimum_chrome_version = CHROME_MIN;
  } else {
    m.background = { scripts: ['background.js'] };
    m.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN,
        // Nothing is collected; a report the reader chooses to send transmits website content
        // (the post's address, text and media): asked for at run time, before the first report goes.
        data_collection_permissions: { required: ['none'], optional: ['websiteContent'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN },
    };
  }
  return m;
}

/**
 * AD_DEFAULT_FEEDS (a JSON array of subscriptions) pre-fills a build's feeds; empty by default.
 * Test builds, unless told otherwise, subscribe to the local demo feed the e2e tests serve.
 */
const TEST_DEFAULT_FEEDS = 'tests/fixtures/feeds/test-default-feeds.json';

/**
 * The directory of known feeds a build ships (directory.json, signed: `already-debunked directory`)
 * and the keys it is checked with: AD_DIRECTORY (a file) and AD_DIRECTORY_KEYS (a JSON array of
 * base64 Ed25519 public keys). None by default; test builds ship the test directory.
 */
const TEST_DIRECTORY = 'tests/fixtures/feeds/test-directory.json';
const TEST_DIRECTORY_KEY = 'tests/fixtures/feeds/test-directory-key.json';
function directoryOf(f: Flavour): { file: string | null; keys: string[] } {
  const file = process.env.AD_DIRECTORY ?? (f.test ? path.join(ROOT, TEST_DIRECTORY) : null);
  const keysJson = process.env.AD_DIRECTORY_KEYS ?? (f.test ? JSON.stringify([JSON.parse(fs.readFileSync(path.join(ROOT, TEST_DIRECTORY_KEY), 'utf8')).publicKey]) : '[]');
  let keys: unknown;
  try {
    keys = JSON.parse(keysJson);
  } catch {
    keys = null;
  }
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(k))) {
    throw new Error('AD_DIRECTORY_KEYS: expected a JSON array of base64 Ed25519 public keys');
  }
  if (file && !fs.existsSync(file)) throw new Error(`AD_DIRECTORY: ${file} does not exist`);
  if (file && !keys.length) throw new Error('AD_DIRECTORY is set but AD_DIRECTORY_KEYS is empty: nothing could verify it');
  return { file, keys: keys as string[] };
}

function buildInfo(f: Flavour): BuildInfo {
  const json = process.env.AD_DEFAULT_FEEDS ?? (f.test ? fs.readFileSync(path.join(ROOT, TEST_DEFAULT_FEEDS), 'utf8') : '');
  const testHosts = f.test ? TEST_HOSTS : [];
  const directory = directoryOf(f);
  return { target: f.target, test: f.test, version: pkg.version, defaultFeeds: parseDefaultFeeds(json, testHosts), testHosts, directoryKeys: directory.file ? directory.keys : [] };
}

function defines(info: BuildInfo): Record<string, string> {
  return {
    __AD_BUILD__: JSON.stringify(info),
    __AD_TEST_BUILD__: JSON.stringify(info.test),
    // Library mode does not replace process.env; preact and others read NODE_ENV.
    'process.env.NODE_ENV': JSON.stringify('production'),
  };
}

/** Builds one classic, self-contained script (background.js or content.js). */
async function buildClassicScript(f: Flavour, info: BuildInfo, name: string, entry: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    define: defines(info),
    build: {
      outDir: f.outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: false, // readable code for store review
      target: 'es2022',
      lib: { entry: path.join(ROOT, entry), formats: ['iife'], name: `alreadyDebunked_${name}`, fileName: () => `${name}.js` },
    },
  });
  const code = fs.readFileSync(path.join(f.outDir, `${name}.js`), 'utf8');
  if (/^\s*(import|export)\s/m.test(code) || /\bimport\(/.test(code)) {
    throw new Error(`${name}.js must be a classic script without import/export`);
  }
}

async function exportIcons(): Promise<void> {
  const svg = path.join(ROOT, 'assets/icon.svg');
  const svgTime = fs.statSync(svg).mtimeMs;
  const stale = ICON_SIZES.filter((s) => {
    const png = path.join(ROOT, `assets/icons/icon-${s}.png`);
    return !fs.existsSync(png) || fs.statSync(png).mtimeMs < svgTime;
  });
  if (!stale.length) return;
  const { default: sharp } = await import('sharp');
  fs.mkdirSync(path.join(ROOT, 'assets/icons'), { recursive: true });
  for (const s of stale) {
    await sharp(svg, { density: (72 * s * 4) / 128 })
      .resize(s, s)
      .png()
      .toFile(path.join(ROOT, `assets/icons/icon-${s}.png`));
  }
}

async function zipDir(dir: string, zipPath: string): Promise<void> {
  const { zipSync } = await import('fflate');
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p);
    }
  };
  walk(dir);
  // Fixed timestamps: the same sources give the same zip.
  fs.writeFileSync(zipPath, zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
}

/**
 * PRIVACY.md as a page of the extension (privacy.html, linked from the options page): rendered
 * here, at build time, from the project's own document — a static page with no script.
 */
async function writePrivacyPage(outDir: string): Promise<void> {
  const { marked } = await import('marked');
  const body = await marked.parse(fs.readFileSync(path.join(ROOT, 'PRIVACY.md'), 'utf8'));
  const html = `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>Already Debunked — privacy</title>
<style>
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #0f1419; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #e7e9ea; background: #15181c; } th, td { border-color: #38444d !important; } }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; } th, td { border: 1px solid #cfd9de; padding: 0.4rem 0.6rem; text-align: start; vertical-align: top; }
code { font-size: 0.9em; } h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
</style>
</head>
<body>
${body}</body>
</html>
`;
  fs.writeFileSync(path.join(outDir, 'privacy.html'), html);
}

function extensionParts(f: Flavour, info: BuildInfo): Plugin {
  return {
    name: 'already-debunked-extension',
    apply: 'build',
    async closeBundle() {
      await buildClassicScript(f, info, 'background', 'src/background/index.ts');
      await buildClassicScript(f, info, 'content', 'src/content/index.ts');
      const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')) as Manifest;
      fs.writeFileSync(path.join(f.outDir, 'manifest.json'), JSON.stringify(transformManifest(source, f, info.version), null, 2));
      fs.cpSync(path.join(ROOT, 'src/_locales'), path.join(f.outDir, '_locales'), { recursive: true });
      await writePrivacyPage(f.outDir);
      const directory = directoryOf(f);
      if (directory.file) fs.copyFileSync(directory.file, path.join(f.outDir, 'directory.json'));
      await exportIcons();
      fs.cpSync(path.join(ROOT, 'assets/icons'), path.join(f.outDir, 'icons'), { recursive: true });
      if (process.env.AD_PACKAGE && !f.test) {
        const zip = path.join(ROOT, 'dist', `already-debunked-${f.target}-${info.version}.zip`);
        await zipDir(f.outDir, zip);
        console.log(`packaged ${path.relative(ROOT, zip)}`);
      }
      console.log(`built ${path.relative(ROOT, f.outDir)}`);
    },
  };
}

const testBuildInfo: BuildInfo = { target: 'chrome', test: true, version: pkg.version, defaultFeeds: [], testHosts: TEST_HOSTS, directoryKeys: [] };

export default defineConfig(({ command, mode }): UserConfig => {
  if (command === 'serve') {
    // vitest (and `vite` dev, which this project does not use): unit tests see a test build.
    return {
      define: { __AD_BUILD__: JSON.stringify(testBuildInfo), __AD_TEST_BUILD__: 'true' },
      test: {
        include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
        environment: 'node',
        testTimeout: 60_000,
      },
    } as UserConfig;
  }
  const f = flavourOf(mode);
  const info = buildInfo(f);
  return {
    root: path.join(ROOT, 'src/ui'),
    base: './',
    publicDir: false,
    logLevel: 'warn',
    define: defines(info),
    build: {
      outDir: f.outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      rollupOptions: {
        input: {
          popup: path.join(ROOT, 'src/ui/popup/index.html'),
          options: path.join(ROOT, 'src/ui/options/index.html'),
          welcome: path.join(ROOT, 'src/ui/welcome/index.html'),
        },
      },
    },
    plugins: [extensionParts(f, info)],
  };
});
