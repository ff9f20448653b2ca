// acceptFeed hashes each file it reads once, with WebCrypto where there is one (issue 17: the
// extension's sync of a 171 MiB binary snapshot spent 14.7 s wall / 4.5 s CPU in SHA-256 under load,
// two passes of the JS SHA-256 over the same bytes, one when read and one when opened). The passes
// are observed through the module acceptFeed imports and a spy on crypto.subtle.digest; the refusals
// of a file that does not match its index stay covered by accept.test.ts and sync-files.test.ts. The
// digest itself is checked against node:crypto's.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

const hashed: number[] = [];
vi.mock('@noble/hashes/sha2.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('@noble/hashes/sha2.js')>();
  const sha256 = Object.assign((msg: Uint8Array) => (hashed.push(msg.length), real.sha256(msg)), real.sha256);
  return { ...real, sha256 };
});

const { acceptFeed, buildDelta, buildIndex, buildSnapshot, fileSha256, signBinaryFile, signFile } = await import('../../../../src/core/feed');
const { META, NOW, entry, keys } = await import('./fixtures');

/** Lengths of what WebCrypto was asked to hash. */
const native: number[] = [];
const realDigest = globalThis.crypto.subtle.digest.bind(globalThis.crypto.subtle);
vi.spyOn(globalThis.crypto.subtle, 'digest').mockImplementation((alg, data) => (native.push((data as Uint8Array).byteLength), realDigest(alg, data)));

afterEach(() => {
  hashed.length = 0;
  native.length = 0;
  vi.unstubAllGlobals();
});

const BEFORE = Array.from({ length: 30 }, (_, i) => entry(`e${String(i).padStart(2, '0')}`));
const AFTER = [...BEFORE.slice(1), entry('n01')];

describe('acceptFeed reads each file once and hashes it once', () => {
  it('a binary snapshot: one SHA-256 pass over its bytes, and a file that does not match is still refused', async () => {
    const snapshot = buildSnapshot(META, AFTER, 2, 1, NOW);
    const json = signFile('snapshots/2.json', snapshot, 'snapshot', keys.secretKey);
    const bin = signBinaryFile('snapshots/2.adfb', snapshot, keys.secretKey);
    const index = buildIndex(META, { seq: 2, epoch: 1, file: json }, [], NOW, 2, 3600, { snapshot: bin, deltas: [] });
    const indexBytes = signFile('index.json', index, 'index', keys.secretKey).bytes;
    const ctx = (bytes: Uint8Array) => ({ keys: [keys.publicKey], held: null, now: NOW, testHosts: [], read: async () => bytes });
    hashed.length = 0; // building the index hashed the files
    const { update } = await acceptFeed(indexBytes, ctx(bin.bytes));
    expect([...update!.put].flat().length).toBe(AFTER.length);
    expect(native.filter((n) => n === bin.bytes.length)).toHaveLength(1); // WebCrypto, once
    expect(hashed.filter((n) => n === bin.bytes.length)).toHaveLength(0); // the JS SHA-256, never
    const tampered = bin.bytes.slice();
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    await expect(acceptFeed(indexBytes, ctx(tampered))).rejects.toMatchObject({ code: 'checksum' });
  });

  it('a delta: one SHA-256 pass over its bytes', async () => {
    const snap = signFile('snapshots/2.json', buildSnapshot(META, AFTER, 2, 1, NOW), 'snapshot', keys.secretKey);
    const delta = signFile('deltas/1-2.json', buildDelta(META.id, BEFORE, AFTER, 1, 1, NOW), 'delta', keys.secretKey);
    const indexBytes = signFile('index.json', buildIndex(META, { seq: 2, epoch: 1, file: snap }, [{ fromSeq: 1, toSeq: 2, file: delta }], NOW), 'index', keys.secretKey).bytes;
    const held = new Map(BEFORE.map((e) => [e.id, e]));
    hashed.length = 0; // building the index hashed the files
    const { update } = await acceptFeed(indexBytes, {
      keys: [keys.publicKey],
      held: { feedId: META.id, epoch: 1, seq: 1 },
      now: NOW,
      testHosts: [],
      read: async (ref) => (ref.path === delta.path ? delta.bytes : snap.bytes),
      loadHeld: async () => held,
    });
    expect(update!.replaceAll).toBe(false);
    expect(native.filter((n) => n === delta.bytes.length)).toHaveLength(1);
    expect(hashed.filter((n) => n === delta.bytes.length)).toHaveLength(0);
    expect(native.filter((n) => n === snap.bytes.length)).toHaveLength(0); // the snapshot is not read
  });

  it('without WebCrypto, the JS SHA-256 once; a tampered file is still refused', async () => {
    const snapshot = buildSnapshot(META, AFTER, 2, 1, NOW);
    const json = signFile('snapshots/2.json', snapshot, 'snapshot', keys.secretKey);
    const indexBytes = signFile('index.json', buildIndex(META, { seq: 2, epoch: 1, file: json }, [], NOW), 'index', keys.secretKey).bytes;
    const ctx = (bytes: Uint8Array) => ({ keys: [keys.publicKey], held: null, now: NOW, testHosts: [], read: async () => bytes });
    vi.stubGlobal('crypto', undefined); // after signing (which draws random bytes)
    hashed.length = 0;
    await acceptFeed(indexBytes, ctx(json.bytes));
    expect(hashed.filter((n) => n === json.bytes.length)).toHaveLength(1);
    expect(native).toHaveLength(0);
    const tampered = json.bytes.slice();
    tampered[10] = tampered[10]! ^ 1;
    await expect(acceptFeed(indexBytes, ctx(tampered))).rejects.toMatchObject({ code: 'checksum' });
  });

  it('fileSha256 gives node:crypto’s SHA-256, with WebCrypto and without, also of a view into a larger buffer', async () => {
    const big = new Uint8Array(1_000_003).map((_, i) => (i * 2654435761) >>> 24);
    for (const bytes of [new Uint8Array(0), big.subarray(0, 1), big.subarray(5, 69), big.subarray(3), big]) {
      const want = createHash('sha256').update(bytes).digest('hex');
      expect((await fileSha256(bytes)).hex).toBe(want);
      vi.stubGlobal('crypto', undefined);
      expect((await fileSha256(bytes)).hex).toBe(want);
      vi.unstubAllGlobals();
    }
  });
});
