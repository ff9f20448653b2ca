// The report receiver's storage (issue 13): what durability costs. Side by side in one run: the
// store's append (whole line, fdatasync before the answer) against the old appendFileSync (no
// sync, half lines possible), and the start-up scan (streamed, bounded memory) against reading the
// file as one string. Ratios, since the machine is shared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReportStore, scanStore } from '../../src/cli/report-store';

const N = 300;
const LINES = 50_000;

function line(i: number): { id: string; text: string } {
  const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const report = { reportId: id, note: 'x'.repeat(400), post: { url: `https://x.com/a/status/${i}` } };
  return { id, text: JSON.stringify({ receivedAt: new Date(0).toISOString(), sha256: '0'.repeat(64), report }) };
}

async function time(f: () => Promise<void> | void): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export default async function (): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-bench-receiver-'));
  try {
    const rows: string[] = [];
    // Appends, alternated in rounds so load spikes hit both.
    let synced = 0;
    let unsynced = 0;
    const store = await openReportStore(path.join(dir, 'a.jsonl'));
    for (let round = 0; round < 3; round++) {
      synced += await time(async () => {
        for (let i = 0; i < N; i++) await store.append(`${round}-${i}`, line(round * N + i).text);
      });
      unsynced += await time(() => {
        for (let i = 0; i < N; i++) fs.appendFileSync(path.join(dir, 'b.jsonl'), `${line(round * N + i).text}\n`);
      });
    }
    await store.close();
    const perSynced = synced / (3 * N);
    const perUnsynced = unsynced / (3 * N);
    rows.push(`| append one report | ${perSynced.toFixed(3)} ms (whole line + fdatasync) | ${perUnsynced.toFixed(3)} ms (appendFileSync, no sync) | ${(perSynced / perUnsynced).toFixed(1)}× |`);

    const big = path.join(dir, 'big.jsonl');
    const fd = fs.openSync(big, 'w');
    for (let i = 0; i < LINES; i++) fs.writeSync(fd, `${line(i).text}\n`);
    fs.closeSync(fd);
    const mib = fs.statSync(big).size / 2 ** 20;
    let streamed = 0;
    let whole = 0;
    for (let round = 0; round < 3; round++) {
      streamed += await time(async () => void (await scanStore(big)));
      whole += await time(() => {
        const ids = new Set<string>();
        for (const l of fs.readFileSync(big, 'utf8').split('\n')) if (l) ids.add((JSON.parse(l) as { report: { reportId: string } }).report.reportId);
      });
    }
    rows.push(`| start-up, ${LINES} reports (${mib.toFixed(0)} MiB) | ${(streamed / 3).toFixed(0)} ms (streamed scan) | ${(whole / 3).toFixed(0)} ms (one string; fails past 512 MiB) | ${(streamed / whole).toFixed(2)}× |`);
    const table = ['| receiver storage | now | before | ratio |', '| --- | --- | --- | --- |', ...rows].join('\n');
    console.log(table);
    return `## Report receiver storage\n\n${table}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
