/**
 * The publisher CLI as a node bundle: `vite build --config vite.cli.config.ts` → dist/cli/main.js,
 * one ES module of our code (src/cli, src/harvest, src/core), the runtime dependencies left as
 * imports (they are the package's `dependencies`, installed beside it). Run by bin/ in an
 * installed package; `npm pack` builds it first (prepack).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const deps = Object.keys(pkg.dependencies);
const external = (id: string) =>
  id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));

export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: path.join(ROOT, 'src/cli/main.ts'),
    outDir: path.join(ROOT, 'dist/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external,
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
  ssr: { target: 'node', noExternal: [] },
});
