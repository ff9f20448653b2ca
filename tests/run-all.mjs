#!/usr/bin/env node
// `npm test`: build, typecheck, lint, unit tests (vitest), end-to-end tests (node:test, real
// browsers), then one summary whose last line is `N passed, N failed[, N skipped]`.
// Every step runs even when an earlier one fails, so one run shows every problem.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'test-results');
fs.mkdirSync(OUT, { recursive: true });
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

const rows = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${[path.basename(cmd), ...args].join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  return { ok, seconds: ((Date.now() - t0) / 1000).toFixed(1) };
}

/** A step that is one check: it passes or fails as a whole. */
function step(label, cmd, args, env) {
  const { ok, seconds } = run(label, cmd, args, env);
  if (ok) passed++;
  else failed++;
  rows.push([label, ok ? 'ok' : 'FAILED', seconds]);
  return ok;
}

const buildOk = step('build (store)', 'npm', ['run', '--silent', 'build']) & step('build (test)', 'npm', ['run', '--silent', 'build:test']);
step('typecheck', bin('tsc'), ['-p', '.', '--noEmit']);
step('eslint', bin('eslint'), ['.']);
if (buildOk) step('web-ext lint (Firefox)', bin('web-ext'), ['lint', '--source-dir', 'dist/firefox']);

// Unit tests: vitest, counted from its JSON report.
{
  const report = path.join(OUT, 'vitest.json');
  fs.rmSync(report, { force: true });
  const { ok, seconds } = run('unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (ok || r.numFailedTests ? 0 : 1); // a crash outside tests counts once
    skipped += r.numPendingTests + r.numTodoTests;
    rows.push(['unit tests', `${r.numPassedTests} passed, ${r.numFailedTests} failed`, seconds]);
  } else {
    failed++;
    rows.push(['unit tests', 'FAILED (no report)', seconds]);
  }
}

// End-to-end tests: node's test runner, one browser at a time (2-core machines).
{
  const tap = path.join(OUT, 'e2e.tap');
  const e2eFiles = fs.readdirSync(path.join(ROOT, 'tests/e2e')).filter((f) => f.endsWith('.test.mjs')).map((f) => `tests/e2e/${f}`);
  const { seconds } = run('end-to-end tests (node:test)', process.execPath, [
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...e2eFiles,
  ]);
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? NaN);
  const [p, f, s, c] = [count('pass'), count('fail'), count('skipped'), count('cancelled')];
  if (Number.isNaN(p)) {
    failed++;
    rows.push(['end-to-end', 'FAILED (no report)', seconds]);
  } else {
    passed += p;
    failed += f + c;
    skipped += s;
    rows.push(['end-to-end', `${p} passed, ${f + c} failed, ${s} skipped`, seconds]);
  }
}

console.log('\n=== summary');
for (const [label, result, seconds] of rows) console.log(`${label.padEnd(28)} ${result.padEnd(34)} ${seconds} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
