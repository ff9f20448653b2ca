/**
 * `directory --key FILE --input FEEDS.json --out DIRECTORY.json [--days N]`: signs the directory of
 * known feeds that builds ship (AD_DIRECTORY) and readers subscribe from in one click. FEEDS.json is
 * a JSON array of {name, publisher, url, publicKey, languages, entries, updated, homepage?}; the
 * result is checked by the same code the extension opens it with before it is written.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { FeedError, fromBase64, openDirectory, publicKeyFromSecret, publicKeyToBase64, signDirectory, type Directory } from '../../core/feed';
import type { Command } from '../command';

const HELP = `usage: already-debunked directory --key FILE --input FEEDS.json --out DIRECTORY.json [--days N]

Signs the directory of known feeds (a JSON array of {name, publisher, url, publicKey, languages,
entries, updated, homepage?}) with the directory key, valid for N days (default 90). Builds ship it
with AD_DIRECTORY=DIRECTORY.json AD_DIRECTORY_KEYS='["<public key>"]'.`;

export const directoryCommand: Command = {
  name: 'directory',
  summary: 'sign the directory of known feeds that builds ship',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { key: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return (io.out(HELP), 0);
    if (!values.key || !values.input || !values.out) return (io.err(HELP), 2);
    const days = Number(values.days ?? 90);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error('--days takes a whole number from 1 to 3650');
    const secretKey = fromBase64(fs.readFileSync(values.key, 'utf8').trim());
    if (secretKey.length !== 32) throw new Error(`${values.key}: not an Ed25519 secret key`);
    const feeds = JSON.parse(fs.readFileSync(values.input, 'utf8')) as Directory['feeds'];
    const now = new Date();
    const directory: Directory = { type: 'already-debunked-directory', version: 1, issued: now.toISOString(), expires: new Date(now.getTime() + days * 86_400_000).toISOString(), feeds };
    const signed = signDirectory(directory, secretKey);
    const publicKey = publicKeyToBase64(publicKeyFromSecret(secretKey));
    try {
      // Loopback feeds are accepted here only so that test builds can list a local feed.
      openDirectory(signed, [publicKey], now, ['127.0.0.1', 'localhost']);
    } catch (e) {
      if (e instanceof FeedError) throw new Error(`${values.input}: ${e.message}`);
      throw e;
    }
    fs.writeFileSync(values.out, signed);
    io.out(`${values.out}: ${feeds.length} feeds, valid until ${directory.expires.slice(0, 10)}, directory key ${publicKey}`);
    return 0;
  },
};
