#!/usr/bin/env node
// The publisher CLI. An installed package runs the built bundle (dist/cli/main.js, made by
// `npm run build:cli`, which `npm pack` runs first): plain node, no dev toolchain. In a checkout of
// the sources (src/ present) it runs them through Vite's module runner instead, so a change needs
// no rebuild; AD_CLI_BUNDLE=1 runs the bundle there too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '../src/cli/main.ts');
const bundle = path.resolve(here, '../dist/cli/main.js');

let main;
let closeRunner = async () => undefined;
if (fs.existsSync(source) && process.env.AD_CLI_BUNDLE !== '1') {
  // A module runner that stays open while the command runs: main loads each command when it runs.
  const { createServer, createServerModuleRunner } = await import('vite');
  const server = await createServer({ configFile: false, logLevel: 'silent', appType: 'custom', server: { middlewareMode: true, hmr: false, ws: false, watch: null } });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  ({ main } = await runner.import(source));
  closeRunner = async () => {
    await runner.close();
    await server.close();
  };
} else if (fs.existsSync(bundle)) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  process.stderr.write(`already-debunked: ${bundle} is missing (run npm run build:cli)\n`);
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
await closeRunner();
