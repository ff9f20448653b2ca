/**
 * `desk`: the fact-checking desk (docs/desk.md) — receives readers' reports, groups them by picture,
 * and lets editors draft, correct, withdraw and publish feed entries from a web app. The server is
 * src/desk/server; this only reads the command line and prints where to go.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { startDesk } from '../../desk/server/start';
import { imageHashes } from '../image-hashes';
import type { Command } from '../command';
import { trustList } from './report-server';

const HELP = `usage: already-debunked desk [--port 8788] [--host 127.0.0.1] [--data ./desk-data] [--public-url URL]
       [--key FILE] [--feed-id ID] [--feed-name NAME] [--publisher NAME] [--publisher-url URL]
       [--max-bytes 65536] [--rate 30] [--per-hour 20000] [--trust-proxy ADDRESSES] [--allow-loopback]

Receives reports at POST /reports, publishes the signed feed at /feed/index.json, serves the desk's
web app at /. Data (the embedded database, the feed key, the feed folder) lives under --data; with
DATABASE_URL set (postgres://…) the database is that Postgres server instead. --public-url is where
readers reach the desk (behind an HTTPS proxy): the feed id and the report endpoint derive from it.
Behind a reverse proxy, name it in --trust-proxy (comma-separated addresses or CIDR ranges, or
loopback, linklocal, uniquelocal) so per-address limits and login throttling see readers' addresses
(the right-most X-Forwarded-For hop that is not a named proxy), not the proxy's.
On the first start it prints the first admin's one-time password.`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The built app: dist/desk-app beside the bundle (dist/cli/main.js), or in the checkout (src/cli/commands). */
const APP_DIRS = [path.resolve(HERE, '../desk-app'), path.resolve(HERE, '../../../dist/desk-app')];

function whole(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number`);
  return n;
}

export const deskCommand: Command = {
  name: 'desk',
  summary: 'the fact-checking desk: reports in, clusters, entries, signed feed out',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: 'desk-data' },
        'public-url': { type: 'string' },
        key: { type: 'string' },
        'feed-id': { type: 'string' },
        'feed-name': { type: 'string' },
        publisher: { type: 'string' },
        'publisher-url': { type: 'string' },
        'max-bytes': { type: 'string' },
        rate: { type: 'string' },
        'per-hour': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'allow-loopback': { type: 'boolean', default: false },
        'app-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return (io.out(HELP), 0);
    // Without --public-url the desk is a local trial on this machine: its feed and report address
    // are loopback http ones (readers elsewhere cannot reach them), which the format allows only so.
    const local = !values['public-url'];
    const testHosts = values['allow-loopback'] || local ? ['127.0.0.1', 'localhost'] : [];
    const desk = await startDesk({
      dataDir: path.resolve(values.data),
      databaseUrl: process.env.DATABASE_URL || undefined,
      host: values.host,
      port: whole(values.port, 'port', 8788, 0),
      publicUrl: values['public-url'],
      keyFile: values.key,
      feed: {
        ...(values['feed-id'] ? { id: values['feed-id'] } : {}),
        ...(values['feed-name'] ? { name: { en: values['feed-name'] } } : {}),
        ...(values.publisher ? { publisher: { name: values.publisher, ...(values['publisher-url'] ? { url: values['publisher-url'] } : {}) } } : {}),
        ...(values['public-url'] ? { reportEndpoint: `${values['public-url'].replace(/\/$/, '')}/reports` } : {}),
      },
      appDir: values['app-dir'] ?? APP_DIRS.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? APP_DIRS[1]!,
      testHosts,
      limits: {
        maxBytes: whole(values['max-bytes'], 'max-bytes', 64 * 1024),
        perAddressPerMinute: whole(values.rate, 'rate', 30),
        perHour: whole(values['per-hour'], 'per-hour', 20_000),
      },
      log: io.out,
      pictureHashes: hashPictureBytes,
      trustProxy: trustList(values['trust-proxy']),
    });
    io.out(`desk at ${desk.url}/ (database: ${desk.db.kind}${desk.db.kind === 'pglite' ? ` in ${path.resolve(values.data, 'db')}` : ''})`);
    io.out(`receiving reports at ${desk.url}/reports; feed at ${desk.feedUrl}, public key ${desk.publicKey}`);
    if (local) io.out(`local trial: readers elsewhere cannot reach ${desk.url}; to publish, put it behind HTTPS and start it with --public-url https://…`);
    if (desk.adminPassword) io.out(`first login: user "admin", one-time password ${desk.adminPassword} (you will choose a new one)`);
    await new Promise<void>((resolve) => {
      const stop = () => void desk.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

/**
 * The desk's picture hasher: the very code `build` runs on a media file (reference, canonical and
 * re-share variants), on a private temporary copy of the fetched bytes.
 */
export async function hashPictureBytes(bytes: Uint8Array) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-desk-picture-'));
  try {
    const file = path.join(dir, 'picture');
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    return (await imageHashes(file, 'original', { variants: true })).hashes;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
