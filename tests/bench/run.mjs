#!/usr/bin/env node
// `npm run bench [name…] [-- --option value…]`: runs tests/bench/<name>.bench.ts (all by default) through Vite's module
// runner, each exporting `default async () => markdown`, and writes the combined report with the
// machine and date to dist/bench/results.md. BENCHMARKS.md is updated from it by hand.
// Comparisons are made side by side in one run (ratios), since these machines are shared and noisy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
// Options after the names (`npm run bench scale -- --images 300000 --json out.json`) reach the
// benches as BENCH_<NAME> environment variables.
const wanted = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) process.env[`BENCH_${a.slice(2).toUpperCase().replace(/-/g, '_')}`] = process.argv[++i] ?? '';
  else wanted.push(a);
}
const benches = fs
  .readdirSync(HERE)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
if (wanted.length && benches.length !== wanted.length) {
  console.error(`unknown bench: ${wanted.filter((w) => !benches.includes(w)).join(', ')}`);
  process.exit(2);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.type()} ${os.release()}`;
const header = `Machine: ${machine}\nDate: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n`;
console.log(header);
const sections = [];
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const { module } = await runnerImport(path.join(HERE, `${name}.bench.ts`), { configFile: false, logLevel: 'warn' });
  sections.push(await module.default());
}
const report = `${header}\n${sections.join('\n\n')}\n`;
fs.mkdirSync(path.join(ROOT, 'dist/bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'dist/bench/results.md'), report);
console.log(`\n${report}\nwritten to dist/bench/results.md`);
