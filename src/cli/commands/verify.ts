/**
 * `verify --pub KEY FEED_DIR_OR_INDEX`: would a reader accept this feed? It runs the very checks
 * the extension's sync runs (acceptFeed, src/core/feed/accept.ts) as a reader subscribing now, then
 * checks every delta the index lists the way a reader following it would; a broken delta is a
 * warning (readers fall back to the snapshot), a refused index or snapshot is INVALID.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FeedError, LIMITS, acceptFeed, keyId, maxSnapshotFileBytes, openDelta, openSnapshot, publicKeyFromBase64 } from '../../core/feed';
import type { Command } from '../command';
import { FileError, readRegularFile } from '../files';

const HELP = `usage: already-debunked verify --pub KEY [--pub KEY2] FEED [--allow-loopback] [--now ISO-TIME]

KEY is the public key (base64, or a file holding it); FEED is the feed's folder or its index.json.
Applies exactly the checks a reader's extension applies before it stores a feed (signatures, sizes
and SHA-256 against the index, feed id, epoch and sequence, state hash, expiry, schema, limits),
as of --now (default: the current time). Exit 0: readers accept it; 1: readers refuse it.
A delta readers cannot apply is reported as a warning (they fetch the snapshot instead).
With several --pub (a key rotation), every file must verify with each of them.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a feed folder exactly as readers do: signatures, checksums, schema, limits, expiry',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { pub: { type: 'string', multiple: true }, now: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'allow-loopback': { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    if (values.help) return (io.out(HELP), 0);
    if (!values.pub?.length || positionals.length !== 1) return (io.err(HELP), 2);
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO 8601 time');
    const keyList: Uint8Array[] = [];
    for (const pub of values.pub) keyList.push(publicKeyFromBase64(looksLikeKey(pub) ? pub : new TextDecoder().decode(await readRegularFile(pub, 4096))));
    const target = positionals[0]!;
    const indexPath = fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() ? path.join(target, 'index.json') : target;
    const dir = path.dirname(indexPath);
    const testHosts = values['allow-loopback'] ? ['127.0.0.1', 'localhost'] : [];
    const read = (ref: { path: string }, maxBytes: number) => readRegularFile(path.join(dir, ref.path), maxBytes);
    try {
      let result = '';
      // Each key alone must carry the feed (during a key rotation readers hold either one).
      for (const key of keyList) {
        const indexBytes = await readRegularFile(indexPath, LIMITS.maxIndexBytes);
        const ctx = { keys: [key], held: null, now, testHosts, read };
        const { index, update } = await acceptFeed(indexBytes, ctx);
        // Every check a reader makes runs as the entries are read (a binary snapshot chunk by chunk).
        let count = 0;
        let hashes = 0;
        for (const chunk of update?.put ?? []) {
          count += chunk.length;
          for (const e of chunk) hashes += e.media.reduce((m, x) => m + x.hashes.length + (x.frames?.items.length ?? 0), 0);
        }
        // With a binary form listed, readers of this version use it; older readers the JSON form:
        // it must carry the same list (a refusal is a warning: those readers keep their last list).
        if (index.binary) {
          try {
            const old = openSnapshot(await read(index.snapshot, maxSnapshotFileBytes()), index, ctx, index.snapshot);
            if (update && old.stateHash !== update.stateHash) throw new FeedError('state-hash', 'the JSON snapshot holds another list than the binary one (state hashes differ)');
          } catch (e) {
            io.err(`WARNING: ${index.snapshot.path}: ${(e as Error).message} (readers older than the binary form refuse the feed)`);
          }
        }
        let brokenDeltas = 0;
        for (const ref of [...index.deltas, ...(index.binary?.deltas ?? [])]) {
          try {
            const delta = openDelta(await read(ref, LIMITS.maxDeltaBytes), ref, index, ctx);
            if (delta.toSeq === index.seq && update && delta.stateHash !== update.stateHash) {
              throw new FeedError('state-hash', 'readers following this delta would hold another list than the snapshot’s (state hashes differ)');
            }
          } catch (e) {
            brokenDeltas++;
            io.err(`WARNING: ${ref.path}: ${(e as Error).message} (readers will fetch the snapshot instead)`);
          }
        }
        result =
          `OK ${index.feedId}: epoch ${index.epoch}, seq ${index.seq}, ${count} entries, ${hashes} hashes, ${index.deltas.length} deltas` +
          `${index.binary ? ` (binary form: ${index.binary.snapshot.path}, ${index.binary.deltas.length} deltas)` : ''}` +
          `${brokenDeltas ? ` (${brokenDeltas} broken)` : ''}, expires ${index.expiresAt}`;
      }
      io.out(keyList.length > 1 ? `${result}; every file signed by each of ${keyList.map(keyId).join(', ')}` : result);
      return 0;
    } catch (e) {
      if (!(e instanceof FeedError) && !(e instanceof FileError)) throw e;
      io.err(`INVALID: ${e.message}`);
      return 1;
    }
  },
};

const looksLikeKey = (s: string) => /^[A-Za-z0-9+/]{43}=$/.test(s.trim());
