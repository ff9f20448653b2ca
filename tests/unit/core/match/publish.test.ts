// scaleInstability: how far the canonical hash moves when the picture is seen at thumbnail size
// (the CLI's "scale-sensitive" warning, docs/matching.md). Expected values: the definition (a
// picture no larger than the thumbnail is its own thumbnail: 0 bits), the docs' claim that natural
// photos pass and dense textures are warned about (threshold MAX_SCALE_INSTABILITY = 23), on Meta's
// PDQ test photos (tests/vectors/pdq) and a texture of 7x5-pixel blocks.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { MAX_SCALE_INSTABILITY, STABILITY_SIDE, scaleInstability } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

const IMAGES = path.join(__dirname, '../../../vectors/pdq/images');
async function decode(file: string): Promise<Pixels> {
  const { data, info } = await sharp(path.join(IMAGES, file), { ignoreIcc: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as 3, data: new Uint8Array(data) };
}

describe('scaleInstability: the bits the canonical hash moves at thumbnail size', () => {
  it(`is 0 for a picture no larger than the thumbnail (${STABILITY_SIDE} px on its long side)`, async () => {
    for (const file of ['bridge-mods-shrink-a-lot.jpg', 'bridge-mods-square-256x256.jpg', 'labelme-subset-q1050.jpg', 'misc-images-wee.jpg']) {
      const px = await decode(file);
      expect(Math.max(px.width, px.height), file).toBeLessThanOrEqual(STABILITY_SIDE);
      expect(scaleInstability(px), file).toBe(0);
    }
  });

  it('lets a natural photo pass, in each of its 8 rotations and flips: it moves, but no more than the threshold', async () => {
    const files = ['1-original', '2-rotate-90', '3-rotate-180', '4-rotate-270', '5-flipx', '6-flipy', '7-flip-plus-1', '8-flip-minus-1'].map((n) => `dih-bridge-${n}.jpg`);
    for (const file of [...files, 'bridge-mods-square-512x512.jpg']) {
      const got = scaleInstability(await decode(file));
      expect(got, file).toBeGreaterThan(0);
      expect(got, file).toBeLessThanOrEqual(MAX_SCALE_INSTABILITY);
    }
  });

  it('warns about a dense texture: 7x5-pixel blocks at 1024x768 move far past the threshold', () => {
    const W = 1024, H = 768;
    const data = Uint8Array.from({ length: W * H }, (_, i) => 70 + ((Math.floor((i % W) / 7) * 31 + Math.floor(Math.floor(i / W) / 5) * 17) % 90));
    expect(scaleInstability({ width: W, height: H, channels: 1, data })).toBeGreaterThan(MAX_SCALE_INSTABILITY);
  });
});
