/**
 * `already-debunked`: the publisher's command-line tool. Each command is one module in
 * ./commands with a name, a summary and a run function; this file only dispatches.
 * Shares src/core (PDQ, and later the feed format) with the extension, never the runtimes.
 */
import type { Command, Io } from './command';

/**
 * Each command's module is loaded when that command runs: `hash` does not start by loading the
 * desk's database, the harvester's HTTP client or the report server (a third of the CLI's start-up
 * time, measured by `npm run bench cli`). The bundle keeps them as separate chunks.
 */
const COMMANDS: readonly { name: string; load: () => Promise<Command> }[] = [
  { name: 'hash', load: async () => (await import('./commands/hash')).hashCommand },
  { name: 'keygen', load: async () => (await import('./commands/keygen')).keygenCommand },
  { name: 'harvest', load: async () => (await import('./commands/harvest')).harvestCommand },
  { name: 'build', load: async () => (await import('./commands/build')).buildCommand },
  { name: 'verify', load: async () => (await import('./commands/verify')).verifyCommand },
  { name: 'match', load: async () => (await import('./commands/match')).matchCommand },
  { name: 'directory', load: async () => (await import('./commands/directory')).directoryCommand },
  { name: 'report-server', load: async () => (await import('./commands/report-server')).reportServerCommand },
  { name: 'desk', load: async () => (await import('./commands/desk')).deskCommand },
];

async function usage(io: Io): Promise<void> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  io.out('usage: already-debunked <command> [options]\n\ncommands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(14)} ${c.summary}`);
  io.out('\nalready-debunked <command> --help for its options');
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`already-debunked: unknown command ${JSON.stringify(name)}`);
    await usage(io);
    return 2;
  }
  try {
    const command = await entry.load();
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
