// The directory of known feeds (src/core/feed/directory.ts) at its edges: each field's rule checked
// from both sides (a date is YYYY-MM-DD and nothing more; a key is 43 base64 characters and '=';
// a language is a BCP 47 tag: 2–3 letters, then subtags of 2–8 letters or digits), errors that say
// what is wrong and where, the expiry to the millisecond and "issued" at most a day ahead.
import { describe, expect, it } from 'vitest';
import { DIRECTORY_PAYLOAD_TYPE, FeedError, generateKeyPair, openDirectory, publicKeyToBase64, signDirectory, signEnvelope, type Directory, type DirectoryFeed } from '../../../../src/core/feed';

const NOW = new Date('2026-12-02T12:00:00Z');
const keys = generateKeyPair();
const pub = publicKeyToBase64(keys.publicKey);
const KEY = publicKeyToBase64(generateKeyPair().publicKey);
const feed: DirectoryFeed = { name: 'Example Checks', publisher: 'Example Desk', url: 'https://feeds.example.org/v1/index.json', publicKey: KEY, languages: ['en'], entries: 3, updated: '2026-11-28' };
const dir = (over: Partial<Directory> = {}): Directory => ({ type: 'already-debunked-directory', version: 1, issued: '2026-11-30T00:00:00.000Z', expires: '2027-03-01T00:00:00.000Z', feeds: [feed], ...over });

function outcome(bytes: Uint8Array): string {
  try {
    openDirectory(bytes, [pub], NOW);
  } catch (e) {
    if (e instanceof FeedError) return `${e.code} | ${e.message}`;
    throw e;
  }
  return 'opened';
}
const withFeed = (over: Partial<DirectoryFeed>) => outcome(signDirectory(dir({ feeds: [{ ...feed, ...over }] }), keys.secretKey));
const raw = (text: string | Uint8Array) => outcome(signEnvelope(typeof text === 'string' ? new TextEncoder().encode(text) : text, DIRECTORY_PAYLOAD_TYPE, keys.secretKey));

describe('directory fields, both sides of each rule', () => {
  it('updated: a day, nothing before or after', () => {
    expect(withFeed({ updated: '2026-11-28' })).toBe('opened');
    expect(withFeed({ updated: '2026-11-28T00:00' })).toMatch(/^schema \| feeds\.0\.updated: /);
    expect(withFeed({ updated: 'x2026-11-28' })).toMatch(/^schema \| feeds\.0\.updated: /);
  });

  it('publicKey: 43 base64 characters and "=", nothing around them', () => {
    expect(withFeed({ publicKey: `${'A'.repeat(43)}=` })).toBe('opened');
    expect(withFeed({ publicKey: `/${'A'.repeat(43)}=` })).toBe('schema | feeds.0.publicKey: a base64 Ed25519 public key');
    expect(withFeed({ publicKey: `${'A'.repeat(43)}=A` })).toMatch(/^schema \| feeds\.0\.publicKey: /);
  });

  it('languages: BCP 47 tags (en, fil, en-GB, zh-Hant, es-419), nothing else', () => {
    expect(withFeed({ languages: ['en', 'fil', 'en-GB', 'zh-Hant', 'es-419'] })).toBe('opened');
    expect(withFeed({ languages: ['1en'] })).toBe('schema | feeds.0.languages.0: a BCP 47 language tag');
    expect(withFeed({ languages: ['en_US'] })).toMatch(/^schema \| feeds\.0\.languages\.0: /);
    expect(withFeed({ languages: ['en-a'] })).toMatch(/^schema \| feeds\.0\.languages\.0: /);
  });

  it('says why a name or a URL is refused', () => {
    expect(withFeed({ name: 'Evil\u202E' })).toBe('schema | feeds.0.name: no control characters');
    expect(withFeed({ url: 'http://feeds.example.org/v1/index.json' })).toBe('schema | feeds.0.url: an https URL');
  });
});

describe('what the directory as a whole must be', () => {
  it('JSON in UTF-8: else not-json, saying so', () => {
    expect(raw('not json')).toBe('not-json | the directory is not JSON');
    // A JSON string holding a byte that is not UTF-8 (0xff): refused, not read with a replacement character.
    const text = JSON.stringify(dir({ feeds: [{ ...feed, name: 'XX' }] }));
    const bytes = new TextEncoder().encode(text);
    bytes[text.indexOf('"XX"') + 1] = 0xff;
    expect(raw(bytes)).toMatch(/^not-json \| /);
  });

  it('an object: null is refused at the root', () => {
    expect(raw('null')).toMatch(/^schema \| \(root\): /);
  });

  it('expires: refused at its very millisecond, with the date', () => {
    expect(outcome(signDirectory(dir({ expires: NOW.toISOString() }), keys.secretKey))).toBe(`expired | the directory expired on ${NOW.toISOString()}`);
    expect(outcome(signDirectory(dir({ expires: new Date(NOW.getTime() + 1).toISOString() }), keys.secretKey))).toBe('opened');
  });

  it('issued: up to 24 hours ahead (a clock off by a day), not a millisecond more', () => {
    const ahead = (ms: number) => outcome(signDirectory(dir({ issued: new Date(NOW.getTime() + ms).toISOString() }), keys.secretKey));
    expect(ahead(23 * 3600_000)).toBe('opened');
    expect(ahead(24 * 3600_000)).toBe('opened');
    expect(ahead(24 * 3600_000 + 1)).toBe('schema | issued: issued in the future');
  });

  it('names the feed listed twice', () => {
    expect(outcome(signDirectory(dir({ feeds: [feed, { ...feed, name: 'Again' }] }), keys.secretKey))).toBe(`duplicate-id | feeds.1.url: the feed ${feed.url} is listed twice`);
  });
});
