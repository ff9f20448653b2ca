// Made once to produce the committed vector (index.envelope.json, key.json); kept to show how.
// Deliberately independent of this project's code: node's own crypto (OpenSSL Ed25519) and the
// DSSE pre-authentication encoding written out from the spec (secure-systems-lab/dsse
// protocol.md), with a payload written by hand from docs/feed-format.md, as another publisher's
// tool would. Running it again makes a new key and a new vector: the tests would need both.
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const payloadType = 'application/vnd.already-debunked.index+json';
const payload = Buffer.from(
  JSON.stringify({
    format: 'already-debunked/index',
    formatVersion: 1,
    feedId: 'https://feeds.example.org/other-publisher/v1',
    epoch: 1,
    seq: 7,
    generatedAt: '2026-12-01T00:00:00Z',
    expiresAt: '2036-12-01T00:00:00Z',
    snapshot: { path: 'snapshots/7.json', sha256: 'ab'.repeat(32), bytes: 1234, seq: 7 },
    deltas: [],
  }),
  'utf8',
);
const type = Buffer.from(payloadType, 'utf8');
const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const jwk = privateKey.export({ format: 'jwk' });
const sig = sign(null, pae, privateKey);
writeFileSync(
  new URL('index.envelope.json', import.meta.url),
  `${JSON.stringify({ payload: payload.toString('base64'), payloadType, signatures: [{ sig: sig.toString('base64') }] })}\n`,
);
writeFileSync(
  new URL('key.json', import.meta.url),
  `${JSON.stringify(
    {
      note: 'A test key, made for this vector only; it signs nothing else.',
      secretKeyHex: Buffer.from(jwk.d, 'base64url').toString('hex'),
      publicKeyBase64: Buffer.from(jwk.x, 'base64url').toString('base64'),
      publicKeySpkiBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    },
    null,
    2,
  )}\n`,
);
