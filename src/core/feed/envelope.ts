/**
 * Signed envelopes (DSSE, secure-systems-lab/dsse): the signature covers the exact payload bytes
 * and the payload type through the pre-authentication encoding
 *   PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body
 * so nothing is canonicalised, and a delta can never pass for a snapshot. The client checks size
 * first, then the envelope's shape, then the signature against the keys the reader pinned, then
 * the payload type; only then is the payload parsed. Ed25519 via @noble/curves (audited, pure JS,
 * the same code in the service worker, the Firefox background page and node).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FeedError } from './errors';

const enc = new TextEncoder();

export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = enc.encode(payloadType);
  const head = enc.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new FeedError('bad-envelope', 'not base64');
  // The platform's decoder where there is one (Chromium, recent Firefox): no binary string of the
  // payload's size beside it, and native speed (the Chromium sync of a 171 MiB snapshot spent
  // 1.5 s of CPU decoding it through atob). Input it is given has passed the check above.
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) {
    try {
      return native.call(Uint8Array, text);
    } catch {
      throw new FeedError('bad-envelope', 'not base64');
    }
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The key id: a hint only (first 16 hex digits of the SHA-256 of the public key). */
export function keyId(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey)).slice(0, 16);
}

export function generateKeyPair(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function publicKeyToBase64(key: Uint8Array): string {
  return toBase64(key);
}

export function publicKeyFromBase64(text: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = fromBase64(text.trim());
  } catch {
    throw new FeedError('bad-key', 'the public key is not base64');
  }
  if (key.length !== 32) throw new FeedError('bad-key', `an Ed25519 public key has 32 bytes, this one ${key.length}`);
  return key;
}

/**
 * Signs with one key, or several (key rotation: during the change-over every file carries the old
 * key's and the new key's signatures, so readers pinned to either verify it; the verifier tries
 * each signature, at most 8).
 */
export function signEnvelope(payload: Uint8Array, payloadType: string, secretKeys: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const keys = secretKeys instanceof Uint8Array ? [secretKeys] : secretKeys;
  if (keys.length < 1 || keys.length > 8) throw new Error('sign with 1 to 8 keys');
  const message = pae(payloadType, payload);
  const envelope = {
    payloadType,
    payload: toBase64(payload),
    signatures: keys.map((k) => ({ keyid: keyId(publicKeyFromSecret(k)), sig: toBase64(ed25519.sign(message, k)) })),
  };
  return enc.encode(`${JSON.stringify(envelope, null, 1)}\n`);
}

/**
 * Verifies an envelope and returns its payload bytes and type (one of `expectedPayloadType`: a
 * snapshot or delta file may be in either form, JSON or binary). Throws FeedError; never anything else.
 */
export function openEnvelope(
  bytes: Uint8Array,
  publicKeys: readonly Uint8Array[],
  expectedPayloadType: string | readonly string[],
  maxBytes: number,
  /** Told as each step ends ('envelope-parsed', 'payload-decoded', 'signature-verified'): the benchmarks' phase marks. */
  phase?: (name: string) => void,
): { payload: Uint8Array; keyid: string; payloadType: string } {
  const expected: readonly string[] = typeof expectedPayloadType === 'string' ? [expectedPayloadType] : expectedPayloadType;
  if (bytes.length > maxBytes) throw new FeedError('too-large', `${bytes.length} bytes, more than the limit of ${maxBytes}`);
  let env: unknown;
  try {
    env = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new FeedError('not-json', 'the file is not a JSON envelope');
  }
  const e = env as { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  if (typeof env !== 'object' || env === null || typeof e.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures)) {
    throw new FeedError('bad-envelope', 'expected {payloadType, payload, signatures}');
  }
  phase?.('envelope-parsed');
  const payload = fromBase64(e.payload);
  const message = pae(e.payloadType, payload);
  phase?.('payload-decoded');
  for (const s of e.signatures.slice(0, 8) as { sig?: unknown; keyid?: unknown }[]) {
    if (typeof s?.sig !== 'string') continue;
    let sig: Uint8Array;
    try {
      sig = fromBase64(s.sig);
    } catch {
      continue;
    }
    if (sig.length !== 64) continue;
    for (const key of publicKeys) {
      let ok = false;
      try {
        ok = ed25519.verify(sig, message, key);
      } catch {
        ok = false;
      }
      if (ok) {
        phase?.('signature-verified');
        if (!expected.includes(e.payloadType)) {
          throw new FeedError('wrong-payload-type', `expected ${expected.join(' or ')}, got ${e.payloadType.slice(0, 80)}`);
        }
        return { payload, keyid: keyId(key), payloadType: e.payloadType };
      }
    }
  }
  throw new FeedError('bad-signature', 'no signature verifies with the feed’s public key');
}
