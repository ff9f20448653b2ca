// Strict JSON (src/core/json.ts) as the report receiver reads a body: RFC 8259 text in UTF-8
// (a byte order mark allowed and skipped, RFC 8259 §8.1), invalid UTF-8 refused rather than
// replaced, and no object with the same name twice (RFC 8259 §4: names "SHOULD be unique"; a
// receiver and a reader that keep different copies would see different reports). Names are
// compared as JSON decodes them, so "\u0061" and "a" are the same name.
import { describe, expect, it } from 'vitest';
import { StrictJsonError, parseStrictJson } from '../../../../src/core/json';

const utf8 = (s: string) => new TextEncoder().encode(s);
const parse = (s: string) => parseStrictJson(utf8(s));
const refusal = (s: string) => {
  try {
    parse(s);
  } catch (e) {
    expect(e).toBeInstanceOf(StrictJsonError);
    return (e as Error).message;
  }
  return 'accepted';
};

describe('parseStrictJson: duplicate names', () => {
  it.each([
    ['{"a":1,"a":2}', 'duplicate key "a"'],
    ['{ "a" : 1 ,\n  "a" : 2 }', 'duplicate key "a"'],
    ['{"a":{"b":1},"a":2}', 'duplicate key "a"'],
    ['{"x":{"a":1,"a":2}}', 'duplicate key "a"'],
    ['{"a":[1,2],"a":3}', 'duplicate key "a"'],
    ['{"a":["x",{"x":1,"x":2}]}', 'duplicate key "x"'],
    ['[{"a":1,"b":2,"a":3}]', 'duplicate key "a"'],
    ['{"a":"}{","a":1}', 'duplicate key "a"'],
    ['{"a\\"b":1,"a\\"b":2}', 'duplicate key "a\\"b"'],
    ['{"\\u0061":1,"a":2}', 'duplicate key "a"'],
    ['{"a":[[]],"a":1}', 'duplicate key "a"'],
    ['{"a":{},"b":[{}],"b":1}', 'duplicate key "b"'],
  ])('%s is refused: %s', (text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it.each([
    '{"a":{"a":1},"b":{"a":2}}',
    '{"a":{"b":1},"b":2}',
    '[{"a":1},{"a":1}]',
    '{"a":["a","a"]}',
    '{"a":"b","b":"a"}',
    '{"a":"a"}',
    '{"a\\\\":1,"b":2}',
    '{"a":"{\\"a\\":1}","b":2}',
    '{"x":[1,"y"],"y":1}',
    '{"a":[{"b":1}],"b":1}',
    '{"a":{"b":{"c":1}},"c":{"b":1},"b":2}',
    '{}',
    '[]',
    '"a"',
  ])('%s is accepted', (text) => {
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it('names a long duplicate by its first 80 characters', () => {
    const k = 'k'.repeat(100);
    expect(refusal(`{"${k}":1,"${k}":2}`)).toBe(`duplicate key "${'k'.repeat(80)}"`);
  });
});

describe('parseStrictJson: bytes and syntax', () => {
  it('skips a UTF-8 byte order mark', () => {
    expect(parseStrictJson(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":"é"}')]))).toEqual({ a: 'é' });
  });
  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(() => parseStrictJson(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toThrow(new StrictJsonError('not valid UTF-8'));
    expect(() => parseStrictJson(new Uint8Array([0x22, 0xc3, 0x22]))).toThrow('not valid UTF-8');
  });
  it('refuses text that is not JSON', () => {
    expect(() => parse('{"a":1,}')).toThrow(new StrictJsonError('not JSON'));
    expect(() => parse('')).toThrow('not JSON');
  });
  it('is a StrictJsonError by name', () => {
    expect(new StrictJsonError('x').name).toBe('StrictJsonError');
  });
});
