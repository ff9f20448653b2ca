// Agreement with Meta's reference PDQ (facebook/ThreatExchange pdq/cpp) on the reference's own test
// images and the hashes its C++ CLI prints for them (tests/vectors/pdq, see its README).
//
// Decoding: the reference CLI decodes with CImg, which hands JPEG and PNG files to ImageMagick
// (`convert file pnm:-`). That applies no colour profile and no EXIF orientation, drops alpha, and
// passes an image whose pixels are all grey as greyscale (which pdqHash detects by itself). sharp
// does the same with `ignoreIcc: true`: its pixels then equal ImageMagick's for every file here.
// By default sharp converts embedded ICC profiles to sRGB; misc-images-wee.jpg and misc-images-c.png
// carry one, and decoded that way they shift by up to 15 levels and their hashes by 2 bits (wee's
// rotate90 and flipy, c's plain hash): a decoding difference, not a hashing one. With the profile
// ignored every hash and quality below is the reference's, bit for bit.
// Then, as the CLI does, images larger than 512 in either dimension are resized to 512x512
// (referenceCliResize).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance, hashFromHex, hashToHex } from '../../../../src/core/hash256';
import { DIHEDRAL_NAMES, PDQ_MATCH_DISTANCE, pdqHash, pdqHashDihedral, referenceCliResize, type Pixels } from '../../../../src/core/pdq';

const VECTORS = path.resolve(import.meta.dirname, '../../../vectors/pdq');
const csv = (name: string) =>
  fs
    .readFileSync(path.join(VECTORS, name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

async function decode(file: string): Promise<Pixels> {
  const { data, info } = await sharp(path.join(VECTORS, 'images', file), { ignoreIcc: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return referenceCliResize({ data, width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4 });
}

describe('PDQ against the reference C++ outputs', () => {
  it('hashes every reference image bit for bit, with the same quality', async () => {
    const rows = csv('expected.csv');
    expect(rows.length).toBe(fs.readdirSync(path.join(VECTORS, 'images')).length);
    const table: string[] = [];
    const failures: string[] = [];
    for (const [hex, quality, file] of rows) {
      const ours = pdqHash(await decode(file!));
      const d = hammingDistance(ours.hash, hashFromHex(hex!));
      const q = quality ? Number(quality) : null; // misc-images-c.png: no quality in the list
      table.push(`${file!.padEnd(34)} distance ${String(d).padStart(3)}   quality ours ${String(ours.quality).padStart(3)}  reference ${q ?? '-'}`);
      // The reference's compatibility rule is distance <= 10; we hold ourselves to exact.
      if (d !== 0 || (q !== null && ours.quality !== q)) failures.push(`${file}: ${hashToHex(ours.hash)} q ${ours.quality}`);
    }
    const exact = rows.length - failures.length;
    console.log(`PDQ vs reference, ${exact}/${rows.length} bit-exact:\n${table.join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('derives the 8 dihedral hashes in the reference order, bit for bit', async () => {
    const rows = csv('expected-dihedral.csv');
    const table: string[] = [];
    const failures: string[] = [];
    for (const row of rows) {
      const file = row[9]!;
      const ours = pdqHashDihedral(await decode(file));
      const ds = ours.hashes.map((h, i) => hammingDistance(h, hashFromHex(row[i]!)));
      table.push(`${file.padEnd(34)} ${ds.map((d) => String(d).padStart(3)).join('')}   quality ${ours.quality} / ${row[8]}`);
      if (ds.some((d) => d !== 0) || ours.quality !== Number(row[8])) failures.push(file);
    }
    const exact = rows.length - failures.length;
    console.log(`dihedral distances (${DIHEDRAL_NAMES.join(' ')}), ${exact}/${rows.length} all bit-exact:\n${table.join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('matches each rotated or flipped photo (a JPEG of its own) to the right dihedral hash of the original', async () => {
    const original = pdqHashDihedral(await decode('dih-bridge-1-original.jpg'));
    const files = ['1-original', '2-rotate-90', '3-rotate-180', '4-rotate-270', '5-flipx', '6-flipy', '7-flip-plus-1', '8-flip-minus-1'];
    for (const [i, name] of files.entries()) {
      const plain = pdqHash(await decode(`dih-bridge-${name}.jpg`));
      const distances = original.hashes.map((h) => hammingDistance(plain.hash, h));
      expect(distances[i], `${name}: ${distances.join(' ')}`).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
      expect(distances.indexOf(Math.min(...distances)), name).toBe(i);
    }
  });
});
