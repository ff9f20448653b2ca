/**
 * The desk's web app (src/desk/app, Preact) → dist/desk-app, served by `already-debunked desk`.
 * `npm run build:desk`; `npm run build` includes it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(ROOT, 'src/desk/app'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: { outDir: path.join(ROOT, 'dist/desk-app'), emptyOutDir: true, target: 'es2022', minify: true, assetsDir: 'assets' },
});
