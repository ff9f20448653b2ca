// Sums the group reports of tests/mutate-groups.sh (reports/mutation/<group>.json, Stryker's
// mutation-testing-report-schema) into a Markdown table per group and per folder, for TESTING.md.
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), Stryker's definition;
// "killed only" leaves timeouts out of the detected (on a loaded machine some are not endless loops).
// A folder's figure is a lower bound: each group runs only its own area's unit tests.
// Usage: node tests/mutation-summary.mjs [--json]
import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, '..', 'reports', 'mutation');
const FOLDERS = {
  'src/core': ['envelope', 'accept', 'floor', 'feed', 'import', 'rule', 'match', 'video', 'index', 'report', 'core', 'pdq'],
  'src/background': ['outbox', 'sync', 'matcher', 'glue', 'net', 'store', 'evidence'],
};
const KEYS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored'];

function count(group) {
  const file = path.join(dir, `${group}.json`);
  if (!fs.existsSync(file)) return null;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const c = Object.fromEntries(KEYS.map((k) => [k, 0]));
  const files = [];
  for (const [name, f] of Object.entries(report.files)) {
    const fc = Object.fromEntries(KEYS.map((k) => [k, 0]));
    for (const m of f.mutants) {
      c[m.status] = (c[m.status] ?? 0) + 1;
      fc[m.status] = (fc[m.status] ?? 0) + 1;
    }
    files.push({ name, ...fc });
  }
  return { ...c, files, date: fs.statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' ') };
}

const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return valid ? `${((100 * detected) / valid).toFixed(1)}%` : '—';
};
const strict = (c) => {
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
  return valid ? `${((100 * c.Killed) / valid).toFixed(1)}%` : '—';
};
const row = (name, c, date = '') => `| ${name} | ${c.Killed + c.Timeout + c.Survived + c.NoCoverage} | ${c.Killed} | ${c.Survived} | ${c.Timeout} | ${c.NoCoverage} | ${score(c)} | ${strict(c)} | ${date} |`;

const out = ['| group / folder | mutants | killed | survived | timeout | no coverage | score | killed only | report written (UTC) |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
const json = {};
for (const [folder, groups] of Object.entries(FOLDERS)) {
  const sum = Object.fromEntries(KEYS.map((k) => [k, 0]));
  const missing = [];
  for (const g of groups) {
    const c = count(g);
    if (!c) {
      missing.push(g);
      continue;
    }
    json[g] = c;
    for (const k of KEYS) sum[k] += c[k];
    out.push(row(g, c, c.date));
  }
  json[folder] = { ...sum, missing };
  out.push(`${row(`**${folder}**${missing.length ? ` (without ${missing.join(', ')})` : ''}`, sum)}`);
}
if (process.argv.includes('--json')) console.log(JSON.stringify(json, null, 1));
else console.log(out.join('\n'));
