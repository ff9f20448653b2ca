// Agreement with the reference C++ PDQ without any image decoder in between: generated images
// (synthetic.mjs) and what Meta's reference C++ (its CLI, and its library called on the full image)
// printed for them, recorded once in fixtures/reference-synthetic.csv. The cases cover sizes below 5 and below 64, exactly 64x64 (which
// the reference's plain and dihedral paths treat differently), the CLI's resize above 512, wide box
// windows, grey and colour, and constant images, whose hashes are nothing but float rounding.
// Every case is hashed as given (grey or RGB), as RGBA, and as RGBA at an odd byte offset.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToHex } from '../../../../src/core/hash256';
import { pdqHash, pdqHashDihedral, referenceCliResize, type Pixels } from '../../../../src/core/pdq';
import { KINDS, allGrey, synthesize, type Kind } from './synthetic.mjs';

const lines = fs
  .readFileSync(path.join(import.meta.dirname, 'fixtures', 'reference-synthetic.csv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));
const columns = lines[0]!.split(',');
const allCases = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i]!, v])) as Record<string, string>);
/**
 * AD_PDQ_QUICK=1 (the pdq mutation group, tests/mutate-groups.sh): the cases up to 17,000 pixels
 * (sizes below 5, below 64, 64, 65, 127-129), and of the larger ones one per path they alone reach
 * (the CLI's resize just above 512, a wide window of the library): Stryker's instrumented pixel
 * loops make each larger case seconds per mutant on a shared machine. npm test runs every case.
 */
const QUICK_LARGE = new Set(['cli 513x512', 'lib 2000x90']);
const cases = process.env.AD_PDQ_QUICK === '1' ? allCases.filter((c) => Number(c.width) * Number(c.height) <= 17_000 || QUICK_LARGE.has(`${c.mode} ${c.width}x${c.height}`)) : allCases;

/** The same pixels as RGBA, alpha varying (it must be ignored), at the given byte offset. */
function toRgba(px: Pixels, byteOffset: number): Pixels {
  const n = px.width * px.height;
  const data = new Uint8Array(byteOffset + n * 4).subarray(byteOffset);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = px.data[i * px.channels + (px.channels === 1 ? 0 : c)]!;
    data[i * 4 + 3] = (i * 37) & 255;
  }
  return { width: px.width, height: px.height, channels: 4, data };
}

describe('PDQ against the reference C++ on generated images', () => {
  it('has a fixture covering every kind of image', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(allCases.map((c) => c.kind))).toEqual(new Set(KINDS));
  });

  it.each(cases.map((c) => [`${c.mode} ${c.width}x${c.height} ${c.channels === '1' ? 'grey' : 'colour'} ${c.kind} #${c.seed}`, c] as const))(
    '%s',
    (_, c) => {
      const spec = { width: Number(c.width), height: Number(c.height), channels: Number(c.channels) as 1 | 3, kind: c.kind as Kind, seed: Number(c.seed) };
      const generated = synthesize(spec);
      if (spec.channels === 3) expect(allGrey(generated)).toBe(false); // else the reference (reading PPM) and we would differ on purpose
      // "cli" rows came from the CLI, which first resizes images larger than 512 to 512x512.
      const prepare = (px: Pixels) => (c.mode === 'cli' ? referenceCliResize(px) : px);
      const expected = {
        plain: [c.hash, Number(c.quality)],
        dihedral: [[c.original, c.rotate90, c.rotate180, c.rotate270, c.flipx, c.flipy, c.flipplus1, c.flipminus1], Number(c.dihedralQuality)],
      };
      for (const [form, px] of [
        ['as generated', generated],
        ['RGBA', toRgba(generated, 0)],
        ['RGBA at offset 1', toRgba(generated, 1)],
      ] as const) {
        const input = prepare(px);
        const plain = pdqHash(input);
        const dihedral = pdqHashDihedral(input);
        expect({ plain: [hashToHex(plain.hash), plain.quality], dihedral: [dihedral.hashes.map(hashToHex), dihedral.quality] }, form).toEqual(expected);
      }
    },
  );
});
