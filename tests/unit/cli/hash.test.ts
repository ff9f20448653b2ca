import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance, hashFromHex } from '../../../src/core/hash256';
import { main } from '../../../src/cli/main';
import { READ_AHEAD } from '../../../src/cli/commands/hash';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const VECTORS = path.resolve(ROOT, 'tests/vectors/pdq');
const expected = new Map(
  fs
    .readFileSync(path.join(VECTORS, 'expected.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .map(([hash, quality, file]) => [file!, { hash: hash!, quality: quality! }]),
);

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-cli-'));
  // A generated photo-like image in several formats, and broken files.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#8ac"/><circle cx="120" cy="90" r="50" fill="#fd5"/><path d="M0 300 L150 140 L260 230 L400 120 L400 300 Z" fill="#354"/></svg>`;
  const base = sharp(Buffer.from(svg));
  await base.clone().jpeg({ quality: 90 }).toFile(path.join(tmp, 'scene.jpg'));
  await base.clone().png().toFile(path.join(tmp, 'scene.png'));
  await base.clone().webp({ quality: 90 }).toFile(path.join(tmp, 'scene.webp'));
  await base.clone().gif().toFile(path.join(tmp, 'scene.gif'));
  const jpeg = fs.readFileSync(path.join(tmp, 'scene.jpg'));
  fs.writeFileSync(path.join(tmp, 'truncated.jpg'), jpeg.subarray(0, 200));
  fs.writeFileSync(path.join(tmp, 'not-an-image.jpg'), 'hello');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('already-debunked hash', () => {
  it('prints hash,quality,file like the reference CLI, agreeing with its hashes', async () => {
    const files = ['bridge-mods-aaa-orig.jpg', 'labelme-subset-q0122.jpg', 'modes-P.png'].map((f) => path.join(VECTORS, 'images', f));
    const { code, out, err } = await run('hash', ...files);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toHaveLength(3);
    for (const [i, line] of out.entries()) {
      const [hex, quality, file] = line.split(',');
      expect(file).toBe(files[i]);
      const ref = expected.get(path.basename(files[i]!))!;
      expect(hammingDistance(hashFromHex(hex!), hashFromHex(ref.hash))).toBeLessThanOrEqual(2);
      expect(quality).toBe(ref.quality);
    }
  });

  it('--dihedral prints the 8 hashes, then quality and file', async () => {
    const file = path.join(VECTORS, 'images', 'dih-bridge-1-original.jpg');
    const { code, out } = await run('hash', '--dihedral', file);
    expect(code).toBe(0);
    const fields = out[0]!.split(',');
    expect(fields).toHaveLength(10);
    expect(fields.slice(0, 8).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(fields.slice(8)).toEqual(['100', file]);
  });

  it('reads JPEG, PNG, WebP and GIF, and the same picture hashes alike in each', async () => {
    const files = ['scene.jpg', 'scene.png', 'scene.webp', 'scene.gif'].map((f) => path.join(tmp, f));
    const { code, out } = await run('hash', ...files);
    expect(code).toBe(0);
    const hashes = out.map((l) => hashFromHex(l.split(',')[0]!));
    for (const h of hashes.slice(1)) expect(hammingDistance(h, hashes[0]!)).toBeLessThanOrEqual(12);
  });

  it('reports each bad file on stderr, still hashes the others, and exits 1', async () => {
    const good = path.join(tmp, 'scene.png');
    const { code, out, err } = await run('hash', path.join(tmp, 'missing.jpg'), good, path.join(tmp, 'truncated.jpg'), path.join(tmp, 'not-an-image.jpg'));
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^[0-9a-f]{64},\\d+,${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(err).toHaveLength(3);
    expect(err[0]).toMatch(/missing\.jpg: no such file/);
    expect(err[1]).toMatch(/truncated\.jpg: /);
    expect(err[2]).toMatch(/not-an-image\.jpg: .*unsupported image format/);
  });

  it('hashes many files, decoding ahead, exactly as the reference CLI printed them, in the order given', async () => {
    // More files than are decoded ahead (READ_AHEAD), a failure in the middle: every line in its
    // place, every hash and quality the reference C++ CLI's, bit for bit (its recorded output).
    const names = [...expected.keys()].filter((f) => expected.get(f)!.quality !== '');
    expect(names.length).toBeGreaterThan(3 * READ_AHEAD);
    const files = names.map((f) => path.join(VECTORS, 'images', f));
    files.splice(7, 0, path.join(tmp, 'missing.jpg'));
    const { code, out, err } = await run('hash', ...files);
    expect(code).toBe(1);
    expect(err).toEqual([`${path.join(tmp, 'missing.jpg')}: no such file`]);
    expect(out).toEqual(names.map((f) => `${expected.get(f)!.hash},${expected.get(f)!.quality},${path.join(VECTORS, 'images', f)}`));
  });

  it('answers a missing argument or an unknown command with usage and a non-zero status', async () => {
    expect((await run('hash')).code).toBe(2);
    expect((await run('hash')).err.join('\n')).toMatch(/usage: already-debunked hash/);
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown command/);
    expect((await run()).code).toBe(2);
    expect((await run('--help')).code).toBe(0);
  });

  it('runs as the real bin end to end', async () => {
    const file = path.join(VECTORS, 'images', 'labelme-subset-q0122.jpg');
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'hash', file], { cwd: ROOT });
    expect(stdout.trim()).toBe(`${expected.get('labelme-subset-q0122.jpg')!.hash},100,${file}`);
    const failing = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'hash', path.join(tmp, 'missing.jpg')], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect((failing as { code: number }).code).toBe(1);
  });
});
