// A throwaway Postgres server for tests and benches: Debian's PostgreSQL 15 binaries, a cluster in a
// temp dir (initdb), on a random loopback port (pg_ctl). Postgres refuses to run as root: as root
// the cluster is made and run by the `postgres` user (or `nobody`). Null, with the reason, when the
// binaries are not installed (CI installs them: .ci/run).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  url: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function userOf(name: string): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', name]).toString().trim()), gid: Number(execFileSync('id', ['-g', name]).toString().trim()) };
  } catch {
    return null;
  }
}

export async function startPgServer(): Promise<PgServer | { skip: string }> {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) return { skip: `PostgreSQL binaries not found in ${BIN} (apt-get install postgresql)` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-pg-'));
  const root = process.getuid?.() === 0;
  const runAs = root ? (userOf('postgres') ? 'postgres' : 'nobody') : null;
  if (root) {
    const u = userOf(runAs!)!;
    fs.chownSync(dir, u.uid, u.gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = runAs ? ['runuser', ['-u', runAs, '--', path.join(BIN, cmd), ...args]] : [path.join(BIN, cmd), args];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'desk', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://desk@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
