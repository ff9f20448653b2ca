/** `keygen --out DIR`: an Ed25519 key pair for signing a feed. */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPair, keyId, publicKeyToBase64, toBase64 } from '../../core/feed';
import type { Command } from '../command';

const HELP = `usage: already-debunked keygen --out DIR

Writes DIR/feed-key.secret (mode 0600: keep it secret, it signs your feed) and DIR/feed-key.pub
(the public key, base64: give it to readers, who paste it with your feed's URL).`;

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an Ed25519 key pair for signing a feed',
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (io.out(HELP), 0);
    if (!values.out) return (io.err(HELP), 2);
    fs.mkdirSync(values.out, { recursive: true });
    const secretPath = path.join(values.out, 'feed-key.secret');
    if (fs.existsSync(secretPath)) throw new Error(`${secretPath} exists: refusing to overwrite a key`);
    const { secretKey, publicKey } = generateKeyPair();
    fs.writeFileSync(secretPath, `${toBase64(secretKey)}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(values.out, 'feed-key.pub'), `${publicKeyToBase64(publicKey)}\n`);
    io.out(`secret key: ${secretPath} (keep it private)`);
    io.out(`public key: ${publicKeyToBase64(publicKey)}  (key id ${keyId(publicKey)})`);
    return 0;
  },
};
