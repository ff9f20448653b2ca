// Known-answer tests for the signed envelopes (src/core/feed/envelope.ts), against what this
// project did not make: the DSSE specification's own example, RFC 8032's Ed25519 test vectors,
// and an envelope signed once outside this project (tests/vectors/feed, see its README).
import fs from 'node:fs';
import path from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { LIMITS, PAYLOAD_TYPES, openEnvelope, pae, publicKeyFromBase64, signEnvelope, fromBase64, FeedError } from '../../../../src/core/feed';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('DSSE pre-authentication encoding: the specification’s example (secure-systems-lab/dsse, protocol.md, "Test Vectors")', () => {
  it('PAE("http://example.com/HelloWorld", "hello world") is "DSSEv1 29 http://example.com/HelloWorld 11 hello world"', () => {
    expect(text(pae('http://example.com/HelloWorld', utf8('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('the specification’s signed example verifies over our encoding (its ECDSA P-256 key and signature)', () => {
    // Key and envelope as the specification prints them: X, Y in decimal; sig = r || s, base64.
    const x = 46950820868899156662930047687818585632848591499744589407958293238635476079160n;
    const y = 5640078356564379163099075877009565129882514886557779369047442380624545832820n;
    const publicKey = hexToBytes(`04${x.toString(16).padStart(64, '0')}${y.toString(16).padStart(64, '0')}`);
    const envelope = { payload: 'aGVsbG8gd29ybGQ=', payloadType: 'http://example.com/HelloWorld', sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' };
    const message = pae(envelope.payloadType, fromBase64(envelope.payload));
    expect(p256.verify(fromBase64(envelope.sig), message, publicKey, { lowS: false })).toBe(true);
    // And one byte of the encoding changed no longer does (the test can fail).
    const other = utf8(`${text(message).replace('DSSEv1 29', 'DSSEv1 30')}`);
    expect(p256.verify(fromBase64(envelope.sig), other, publicKey, { lowS: false })).toBe(false);
  });

  it('lengths are in bytes, not characters (a non-ASCII type and body)', () => {
    // "é" is 2 bytes in UTF-8: by the definition, LEN counts bytes.
    expect(text(pae('t/é', utf8('ü')))).toBe('DSSEv1 4 t/é 2 ü');
  });
});

describe('Ed25519 as used for feeds: RFC 8032 section 7.1 test vectors', () => {
  const vectors = [
    {
      name: 'TEST 1 (empty message)',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2 (one byte)',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
  ];
  it.each(vectors)('$name: the public key and the signature are the RFC’s', (v) => {
    const secret = hexToBytes(v.secret);
    expect(Buffer.from(ed25519.getPublicKey(secret)).toString('hex')).toBe(v.public);
    expect(Buffer.from(ed25519.sign(hexToBytes(v.message), secret)).toString('hex')).toBe(v.signature);
    expect(ed25519.verify(hexToBytes(v.signature), hexToBytes(v.message), hexToBytes(v.public))).toBe(true);
  });
});

describe('an envelope signed outside this project (tests/vectors/feed)', () => {
  const dir = path.resolve(import.meta.dirname, '../../../vectors/feed');
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'index.envelope.json')));
  const key = JSON.parse(fs.readFileSync(path.join(dir, 'key.json'), 'utf8')) as { secretKeyHex: string; publicKeyBase64: string };
  const publicKey = publicKeyFromBase64(key.publicKeyBase64);

  it('verifies with its key, and the index inside is read', () => {
    const { payload, keyid } = openEnvelope(bytes, [publicKey], PAYLOAD_TYPES.index, LIMITS.maxIndexBytes);
    expect(keyid).toMatch(/^[0-9a-f]{16}$/);
    // (Its 10-year validity predates the 366-day cap the schema now sets, so it is read as JSON.)
    const index = JSON.parse(new TextDecoder().decode(payload)) as unknown;
    expect(index).toMatchObject({ feedId: 'https://feeds.example.org/other-publisher/v1', epoch: 1, seq: 7, snapshot: { path: 'snapshots/7.json', bytes: 1234, seq: 7 } });
  });

  it('signing the same payload with the same key here gives the same signature (Ed25519 is deterministic)', () => {
    const theirs = JSON.parse(text(bytes)) as { payload: string; payloadType: string; signatures: { sig: string }[] };
    const ours = JSON.parse(text(signEnvelope(fromBase64(theirs.payload), theirs.payloadType, hexToBytes(key.secretKeyHex)))) as typeof theirs;
    expect(ours.payload).toBe(theirs.payload);
    expect(ours.signatures[0]!.sig).toBe(theirs.signatures[0]!.sig);
  });

  it('is refused as another payload type, and with another key', () => {
    expect(() => openEnvelope(bytes, [publicKey], PAYLOAD_TYPES.snapshot, LIMITS.maxIndexBytes)).toThrow(FeedError);
    expect(() => openEnvelope(bytes, [ed25519.getPublicKey(hexToBytes('11'.repeat(32)))], PAYLOAD_TYPES.index, LIMITS.maxIndexBytes)).toThrow(/no signature verifies/);
  });
});
