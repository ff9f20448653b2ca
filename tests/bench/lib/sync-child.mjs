// Child process of the scale bench: node sync-child.mjs <envelope file> <public key base64>.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const { module } = await runnerImport(path.join(here, 'sync-step.ts'), { configFile: false, logLevel: 'warn' });
module.syncOnce(process.argv[2], process.argv[3]);
