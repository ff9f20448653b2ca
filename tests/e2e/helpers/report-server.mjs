// The reference report receiver (`already-debunked report-server`), run as a real child process on
// the port the demo feed names as its report endpoint (tests/fixtures/feeds/demo/reviews.json), so
// a test can kill it (a dead desk) and start it again on the same file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './browsers.mjs';
import { whenPortFree } from './ports.mjs';

export const REPORT_PORT = 47111;

export async function startReportServer({ port = REPORT_PORT } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-reports-'));
  const file = path.join(dir, 'reports.jsonl');
  let child = null;

  async function start() {
    child = spawn(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'report-server', '--port', String(port), '--out', file, '--allow-loopback'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`report-server did not start:\n${output}`)), 30_000);
      const onData = (d) => {
        output += d;
        if (output.includes('receiving reports at')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (d) => (output += d));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`report-server exited (${code}) on port ${port}:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  async function kill() {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL'); // a desk that disappears, not one that shuts down politely
    await exited;
    child = null;
  }

  await whenPortFree(port, start);
  return {
    url: `http://127.0.0.1:${port}/reports`,
    /** The stored lines: {receivedAt, sha256, report}. */
    lines: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    kill,
    restart: () => whenPortFree(port, start),
    close: async () => {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
