/**
 * External processes (ffmpeg) and temporary folders, bounded and cleaned up whatever happens:
 *
 * - each child runs in its own process group, is killed (SIGKILL: ffmpeg may ignore SIGTERM) with
 *   all its descendants when it runs past its time limit, and its output is capped;
 * - while children or temporary folders exist, the CLI's exit, SIGINT and SIGTERM kill the groups
 *   and remove the folders first (then the signal is re-raised, so the exit status stays honest).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const groups = new Set<number>();
const folders = new Set<string>();
let hooked = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function cleanUp(): void {
  for (const pid of groups) killGroup(pid);
  groups.clear();
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  folders.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanUp();
  unhook();
  process.kill(process.pid, signal); // the default action now: exit as killed by the signal
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanUp);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function unhook(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', cleanUp);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

function maybeUnhook(): void {
  if (!groups.size && !folders.size) unhook();
}

/** A temporary folder removed by `release`, or at exit or on a signal if the CLI stops first. */
export function tempFolder(prefix: string): { dir: string; release(): void } {
  hook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.add(dir);
  return {
    dir,
    release() {
      fs.rmSync(dir, { recursive: true, force: true });
      folders.delete(dir);
      maybeUnhook();
    },
  };
}

export class ChildError extends Error {
  override name = 'ChildError';
}

export interface RunLimits {
  /** Killed (with its whole process group) after this long. */
  timeoutMs: number;
  /** At most this much of stderr is kept (the end of it). */
  maxOutputBytes?: number;
  /** A message for a missing command (ENOENT). */
  missing?: string;
}

/** Runs `cmd` with stdin closed and stdout discarded; resolves with (the end of) stderr on status 0. */
export function runBounded(cmd: string, args: readonly string[], limits: RunLimits): Promise<string> {
  const max = limits.maxOutputBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    hook();
    const p = spawn(cmd, [...args], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const pid = p.pid;
    if (pid !== undefined) groups.add(pid);
    let err = Buffer.alloc(0);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, limits.timeoutMs);
    const done = () => {
      clearTimeout(timer);
      if (pid !== undefined) {
        killGroup(pid); // descendants it left behind
        groups.delete(pid);
      }
      maybeUnhook();
    };
    p.stderr.on('data', (d: Buffer) => {
      err = Buffer.concat([err, d]);
      if (err.length > max) err = err.subarray(err.length - max);
    });
    p.on('error', (e: NodeJS.ErrnoException) => {
      done();
      reject(new ChildError(e.code === 'ENOENT' ? (limits.missing ?? `${cmd} is not installed`) : e.message));
    });
    p.on('close', (code) => {
      done();
      const text = err.toString('utf8');
      if (timedOut) return reject(new ChildError(`${cmd} took longer than ${Math.round(limits.timeoutMs / 1000)} s; stopped`));
      if (code === 0) return resolve(text);
      reject(new ChildError(`${cmd} failed: ${text.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
}

/**
 * Spawns `cmd` with stdout and stderr piped (a caller that streams frames from stdout), in its own
 * process group: killed with its descendants after `timeoutMs`, and by the CLI's exit, SIGINT and
 * SIGTERM like runBounded's children. The caller reads the streams and listens for 'close'.
 */
export function spawnBounded(cmd: string, args: readonly string[], timeoutMs: number) {
  hook();
  const p = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = p.pid;
  if (pid !== undefined) groups.add(pid);
  const timer = setTimeout(() => {
    if (pid !== undefined) killGroup(pid);
  }, timeoutMs);
  const done = () => {
    clearTimeout(timer);
    if (pid !== undefined) {
      killGroup(pid);
      groups.delete(pid);
    }
    maybeUnhook();
  };
  p.on('error', done);
  p.on('close', done);
  return p;
}
