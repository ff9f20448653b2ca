// The hash layout of facebook/ThreatExchange pdq/cpp/common/pdqhashtypes.h, as src/core/hash256.ts
// documents it: 16 uint16 words, bit k is bit (k & 15) of word (k >> 4), the hex form prints w[15]
// first down to w[0], four lower-case digits each; the index's 8 uint32 lanes are
// w[2j] | w[2j+1] << 16. Expected strings are written from that rule by hand.
import { describe, expect, it } from 'vitest';
import { emptyHash, getBit, hammingDistance, hashFromHex, hashFromWords32, hashToHex, hashToWords32, isHashHex, popcount32, setBit } from '../../../../src/core/hash256';

const Z = '0'.repeat(64);

describe('the bit layout', () => {
  it('bit 0 is the last hex digit\'s low bit, bit 255 the first digit\'s high bit, bit 16 starts word 1', () => {
    const h = emptyHash();
    setBit(h, 0);
    expect(hashToHex(h)).toBe(`${'0'.repeat(63)}1`);
    setBit(h, 255);
    expect(hashToHex(h)).toBe(`8${'0'.repeat(62)}1`);
    setBit(h, 16);
    setBit(h, 15);
    expect(hashToHex(h)).toBe(`8${'0'.repeat(58)}18001`);
    expect([0, 1, 15, 16, 17, 254, 255].map((k) => getBit(h, k))).toEqual([1, 0, 1, 1, 0, 0, 1]);
  });
  it('words from hex: w[0] is the last four digits, w[15] the first four', () => {
    const h = hashFromHex(`ABCD${'0'.repeat(56)}1234`);
    expect(h[15]).toBe(0xabcd);
    expect(h[0]).toBe(0x1234);
    expect(Array.from(h.slice(1, 15))).toEqual(new Array(14).fill(0));
    expect(hashToHex(h)).toBe(`abcd${'0'.repeat(56)}1234`);
  });
  it('refuses anything but 64 hex digits, naming it (cut to 80 characters)', () => {
    expect(isHashHex('F'.repeat(64))).toBe(true);
    expect(isHashHex('f'.repeat(63))).toBe(false);
    expect(isHashHex(`${'f'.repeat(64)}0`)).toBe(false);
    expect(isHashHex(`g${'f'.repeat(63)}`)).toBe(false);
    expect(() => hashFromHex('xyz')).toThrow(new RangeError('not a 256-bit hex hash: "xyz"'));
    expect(() => hashFromHex('z'.repeat(100))).toThrow(new RangeError(`not a 256-bit hex hash: "${'z'.repeat(80)}"`));
    expect(() => hashFromHex(` ${'0'.repeat(64)}`)).toThrow(RangeError);
  });
});

describe('distances and lanes', () => {
  it('counts differing bits', () => {
    expect(hammingDistance(hashFromHex(Z), hashFromHex('f'.repeat(64)))).toBe(256);
    expect(hammingDistance(hashFromHex(Z), hashFromHex(`8${'0'.repeat(62)}1`))).toBe(2);
    expect(hammingDistance(hashFromHex(`0001${'0'.repeat(60)}`), hashFromHex(`${'0'.repeat(60)}0001`))).toBe(2);
    expect(hammingDistance(hashFromHex('0f'.repeat(32)), hashFromHex('f0'.repeat(32)))).toBe(256);
    expect([0, 1, 0xffffffff, 0x80000001, 0x55555555, 0x12345678].map(popcount32)).toEqual([0, 1, 32, 2, 16, 13]);
  });
  it('lane j is w[2j] | w[2j+1] << 16, written at an offset and read back from one', () => {
    const h = hashFromHex(`${'0'.repeat(48)}00040003` + '00020001');
    expect(Array.from(hashToWords32(h))).toEqual([0x00020001, 0x00040003, 0, 0, 0, 0, 0, 0]);
    const top = hashFromHex(`ffff8000${'0'.repeat(56)}`);
    expect(hashToWords32(top)[7]).toBe(0xffff8000);
    const big = new Uint32Array(24).fill(7);
    hashToWords32(h, big, 8);
    expect(Array.from(big)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 0x00020001, 0x00040003, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 7]);
    expect(hashToHex(hashFromWords32(big, 8))).toBe(hashToHex(h));
    expect(Array.from(hashFromWords32(new Uint32Array([0x80000001, 0, 0, 0, 0, 0, 0, 0xfffe0002])))).toEqual([1, 0x8000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0xfffe]);
  });
});
