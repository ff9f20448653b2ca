/** `verify --pub KEY FEED_DIR_OR_INDEX`: checks signatures, schema and limits of a feed on disk. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publicKeyFromBase64, verifyFeed } from '../../core/feed';
import type { Command } from '../command';

const HELP = `usage: already-debunked verify --pub KEY FEED [--allow-loopback]

KEY is the public key (base64, or a file holding it); FEED is the feed's folder or its index.json.
Checks every file's signature, size and SHA-256 against the index, the schema and the limits.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a feed folder: signatures, checksums, schema, limits',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args: [...args], options: { pub: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'allow-loopback': { type: 'boolean', default: false } }, allowPositionals: true });
    if (values.help) return (io.out(HELP), 0);
    if (!values.pub || positionals.length !== 1) return (io.err(HELP), 2);
    const keyText = fs.existsSync(values.pub) ? fs.readFileSync(values.pub, 'utf8') : values.pub;
    const keys = [publicKeyFromBase64(keyText)];
    const target = positionals[0]!;
    const indexPath = fs.statSync(target).isDirectory() ? path.join(target, 'index.json') : target;
    const dir = path.dirname(indexPath);
    const opts = { testHosts: values['allow-loopback'] ? ['127.0.0.1', 'localhost'] : [] };
    const read = (rel: string) => {
      const p = rel === 'index.json' ? indexPath : path.join(dir, rel);
      return fs.existsSync(p) ? fs.readFileSync(p) : null;
    };
    try {
      const { index, snapshot: snap, hashes } = verifyFeed(read, keys, opts);
      io.out(`OK ${index.feedId}: epoch ${index.epoch}, seq ${index.seq}, ${snap.entries.length} entries, ${hashes} hashes, ${index.deltas.length} deltas, expires ${index.expiresAt}`);
      return 0;
    } catch (e) {
      io.err(`INVALID: ${(e as Error).message}`);
      return 1;
    }
  },
};
