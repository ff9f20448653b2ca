// Turned re-shares made by another program (ImageMagick's `convert -rotate`, tests/fixtures/turns):
// the angle the reader measures, and the turned-back picture against what the publisher stores.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFull } from '../../../../src/cli/decode';
import { hammingDistance } from '../../../../src/core/hash256';
import { estimateTurn, publishHashes, queryProbes, unturn, unturnedRect, TURN_SHARE } from '../../../../src/core/match';
import { PDQ_MATCH_DISTANCE, canonicalPixels, pdqHash } from '../../../../src/core/pdq';

const FIX = path.resolve(import.meta.dirname, '../../../fixtures/turns');
const load = async (f: string) => canonicalPixels(await decodeFull(path.join(FIX, f)));

describe('turns undone on the reader’s side', () => {
  it('measures the angle convert turned by, white or black corners, to a few tenths of a degree', async () => {
    expect(estimateTurn(await load('turned-5-white.jpg'))).toBeCloseTo(5, 0);
    expect(Math.abs(estimateTurn(await load('turned-5-white.jpg'))! - 5)).toBeLessThan(0.3);
    expect(Math.abs(estimateTurn(await load('turned-m6-black.jpg'))! + 6)).toBeLessThan(0.3);
  });

  it('finds no turn in a straight picture, framed or not', async () => {
    expect(estimateTurn(await load('original.jpg'))).toBeNull();
    expect(estimateTurn(await load('border-white.jpg'))).toBeNull();
  });

  it('the turned-back centre meets the publisher’s stored crop:0.9 through the turn probe; the turned picture alone does not', async () => {
    const published = publishHashes(await decodeFull(path.join(FIX, 'original.jpg')));
    const stored = published.find((h) => h.kind === `crop:${TURN_SHARE}`)!.hash;
    for (const f of ['turned-5-white.jpg', 'turned-m6-black.jpg']) {
      const px = await load(f);
      const probe = queryProbes(px).find((p) => p.probe === 'turn');
      expect(probe, f).toBeDefined();
      expect(hammingDistance(probe!.hashes[0]!, stored)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
      expect(hammingDistance(pdqHash(px).hash, published[1]!.hash)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
      expect(hammingDistance(pdqHash(unturn(px, estimateTurn(px)!, TURN_SHARE)).hash, stored)).toBe(hammingDistance(probe!.hashes[0]!, stored));
    }
  });

  it('a turned W x H canvas gives back W x H', () => {
    const a = (6 * Math.PI) / 180;
    const [W, H] = [400, 300];
    const r = unturnedRect(W * Math.cos(a) + H * Math.sin(a), W * Math.sin(a) + H * Math.cos(a), 6, 500, 450);
    expect(r.width).toBeCloseTo(W, 6);
    expect(r.height).toBeCloseTo(H, 6);
    expect(r.x).toBeCloseTo(50, 6);
  });
});
