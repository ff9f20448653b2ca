// The rules of regions.ts pinned to the pixel, one at a time (docs/matching.md, strategy 1): the
// frame colour of an edge line (at least 95% one colour), the interface line (at least 50% frame
// colour, 80% with one other colour, 16 per channel), text lines peeled past when a blank line
// (at least 97% frame colour) follows within 6% of the side, the sides peeled top, bottom, left,
// right and only twice, 'edges' or 'inner' frame colours (kept for the second round), and the null
// answers (no side loses 2%; more than 20%, at least 8 px, must remain). Every picture is drawn by
// hand below and every expected value is worked out from those rules, in the comments beside it;
// none was copied from the code's output. The "photo" parts are a texture whose values (70–159)
// change at every pixel, so no line of it is ever interface nor an edge frame.
import { describe, expect, it } from 'vitest';
import { bandDepth, findPicture, isInterfaceLine, lineColour, type Colour, type Picture } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

type Draw = (x: number, y: number) => number;

/** A grey W x H picture drawn by f. */
const grey = (W: number, H: number, f: Draw): Pixels => ({ width: W, height: H, channels: 1, data: Uint8Array.from({ length: W * H }, (_, i) => f(i % W, Math.floor(i / W))) });

/** The photo: 70–159, a different value at every step along a row or a column. */
const tex: Draw = (x, y) => 70 + ((x * 31 + y * 17) % 90);
const WHITE = 255;
const BLACK = 0;
/** A line of text: glyph runs covering 70% of it (7 black pixels in every 10), so only 30% white. */
const textRow = (x: number) => (x % 10 < 7 ? BLACK : WHITE);

type View = 'top' | 'bottom' | 'left' | 'right';

/**
 * The picture f (W x H, its interface at the top) seen with that interface at each side: as drawn,
 * upside down (bottom), transposed (left), transposed after upside down (right); and the answer
 * expected for it moved the same way.
 */
function views(W: number, H: number, f: Draw, expected: Picture | null, which: readonly View[] = ['top', 'bottom', 'left', 'right']): { view: View; px: Pixels; expected: Picture | null }[] {
  const flip = (p: Picture): Picture => ({ rect: { ...p.rect, y: H - p.rect.y - p.rect.height }, top: p.bottom, bottom: p.top, left: p.left, right: p.right });
  const transpose = (p: Picture): Picture => ({ rect: { x: p.rect.y, y: p.rect.x, width: p.rect.height, height: p.rect.width }, top: p.left, bottom: p.right, left: p.top, right: p.bottom });
  const all = {
    top: { px: grey(W, H, f), expected },
    bottom: { px: grey(W, H, (x, y) => f(x, H - 1 - y)), expected: expected && flip(expected) },
    left: { px: grey(H, W, (x, y) => f(y, x)), expected: expected && transpose(expected) },
    right: { px: grey(H, W, (x, y) => f(y, H - 1 - x)), expected: expected && transpose(flip(expected)) },
  };
  return which.map((view) => ({ view, ...all[view] }));
}

/** Checks findPicture on every view of f. */
function expectViews(W: number, H: number, f: Draw, expected: Picture | null, which?: readonly View[], opts?: Parameters<typeof findPicture>[1]): void {
  for (const v of views(W, H, f, expected, which)) expect({ view: v.view, got: findPicture(v.px, opts) }).toEqual({ view: v.view, got: v.expected });
}

/** A top strip of `top` rows on a W x H picture, the rest photo. */
const topOnly = (W: number, H: number, top: number): Picture => ({ rect: { x: 0, y: top, width: W, height: H - top }, top, bottom: 0, left: 0, right: 0 });

describe('text lines: peeled past when a blank line follows within 6% of the side', () => {
  // 120 x 100: the text skip is ceil(100 × 0.06) = 6 rows for rows (ceil(120 × 0.06) = 8 for
  // columns), and no side may be peeled further than 100 - 20 = 80 rows (minKeep 20%).
  const W = 120;
  const H = 100;
  // Rows 0–1 white (the frame: the top edge is all white), rows 2–4 text, row 5 blank, rows 6–11
  // text (6 rows), row 12 blank, then the photo. Row 2 fails (30% white), row 5 is blank 3 rows on
  // (d 2 -> 6); row 6 fails, and row 12 is blank exactly 6 rows on: j = skip, still looked at
  // (d 6 -> 13); row 13 is photo and no blank line follows: 13 rows peeled.
  const card6: Draw = (x, y) => (y < 2 || y === 5 || y === 12 ? WHITE : y < 12 ? textRow(x) : tex(x, y));
  // The same with a text line of 7 rows (6–12), row 13 blank: row 6 fails and no blank line is
  // within 6 rows of it (row 13 is 7 on), so peeling stops at row 6.
  const card7: Draw = (x, y) => (y < 2 || y === 5 || y === 13 ? WHITE : y < 13 ? textRow(x) : tex(x, y));

  it('a text line 6 rows high (the blank line exactly 6% of the height on) is peeled past', () => {
    expectViews(W, H, card6, topOnly(W, H, 13));
  });

  it('a text line 7 rows high is not: peeling stops at it', () => {
    expectViews(W, H, card7, topOnly(W, H, 6));
  });

  it('bandDepth peels past text lines the same way (6% of the height)', () => {
    expect(bandDepth(grey(W, H, card6), 'top')).toBe(13);
    expect(bandDepth(grey(W, H, card7), 'top')).toBe(6);
    expect(bandDepth(grey(W, H, (x, y) => card6(x, H - 1 - y)), 'bottom')).toBe(13);
    expect(bandDepth(grey(W, H, (x, y) => card7(x, H - 1 - y)), 'bottom')).toBe(6);
    // All white: every row is interface, and a band is at most 45% of the height.
    expect(bandDepth(grey(W, H, () => WHITE), 'top')).toBe(45);
  });

  it('a blank line is at least 97% frame colour: 97 white pixels of 100 are, 96 are not', () => {
    // 100 x 100 (100 samples a line, exactly). Rows 0–1 white, rows 2–4 text, row 5 white but for
    // 3 (or 4) black pixels, then the photo. 97%: blank, row 2's text is peeled past, 6 rows. 96%:
    // not blank (no other blank row within 6 of row 2), so peeling stops at row 2 (2% of 100,
    // just enough to be reported).
    const dots = (n: number) => (x: number) => (x % 25 === 10 && x < 25 * n ? BLACK : WHITE);
    const card = (n: number): Draw => (x, y) => (y < 2 ? WHITE : y < 5 ? textRow(x) : y === 5 ? dots(n)(x) : tex(x, y));
    expectViews(100, 100, card(3), topOnly(100, 100, 6));
    expectViews(100, 100, card(4), topOnly(100, 100, 2));
  });

  it('peeling goes on at the first blank line, not the last one in reach', () => {
    // share 0.99: rows 3 and 4 are 97% white with three pixels of three other colours, so blank
    // (97%) but not interface (97% + 1% < 99%). Row 2 (text) fails, row 3 is blank: d 2 -> 4; row 4
    // fails and no blank row follows it (photo): 4 rows. (Going on at row 4, the last blank row in
    // reach of row 2, would give 5.) With the default share (80%) row 4 is interface: 5 rows.
    const specks = (x: number) => (x === 10 ? BLACK : x === 50 ? 60 : x === 90 ? 120 : WHITE);
    const card: Draw = (x, y) => (y < 2 ? WHITE : y === 2 ? textRow(x) : y < 5 ? specks(x) : tex(x, y));
    expectViews(100, 100, card, topOnly(100, 100, 4), undefined, { share: 0.99 });
    expectViews(100, 100, card, topOnly(100, 100, 5));
  });

  it('a blank line beyond the lines a side may lose is not looked at', () => {
    // 120 x 100, minKeep 20 rows. Rows 0–9 white (top edge white): the top loses 10. The bottom
    // edge is white: rows 33–99 white, rows 30–32 text, row 29 blank, rows 10–28 photo. The bottom
    // may lose 100 - 10 - 20 = 70 rows: rows 99–33 (depth 0–66) are peeled, row 32 (depth 67)
    // fails, and the blank row 29 is at depth 70, not under 70: not looked at. So the bottom loses
    // 67 and 23 rows remain (more than 20). (Looking at it would peel to depth 71, capped at 70,
    // leaving 20 rows: null.) Second round: the bottom may lose 3 more, and finds no blank in them.
    const f: Draw = (x, y) => (y < 10 || y >= 33 || y === 29 ? WHITE : y >= 30 ? textRow(x) : tex(x, y));
    expectViews(W, H, f, { rect: { x: 0, y: 10, width: W, height: 23 }, top: 10, bottom: 67, left: 0, right: 0 }, ['top', 'left']);
  });
});

describe('the null answers: no side loses 2%, or too little would remain', () => {
  it('a side losing 2 rows of 100 (2%) is reported, 1 row (1%) is not, whichever side it is', () => {
    const strip = (n: number): Draw => (x, y) => (y < n ? WHITE : tex(x, y));
    expectViews(100, 100, strip(2), topOnly(100, 100, 2));
    expectViews(100, 100, strip(1), null);
    // Or, asked for 3%, neither is.
    expectViews(100, 100, strip(2), null, undefined, { minStrip: 0.03 });
  });

  it('a picture 9 px wide between white sides of a 30 px image is found; 8 px (the least kept, over 20% = 6 px) is not', () => {
    // 30 x 30, the photo over the full height (top and bottom edges: no frame). Left: white columns
    // 0–10, photo 11–19 (9), white 20–29 (10). The left loses 11 (it may lose 30 - 8 = 22); the
    // right may lose 19 - 8 = 11 and loses 10: 9 columns remain, more than 8. With the photo 11–18
    // (8) the right loses its 11 white columns, all it may: 8 remain, not more than 8: null.
    const pillar = (w: number): Draw => (x, y) => (x >= 11 && x < 11 + w ? tex(x, y) : WHITE);
    expectViews(30, 30, pillar(9), { rect: { x: 11, y: 0, width: 9, height: 30 }, top: 0, bottom: 0, left: 11, right: 10 }, ['top', 'left']);
    expectViews(30, 30, pillar(8), null, ['top', 'left']);
  });
});

describe('the frame colour of a side', () => {
  it('an edge line 95% one colour gives its side a frame colour; 94% does not', () => {
    // 100 x 100: row 0 white but for 5 (or 6) black pixels, rows 1–9 white, then the photo. 95%:
    // the frame is white and row 0 (95% white) is interface too: 10 rows. 94%: no frame colour, the
    // side is not peeled, and nothing else is: null.
    const edge = (n: number): Draw => (x, y) => (y === 0 ? (x % 20 === 3 && x < 20 * n ? BLACK : x === 99 && n === 6 ? BLACK : WHITE) : y < 10 ? WHITE : tex(x, y));
    expectViews(100, 100, edge(5), topOnly(100, 100, 10));
    expectViews(100, 100, edge(6), null);
  });

  it('within the tolerance asked for: a frame of two greys 30 apart is one colour at tolerance 40, not at 16', () => {
    // Rows 0–9: 200 and 230 alternating, then the photo (70–159: over 40 from both).
    const f: Draw = (x, y) => (y < 10 ? (x % 2 ? 230 : 200) : tex(x, y));
    expectViews(100, 100, f, topOnly(100, 100, 10), undefined, { tolerance: 40 });
    expectViews(100, 100, f, null);
  });

  // 120 x 100, a letterboxed photo: black rows 0–9 and 90–99; between them the photo, its first 5
  // columns flat grey (128). The left edge line is 20% black, 80% grey: no frame colour ('edges').
  const letterbox: Draw = (x, y) => (y < 10 || y >= 90 ? BLACK : x < 5 ? 128 : tex(x, y));

  it("'edges' (the default): a letterboxed photo's flat side is left alone", () => {
    expectViews(120, 100, letterbox, { rect: { x: 0, y: 10, width: 120, height: 80 }, top: 10, bottom: 10, left: 0, right: 0 }, ['top', 'left']);
  });

  it("'inner': the left's frame is read after the bars are peeled, so the photo's flat columns go too", () => {
    // The left side's outermost line, rows 10–89 of column 0, is all grey: its 5 grey columns are
    // interface; column 5 (photo) is not. The right's (column 119, rows 10–89) is photo: none.
    expectViews(120, 100, letterbox, { rect: { x: 5, y: 10, width: 115, height: 80 }, top: 10, bottom: 10, left: 5, right: 0 }, ['top'], { frames: 'inner' });
    // Rows are peeled before columns: the same picture transposed (bars left and right, the flat
    // rows at the top) has its top read first, before the bars go: 80% grey, no frame; the bars go.
    expectViews(120, 100, letterbox, { rect: { x: 0, y: 10, width: 120, height: 80 }, top: 10, bottom: 10, left: 0, right: 0 }, ['left'], { frames: 'inner' });
  });

  it("a player: black sides above a grey control bar, peeled with 'inner' only", () => {
    // 150 x 100: rows 0–84 black columns 0–24 and 125–149 around the photo; rows 85–99 the control
    // bar, grey 128, with a white progress line (row 92, columns 0–59: 40% white, 60% grey).
    // 'edges': the top edge is 33% black (no frame), the left and right edges 85% black (no frame);
    // the bottom edge is grey: rows 99–85 go (row 92 is grey and one other colour), row 84 (black,
    // photo) does not. 'inner': the same bottom; then the left's outermost line, rows 0–84 of
    // column 0, is all black: columns 0–24 go, 25 (photo) does not; the right likewise.
    const player: Draw = (x, y) => (y >= 85 ? (y === 92 && x < 60 ? WHITE : 128) : x < 25 || x >= 125 ? BLACK : tex(x, y));
    expectViews(150, 100, player, { rect: { x: 0, y: 0, width: 150, height: 85 }, top: 0, bottom: 15, left: 0, right: 0 }, ['top', 'left']);
    expectViews(150, 100, player, { rect: { x: 25, y: 0, width: 100, height: 85 }, top: 0, bottom: 15, left: 25, right: 25 }, ['top'], { frames: 'inner' });
  });
});

describe('two rounds, frame colours kept', () => {
  it('a border peelable only once another side is peeled goes in the second round; a third round would be needed for more', () => {
    // 160 x 100. Palette P = 0, 50, 100, 150 (4 colours, 50 apart). Row 0 white.
    //  - Columns 0–59, rows 1–99: column 0 black; rows 1–20 P[(x + y) % 4]; rows 21–99 black.
    //  - Columns 60–99: rows 1–20 white and 200 alternating ((x + y) % 2); rows 21–40
    //    P[(x + y) % 4]; rows 41–99 black.
    //  - Columns 100–159: rows 1–40 white; rows 41–99 the photo.
    // Frames ('edges'): top white (row 0 all white); left black (column 0: 99 of 100); bottom (row
    // 99: 62.5% black) and right (column 159: 41% white) none.
    // Round 1. Top: row 0 goes; row 1 is 50% white + 12.5% 200 (or ~10% of a P colour): fails, no
    // blank row follows: top 1. Left (rows 1–99): columns 0–59 are black 84 of 99 (>= 80%): go;
    // column 60 is black 64 of 99 + white 10: 74.7%, fails: left 60.
    // Round 2. Top (columns 60–159): rows 1–20 are 80% white: go; row 21 is 60% white + 10%:
    // fails: top 21. Left (rows 21–99): columns 60–99 are black 64 of 79 (81%): go; column 100
    // (white, photo) fails: left 100.
    // No third round: rows 21–40 of columns 100–159, now all white, stay.
    const P = [0, 50, 100, 150];
    const f: Draw = (x, y) => {
      if (y === 0) return WHITE;
      if (x === 0) return BLACK;
      if (x < 60) return y <= 20 ? P[(x + y) % 4]! : BLACK;
      if (x < 100) return y <= 20 ? ((x + y) % 2 ? 200 : WHITE) : y <= 40 ? P[(x + y) % 4]! : BLACK;
      return y <= 40 ? WHITE : tex(x, y);
    };
    expect(findPicture(grey(160, 100, f))).toEqual({ rect: { x: 100, y: 21, width: 60, height: 79 }, top: 21, bottom: 0, left: 100, right: 0 });
  });

  it('a side keeps its frame colour in the second round: a flat column inside the picture is not taken for a new frame', () => {
    // The same first round (columns 0–59 as above, row 0 white, columns 60–159 white rows 1–20);
    // below row 20, columns 60–64 flat 200 and the photo from column 65. Round 1: top 1, left 60
    // (column 60: white and 200, no black). Round 2: top 21 (rows 1–20 of columns 60–159 white);
    // the left's frame is still black, so column 60 (all 200 in rows 21–99) is not interface.
    const P = [0, 50, 100, 150];
    const f: Draw = (x, y) => {
      if (y === 0) return WHITE;
      if (x === 0) return BLACK;
      if (x < 60) return y <= 20 ? P[(x + y) % 4]! : BLACK;
      return y <= 20 ? WHITE : x < 65 ? 200 : tex(x, y);
    };
    const expected: Picture = { rect: { x: 60, y: 21, width: 100, height: 79 }, top: 21, bottom: 0, left: 60, right: 0 };
    expectViews(160, 100, f, expected);
    expectViews(160, 100, f, expected, ['top'], { frames: 'inner' });
    // (Upside down: the bottom goes in round 2, its rows read over columns 60–159 only. Transposed:
    // the strip of columns 0–59 becomes rows, peeled first, and the rest follows in round 1; each
    // answer is the same picture's, moved.)
    // The strip 100 columns wide (0–99), the rest as above from column 100: round 1 top 1 (row 1 is
    // 37.5% white), left 100 (columns 1–99 black 84 of 99); round 2 top 21, reading its rows over
    // columns 100–159 only (all white), and the left's column 100 (200) is not black.
    const g: Draw = (x, y) => {
      if (y === 0) return WHITE;
      if (x === 0) return BLACK;
      if (x < 100) return y <= 20 ? P[(x + y) % 4]! : BLACK;
      return y <= 20 ? WHITE : x < 105 ? 200 : tex(x, y);
    };
    expectViews(160, 100, g, { rect: { x: 100, y: 21, width: 60, height: 79 }, top: 21, bottom: 0, left: 100, right: 0 });
  });
});

describe('lineColour: the sampled line, its main colour and its mean', () => {
  /** One row of the given RGB colours (on a second row below `above`, if given). */
  const row = (colours: Colour[], above?: Colour): Pixels => {
    const lines = above ? [colours.map(() => above), colours] : [colours];
    return { width: colours.length, height: lines.length, channels: 3, data: Uint8Array.from(lines.flat(2)) };
  };
  const rep = (n: number, c: Colour): Colour[] => new Array<Colour>(n).fill(c);

  it('the main colour is the mean of the samples in its 4-bit bucket, channel by channel', () => {
    // R 96–110 (bucket 6), G 40–47 (bucket 2), B 193–200 (bucket 12): 8 samples in one bucket, and
    // two black ones. Mean: R (96 + … + 110) / 8 = 103, G 43.5, B 196.5; within 16 of it: the 8.
    const bucket = Array.from({ length: 8 }, (_, i): Colour => [96 + 2 * i, 40 + i, 200 - i]);
    const got = lineColour(row([...bucket, [0, 0, 0], [0, 0, 0]]), 0, 0, 1, 0, 10);
    expect(got.colour).toEqual([103, 43.5, 196.5]);
    expect(got.share).toBeCloseTo(0.8, 10);
  });

  it('a tie goes to the colour counted first, and counts do not leak from one line to the next', () => {
    const x: Colour = [200, 40, 120];
    const y: Colour = [40, 200, 120];
    const z: Colour = [90, 90, 10];
    expect(lineColour(row([...rep(3, y), ...rep(3, x)]), 0, 0, 1, 0, 6).colour).toEqual(y);
    // One x in a line of z; then 3 y and 3 x again: still y (a count of x left over would make it 4).
    expect(lineColour(row([x, ...rep(9, z)]), 0, 0, 1, 0, 10).colour).toEqual(z);
    expect(lineColour(row([...rep(3, y), ...rep(3, x)]), 0, 0, 1, 0, 6).colour).toEqual(y);
  });

  it('colours are bucketed on all three channels: two colours differing in red only are two colours', () => {
    // 4 of [200, 100, 100], 3 of [40, 100, 100]: the first is the main colour, 4 of 7.
    const got = lineColour(row([...rep(3, [40, 100, 100]), ...rep(4, [200, 100, 100])]), 0, 0, 1, 0, 7);
    expect(got.colour).toEqual([200, 100, 100]);
    expect(got.share).toBeCloseTo(4 / 7, 10);
  });

  it('the most common colour wins even when it is not the first sample', () => {
    const z: Colour = [90, 90, 10];
    const y: Colour = [40, 200, 120];
    expect(lineColour(row([z, y, y]), 0, 0, 1, 0, 3).colour).toEqual(y);
  });

  it('only the line’s own samples count, not those left from a longer line before it', () => {
    const q: Colour = [90, 90, 10];
    const x: Colour = [200, 40, 120];
    const y: Colour = [40, 200, 120];
    // After a line of 5 ending in x: x, y, y, x is a tie, won by y (2 first); a fifth x would win.
    lineColour(row([q, q, q, q, x]), 0, 0, 1, 0, 5);
    expect(lineColour(row([x, y, y, x]), 0, 0, 1, 0, 4).colour).toEqual(y);
    // After a line of 4 ending in [110, 110, 110]: the mean of 3 × 100 is 100, not 102.5.
    lineColour(row([q, q, q, [110, 110, 110]]), 0, 0, 1, 0, 4);
    expect(lineColour(row(rep(3, [100, 100, 100])), 0, 0, 1, 0, 3).colour).toEqual([100, 100, 100]);
  });

  it('within 16 on each channel: the blue and the green channel too', () => {
    const g: Colour = [100, 100, 100];
    expect(lineColour(row([...rep(6, g), ...rep(4, [116, 100, 100])]), 0, 0, 1, 0, 10).share).toBe(1);
    expect(lineColour(row([...rep(6, g), ...rep(4, [100, 116, 100])]), 0, 0, 1, 0, 10).share).toBe(1);
    expect(lineColour(row([...rep(6, g), ...rep(4, [100, 100, 116])]), 0, 0, 1, 0, 10).share).toBe(1);
    expect(lineColour(row([...rep(6, g), ...rep(4, [100, 100, 117])]), 0, 0, 1, 0, 10).share).toBeCloseTo(0.6, 10);
    expect(lineColour(row([...rep(6, g), ...rep(4, [100, 117, 100])]), 0, 0, 1, 0, 10).share).toBeCloseTo(0.6, 10);
  });

  it('samples one pixel per step of n / min(n, 160), from the line’s own start', () => {
    const red: Colour = [200, 30, 30];
    const blue: Colour = [30, 30, 200];
    // 3 pixels: 3 samples, 2 red.
    expect(lineColour(row([red, red, blue]), 0, 0, 1, 0, 3).share).toBeCloseTo(2 / 3, 10);
    // 320 pixels, 200 red then 120 blue: 160 samples, pixels 1, 3, …, 319: 100 red, 60 blue.
    const long = lineColour(row([...rep(200, red), ...rep(120, blue)]), 0, 0, 1, 0, 320);
    expect(long.colour).toEqual(red);
    expect(long.share).toBeCloseTo(100 / 160, 10);
    // The second row of a picture whose first row is blue: all red.
    expect(lineColour(row(rep(10, red), blue), 0, 1, 1, 0, 10)).toEqual({ colour: red, share: 1 });
  });
});

describe('isInterfaceLine: half frame colour, and 80% with one other colour', () => {
  const row = (...runs: [number, Colour][]): Pixels => {
    const cols = runs.flatMap(([n, c]) => new Array<Colour>(n).fill(c));
    return { width: cols.length, height: 1, channels: 3, data: Uint8Array.from(cols.flat()) };
  };
  const white: Colour = [250, 250, 250];
  const red: Colour = [200, 30, 30];
  const blue: Colour = [30, 30, 200];

  it('the other colour is the main one among the samples the frame colour left', () => {
    // 60% white + 30% red = 90%: interface. (The white samples, already counted, are not counted
    // again when the other colour is looked for.)
    expect(isInterfaceLine(row([6, white], [3, red], [1, blue]), 0, 0, 1, 0, 10, white)).toBe(true);
    // Exactly half white, half red: interface; 4 white of 10: not.
    expect(isInterfaceLine(row([5, white], [5, red]), 0, 0, 1, 0, 10, white)).toBe(true);
    expect(isInterfaceLine(row([4, white], [6, red]), 0, 0, 1, 0, 10, white)).toBe(false);
    // 60% + 20% = 80%: interface; 60% + 10% + 10% + 10% + 10%: not.
    expect(isInterfaceLine(row([6, white], [2, red], [1, blue], [1, [120, 200, 120]]), 0, 0, 1, 0, 10, white)).toBe(true);
    expect(isInterfaceLine(row([6, white], [1, red], [1, blue], [1, [120, 200, 120]], [1, [0, 0, 0]]), 0, 0, 1, 0, 10, white)).toBe(false);
  });
});
