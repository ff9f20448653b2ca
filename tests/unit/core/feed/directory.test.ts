// The directory of known feeds: opened only when signed by a key the build trusts, with the
// directory's own payload type, not expired, each feed well formed and listed once. The committed
// test directory (tests/fixtures/feeds/test-directory.json) was signed by the CLI's `directory`
// command with the test key next to it.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIRECTORY_PAYLOAD_TYPE, FeedError, fromBase64, generateKeyPair, openDirectory, publicKeyToBase64, signDirectory, signEnvelope, toBase64, type Directory } from '../../../../src/core/feed';

const fixture = fs.readFileSync(new URL('../../../fixtures/feeds/test-directory.json', import.meta.url));
const fixtureKey = JSON.parse(fs.readFileSync(new URL('../../../fixtures/feeds/test-directory-key.json', import.meta.url), 'utf8')) as { publicKey: string; secretKey: string };
const NOW = new Date('2026-12-02T12:00:00Z');
const LOOPBACK = ['127.0.0.1'];

const dir = (over: Partial<Directory> = {}): Directory => ({
  type: 'already-debunked-directory',
  version: 1,
  issued: '2026-11-30T00:00:00.000Z',
  expires: '2027-03-01T00:00:00.000Z',
  feeds: [
    { name: 'Example Checks', publisher: 'Example Fact Check Desk', url: 'https://feeds.example.org/v1/index.json', publicKey: fixtureKey.publicKey, languages: ['en', 'es'], entries: 1200, updated: '2026-11-28' },
  ],
  ...over,
});
const keys = generateKeyPair();
const pub = publicKeyToBase64(keys.publicKey);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof FeedError ? `${e.code}${e.path ? ` ${e.path}` : ''}` : `not a FeedError: ${String(e)}`;
  }
  return 'opened';
};

describe('directory of known feeds', () => {
  it('opens the committed test directory with the test key: the demo feed and a second one', () => {
    const d = openDirectory(fixture, [fixtureKey.publicKey], NOW, LOOPBACK);
    expect(d.feeds.map((f) => [f.name, f.url, f.languages])).toEqual([
      ['Local demo fact-checks', 'http://127.0.0.1:47110/feed/index.json', ['en']],
      ['Vérifications de démonstration', 'http://127.0.0.1:47110/feed-fr/index.json', ['fr']],
    ]);
    expect(d.feeds[0]!.publicKey, 'the demo feed key the test build subscribes with').toBe(JSON.parse(fs.readFileSync(new URL('../../../fixtures/feeds/test-default-feeds.json', import.meta.url), 'utf8'))[0].publicKey);
  });

  it('refuses what another key signed, and the test directory without loopback allowed', () => {
    expect(code(() => openDirectory(fixture, [pub], NOW, LOOPBACK))).toBe('bad-signature');
    expect(code(() => openDirectory(fixture, [fixtureKey.publicKey], NOW))).toBe('schema feeds.0.url');
  });

  it('refuses a tampered payload', () => {
    const env = JSON.parse(new TextDecoder().decode(signDirectory(dir(), keys.secretKey)));
    const payload = JSON.parse(new TextDecoder().decode(fromBase64(env.payload)));
    payload.feeds[0].url = 'https://evil.example/index.json';
    env.payload = toBase64(new TextEncoder().encode(JSON.stringify(payload)));
    expect(code(() => openDirectory(new TextEncoder().encode(JSON.stringify(env)), [pub], NOW))).toBe('bad-signature');
  });

  it('refuses a feed file signed by the same key (another payload type)', () => {
    const asFeed = signEnvelope(new TextEncoder().encode(JSON.stringify(dir())), 'application/vnd.already-debunked.index+json', keys.secretKey);
    expect(code(() => openDirectory(asFeed, [pub], NOW))).toBe('wrong-payload-type');
    expect(DIRECTORY_PAYLOAD_TYPE).toBe('application/vnd.already-debunked.directory+json');
  });

  it('refuses an expired directory, one issued in the future, and a feed listed twice', () => {
    expect(code(() => openDirectory(signDirectory(dir({ expires: '2026-12-01T00:00:00.000Z' }), keys.secretKey), [pub], NOW))).toBe('expired');
    expect(code(() => openDirectory(signDirectory(dir({ issued: '2027-01-01T00:00:00.000Z' }), keys.secretKey), [pub], NOW))).toBe('schema issued');
    const f = dir().feeds[0]!;
    expect(code(() => openDirectory(signDirectory(dir({ feeds: [f, { ...f, name: 'Again' }] }), keys.secretKey), [pub], NOW))).toBe('duplicate-id feeds.1.url');
  });

  it('refuses malformed feeds field by field', () => {
    const f = dir().feeds[0]!;
    const bad = (over: object) => code(() => openDirectory(signDirectory(dir({ feeds: [{ ...f, ...over } as typeof f] }), keys.secretKey), [pub], NOW));
    expect(bad({ url: 'http://feeds.example.org/index.json' })).toBe('schema feeds.0.url');
    expect(bad({ publicKey: 'not-a-key' })).toBe('schema feeds.0.publicKey');
    expect(bad({ name: '\u202Eevil' })).toBe('schema feeds.0.name');
    expect(bad({ languages: [] })).toBe('schema feeds.0.languages');
    expect(bad({ entries: -1 })).toBe('schema feeds.0.entries');
    expect(bad({ extra: 1 })).toBe('schema feeds.0.extra');
    expect(bad({})).toBe('opened');
  });
});
