// The receiver's storage under a full disk and across restarts (issue 13, breaks 1 and 2): a failed
// write leaves no half line, 201 comes only after the line is synced, and after a restart every
// acknowledged report is there exactly once, whatever the file's size. The full disk is made by
// injecting the file-system layer (ENOSPC after part of a line, as the kernel does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver, type StoredLine } from '../../../src/cli/commands/report-server';
import { nodeStoreFs, openReportStore, type StoreFs, type StoreHandle } from '../../../src/cli/report-store';
import { buildReport, reportText } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

let dir: string;
let file: string;
let receiver: Receiver | undefined;
const ID1 = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';
const ID2 = '7a2d3b5f-9c4e-4d6f-8a71-2b3c4d5e6f70';
const body = (id: string) => reportText(buildReport(draft({ reportId: id }), choices()));
const start = async (storeFs?: StoreFs) =>
  (receiver = await startReceiver({ port: 0, host: '127.0.0.1', file, path: '/reports', maxBytes: 65536, rate: 100, perSeconds: 60, corsOrigin: '*', testHosts: [], storeFs }));
const post = (id: string) => fetch(receiver!.url, { method: 'POST', body: body(id), headers: { 'content-type': 'application/json' } });
const lines = () => fs.readFileSync(file, 'utf8').split('\n');
const storedIds = () => lines().filter(Boolean).map((l) => (JSON.parse(l) as StoredLine).report.reportId);

/** The real file system, except that the disk is full while `full` is set: a write stores half of what it is given, then ENOSPC. */
function fullDisk(opts: { failSync?: boolean } = {}) {
  const state = { full: false, failSync: opts.failSync ?? false };
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const storeFs: StoreFs = {
    readChunks: nodeStoreFs.readChunks,
    async openAppend(f) {
      const real = await nodeStoreFs.openAppend(f);
      let halfWritten = false;
      const h: StoreHandle = {
        ...real,
        async write(b, o, l) {
          if (!state.full) return real.write(b, o, l);
          if (halfWritten) throw enospc();
          halfWritten = true;
          return real.write(b, o, Math.max(1, Math.floor(l / 2)));
        },
        async datasync() {
          halfWritten = false;
          if (state.failSync && state.full) throw Object.assign(new Error('EIO'), { code: 'EIO' });
          return real.datasync();
        },
      };
      return h;
    },
  };
  return { state, storeFs };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-store-'));
  file = path.join(dir, 'reports.jsonl');
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('report storage', () => {
  it('a full disk: 507, no half line; after space is freed the next report is whole; after a restart each acknowledged report is there once', async () => {
    const disk = fullDisk();
    await start(disk.storeFs);
    disk.state.full = true;
    const refused = await post(ID1);
    expect(refused.status).toBe(507);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(fs.readFileSync(file, 'utf8')).toBe(''); // the half line was taken back
    disk.state.full = false;
    expect((await post(ID2)).status).toBe(201);
    expect(lines().at(-1)).toBe(''); // ends on a line break: whole lines only
    expect(storedIds()).toEqual([ID2]);
    await receiver!.close();
    await start(); // restart, the real file system
    expect((await post(ID2)).status).toBe(200); // acknowledged: held, not stored again
    expect((await post(ID1)).status).toBe(201); // refused before: the retry stores it
    await receiver!.close();
    await start();
    expect((await post(ID1)).status).toBe(200);
    expect(storedIds().sort()).toEqual([ID1, ID2].sort());
  });

  it('a failed sync is not acknowledged and leaves nothing behind', async () => {
    const disk = fullDisk({ failSync: true });
    await start(disk.storeFs);
    disk.state.full = true;
    const res = await post(ID1);
    expect([503, 507]).toContain(res.status);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });

  it('creates the file readable by its owner only (0600), and names an existing file others can read', async () => {
    await start();
    expect((await post(ID1)).status).toBe(201);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await receiver!.close();
    receiver = undefined;
    fs.chmodSync(file, 0o644);
    const log: string[] = [];
    const store = await openReportStore(file, { log: (l) => log.push(l) });
    await store.close();
    expect(log.join('\n')).toMatch(/can be read by other users \(mode 644\).*chmod 600/);
  });

  it('cuts off a partial last line left by a crash, and keeps the whole ones', async () => {
    await start();
    await post(ID1);
    await receiver!.close();
    fs.appendFileSync(file, '{"receivedAt":"2026-11-24T00:00:00Z","report":{"reportId":"7a2d'); // cut short
    const log: string[] = [];
    const store = await openReportStore(file, { log: (l) => log.push(l) });
    expect(store.has(ID1)).toBe(true);
    expect(store.size).toBe(1);
    await store.close();
    expect(log.join('\n')).toMatch(/partial line/);
    expect(fs.readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    await start();
    expect((await post(ID2)).status).toBe(201);
    expect(storedIds()).toEqual([ID1, ID2]);
  });

  it('starts whatever the file size: a file larger than the longest string node can make (600 MiB) is streamed', async () => {
    await start();
    await post(ID1);
    await receiver!.close();
    // A sparse 600 MiB stretch (one long line of NULs, e.g. what a crashed file system leaves), then
    // a stored report. Read as one string, this file cannot even be loaded ("Cannot create a string
    // longer than 0x1fffffe8 characters").
    const line: StoredLine = { ...(JSON.parse(lines()[0]!) as StoredLine) };
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size + 600 * 1024 * 1024);
    fs.appendFileSync(file, '\n');
    line.report = { ...line.report, reportId: ID2 };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    const log: string[] = [];
    const store = await openReportStore(file, { log: (l) => log.push(l) });
    expect([store.has(ID1), store.has(ID2), store.size]).toEqual([true, true, 2]);
    expect(log).toEqual([`warning: ${file}:2 is not a stored report; ignored`]);
    await store.close();
  }, 60_000);

  it('stores one of fifty identical reports sent at once', async () => {
    await start();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(ID1).then((r) => r.status)));
    expect(answers.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((s) => s === 200)).toHaveLength(49);
    expect(storedIds()).toEqual([ID1]);
  });
});
