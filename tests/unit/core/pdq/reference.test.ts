// Agreement with Meta's reference PDQ (facebook/ThreatExchange pdq/cpp), on the reference's own test
// images and the hashes its C++ CLI prints for them (../shared/pdq-vectors, see its README).
// Decoding is sharp's (libvips/libjpeg-turbo); the reference CLI decodes with CImg and, for images
// larger than 512 in either dimension, first resizes to 512x512 (referenceCliResize).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance, hashFromHex, hashToHex } from '../../../../src/core/hash256';
import { pdqHash, pdqHashDihedral, referenceCliResize, type Pixels } from '../../../../src/core/pdq';

const VECTORS = path.resolve(import.meta.dirname, '../../../../../shared/pdq-vectors');
const csv = (name: string) =>
  fs
    .readFileSync(path.join(VECTORS, name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

async function decode(file: string): Promise<Pixels> {
  const { data, info } = await sharp(path.join(VECTORS, 'images', file)).raw().toBuffer({ resolveWithObject: true });
  return referenceCliResize({ data, width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4 });
}

describe('PDQ against the reference C++ outputs', () => {
  it('hashes every reference image within the compatibility rule, nearly all bit-exact', async () => {
    const rows = csv('expected.csv');
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const table: string[] = [];
    let exact = 0;
    for (const [hex, quality, file] of rows) {
      const ours = pdqHash(await decode(file!));
      const d = hammingDistance(ours.hash, hashFromHex(hex!));
      if (d === 0) exact++;
      const q = quality ? Number(quality) : null;
      table.push(`${file!.padEnd(36)} distance ${String(d).padStart(3)}  quality ours ${String(ours.quality).padStart(3)} ref ${q ?? '—'}`);
      // The reference's rule: within 10 for every image; ours: within 2 where quality >= 50.
      expect(d, `${file} ${hashToHex(ours.hash)}`).toBeLessThanOrEqual(q !== null && q < 50 ? 10 : 2);
      if (q !== null) expect(ours.quality, file).toBe(q);
    }
    console.log(`PDQ vs reference (${exact}/${rows.length} bit-exact):\n${table.join('\n')}`);
    expect(exact).toBeGreaterThanOrEqual(rows.length - 2);
  });

  it('derives the 8 dihedral hashes in the reference order, from one DCT', async () => {
    const rows = csv('expected-dihedral.csv');
    const table: string[] = [];
    let exact = 0;
    for (const row of rows) {
      const file = row[9]!;
      const ours = pdqHashDihedral(await decode(file));
      const ds = ours.hashes.map((h, i) => hammingDistance(h, hashFromHex(row[i]!)));
      if (ds.every((d) => d === 0)) exact++;
      table.push(`${file.padEnd(36)} ${ds.map((d) => String(d).padStart(2)).join(' ')}`);
      for (const d of ds) expect(d, file).toBeLessThanOrEqual(2);
      expect(ours.quality).toBe(Number(row[8]));
    }
    console.log(`dihedral distances (orig r90 r180 r270 fx fy f+1 f-1), ${exact}/${rows.length} all bit-exact:\n${table.join('\n')}`);
    expect(exact).toBeGreaterThanOrEqual(rows.length - 2);
  });

  it('the rotated and flipped photos (each a JPEG of its own) match the right dihedral hash of the original', async () => {
    const original = pdqHashDihedral(await decode('dih-bridge-1-original.jpg'));
    const files = ['1-original', '2-rotate-90', '3-rotate-180', '4-rotate-270', '5-flipx', '6-flipy', '7-flip-plus-1', '8-flip-minus-1'];
    for (const [i, name] of files.entries()) {
      const plain = pdqHash(await decode(`dih-bridge-${name}.jpg`));
      const distances = original.hashes.map((h) => hammingDistance(plain.hash, h));
      expect(distances[i], `${name}: ${distances.join(' ')}`).toBeLessThanOrEqual(31);
      expect(distances.indexOf(Math.min(...distances)), name).toBe(i);
    }
  });
});
