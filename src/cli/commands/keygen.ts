/** `keygen --out DIR`: an Ed25519 key pair for signing a feed. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPair, keyId, publicKeyToBase64, toBase64 } from '../../core/feed';
import type { Command } from '../command';

const HELP = `usage: already-debunked keygen --out DIR

Writes DIR/feed-key.secret (mode 0600: keep it secret, it signs your feed) and DIR/feed-key.pub
(the public key, base64: give it to readers, who paste it with your feed's URL).`;

/** Creates `file` (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file, never through a link) and syncs it. */
function writeNew(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'EEXIST' || code === 'ELOOP' ? `${file} exists: refusing to overwrite a key` : `${file}: ${(e as Error).message}`);
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an Ed25519 key pair for signing a feed',
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (io.out(HELP), 0);
    if (!values.out) return (io.err(HELP), 2);
    fs.mkdirSync(values.out, { recursive: true });
    const secretPath = path.join(values.out, 'feed-key.secret');
    const publicPath = path.join(values.out, 'feed-key.pub');
    // Neither key is ever overwritten, and nothing at either path is followed: a symbolic link
    // there (even one pointing nowhere) is refused, never written through.
    for (const p of [secretPath, publicPath]) {
      if (fs.lstatSync(p, { throwIfNoEntry: false })) throw new Error(`${p} exists: refusing to overwrite a key`);
    }
    const { secretKey, publicKey } = generateKeyPair();
    writeNew(secretPath, `${toBase64(secretKey)}\n`, 0o600);
    try {
      writeNew(publicPath, `${publicKeyToBase64(publicKey)}\n`, 0o644);
    } catch (e) {
      fs.rmSync(secretPath, { force: true }); // a secret without its public key is of no use
      throw e;
    }
    io.out(`secret key: ${secretPath} (keep it private)`);
    io.out(`public key: ${publicKeyToBase64(publicKey)}  (key id ${keyId(publicKey)})`);
    return 0;
  },
};
