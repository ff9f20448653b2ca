// Imports a TypeScript module of the sources through one Vite module runner that stays open for the
// test process (the CLI's main loads each command's module when it runs, so the runner must
// outlive the import: `runnerImport` closes it at once). No file watcher, no server: the process
// still ends on its own.
import { createServer, createServerModuleRunner } from 'vite';

let runner = null;

export async function importSource(file) {
  runner ??= createServer({ configFile: false, logLevel: 'silent', appType: 'custom', server: { middlewareMode: true, hmr: false, ws: false, watch: null } }).then((server) =>
    createServerModuleRunner(server.environments.ssr, { hmr: false }),
  );
  return (await runner).import(file);
}
