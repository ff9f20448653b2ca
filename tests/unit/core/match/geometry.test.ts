// Pixel geometry (src/core/match/geometry.ts) on tiny images whose every output pixel is worked out
// by hand from the documented rules: a crop copies its rectangle (clamped to the image); the centred
// rectangle of `scale` of each side; a turn about the centre, clockwise on screen, onto the turned
// bounding box with the corners filled, sampled bilinearly; luma (77 R + 150 G + 29 B) / 256 rounded,
// or 2x2 means when the rectangle's long side reaches `from`.
import { describe, expect, it } from 'vitest';
import { centerRect, crop, fullRect, isFull, lumaOf, rotate } from '../../../../src/core/match';
import type { Pixels } from '../../../../src/core/pdq';

const grey = (width: number, height: number, values: number[]): Pixels => ({ width, height, channels: 1, data: Uint8Array.from(values) });
const G43 = () => grey(4, 3, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

describe('crop', () => {
  it('copies the rectangle', () => {
    const out = crop(G43(), { x: 1, y: 1, width: 2, height: 2 });
    expect([out.width, out.height, out.channels, ...out.data]).toEqual([2, 2, 1, 5, 6, 9, 10]);
  });
  it('rounds and clamps the rectangle to the image (at least one pixel)', () => {
    expect([...crop(G43(), { x: 0.6, y: 1.4, width: 9, height: 9 }).data]).toEqual([5, 6, 7, 9, 10, 11]);
    expect([...crop(G43(), { x: -3, y: -2, width: 1, height: 1 }).data]).toEqual([0]);
    const one = crop(G43(), { x: 7, y: 5, width: 0, height: 0.2 });
    expect([one.width, one.height, ...one.data]).toEqual([1, 1, 11]);
  });
  it('keeps the channels together', () => {
    const rgb: Pixels = { width: 2, height: 2, channels: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
    const out = crop(rgb, { x: 1, y: 0, width: 1, height: 2 });
    expect([out.width, out.height, out.channels, ...out.data]).toEqual([1, 2, 3, 4, 5, 6, 10, 11, 12]);
  });
  it('answers the image itself for the whole rectangle', () => {
    const px = G43();
    expect(crop(px, fullRect(px))).toBe(px);
  });
});

describe('fullRect, isFull, centerRect', () => {
  it('the whole image, and only it, is full', () => {
    const px = G43();
    expect(fullRect(px)).toEqual({ x: 0, y: 0, width: 4, height: 3 });
    expect(isFull({ x: 0, y: 0, width: 4, height: 3 }, px)).toBe(true);
    expect(isFull({ x: 1, y: 0, width: 4, height: 3 }, px)).toBe(false);
    expect(isFull({ x: 0, y: 1, width: 4, height: 3 }, px)).toBe(false);
    expect(isFull({ x: 0, y: 0, width: 3, height: 3 }, px)).toBe(false);
    expect(isFull({ x: 0, y: 0, width: 4, height: 2 }, px)).toBe(false);
  });
  it('centres scale × each side (rounded), the margin split with the odd pixel after', () => {
    expect(centerRect(10, 8, 0.5)).toEqual({ x: 2, y: 2, width: 5, height: 4 });
    expect(centerRect(100, 51, 0.9)).toEqual({ x: 5, y: 2, width: 90, height: 46 });
  });
  it('inside another rectangle, offset by it', () => {
    expect(centerRect(999, 999, 0.6, { x: 10, y: 20, width: 7, height: 5 })).toEqual({ x: 11, y: 21, width: 4, height: 3 });
  });
  it('never less than one pixel', () => {
    expect(centerRect(10, 10, 0.01)).toEqual({ x: 4, y: 4, width: 1, height: 1 });
  });
});

describe('rotate', () => {
  it('by 0°: the same pixels', () => {
    const out = rotate(G43(), 0);
    expect([out.width, out.height, ...out.data]).toEqual([4, 3, ...G43().data]);
  });
  it('by 90°, clockwise: a 3x2 [a b c / d e f] becomes 2x3 [d a / e b / f c]', () => {
    const out = rotate(grey(3, 2, [10, 20, 30, 40, 50, 60]), 90);
    expect([out.width, out.height, ...out.data]).toEqual([2, 3, 40, 10, 50, 20, 60, 30]);
    const back = rotate(grey(3, 2, [10, 20, 30, 40, 50, 60]), -90);
    expect([back.width, back.height, ...back.data]).toEqual([2, 3, 30, 60, 20, 50, 10, 40]);
  });
  it('by 45°: the bounding box, corners filled, the centre the mean of the four pixels', () => {
    // 2x2 → round(2·cos45 + 2·sin45) = 3 a side; the centre samples (0.5, 0.5): (0+100+200+40)/4 = 85.
    const out = rotate(grey(2, 2, [0, 100, 200, 40]), 45);
    expect([out.width, out.height]).toEqual([3, 3]);
    expect(out.data[4]).toBe(85);
    for (const corner of [0, 2, 6, 8]) expect(out.data[corner]).toBe(255);
    expect(rotate(grey(2, 2, [0, 100, 200, 40]), 45, 7).data[0]).toBe(7);
  });
  it('by 90°, colour: every channel of each pixel moves together', () => {
    // 3x2 RGB, pixel (x, y) = [10·i + 1, 10·i + 2, 10·i + 3] with i = y·3 + x; clockwise: out(x, y) = in(y, 1 − x).
    const data = Uint8Array.from({ length: 18 }, (_, b) => 10 * Math.floor(b / 3) + (b % 3) + 1);
    const out = rotate({ width: 3, height: 2, channels: 3, data }, 90);
    const expected: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 2; x++) for (let k = 0; k < 3; k++) expected.push(10 * ((1 - x) * 3 + y) + k + 1);
    expect([out.width, out.height, out.channels, ...out.data]).toEqual([2, 3, 3, ...expected]);
    // At 45° the centre of a 2x2 colour image is each channel's mean; the output holds 3x3 pixels of 3 channels.
    const rgb: Pixels = { width: 2, height: 2, channels: 3, data: Uint8Array.from([0, 10, 20, 100, 110, 120, 200, 210, 220, 40, 50, 60]) };
    const turned = rotate(rgb, 45);
    expect(turned.data.length).toBe(27);
    expect([...turned.data.subarray(12, 15)]).toEqual([85, 95, 105]);
    expect([...turned.data.subarray(24, 27)]).toEqual([255, 255, 255]);
  });

  it('fills every channel of a corner', () => {
    const rgb: Pixels = { width: 2, height: 2, channels: 3, data: new Uint8Array(12) };
    expect([...rotate(rgb, 45, 9).data.subarray(0, 3)]).toEqual([9, 9, 9]);
  });
  it('leaves an image narrower than 2 pixels as it is', () => {
    const line = grey(1, 5, [1, 2, 3, 4, 5]);
    expect(rotate(line, 30)).toBe(line);
    const row = grey(5, 1, [1, 2, 3, 4, 5]);
    expect(rotate(row, 30)).toBe(row);
  });
});

describe('lumaOf', () => {
  it('grey at full size below `from`: the values themselves', () => {
    const out = lumaOf(G43(), fullRect(G43()));
    expect([out.width, out.height, out.channels, ...out.data]).toEqual([4, 3, 1, ...G43().data]);
  });
  it('colour: (77 R + 150 G + 29 B + 128) >> 8', () => {
    const rgb: Pixels = { width: 2, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 10, 20, 30]) };
    // 77·255 = 19635 → 77; 770 + 3000 + 870 = 4640 → 18. RGBA alike, alpha ignored.
    expect([...lumaOf(rgb, fullRect(rgb)).data]).toEqual([77, 18]);
    const rgba: Pixels = { width: 2, height: 1, channels: 4, data: Uint8Array.from([255, 0, 0, 1, 10, 20, 30, 200]) };
    expect([...lumaOf(rgba, fullRect(rgba)).data]).toEqual([77, 18]);
  });
  it('2x2 means (rounded half up) when the long side reaches `from`', () => {
    const px = grey(4, 2, [10, 20, 30, 40, 50, 60, 70, 80]);
    // (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55; both exact .0 after the +512 rounding of /1024 sums:
    // (140·256 + 512) >> 10 = 35, (220·256 + 512) >> 10 = 55.
    const half = lumaOf(px, fullRect(px), 4);
    expect([half.width, half.height, ...half.data]).toEqual([2, 1, 35, 55]);
    const full = lumaOf(px, fullRect(px), 5);
    expect([full.width, full.height]).toEqual([4, 2]);
    // Means that round up: 1+2+2+2 = 7 → 1.75 → 2.
    expect([...lumaOf(grey(2, 2, [1, 2, 2, 2]), { x: 0, y: 0, width: 2, height: 2 }, 2).data]).toEqual([2]);
  });
  it('2x2 means of colour pixels, over the rectangle asked', () => {
    const w = 3;
    const data = new Uint8Array(w * 3 * 3);
    // Pixel (x, y) = grey level 10·(y·3 + x) in R, G and B: luma = the level.
    for (let i = 0; i < 9; i++) data.set([10 * i, 10 * i, 10 * i], i * 3);
    const rgb: Pixels = { width: 3, height: 3, channels: 3, data };
    // Rectangle (1,1) 2x2: levels 40, 50, 70, 80 → 60.
    expect([...lumaOf(rgb, { x: 1, y: 1, width: 2, height: 2 }, 2).data]).toEqual([60]);
    // At full size from (1, 0), 2x1: levels 10, 20.
    expect([...lumaOf(rgb, { x: 1, y: 0, width: 2, height: 1 }).data]).toEqual([10, 20]);
  });
  it('2x2 means over several rows and columns, grey and colour alike', () => {
    // 4x4, level 10·(y·4 + x): the 2x2 blocks' means are 25, 45, 105, 125.
    const levels = Array.from({ length: 16 }, (_, i) => 10 * i);
    expect([...lumaOf(grey(4, 4, levels), { x: 0, y: 0, width: 4, height: 4 }, 4).data]).toEqual([25, 45, 105, 125]);
    const rgb: Pixels = { width: 4, height: 4, channels: 3, data: Uint8Array.from(levels.flatMap((v) => [v, v, v])) };
    expect([...lumaOf(rgb, { x: 0, y: 0, width: 4, height: 4 }, 4).data]).toEqual([25, 45, 105, 125]);
  });

  it('clamps a rectangle that runs past the bottom, from where it starts', () => {
    const out = lumaOf(G43(), { x: 1, y: 2, width: 2, height: 5 });
    expect([out.width, out.height, ...out.data]).toEqual([2, 1, 9, 10]);
  });

  it('clamps the rectangle to the image', () => {
    const out = lumaOf(G43(), { x: 2, y: -1, width: 10, height: 2 });
    expect([out.width, out.height, ...out.data]).toEqual([2, 2, 2, 3, 6, 7]);
  });
});
