// The rectangles the publisher's variants and the reader's probes cut (docs/matching.md,
// strategies 2 and 3), the line tests behind findPicture (strategy 1), and the turn estimate on
// pictures turned analytically here (each canvas pixel mapped back through the rotation: no
// project code draws them). Expected values are worked out by hand from the documented rules.
import { describe, expect, it } from 'vitest';
import { CUT_LADDER, CROP_LADDER, bandDepth, captionCuts, findPicture, MAX_TURN, MIN_TURN, centerRect, cornerRect, crop, estimateTurn, halfRect, isInterfaceLine, lineColour, midRect, publishHashes, publishVariants, unturnedRect, videoVariants, type Rect } from '../../../../src/core/match';
import { CANONICAL_VERSION, PDQ_MIN_QUALITY, canonicalPixels, pdqHash, referenceCliResize, type Pixels } from '../../../../src/core/pdq';

/** A textured picture (values 70–159, far from white and black), its texture a function of (u, v). */
const texture = (u: number, v: number) => 70 + ((Math.floor(u / 7) * 31 + Math.floor(v / 5) * 17) % 90);

/**
 * A W x H picture turned by `degrees` (clockwise, y down, as `convert -rotate`) on the canvas of its
 * turned bounding box, the corners `fill`: each canvas pixel's centre mapped back by the inverse turn.
 */
function turned(W: number, H: number, degrees: number, fill: number | [number, number, number], channels: 1 | 3 = 3, tex = texture): Pixels {
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(Math.abs(a));
  const s = Math.sin(Math.abs(a));
  const width = Math.ceil(W * c + H * s);
  const height = Math.ceil(W * s + H * c);
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - width / 2;
      const dy = y + 0.5 - height / 2;
      // Inverse of the clockwise turn (x, y) -> (x cos a - y sin a, x sin a + y cos a).
      const u = dx * Math.cos(a) + dy * Math.sin(a) + W / 2;
      const v = -dx * Math.sin(a) + dy * Math.cos(a) + H / 2;
      const inside = u >= 0 && u < W && v >= 0 && v < H;
      const value = inside ? tex(u, v) : 0;
      for (let k = 0; k < channels; k++) data[(y * width + x) * channels + k] = !inside ? (typeof fill === 'number' ? fill : fill[k]!) : channels === 3 ? Math.min(255, value + 20 * k) : value;
    }
  }
  return { width, height, channels, data };
}

describe('the rectangles of the variants', () => {
  it('halfRect: the top, bottom, left and right halves', () => {
    expect(halfRect(100, 50, 'top')).toEqual({ x: 0, y: 0, width: 100, height: 25 });
    expect(halfRect(100, 50, 'bottom')).toEqual({ x: 0, y: 25, width: 100, height: 25 });
    expect(halfRect(100, 50, 'left')).toEqual({ x: 0, y: 0, width: 50, height: 50 });
    expect(halfRect(100, 50, 'right')).toEqual({ x: 50, y: 0, width: 50, height: 50 });
    // Odd sides: each half still reaches its own edge, and the two halves cover the picture.
    const b = halfRect(101, 51, 'bottom');
    const r = halfRect(101, 51, 'right');
    expect(b.y + b.height).toBe(51);
    expect(r.x + r.width).toBe(101);
    expect(halfRect(101, 51, 'top').height + b.height).toBeGreaterThanOrEqual(51);
  });

  it('midRect: the band without the top and bottom share of the height (at least one row)', () => {
    expect(midRect(100, 200, 0.18)).toEqual({ x: 0, y: 36, width: 100, height: 128 });
    expect(midRect(10, 2, 0.5)).toEqual({ x: 0, y: 1, width: 10, height: 1 });
  });

  it('cornerRect: the share of each side kept, anchored at each corner', () => {
    expect(cornerRect(200, 100, 0.9, 'tl')).toEqual({ x: 0, y: 0, width: 180, height: 90 });
    expect(cornerRect(200, 100, 0.9, 'tr')).toEqual({ x: 20, y: 0, width: 180, height: 90 });
    expect(cornerRect(200, 100, 0.9, 'bl')).toEqual({ x: 0, y: 10, width: 180, height: 90 });
    expect(cornerRect(200, 100, 0.9, 'br')).toEqual({ x: 20, y: 10, width: 180, height: 90 });
    expect(cornerRect(2, 2, 0.2, 'br')).toEqual({ x: 1, y: 1, width: 1, height: 1 });
  });

  it('videoVariants: the crop ladder, the picture without its top or bottom band, and its middle band, each hashed as that crop', () => {
    const px: Pixels = { width: 80, height: 64, channels: 1, data: Uint8Array.from({ length: 80 * 64 }, (_, i) => texture(i % 80, Math.floor(i / 80))) };
    const got = videoVariants(px);
    const expected: [string, Rect][] = [
      ...CROP_LADDER.map((s): [string, Rect] => [`crop:${s}`, centerRect(80, 64, s)]),
      // cut-top:b keeps the bottom round(64 (1 - b)) rows; cut-bottom:b the top ones.
      ...CUT_LADDER.flatMap((b): [string, Rect][] => {
        const h = Math.round(64 * (1 - b));
        return [
          [`cut-top:${b}`, { x: 0, y: 64 - h, width: 80, height: h }],
          [`cut-bottom:${b}`, { x: 0, y: 0, width: 80, height: h }],
        ];
      }),
      // and the middle band, mid:0.18: the picture without round(64 × 0.18) = 12 rows at the top and at the bottom.
      ['mid:0.18', { x: 0, y: 12, width: 80, height: 40 }],
    ];
    expect(got.map((v) => v.variant)).toEqual(expected.map(([name]) => name));
    expected.forEach(([name, rect], i) => {
      const want = pdqHash(crop(px, rect));
      expect(got[i]!.hash, name).toEqual(want.hash);
      expect(got[i]!.quality, name).toBe(want.quality);
    });
  });
});

describe('caption bands: 3% to 25% of the height, cut at the smallest ladder step that removes them', () => {
  /** A 100 x 200 textured picture with black bands of `top` and `bottom` rows. */
  const banded = (top: number, bottom: number): Pixels => {
    const data = new Uint8Array(100 * 200);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 100; x++) data[y * 100 + x] = y < top || y >= 200 - bottom ? 0 : texture(x, y);
    return { width: 100, height: 200, channels: 1, data };
  };

  it('measures each band to the row', () => {
    expect(bandDepth(banded(0, 13), 'bottom')).toBe(13);
    expect(bandDepth(banded(21, 0), 'top')).toBe(21);
    expect(bandDepth(banded(0, 0), 'top')).toBe(0);
    // At most 45% of the height: a band of 95 rows is read as 90.
    expect(bandDepth(banded(0, 95), 'bottom')).toBe(90);
  });

  it('cuts from 3% (6 rows of 200) to 25% (50 rows); not 2.5% nor 26%; both edges, the bottom first', () => {
    expect(captionCuts(banded(0, 6))).toEqual([{ side: 'bottom', share: 0.125 }]);
    expect(captionCuts(banded(0, 5))).toEqual([]);
    expect(captionCuts(banded(25, 0))).toEqual([{ side: 'top', share: 0.125 }]);
    expect(captionCuts(banded(26, 0))).toEqual([{ side: 'top', share: 0.18 }]);
    expect(captionCuts(banded(0, 36))).toEqual([{ side: 'bottom', share: 0.18 }]);
    expect(captionCuts(banded(0, 37))).toEqual([{ side: 'bottom', share: 0.25 }]);
    expect(captionCuts(banded(50, 0))).toEqual([{ side: 'top', share: 0.25 }]);
    expect(captionCuts(banded(52, 0))).toEqual([]);
    expect(captionCuts(banded(10, 30))).toEqual([
      { side: 'bottom', share: 0.18 },
      { side: 'top', share: 0.125 },
    ]);
  });
});

describe('findPicture: what it reports', () => {
  /** A w x h textured picture at (x, y) on a white W x H canvas (grey). */
  const framed = (W: number, H: number, x0: number, y0: number, w: number, h: number): Pixels => {
    const data = new Uint8Array(W * H).fill(255);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(y0 + y) * W + x0 + x] = texture(x, y);
    return { width: W, height: H, channels: 1, data };
  };

  it('reports a border of at least 2% of a side (4 rows of 200), not 1.5%', () => {
    expect(findPicture(framed(200, 200, 0, 4, 200, 196))).toEqual({ rect: { x: 0, y: 4, width: 200, height: 196 }, top: 4, bottom: 0, left: 0, right: 0 });
    expect(findPicture(framed(200, 200, 0, 0, 197, 200))).toBeNull(); // 3 columns on the right: 1.5%
    expect(findPicture(framed(200, 200, 0, 0, 196, 200))).toEqual({ rect: { x: 0, y: 0, width: 196, height: 200 }, top: 0, bottom: 0, left: 0, right: 4 });
    expect(findPicture(framed(200, 200, 0, 0, 196, 200), { minStrip: 0.03 })).toBeNull();
    // Pillarbox: 6 columns each side (3%), and a frame on all four sides.
    expect(findPicture(framed(200, 200, 6, 0, 188, 200))).toEqual({ rect: { x: 6, y: 0, width: 188, height: 200 }, top: 0, bottom: 0, left: 6, right: 6 });
    expect(findPicture(framed(200, 100, 9, 5, 180, 90))).toEqual({ rect: { x: 9, y: 5, width: 180, height: 90 }, top: 5, bottom: 5, left: 9, right: 11 });
  });

  it('keeps more than 20% of each side: a band 42 rows high in 200 is found, 40 rows is not', () => {
    // (A picture narrower than the line would itself be interface: 79% white plus one of its colours.)
    expect(findPicture(framed(200, 200, 0, 79, 200, 42))).toEqual({ rect: { x: 0, y: 79, width: 200, height: 42 }, top: 79, bottom: 79, left: 0, right: 0 });
    expect(findPicture(framed(200, 200, 0, 80, 200, 40))).toBeNull();
    expect(findPicture(framed(200, 200, 0, 79, 200, 42), { minKeep: 0.25 })).toBeNull();
  });
});

describe('the line tests behind findPicture', () => {
  /** A 1-pixel-high line of the given colours, in runs. */
  const line = (...runs: [number, [number, number, number]][]): Pixels => {
    const cols = runs.flatMap(([n, c]) => new Array(n).fill(c) as [number, number, number][]);
    return { width: cols.length, height: 1, channels: 3, data: Uint8Array.from(cols.flat()) };
  };
  const white: [number, number, number] = [250, 250, 250];
  const black: [number, number, number] = [10, 10, 10];
  const red: [number, number, number] = [200, 30, 30];
  const blue: [number, number, number] = [30, 30, 200];

  it('lineColour: the main colour and the share of the line within tolerance of it', () => {
    const got = lineColour(line([7, red], [3, blue]), 0, 0, 1, 0, 10);
    expect(got.colour).toEqual([200, 30, 30]);
    expect(got.share).toBeCloseTo(0.7, 10);
    // Within 16 per channel counts as the same colour; 17 does not.
    expect(lineColour(line([6, [100, 100, 100]], [4, [116, 84, 100]]), 0, 0, 1, 0, 10).share).toBe(1);
    expect(lineColour(line([6, [100, 100, 100]], [4, [117, 100, 100]]), 0, 0, 1, 0, 10).share).toBeCloseTo(0.6, 10);
    // Down a column (dx 0, dy 1) of a grey image.
    const column: Pixels = { width: 1, height: 4, channels: 1, data: Uint8Array.from([40, 40, 40, 200]) };
    expect(lineColour(column, 0, 0, 0, 1, 4)).toEqual({ colour: [40, 40, 40], share: 0.75 });
  });

  it('isInterfaceLine: at least half the frame colour, and with one other colour at least 80%', () => {
    expect(isInterfaceLine(line([6, white], [3, black], [1, red]), 0, 0, 1, 0, 10, white)).toBe(true); // 60 + 30
    expect(isInterfaceLine(line([8, white], [1, black], [1, red]), 0, 0, 1, 0, 10, white)).toBe(true); // 80 alone
    expect(isInterfaceLine(line([4, white], [6, black]), 0, 0, 1, 0, 10, white)).toBe(false); // frame 40 < 50
    expect(isInterfaceLine(line([5, white], [5, black]), 0, 0, 1, 0, 10, white)).toBe(true); // 50 + 50
    expect(isInterfaceLine(line([6, white], [1, black], [1, red], [1, blue], [1, [120, 200, 120]]), 0, 0, 1, 0, 10, white)).toBe(false); // 60 + 10
    expect(isInterfaceLine(line([12, white], [3, black], [3, red], [2, blue]), 0, 0, 1, 0, 20, white)).toBe(false); // 60 + 15 = 75
    expect(isInterfaceLine(line([10, white]), 0, 0, 1, 0, 10, null)).toBe(false); // no frame colour
  });
});

describe('estimateTurn on pictures turned analytically', () => {
  it('reads the angle of a turn either way, white or black corners, colour or grey, to a few tenths', () => {
    for (const [deg, fill, ch] of [
      [5, 255, 3],
      [-6, 0, 3],
      [3, 255, 1],
      [-2, 0, 1],
      [9, 255, 3],
    ] as const) {
      const got = estimateTurn(turned(300, 200, deg, fill, ch));
      expect(got, `${deg}° fill ${fill} channels ${ch}`).not.toBeNull();
      expect(Math.abs(got! - deg), `${deg}° fill ${fill} channels ${ch}`).toBeLessThan(0.3);
    }
  });

  it(`leaves a straight picture, a turn under ${MIN_TURN}° or over ${MAX_TURN}°, and a picture under 32 px alone`, () => {
    expect(estimateTurn(turned(300, 200, 0, 255))).toBeNull();
    expect(estimateTurn(turned(300, 200, 0.2, 255))).toBeNull();
    expect(estimateTurn(turned(300, 200, 14, 255))).toBeNull();
    expect(estimateTurn(turned(300, 200, -14, 0))).toBeNull();
    expect(estimateTurn(turned(24, 20, 5, 255))).toBeNull();
    // Canvases of 33 x 31 and 43 x 29 (their fill edges would read about 6°): under 32 px high.
    expect(estimateTurn(turned(30, 28, 6, 255))).toBeNull();
    expect(estimateTurn(turned(40, 24, 6, 255))).toBeNull();
    expect(estimateTurn(turned(28, 30, 6, 255))).toBeNull(); // 31 x 33: under 32 px wide
    // 34 x 32: just big enough.
    expect(estimateTurn(turned(30, 28, 8, 255))).toBeCloseTo(8, 0);
  });

  it(`still reads a turn of 0.5° on a large picture, and leaves 0.3° alone (under ${MIN_TURN}°)`, () => {
    expect(estimateTurn(turned(1600, 1200, 0.5, 255, 1))).toBeCloseTo(0.5, 1);
    expect(estimateTurn(turned(1600, 1200, 0.3, 255, 1))).toBeNull();
  });

  it('needs three sides that agree: a picture whose top rows are the fill colour leaves three, each read the right way round', () => {
    // The top 40 rows white: along the top side the fill runs into the picture (no straight edge).
    const whiteTop = (u: number, v: number) => (v < 40 ? 255 : texture(u, v));
    expect(estimateTurn(turned(300, 200, 5, 255, 3, whiteTop))).toBeCloseTo(5, 0);
    expect(estimateTurn(turned(300, 200, -5, 255, 3, whiteTop))).toBeCloseTo(-5, 0);
    const whiteBottom = (u: number, v: number) => (v >= 160 ? 255 : texture(u, v));
    expect(estimateTurn(turned(300, 200, 5, 255, 3, whiteBottom))).toBeCloseTo(5, 0);
  });

  it('reads a turn on corners of any one colour (each channel compared with the fill’s)', () => {
    expect(estimateTurn(turned(300, 200, 5, [40, 90, 200]))).toBeCloseTo(5, 0);
    expect(estimateTurn(turned(300, 200, -4, [200, 60, 40]))).toBeCloseTo(-4, 0);
  });

  it('needs the four corners to be one colour', () => {
    const px = turned(300, 200, 5, 255);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) px.data.set([0, 0, 0], (y * px.width + x) * 3); // top-left corner black
    expect(estimateTurn(px)).toBeNull();
    // A corner 30 below the others (225 against 255): 22.5 from the corners' mean, over half the
    // fill tolerance (28 / 2): not one colour, although every side would still read 5°.
    const near = turned(300, 200, 5, 255);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) near.data.set([225, 225, 225], (y * near.width + x) * 3);
    expect(estimateTurn(near)).toBeNull();
    const same = turned(300, 200, 5, 255);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) same.data.set([245, 245, 245], (y * same.width + x) * 3);
    expect(estimateTurn(same)).toBeCloseTo(5, 0); // 10 below: 7.5 from the mean, one colour
  });

  it('unturnedRect: the picture’s W x H, centred, whichever way it was turned', () => {
    const a = (6 * Math.PI) / 180;
    const [W, H] = [400, 300];
    for (const deg of [6, -6]) {
      const r = unturnedRect(W * Math.cos(a) + H * Math.sin(a), W * Math.sin(a) + H * Math.cos(a), deg, 500, 450);
      expect(r.width).toBeCloseTo(W, 6);
      expect(r.height).toBeCloseTo(H, 6);
      expect(r.x).toBeCloseTo(50, 6);
      expect(r.y).toBeCloseTo(75, 6);
    }
  });
});

describe('publishHashes: what the publisher stores for one image (docs/matching.md, "One canonical decode")', () => {
  // A picture whose top half is flat grey (a half of low quality) and whose bottom half is textured.
  const px: Pixels = { width: 160, height: 120, channels: 1, data: Uint8Array.from({ length: 160 * 120 }, (_, i) => (i < 160 * 60 ? 128 : texture(i % 160, Math.floor(i / 160)))) };

  it('the reference CLI’s hash first, then the canonical form’s (with its version); variants: false stops there', () => {
    const ref = pdqHash(referenceCliResize(px));
    const canon = pdqHash(canonicalPixels(px));
    expect(ref.quality).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
    expect(publishHashes(px, { variants: false })).toEqual([
      { kind: 'original', hash: ref.hash, quality: ref.quality },
      { kind: 'canonical', hash: canon.hash, quality: canon.quality, canon: CANONICAL_VERSION },
    ]);
  });

  it('the variants of the canonical pixels, each with its version, less those of quality under 50', () => {
    const all = publishHashes(px);
    const variants = publishVariants(canonicalPixels(px));
    const kept = variants.filter((v) => v.quality >= PDQ_MIN_QUALITY);
    expect(kept.length).toBeLessThan(variants.length); // the flat top half is left out
    expect(variants.find((v) => v.variant === 'half-top')!.quality).toBeLessThan(PDQ_MIN_QUALITY);
    expect(all.slice(2)).toEqual(kept.map((v) => ({ kind: v.variant, hash: v.hash, quality: v.quality, canon: CANONICAL_VERSION })));
  });
});
