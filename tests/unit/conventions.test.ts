// The architecture's rules are enforced by ESLint (eslint.config.js); these tests prove the rules
// fire, so that a config change that silently disables them fails here. Plus locale hygiene.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/**
 * Lints `code` as if it were `file`. Type-aware rules need the file on disk (the TypeScript project
 * service reads it), so it is written under a unique name for the duration of the call.
 */
async function ruleIds(file: string, code: string): Promise<string[]> {
  const filePath = path.join(ROOT, file.replace(/\.tsx?$/, `-${process.pid}-${Math.random().toString(36).slice(2)}$&`));
  const dir = path.dirname(filePath);
  const made = fs.mkdirSync(dir, { recursive: true }); // a runtime folder may not exist yet
  fs.writeFileSync(filePath, code);
  try {
    const [result] = await eslint.lintFiles([filePath]);
    const messages = result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
    if (messages.some((m) => m.startsWith('null: Parsing error'))) throw new Error(messages.join('\n'));
    return messages;
  } finally {
    fs.rmSync(made ?? filePath, { recursive: true, force: true });
  }
}

describe('lint rules hold the architecture', () => {
  it('src/core imports nothing from the rest of src and touches no DOM or I/O globals', async () => {
    const found = await ruleIds(
      'src/core/zz-probe.ts',
      "import { BUILD } from '../shared/build';\nimport browser from 'webextension-polyfill';\nexport const a = [BUILD, browser, window.name, document.title];\nexport const f = () => fetch('https://example.org/');\n",
    );
    expect(found.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(2);
    expect(found.filter((m) => m.startsWith('no-restricted-globals'))).toHaveLength(3);
  }, 60_000);

  it.each([
    ['src/content/zz-probe.ts', '../background/handlers'],
    ['src/content/zz-probe.ts', '../ui/components/FeedList'],
    ['src/background/zz-probe.ts', '../content/index'],
    ['src/ui/zz-probe.ts', '../background/router'],
    ['src/shared/zz-probe.ts', '../background/router'],
    ['src/cli/zz-probe.ts', '../shared/settings'],
    ['src/harvest/zz-probe.ts', '../cli/main'],
    ['src/harvest/zz-probe.ts', '../background/router'],
    ['src/background/zz-probe.ts', '../harvest/run'],
    ['src/ui/zz-probe.ts', '../harvest/fetcher'],
  ])('%s may not import %s', async (file, target) => {
    const found = await ruleIds(file, `import * as m from '${target}';\nexport const x = m;\n`);
    expect(found.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  }, 60_000);

  it('the CLI, the node composition root, may import the node runtimes (harvest); harvest imports core', async () => {
    expect(await ruleIds('src/cli/zz-probe.ts', "import { harvest } from '../harvest/run';\nimport { hashToHex } from '../core/hash256';\nexport const x = [harvest, hashToHex];\n")).toEqual([]);
    expect(await ruleIds('src/harvest/zz-probe.ts', "import { normalise } from '../core/feed/import';\nexport const x = normalise;\n")).toEqual([]);
  }, 60_000);

  it('runtimes may import core and shared', async () => {
    const found = await ruleIds('src/content/zz-probe.ts', "import { BUILD } from '../shared/build';\nimport { hashToHex } from '../core/hash256';\nexport const x = [BUILD, hashToHex];\n");
    expect(found).toEqual([]);
  }, 60_000);

  it('no HTML sinks and no floating promises in src', async () => {
    const found = await ruleIds(
      'src/content/zz-probe.ts',
      "export function f(el: HTMLElement, s: string) {\n  el.innerHTML = s;\n  el.insertAdjacentHTML('beforeend', s);\n  Promise.resolve(1);\n}\n",
    );
    expect(found.filter((m) => m.startsWith('no-restricted-properties'))).toHaveLength(2);
    expect(found.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  }, 60_000);
});

describe('X knowledge lives in one module', () => {
  it('no other file in src/content, src/background or src/shared names X selectors, hosts or URL shapes', () => {
    const files = ['src/content', 'src/background', 'src/shared']
      .flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' }).map((f) => path.join(d, f)))
      .filter((f) => /\.tsx?$/.test(f) && f !== path.join('src', 'shared', 'x.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const code = fs.readFileSync(path.join(ROOT, f), 'utf8');
      expect(code, f).not.toMatch(/data-testid|twimg\.com|x\.com\/|\/status\/|cellInnerDiv|tweetPhoto/);
    }
  });
});

describe('locales', () => {
  const messages = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/_locales/en/messages.json'), 'utf8')) as Record<
    string,
    { message: string; description?: string; placeholders?: Record<string, unknown> }
  >;

  it('every string has a description for translators, and placeholders are declared', () => {
    for (const [key, m] of Object.entries(messages)) {
      expect(m.description, key).toBeTruthy();
      const used = [...m.message.matchAll(/\$([A-Z_]+)\$/g)].map((x) => x[1]!.toLowerCase());
      expect(Object.keys(m.placeholders ?? {}).sort(), key).toEqual([...new Set(used)].sort());
    }
  });

  it('every translation is of an English key, with the same placeholders, and the notice is translated', () => {
    const dir = path.join(ROOT, 'src/_locales');
    const langs = fs.readdirSync(dir).filter((l) => l !== 'en');
    expect(langs.sort()).toEqual(['ar', 'de', 'es', 'fr', 'pt']);
    for (const lang of langs) {
      const t = JSON.parse(fs.readFileSync(path.join(dir, lang, 'messages.json'), 'utf8')) as typeof messages;
      for (const [key, m] of Object.entries(t)) {
        expect(messages[key], `${lang}/${key}`).toBeDefined();
        const used = [...m.message.matchAll(/\$([A-Z_]+)\$/g)].map((x) => x[1]!.toLowerCase()).sort();
        expect([...new Set(used)], `${lang}/${key}`).toEqual(Object.keys(messages[key]!.placeholders ?? {}).sort());
      }
      for (const key of Object.keys(messages).filter((k) => k.startsWith('notice') || k.startsWith('verdict'))) expect(t[key], `${lang}/${key}`).toBeDefined();
      expect(t.extDescription!.message.length, lang).toBeLessThanOrEqual(132);
    }
  });

  it('every __MSG_…__ in manifest.json exists, and the store description fits 132 characters', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8');
    for (const [, key] of manifest.matchAll(/__MSG_(\w+)__/g)) expect(messages[key!], key).toBeDefined();
    expect(messages.extDescription!.message.length).toBeLessThanOrEqual(132);
  });
});
