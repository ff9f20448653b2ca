/**
 * `already-debunked`: the publisher's command-line tool. Each command is one module in
 * ./commands with a name, a summary and a run function; this file only dispatches.
 * Shares src/core (PDQ, and later the feed format) with the extension, never the runtimes.
 */
import { buildCommand } from './commands/build';
import { harvestCommand } from './commands/harvest';
import { hashCommand } from './commands/hash';
import { keygenCommand } from './commands/keygen';
import { reportServerCommand } from './commands/report-server';
import { verifyCommand } from './commands/verify';
import type { Command, Io } from './command';

const COMMANDS: readonly Command[] = [hashCommand, keygenCommand, harvestCommand, buildCommand, verifyCommand, reportServerCommand];

function usage(io: Io): void {
  io.out('usage: already-debunked <command> [options]\n\ncommands:');
  for (const c of COMMANDS) io.out(`  ${c.name.padEnd(14)} ${c.summary}`);
  io.out('\nalready-debunked <command> --help for its options');
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`already-debunked: unknown command ${JSON.stringify(name)}`);
    usage(io);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    io.err(`already-debunked ${name}: ${(e as Error).message}`);
    return 2;
  }
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
