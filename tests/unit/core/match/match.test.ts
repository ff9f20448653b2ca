// Behaviour of each matching strategy (src/core/match, docs/matching.md) on small generated
// images: a border or a letterbox really is trimmed, a post's card and a player really are found,
// a caption band is measured and cut to the ladder, variants and probes meet under the rule, and
// the rule's levels mean what they say. The recall figures come from `npm run bench robustness`.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance } from '../../../../src/core/hash256';
import { PdqIndex } from '../../../../src/core/index';
import {
  CROP_LADDER,
  CUT_LADDER,
  ROTATIONS,
  CORNER_LADDER,
  CORNERS,
  MID_CUT,
  bandDepth,
  captionCuts,
  centerRect,
  crop,
  decide,
  findPairs,
  findPicture,
  lumaOf,
  matchRule,
  pairAllowed,
  probeFromHex,
  probeToHex,
  publishHashes,
  publishVariants,
  queryProbes,
  rotate,
  type ProbeName,
  type Rect,
  type StoredRows,
} from '../../../../src/core/match';
import { CANONICAL_VERSION, PDQ_MATCH_DISTANCE, canonicalPixels, pdqHash, type Pixels } from '../../../../src/core/pdq';
import { synthesize } from '../pdq/synthetic.mjs';

type RGB = [number, number, number];

/** A generated "photograph" (RGB), its rows and columns all varied. */
const photo = (width: number, height: number, seed = 7): Pixels => synthesize({ width, height, channels: 3, kind: 'scene', seed });

function canvas(width: number, height: number, colour: RGB): Pixels {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(colour, i);
  return { width, height, channels: 3, data };
}

function paste(into: Pixels, what: Pixels, x: number, y: number): Pixels {
  for (let r = 0; r < what.height; r++) into.data.set(what.data.subarray(r * what.width * 3, (r + 1) * what.width * 3), ((y + r) * into.width + x) * 3);
  return into;
}

function fill(into: Pixels, r: Rect, colour: RGB): Pixels {
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) into.data.set(colour, (y * into.width + x) * 3);
  return into;
}

/** Lines of "text": glyph-like dark strokes, each line followed by blank rows. */
function text(into: Pixels, x: number, y: number, width: number, lines: number, colour: RGB): Pixels {
  for (let l = 0; l < lines; l++) {
    for (let gx = x; gx < x + width - 6; gx += 9) fill(into, { x: gx, y: y + l * 14, width: 5, height: 8 }, colour);
  }
  return into;
}

const near = (a: Rect, b: Rect, slack = 1) =>
  Math.abs(a.x - b.x) <= slack && Math.abs(a.y - b.y) <= slack && Math.abs(a.width - b.width) <= slack && Math.abs(a.height - b.height) <= slack;

describe('findPicture: the picture inside interface lines', () => {
  const pic = photo(200, 150);
  const where: Rect = { x: 20, y: 20, width: 200, height: 150 };

  it('trims a uniform border on all four sides', () => {
    const framed = paste(canvas(240, 190, [255, 255, 255]), pic, 20, 20);
    const found = findPicture(framed)!;
    expect(near(found.rect, where)).toBe(true);
    expect([found.top, found.bottom, found.left, found.right]).toEqual([20, 20, 20, 20]);
  });

  it('trims letterbox bars (top and bottom) and pillarbox bars (left and right)', () => {
    const letterbox = findPicture(paste(canvas(200, 200, [0, 0, 0]), pic, 0, 25))!;
    expect(near(letterbox.rect, { x: 0, y: 25, width: 200, height: 150 })).toBe(true);
    const pillarbox = findPicture(paste(canvas(260, 150, [0, 0, 0]), pic, 30, 0))!;
    expect(near(pillarbox.rect, { x: 30, y: 0, width: 200, height: 150 })).toBe(true);
  });

  it('finds the photograph in a screenshot of a post: a white card with text lines above and below', () => {
    const card = canvas(280, 280, [255, 255, 255]);
    text(card, 10, 8, 260, 3, [20, 20, 20]); // author, post text
    paste(card, pic, 40, 60);
    text(card, 10, 230, 200, 2, [90, 90, 90]); // counts
    expect(near(findPicture(card)!.rect, { x: 40, y: 60, width: 200, height: 150 })).toBe(true);
    // dark mode
    const dark = canvas(280, 280, [0, 0, 0]);
    text(dark, 10, 8, 260, 3, [230, 230, 230]);
    paste(dark, pic, 40, 60);
    expect(near(findPicture(dark)!.rect, { x: 40, y: 60, width: 200, height: 150 })).toBe(true);
  });

  it("finds a video inside a player (black sides, a control bar with a progress bar below): 'inner' frames", () => {
    const player = canvas(300, 200, [0, 0, 0]);
    paste(player, pic, 50, 0);
    fill(player, { x: 0, y: 150, width: 300, height: 50 }, [30, 30, 30]);
    fill(player, { x: 0, y: 160, width: 100, height: 3 }, [29, 155, 240]);
    fill(player, { x: 100, y: 160, width: 200, height: 3 }, [70, 70, 70]);
    text(player, 10, 175, 60, 1, [255, 255, 255]);
    expect(near(findPicture(player, { frames: 'inner' })!.rect, { x: 50, y: 0, width: 200, height: 150 })).toBe(true);
    // Read from the image's own edges, the sides (black over the picture, grey over the bar) are no frame.
    expect(near(findPicture(player)!.rect, { x: 0, y: 0, width: 300, height: 150 })).toBe(true);
  });

  it('leaves a photograph alone, and does not peel a letterboxed photo into its own flat edge', () => {
    expect(findPicture(pic)).toBeNull();
    const flatLeft = fill(photo(200, 150, 9), { x: 0, y: 0, width: 30, height: 150 }, [40, 90, 160]);
    const boxed = paste(canvas(200, 200, [0, 0, 0]), flatLeft, 0, 25);
    expect(near(findPicture(boxed)!.rect, { x: 0, y: 25, width: 200, height: 150 })).toBe(true);
  });

  it('answers null for an image that is all interface (a text card)', () => {
    expect(findPicture(text(canvas(200, 200, [255, 255, 255]), 10, 10, 180, 12, [0, 0, 0]))).toBeNull();
    expect(findPicture(canvas(64, 64, [128, 128, 128]))).toBeNull();
  });
});

describe('caption bands', () => {
  it('measures a band with text laid over the bottom and picks the ladder step that removes it', () => {
    const img = photo(240, 160);
    fill(img, { x: 0, y: 140, width: 240, height: 20 }, [176, 0, 0]);
    text(img, 8, 145, 180, 1, [255, 255, 255]);
    expect(bandDepth(img, 'bottom')).toBeGreaterThanOrEqual(19);
    expect(bandDepth(img, 'bottom')).toBeLessThanOrEqual(21);
    expect(captionCuts(img)).toEqual([{ side: 'bottom', share: CUT_LADDER.find((b) => b >= 20 / 160) }]);
    expect(captionCuts(photo(240, 160))).toEqual([]);
  });

  it('a cut probe of the captioned image meets the publisher’s cut of the original', () => {
    const original = photo(320, 240, 11);
    const captioned = fill(photo(320, 240, 11), { x: 0, y: 210, width: 320, height: 30 }, [20, 20, 20]); // 12.5%
    text(captioned, 8, 217, 250, 1, [255, 255, 255]);
    const probe = queryProbes(captioned).find((p) => p.probe === 'cut-bottom:0.125')!;
    const stored = publishVariants(original).find((v) => v.variant === 'cut-bottom:0.125')!;
    expect(hammingDistance(probe.hashes[0]!, stored.hash)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
    expect(hammingDistance(pdqHash(captioned).hash, pdqHash(original).hash)).toBeGreaterThan(hammingDistance(probe.hashes[0]!, stored.hash));
  });
});

describe('geometry', () => {
  it('crops, centres and turns', () => {
    const img = photo(100, 80);
    const c = crop(img, { x: 10, y: 5, width: 30, height: 20 });
    expect([c.width, c.height]).toEqual([30, 20]);
    expect([...c.data.subarray(0, 3)]).toEqual([...img.data.subarray((5 * 100 + 10) * 3, (5 * 100 + 10) * 3 + 3)]);
    expect(centerRect(100, 80, 0.9)).toEqual({ x: 5, y: 4, width: 90, height: 72 });
    expect(rotate(img, 0).data).toEqual(img.data);
    const turned = rotate(img, 3, 255);
    expect(turned.width).toBe(Math.round(100 * Math.cos(Math.PI / 60) + 80 * Math.sin(Math.PI / 60)));
    expect([...turned.data.subarray(0, 3)]).toEqual([255, 255, 255]); // a corner is fill
  });

  it('lumaOf halves large rectangles, and its hash stays within the match distance of the colour image’s', () => {
    const img = photo(500, 400);
    const half = lumaOf(img, { x: 0, y: 0, width: 500, height: 400 });
    expect([half.width, half.height, half.channels]).toEqual([250, 200, 1]);
    expect(lumaOf(img, { x: 0, y: 0, width: 300, height: 200 }).width).toBe(300);
    expect(hammingDistance(pdqHash(half).hash, pdqHash(img).hash)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
  });
});

describe('variants and probes meet under the rule', () => {
  const original = photo(400, 300, 21);
  const variants = publishVariants(original);
  // One published entry (0): the original's hash and its variants, as the extension's index holds them.
  const stored = [{ variant: 'original', ...pdqHash(original) }, ...variants];
  const index = PdqIndex.fromHashes(
    stored.map((s) => s.hash),
    stored.map((_, i) => i),
  );
  const rows: StoredRows = { query: (h, d) => index.query(h, d), entryOf: () => 0, kindOf: (r) => stored[r]!.variant };
  const matches = (px: Pixels, level: 'strict' | 'standard' | 'loose' = 'standard') => decide(findPairs(queryProbes(px), rows, matchRule(level)), matchRule(level)).has(0);

  it('publishes the centred crop ladder, the corner crops and the cuts; no turns (the reader turns back: turn.test.ts)', () => {
    const names = variants.map((v) => v.variant);
    for (const s of CROP_LADDER) expect(names).toContain(`crop:${s}`);
    for (const s of CORNER_LADDER) for (const c of CORNERS) expect(names).toContain(`crop-${c}:${s}`);
    for (const a of ROTATIONS) expect(names).not.toContain(`rotate:${a}`);
    for (const b of CUT_LADDER) expect(names).toEqual(expect.arrayContaining([`cut-top:${b}`, `cut-bottom:${b}`]));
  });

  it('matches a centred crop, a turn, a border and a post screenshot; plain PDQ matches none of them', () => {
    const crop90 = crop(original, centerRect(400, 300, 0.9));
    const turned = rotate(original, 3, 255);
    const bordered = paste(canvas(440, 340, [255, 255, 255]), original, 20, 20);
    const card = paste(text(canvas(460, 420, [255, 255, 255]), 10, 8, 440, 3, [20, 20, 20]), original, 30, 60);
    for (const re of [crop90, turned, bordered, card]) {
      expect(matches(re)).toBe(true);
      expect(hammingDistance(pdqHash(re).hash, pdqHash(original).hash)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
      expect(matches(re, 'strict')).toBe(false); // strict: the reference comparison only
    }
    expect(matches(original, 'strict')).toBe(true);
  });

  it('matches a picture with a sticker over one part through a half that it leaves as it was', () => {
    const stickered = fill(photo(400, 300, 21), { x: 250, y: 170, width: 100, height: 100 }, [250, 200, 30]);
    const full = pdqHash(stickered).hash;
    const probes = queryProbes(stickered);
    const left = probes.find((p) => p.probe === 'half-left')!;
    const stored = variants.find((v) => v.variant === 'half-left')!;
    expect(hammingDistance(left.hashes[0]!, stored.hash)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
    expect(variants.find((v) => v.variant === 'half-right')).toBeDefined();
    expect(matches(stickered)).toBe(true);
    expect(matches(stickered, 'strict')).toBe(hammingDistance(full, pdqHash(original).hash) <= 24);
  });

  it('matches meme text laid over the top and the bottom through the middle band, which no half nor the whole picture does', () => {
    // A line of white "letters" with dark outlines across most of the width, at the top and at the bottom.
    const meme = photo(400, 300, 21);
    for (const y of [12, 255]) {
      for (let x = 40; x < 360; x += 22) {
        fill(meme, { x, y, width: 18, height: 30 }, [20, 20, 20]);
        fill(meme, { x: x + 3, y: y + 3, width: 12, height: 24 }, [255, 255, 255]);
      }
    }
    const probes = queryProbes(meme);
    const stored = publishVariants(original);
    const band = `mid:${MID_CUT}`;
    expect(probes.map((p) => p.probe)).toContain(band);
    expect(stored.map((v) => v.variant)).toContain(band);
    const distanceTo = (probe: string, variant: string) => hammingDistance(probes.find((p) => p.probe === probe)!.hashes[0]!, stored.find((v) => v.variant === variant)!.hash);
    expect(distanceTo(band, band)).toBeLessThanOrEqual(PDQ_MATCH_DISTANCE);
    // The text reaches every half, so no two halves meet; the whole picture moved too.
    expect(['top', 'bottom', 'left', 'right'].filter((h) => distanceTo(`half-${h}`, `half-${h}`) <= PDQ_MATCH_DISTANCE).length).toBeLessThan(2);
    expect(hammingDistance(pdqHash(meme).hash, pdqHash(original).hash)).toBeGreaterThan(PDQ_MATCH_DISTANCE);
    expect(matches(meme)).toBe(true);
    expect(pairAllowed(band as ProbeName, 0, band, matchRule('standard'))).toBe(true);
    expect(pairAllowed(band as ProbeName, 0, 'half-top', matchRule('standard'))).toBe(false);
    expect(pairAllowed(band as ProbeName, 0, band, matchRule('strict'))).toBe(false);
  });

  it('does not match a different picture', () => {
    expect(matches(photo(400, 300, 22))).toBe(false);
    expect(matches(photo(400, 300, 23), 'loose')).toBe(false);
  });

  it('probes survive the trip through hex (cache, messages)', () => {
    const probes = queryProbes(original);
    expect(probes.map(probeToHex).map(probeFromHex)).toEqual(probes);
  });
});

describe('one canonical decode on both sides', () => {
  it("the publisher's canonical hash of a large photo is within a few bits of the reader's hash of X's name=small copy; the reference hash is not", async () => {
    const full = photo(2400, 1600, 31);
    const published = publishHashes(full);
    expect(published.map((h) => h.kind).slice(0, 2)).toEqual(['original', 'canonical']);
    expect(published.slice(1).every((h) => h.canon === CANONICAL_VERSION)).toBe(true);
    // X's name=small: resized by another library (libvips, Lanczos) to fit 680 px, re-encoded as JPEG.
    const small = await sharp(Buffer.from(full.data), { raw: { width: full.width, height: full.height, channels: 3 } })
      .resize(680, 680, { fit: 'inside' })
      .jpeg({ quality: 85 })
      .toBuffer();
    const { data, info } = await sharp(small).raw().toBuffer({ resolveWithObject: true });
    const reader = queryProbes(canonicalPixels({ data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 }))[0]!.hashes[0]!;
    const canonical = published[1]!.hash;
    const reference = published[0]!.hash;
    expect(hammingDistance(reader, canonical)).toBeLessThanOrEqual(8);
    expect(hammingDistance(reader, canonical)).toBeLessThan(hammingDistance(reader, reference));
  });

  it('publishes only the reference hash of an image of quality < 50 (the CLI refuses it)', () => {
    const flat = canvas(800, 600, [128, 128, 128]);
    expect(publishHashes(flat).map((h) => h.kind)).toEqual(['original']);
  });
});

describe('matchRule and its pairs', () => {
  it('standard is the reference rule on every pair; strict is tighter and plain; loose is guarded', () => {
    const standard = matchRule('standard');
    expect([standard.candidateDistance, standard.acceptDistance, standard.minQuality, standard.variants]).toEqual([31, 31, 50, true]);
    const strict = matchRule('strict');
    expect(strict.candidateDistance).toBeLessThan(31);
    expect(strict.variants).toBe(false);
    const loose = matchRule('loose');
    expect(loose.candidateDistance).toBeGreaterThan(31);
    expect([loose.acceptDistance, loose.agreeingPairs]).toEqual([31, 2]);
  });

  it('pairs each probe only with the hashes made by the same geometry', () => {
    const r = matchRule('standard');
    expect(pairAllowed('full', 4, 'original', r)).toBe(true); // a mirror
    expect(pairAllowed('full', 4, 'crop:0.9', r)).toBe(false);
    expect(pairAllowed('full', 0, 'crop:0.9', r)).toBe(true);
    expect(pairAllowed('picture', 0, 'original', r)).toBe(true);
    expect(pairAllowed('center', 0, 'rotate:3', r)).toBe(true);
    expect(pairAllowed('center', 0, 'original', r)).toBe(false);
    expect(pairAllowed('cut-bottom:0.125', 0, 'cut-bottom:0.125', r)).toBe(true);
    expect(pairAllowed('cut-bottom:0.125', 0, 'cut-top:0.125', r)).toBe(false);
    expect(pairAllowed('full', 0, 'some-future-kind:1', r)).toBe(false);
    expect(pairAllowed('picture', 0, 'original', matchRule('strict'))).toBe(false);
    // The canonical hash is the image itself, hashed from the canonical pixels: met as the original is.
    expect(pairAllowed('full', 4, 'canonical', r)).toBe(true);
    expect(pairAllowed('full', 0, 'canonical', matchRule('strict'))).toBe(true);
    expect(pairAllowed('inner', 0, 'canonical', r)).toBe(true);
    expect(pairAllowed('center', 0, 'canonical', r)).toBe(false);
  });

  it('loose accepts a pair beyond 31 only when a second, different pair agrees', () => {
    const loose = matchRule('loose');
    expect(decide([{ entry: 1, distance: 36, pair: 'full/0|1' }], loose).has(1)).toBe(false);
    expect(decide([{ entry: 1, distance: 36, pair: 'full/0|1' }, { entry: 1, distance: 39, pair: 'center/0|2' }], loose).has(1)).toBe(true);
    expect(decide([{ entry: 1, distance: 30, pair: 'full/0|1' }], loose).get(1)).toEqual({ distance: 30, pair: 'full/0|1' });
    expect(decide([{ entry: 1, distance: 41, pair: 'a' }, { entry: 1, distance: 45, pair: 'b' }], loose).size).toBe(0);
    expect(decide([{ entry: 1, distance: 36, pair: 'a' }, { entry: 1, distance: 37, pair: 'b' }], matchRule('standard')).size).toBe(0);
  });

  it('loose counts only independent evidence: different probes against different views of the entry', () => {
    const loose = matchRule('loose');
    const hit = (probe: string, d: number, row: number, stored: string, distance = 36) => ({ entry: 1, distance, pair: `${probe}/${d}|${row}`, probe, stored });
    // A half alone is not a match (two pictures of one layout share a half), at any level; two different halves are.
    const standard = matchRule('standard');
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 10)], standard).size).toBe(0);
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 10), hit('half-bottom', 0, 8, 'half-bottom', 12)], standard).size).toBe(0);
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 10), hit('half-left', 0, 9, 'half-left', 30)], standard).get(1)?.distance).toBe(10);
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 10), hit('full', 0, 2, 'original', 30)], standard).get(1)?.distance).toBe(30);
    // loose: two halves agreeing past 31 are not evidence either.
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 36), hit('half-left', 0, 9, 'half-left', 38)], loose).size).toBe(0);
    expect(decide([hit('half-bottom', 0, 7, 'half-bottom', 36), hit('full', 0, 2, 'original', 38)], loose).size).toBe(0);
    // A symmetric picture: its mirror hashes are the same probe, meeting the original and the canonical hash.
    expect(decide([hit('full', 0, 1, 'original'), hit('full', 4, 1, 'original'), hit('full', 5, 2, 'canonical')], loose).size).toBe(0);
    // Two rungs of one crop ladder, met by different probes: one view.
    expect(decide([hit('full', 0, 3, 'crop:0.9'), hit('picture', 0, 4, 'crop:0.85')], loose).size).toBe(0);
    // The picture found two ways is one probe.
    expect(decide([hit('picture', 0, 1, 'original'), hit('inner', 0, 5, 'picture')], loose).size).toBe(0);
    // Different probes against different views: two pieces of evidence.
    expect(decide([hit('full', 0, 3, 'crop:0.9'), hit('center', 0, 6, 'rotate:3', 39)], loose).get(1)).toEqual({ distance: 36, pair: 'full/0|3' });
    expect(decide([hit('full', 0, 1, 'original'), hit('cut-bottom:0.125', 0, 7, 'cut-bottom:0.125')], loose).size).toBe(1);
  });
});
