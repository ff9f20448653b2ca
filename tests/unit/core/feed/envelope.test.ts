// The signed envelope's edges (src/core/feed/envelope.ts): each refusal openEnvelope owes a reader
// (size, JSON, shape, base64, the 8-signature cap, a bad signature before a good one), base64 and
// key parsing, and what signEnvelope writes. Expected values come from the DSSE specification
// (secure-systems-lab/dsse, envelope.md and protocol.md), node's own crypto (key ids, Ed25519
// verification with OpenSSL) and RFC 4648 base64 — not from this module's output.
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { FeedError, fromBase64, generateKeyPair, keyId, openEnvelope, pae, publicKeyFromBase64, publicKeyFromSecret, signEnvelope, toBase64 } from '../../../../src/core/feed';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const TYPE = 'application/vnd.already-debunked.index+json';
const secret = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'); // RFC 8032 TEST 1
const publicKey = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const other = hexToBytes('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'); // RFC 8032 TEST 2
const otherPublic = hexToBytes('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const nodeKeyId = (pub: Uint8Array) => createHash('sha256').update(pub).digest('hex').slice(0, 16);

/** An envelope written by hand as the DSSE spec lays it out, signed with the RFC key. */
function envelope(payload: string, signatures: unknown[] = [sign(payload)], payloadType: string = TYPE) {
  return utf8(JSON.stringify({ payloadType, payload: b64(payload), signatures }));
}
function sign(payload: string, key = secret, type = TYPE) {
  const message = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${Buffer.byteLength(payload)} `), Buffer.from(payload)]);
  return { sig: b64(ed25519.sign(message, key)) };
}
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (e) {
    return e instanceof FeedError ? e.code : `not a FeedError: ${String(e)}`;
  }
};
const open = (bytes: Uint8Array, max = 64 * 1024) => openEnvelope(bytes, [publicKey], TYPE, max);

describe('openEnvelope refuses, each with its own code', () => {
  it('a file over the limit (the limit itself is allowed)', () => {
    const bytes = envelope('{"a":1}');
    expect(codeOf(() => open(bytes, bytes.length))).toBe('accepted');
    expect(codeOf(() => open(bytes, bytes.length - 1))).toBe('too-large');
    expect(() => open(bytes, bytes.length - 1)).toThrow(`${bytes.length} bytes, more than the limit of ${bytes.length - 1}`);
  });

  it('bytes that are not UTF-8 JSON (an invalid UTF-8 byte inside a JSON string is refused, not replaced)', () => {
    expect(codeOf(() => open(utf8('{"payloadType": ')))).toBe('not-json');
    const bytes = envelope('{"a":1}');
    const at = text(bytes).indexOf(TYPE) + 5; // inside the payloadType string
    const bad = bytes.slice();
    bad[at] = 0xff;
    expect(codeOf(() => open(bad))).toBe('not-json');
    expect(() => open(bad)).toThrow('the file is not a JSON envelope');
  });

  it.each([
    ['a JSON string', '"x"'],
    ['null', 'null'],
    ['no payloadType', JSON.stringify({ payload: b64('{}'), signatures: [] })],
    ['a numeric payloadType', JSON.stringify({ payloadType: 1, payload: b64('{}'), signatures: [] })],
    ['no payload', JSON.stringify({ payloadType: TYPE, signatures: [] })],
    ['signatures not a list', JSON.stringify({ payloadType: TYPE, payload: b64('{}'), signatures: { sig: 'x' } })],
  ])('an envelope of the wrong shape: %s', (_, json) => {
    expect(codeOf(() => open(utf8(json)))).toBe('bad-envelope');
    expect(() => open(utf8(json))).toThrow('expected {payloadType, payload, signatures}');
  });

  it('a payload that is not base64', () => {
    const bytes = utf8(JSON.stringify({ payloadType: TYPE, payload: '{"a":1}', signatures: [sign('{"a":1}')] }));
    expect(codeOf(() => open(bytes))).toBe('bad-envelope');
  });

  it('a valid signature by another key; the payload type is checked only once a signature verifies', () => {
    expect(codeOf(() => open(envelope('{"a":1}', [sign('{"a":1}', other)])))).toBe('bad-signature');
    expect(() => open(envelope('{"a":1}', [sign('{"a":1}', other)]))).toThrow('no signature verifies with the feed’s public key');
    // Wrong type but signed by another key: the signature is what is refused.
    expect(codeOf(() => open(envelope('{"a":1}', [sign('{"a":1}', other, 'x/y')], 'x/y')))).toBe('bad-signature');
    // Wrong type, signed by the pinned key: wrong-payload-type, naming both (the type cut to 80 characters).
    const long = `x/${'y'.repeat(200)}`;
    const thrown = (() => {
      try {
        open(envelope('{"a":1}', [sign('{"a":1}', secret, long)], long));
      } catch (e) {
        return e as FeedError;
      }
      return null;
    })();
    expect(thrown?.code).toBe('wrong-payload-type');
    expect(thrown?.message).toBe(`expected ${TYPE}, got ${long.slice(0, 80)}`);
    // Two accepted types (a file in either form) are both named.
    const both = [TYPE, 'application/vnd.already-debunked.index+adfb'];
    expect(() => openEnvelope(envelope('{"a":1}', [sign('{"a":1}', secret, 'x/y')], 'x/y'), [publicKey], both, 1 << 20)).toThrow(`expected ${both[0]} or ${both[1]}, got x/y`);
  });

  it('tells each step as it ends, the phase marks the benchmarks read (documented on openEnvelope)', () => {
    const steps: string[] = [];
    openEnvelope(envelope('{"a":1}'), [publicKey], TYPE, 1 << 20, (name) => steps.push(name));
    expect(steps).toEqual(['envelope-parsed', 'payload-decoded', 'signature-verified']);
  });

  it('at most 8 signatures are tried: a good 9th after 8 bad ones is refused, a good 8th is accepted', () => {
    const bad = sign('{"a":1}', other);
    const good = sign('{"a":1}');
    expect(codeOf(() => open(envelope('{"a":1}', [...Array(7).fill(bad), good])))).toBe('accepted');
    expect(codeOf(() => open(envelope('{"a":1}', [...Array(8).fill(bad), good])))).toBe('bad-signature');
  });
});

describe('openEnvelope skips a signature it cannot use and tries the next', () => {
  it.each([
    ['null', null],
    ['a number', { sig: 7 }],
    ['no sig', { keyid: 'x' }],
    ['not base64', { sig: 'not base64!' }],
    ['63 bytes', { sig: b64(new Uint8Array(63)) }],
    ['64 zero bytes', { sig: b64(new Uint8Array(64)) }],
  ])('%s, then a good one: accepted', (_, first) => {
    const { payload, keyid } = open(envelope('{"a":1}', [first, sign('{"a":1}')]));
    expect(text(payload)).toBe('{"a":1}');
    expect(keyid).toBe(nodeKeyId(publicKey));
  });

  it('a pinned key the curve library refuses outright (31 bytes) verifies nothing, and the next key is tried', () => {
    const short = publicKey.subarray(0, 31);
    expect(codeOf(() => openEnvelope(envelope('{"a":1}'), [short], TYPE, 1 << 16))).toBe('bad-signature');
    expect(openEnvelope(envelope('{"a":1}'), [short, publicKey], TYPE, 1 << 16).keyid).toBe(nodeKeyId(publicKey));
  });

  it('with two pinned keys (a rotation), the key that verifies is the one named', () => {
    const { keyid } = openEnvelope(envelope('{"a":1}', [sign('{"a":1}', other)]), [publicKey, otherPublic], TYPE, 1 << 16);
    expect(keyid).toBe(nodeKeyId(otherPublic));
    expect(keyid).not.toBe(nodeKeyId(publicKey));
  });
});

describe('signEnvelope writes what the DSSE spec describes', () => {
  it('a JSON envelope ending in a newline, payload in base64, one signature per key with its key id, each verifying with OpenSSL', () => {
    const payload = utf8('{"hello":"wörld"}');
    const out = text(signEnvelope(payload, TYPE, [secret, other]));
    expect(out.endsWith('}\n')).toBe(true);
    const env = JSON.parse(out) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
    expect(Object.keys(env).sort()).toEqual(['payload', 'payloadType', 'signatures']);
    expect(env.payloadType).toBe(TYPE);
    expect(env.payload).toBe(Buffer.from(payload).toString('base64'));
    expect(env.signatures.map((s) => s.keyid)).toEqual([nodeKeyId(publicKey), nodeKeyId(otherPublic)]);
    const message = Buffer.concat([Buffer.from(`DSSEv1 ${TYPE.length} ${TYPE} ${payload.length} `), Buffer.from(payload)]);
    for (const [i, pub] of [publicKey, otherPublic].entries()) {
      const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' });
      expect(nodeVerify(null, message, spki, Buffer.from(env.signatures[i]!.sig, 'base64'))).toBe(true);
    }
  });

  it('signs with 1 to 8 keys', () => {
    expect(() => signEnvelope(utf8('{}'), TYPE, [])).toThrow('sign with 1 to 8 keys');
    expect(() => signEnvelope(utf8('{}'), TYPE, Array(9).fill(secret))).toThrow('sign with 1 to 8 keys');
    const eight = JSON.parse(text(signEnvelope(utf8('{}'), TYPE, Array(8).fill(secret)))) as { signatures: unknown[] };
    expect(eight.signatures).toHaveLength(8);
    const one = JSON.parse(text(signEnvelope(utf8('{}'), TYPE, secret))) as { signatures: unknown[] };
    expect(one.signatures).toHaveLength(1);
  });

  it('a new key pair is an Ed25519 pair OpenSSL agrees with (the public key is the secret key’s)', () => {
    const pair = generateKeyPair();
    expect(pair.secretKey).toHaveLength(32);
    expect(Buffer.from(publicKeyFromSecret(pair.secretKey)).equals(Buffer.from(pair.publicKey))).toBe(true);
    const env = JSON.parse(text(signEnvelope(utf8('{}'), TYPE, pair.secretKey))) as { signatures: { sig: string }[] };
    const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pair.publicKey]), format: 'der', type: 'spki' });
    expect(nodeVerify(null, Buffer.from(`DSSEv1 ${TYPE.length} ${TYPE} 2 {}`), spki, Buffer.from(env.signatures[0]!.sig, 'base64'))).toBe(true);
    expect(Buffer.from(generateKeyPair().secretKey).equals(Buffer.from(pair.secretKey)), 'two pairs differ').toBe(false);
  });

  it('the key id is the first 16 hex digits of the public key’s SHA-256', () => {
    expect(keyId(publicKey)).toBe(nodeKeyId(publicKey));
    expect(keyId(publicKey)).toHaveLength(16);
  });
});

describe('base64 (RFC 4648, section 10 test vectors) and keys', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  it.each(vectors)('%j ⇄ %j', (plain, encoded) => {
    expect(toBase64(utf8(plain))).toBe(encoded);
    expect(text(fromBase64(encoded))).toBe(plain);
  });

  it('a payload larger than one 32 KiB chunk encodes as node does', () => {
    const big = new Uint8Array(0x8000 * 2 + 5).map((_, i) => (i * 7) & 0xff);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(Buffer.from(fromBase64(Buffer.from(big).toString('base64'))).equals(Buffer.from(big))).toBe(true);
  });

  it.each([['Zm9'], ['Zm9v!'], ['!Zm9v'], ['Zm9v===='], ['Zm 9v'], ['Zg=a']])('refuses %j (bad-envelope, not a DOMException)', (t) => {
    expect(codeOf(() => fromBase64(t))).toBe('bad-envelope');
    expect(() => fromBase64(t)).toThrow('not base64');
  });

  it('uses the platform decoder (Uint8Array.fromBase64) where there is one, only for text the check passed; its refusal is a bad-envelope', () => {
    // Node 20 has none: a stand-in decoding as node's Buffer does, counting its calls.
    const calls: string[] = [];
    const U = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array };
    U.fromBase64 = (t: string) => {
      calls.push(t);
      if (t === 'AAAB') throw new SyntaxError('refused by the platform');
      return new Uint8Array(Buffer.from(t, 'base64'));
    };
    try {
      for (const [plain, encoded] of vectors) expect(text(fromBase64(encoded))).toBe(plain);
      expect(calls).toEqual(vectors.map(([, e]) => e));
      for (const bad of ['Zm9', 'Zm9v!', 'Zm 9v', 'Zg=a']) expect(codeOf(() => fromBase64(bad))).toBe('bad-envelope');
      expect(calls).toHaveLength(vectors.length); // refused before the platform is asked
      expect(codeOf(() => fromBase64('AAAB'))).toBe('bad-envelope');
    } finally {
      delete U.fromBase64;
    }
  });

  it('a public key: base64 of 32 bytes, surrounding whitespace allowed; anything else is a bad-key', () => {
    expect(Buffer.from(publicKeyFromBase64(`  ${b64(publicKey)}\n`)).equals(Buffer.from(publicKey))).toBe(true);
    expect(codeOf(() => publicKeyFromBase64('not a key'))).toBe('bad-key');
    expect(() => publicKeyFromBase64('not a key')).toThrow('the public key is not base64');
    expect(codeOf(() => publicKeyFromBase64(b64(publicKey.subarray(0, 31))))).toBe('bad-key');
    expect(() => publicKeyFromBase64(b64(publicKey.subarray(0, 31)))).toThrow('an Ed25519 public key has 32 bytes, this one 31');
  });

  it('the committed vector’s key id is what node computes from its public key', () => {
    const dir = path.resolve(import.meta.dirname, '../../../vectors/feed');
    const key = JSON.parse(fs.readFileSync(path.join(dir, 'key.json'), 'utf8')) as { publicKeyBase64: string };
    const pub = Buffer.from(key.publicKeyBase64, 'base64');
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'index.envelope.json')));
    expect(openEnvelope(bytes, [new Uint8Array(pub)], TYPE, 1 << 16).keyid).toBe(nodeKeyId(pub));
    expect(text(pae('a', utf8('b')))).toBe('DSSEv1 1 a 1 b');
  });
});
