// acceptFeed hashes each file it reads once (issue 17: the extension's sync of a 171 MiB binary
// snapshot spent 14.7 s wall / 4.5 s CPU in SHA-256 under load, two passes over the same bytes, one
// when read and one when opened). SHA-256 is observed through the module acceptFeed imports; the
// refusals of a file that does not match its index stay covered by accept.test.ts and sync-files.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';

const hashed: number[] = [];
vi.mock('@noble/hashes/sha2.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('@noble/hashes/sha2.js')>();
  const sha256 = Object.assign((msg: Uint8Array) => (hashed.push(msg.length), real.sha256(msg)), real.sha256);
  return { ...real, sha256 };
});

const { acceptFeed, buildDelta, buildIndex, buildSnapshot, signBinaryFile, signFile } = await import('../../../../src/core/feed');
const { META, NOW, entry, keys } = await import('./fixtures');

afterEach(() => void (hashed.length = 0));

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
    expect(hashed.filter((n) => n === bin.bytes.length)).toHaveLength(1);
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
    expect(hashed.filter((n) => n === delta.bytes.length)).toHaveLength(1);
    expect(hashed.filter((n) => n === snap.bytes.length)).toHaveLength(0); // the snapshot is not read
  });
});
