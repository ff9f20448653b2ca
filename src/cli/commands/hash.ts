/**
 * `hash [--dihedral] FILE…`: PDQ hashes of image files, printed exactly as the reference CLI
 * (facebook/ThreatExchange pdq/cpp/bin/pdq-photo-hasher) prints them: `hash,quality,file`; with
 * --dihedral, the 8 hashes (original, rotate90, rotate180, rotate270, flipx, flipy, flipplus1,
 * flipminus1), then quality and file, comma-separated. A file that cannot be read gets an error
 * line on stderr; the others are still hashed; the exit status is 1 if any failed.
 */
import { parseArgs } from 'node:util';
import { hashToHex } from '../../core/hash256';
import { pdqHash, pdqHashDihedral, type Pixels } from '../../core/pdq';
import type { Command } from '../command';
import { decodeFile } from '../decode';

/** Files being decoded while one is hashed (their decodes overlap its hash). */
export const READ_AHEAD = 4;

const HELP = `usage: already-debunked hash [--dihedral] FILE...

Prints hash,quality,file for each image (JPEG, PNG, WebP, GIF first frame, TIFF, AVIF), in the
format of Meta's reference PDQ hasher. Hashes of quality below 50 should not be trusted for matching.

  --dihedral   print the 8 dihedral hashes (rotations and flips), then quality and file`;

export const hashCommand: Command = {
  name: 'hash',
  summary: 'PDQ hashes of image files (reference CLI format)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { dihedral: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length === 0) {
      io.err(HELP);
      return 2;
    }
    let failed = 0;
    // Decoding (sharp: libvips on libuv's threads) runs ahead of hashing (JavaScript, on this
    // thread), so the two overlap on a machine with more than one core; at most READ_AHEAD files
    // ahead, so memory stays bounded. Lines come out in the order of the files, each failure where
    // its line would be.
    const pending = new Map<number, Promise<Pixels>>();
    const readAhead = (from: number) => {
      for (let j = from; j < Math.min(positionals.length, from + READ_AHEAD); j++) {
        if (pending.has(j)) continue;
        const p = decodeFile(positionals[j]!);
        p.catch(() => undefined); // awaited, and reported, in its turn
        pending.set(j, p);
      }
    };
    for (const [i, file] of positionals.entries()) {
      readAhead(i);
      const decoding = pending.get(i)!;
      pending.delete(i);
      try {
        const px = await decoding;
        readAhead(i + 1);
        if (values.dihedral) {
          const { hashes, quality } = pdqHashDihedral(px);
          io.out(`${hashes.map(hashToHex).join(',')},${quality},${file}`);
        } else {
          const { hash, quality } = pdqHash(px);
          io.out(`${hashToHex(hash)},${quality},${file}`);
        }
      } catch (e) {
        failed++;
        io.err(`${file}: ${(e as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  },
};
