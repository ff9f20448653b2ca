#!/usr/bin/env node
// The publisher CLI. Node 20 cannot run TypeScript, so the sources are loaded through Vite's module
// runner (about 0.1 s at start), the same TypeScript the extension is built from.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.ts');
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'silent' });
process.exitCode = await module.main(process.argv.slice(2));
