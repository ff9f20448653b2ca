// The desk (`already-debunked desk`) as a real child process on a fresh data folder: resolves once
// it prints its address, with the first admin's one-time password and the feed's public key.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './browsers.mjs';

export async function startDesk({ port = 0, args = [] } = {}) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-desk-'));
  if (!fs.existsSync(path.join(ROOT, 'dist/desk-app/index.html'))) throw new Error('dist/desk-app is missing: run npm run build:desk (npm run build does)');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'desk', '--port', String(port), '--data', data, '--allow-loopback', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  let output = '';
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`desk did not start:\n${output}`)), 120_000);
    const onData = (d) => {
      output += d;
      const url = /desk at (http:\/\/[^/\s]+)\//.exec(output)?.[1];
      const key = /public key (\S+)/.exec(output)?.[1];
      const password = /one-time password (\S+)/.exec(output)?.[1];
      if (url && key && password) {
        clearTimeout(timer);
        resolve({ url, publicKey: key, adminPassword: password });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`desk exited (${code}):\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    ...info,
    data,
    output: () => output,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Presses Tab (at most `max` times) until the focused element matches; keyboard only. */
export async function tabTo(page, matches, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(matches)) return;
  }
  throw new Error(`Tab never reached the element (${matches})`);
}

/** The desk's API as an editor uses it (cookie and CSRF token kept). */
export function editor(base) {
  let cookie = '';
  let csrf = '';
  const call = async (method, p, body) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}), ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    if (p === '/api/login') {
      cookie = res.headers.get('set-cookie').split(';')[0];
      csrf = JSON.parse(text).csrf;
    }
    return JSON.parse(text);
  };
  return call;
}
