// Lint rules that hold the architecture (see README "Design"):
// - src/core is pure: no DOM, no extension APIs, no storage or network globals, no imports from
//   the rest of src or from browser-only libraries;
// - the runtimes (background, content, ui, harvest, desk/server, desk/app) import core and shared,
//   never each other;
// - the CLI is the node composition root: it may import the node runtimes (harvest, desk/server),
//   never the extension's;
// - shared imports only itself (and may read core's types);
// - no HTML injection sinks anywhere in src;
// - promises are awaited or explicitly voided.
import tseslint from 'typescript-eslint';

const runtimes = ['background', 'content', 'ui', 'cli', 'harvest', 'desk/server', 'desk/app'];
/** Node runtimes the CLI composes. */
const nodeRuntimes = ['harvest', 'desk/server'];
/** The desk's two runtimes are siblings: `../app/…` from desk/server names no "desk/" to match. */
const siblings = { 'desk/server': ['../app', '../app/**'], 'desk/app': ['../server', '../server/**'] };
const others = (self) => [...runtimes.filter((r) => r !== self).map((r) => `**/${r}/**`), ...(siblings[self] ?? [])];

const noImportsFrom = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench-corpus/**', '.stryker-tmp/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'No HTML from strings: build nodes (preact) or set textContent.' },
        { property: 'outerHTML', message: 'No HTML from strings.' },
        { property: 'insertAdjacentHTML', message: 'No HTML from strings.' },
        { object: 'document', property: 'write', message: 'No HTML from strings.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No HTML from strings.' },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      ...noImportsFrom(
        ['**/shared/**', ...runtimes.map((r) => `**/${r}/**`), 'webextension-polyfill', 'idb', 'preact', 'preact/*'],
        'src/core is pure: it imports nothing from the rest of src and no browser-only library.',
      ),
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'browser', 'chrome', 'indexedDB', 'fetch', 'localStorage', 'navigator', 'location', 'XMLHttpRequest'].map(
          (name) => ({ name, message: 'src/core is DOM-free and I/O-free: pass data in from the runtime.' }),
        ),
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: noImportsFrom(runtimes.map((r) => `**/${r}/**`), 'src/shared is imported by the runtimes, never the reverse.'),
  },
  ...runtimes.map((r) => ({
    files: [`src/${r}/**`],
    rules: noImportsFrom(others(r), `src/${r} talks to the other runtimes only through the message protocol in src/shared.`),
  })),
  {
    files: ['src/cli/**'],
    rules: noImportsFrom(
      [...others('cli').filter((g) => !nodeRuntimes.some((n) => g === `**/${n}/**`)), '**/shared/**', 'webextension-polyfill'],
      'The CLI composes core and the node runtimes (harvest); it shares nothing else with the extension.',
    ),
  },
  {
    files: ['src/harvest/**'],
    rules: noImportsFrom([...others('harvest'), 'webextension-polyfill', 'idb', 'preact', 'preact/*'], 'src/harvest is a node runtime: it imports core and shared only.'),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
