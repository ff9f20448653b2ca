/** `verify --pub KEY FEED_DIR_OR_INDEX`: checks signatures, schema and limits of a feed on disk. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FeedError, LIMITS, PAYLOAD_TYPES, keyId, openEnvelope, parseDelta, parseIndex, parseSnapshot, publicKeyFromBase64 } from '../../core/feed';
import type { Command } from '../command';

const HELP = `usage: already-debunked verify --pub KEY [--pub KEY2] FEED [--allow-loopback]

KEY is the public key (base64, or a file holding it); FEED is the feed's folder or its index.json.
Checks every file's signature, size and SHA-256 against the index, the schema and the limits.
With several --pub (a key rotation), every file must verify with each of them.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a feed folder: signatures, checksums, schema, limits',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args: [...args], options: { pub: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' }, 'allow-loopback': { type: 'boolean', default: false } }, allowPositionals: true });
    if (values.help) return (io.out(HELP), 0);
    if (!values.pub?.length || positionals.length !== 1) return (io.err(HELP), 2);
    const keyList = values.pub.map((p) => publicKeyFromBase64(fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : p));
    const target = positionals[0]!;
    const indexPath = fs.statSync(target).isDirectory() ? path.join(target, 'index.json') : target;
    const dir = path.dirname(indexPath);
    const opts = { testHosts: values['allow-loopback'] ? ['127.0.0.1', 'localhost'] : [] };
    try {
      let result = '';
      for (const key of keyList) {
        const keys = [key];
        const index = parseIndex(openEnvelope(fs.readFileSync(indexPath), keys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes).payload, opts);
        const read = (ref: { path: string; sha256: string; bytes: number }) => {
          const bytes = fs.readFileSync(path.join(dir, ref.path));
          if (bytes.length !== ref.bytes || bytesToHex(sha256(bytes)) !== ref.sha256) throw new FeedError('checksum', 'size or SHA-256 differs from the index', ref.path);
          return bytes;
        };
        const snap = parseSnapshot(openEnvelope(read(index.snapshot), keys, PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes).payload, opts);
        for (const d of index.deltas) parseDelta(openEnvelope(read(d), keys, PAYLOAD_TYPES.delta, LIMITS.maxDeltaBytes).payload, opts);
        const hashes = snap.entries.reduce((n, e) => n + e.media.reduce((m, x) => m + x.hashes.length + (x.frames?.items.length ?? 0), 0), 0);
        result = `OK ${index.feedId}: epoch ${index.epoch}, seq ${index.seq}, ${snap.entries.length} entries, ${hashes} hashes, ${index.deltas.length} deltas, expires ${index.expiresAt}`;
      }
      io.out(keyList.length > 1 ? `${result}; every file signed by each of ${keyList.map(keyId).join(', ')}` : result);
      return 0;
    } catch (e) {
      io.err(`INVALID: ${(e as Error).message}`);
      return 1;
    }
  },
};
