/**
 * build.ts's optional fields and the binary form's files (docs/feed-format.md: the snapshot's
 * `feed: {id, name, publisher, license?, defaultLanguage?}`, the index's optional `reportEndpoint`,
 * its `binary: {snapshot, deltas}` block, the ADFB payload types `application/vnd.already-debunked.
 * {snapshot,delta}+adfb`; entries sorted by id for the state hash). Node's SHA-256 for file refs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildDelta, buildIndex, buildSnapshot, openEnvelope, signBinaryFile, type FeedMeta } from '../../../../src/core/feed';
import { META, NOW, entry, keys } from './fixtures';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('buildSnapshot and buildIndex: the optional fields', () => {
  it('license and defaultLanguage only when the desk gives them', () => {
    const plain: FeedMeta = { id: META.id, name: META.name, publisher: META.publisher };
    expect(buildSnapshot(plain, [], 1, 1, NOW).feed).toStrictEqual({ id: META.id, name: META.name, publisher: META.publisher });
    const full = buildSnapshot({ ...plain, license: 'CC BY 4.0', defaultLanguage: 'fr' }, [], 1, 1, NOW).feed;
    expect(full).toEqual({ id: META.id, name: META.name, publisher: META.publisher, license: 'CC BY 4.0', defaultLanguage: 'fr' });
  });

  it('entries sorted by id; ids that differ only by case and length in code-unit order', () => {
    const ids = buildSnapshot(META, ['b', 'a.2', 'a', 'a-1'].map((id) => entry(id)), 1, 1, NOW).entries.map((e) => e.id);
    expect(ids).toEqual(['a', 'a-1', 'a.2', 'b']);
  });

  it('reportEndpoint only when given; a binary block with its files\' refs when given', () => {
    const snapshot = signBinaryFile('snapshots/3.adfb', buildSnapshot(META, [entry('a')], 3, 1, NOW), keys.secretKey);
    const delta = signBinaryFile('deltas/2-3.adfb', buildDelta(META.id, [], [entry('a')], 2, 1, NOW), keys.secretKey);
    const json = { path: 'snapshots/3.json', bytes: new Uint8Array([1, 2, 3]) };
    const { reportEndpoint: _drop, ...noEndpoint } = META;
    void _drop;
    const plain = buildIndex(noEndpoint, { seq: 3, epoch: 1, file: json }, [], NOW);
    expect(plain).not.toHaveProperty('reportEndpoint');
    expect(plain).not.toHaveProperty('binary');
    const index = buildIndex(META, { seq: 3, epoch: 1, file: json }, [], NOW, 2, 3600, { snapshot, deltas: [{ fromSeq: 2, toSeq: 3, file: delta }] });
    expect(index.reportEndpoint).toBe(META.reportEndpoint);
    expect(index.binary).toEqual({
      snapshot: { path: 'snapshots/3.adfb', sha256: sha(snapshot.bytes), bytes: snapshot.bytes.length, seq: 3 },
      deltas: [{ path: 'deltas/2-3.adfb', sha256: sha(delta.bytes), bytes: delta.bytes.length, fromSeq: 2, toSeq: 3 }],
    });
  });

  it('signBinaryFile signs a snapshot and a delta each under its own ADFB payload type', () => {
    const s = signBinaryFile('s.adfb', buildSnapshot(META, [entry('a')], 1, 1, NOW), keys.secretKey);
    const d = signBinaryFile('d.adfb', buildDelta(META.id, [], [entry('a')], 1, 1, NOW), keys.secretKey);
    expect(s.path).toBe('s.adfb');
    expect(d.path).toBe('d.adfb');
    const open = (b: Uint8Array, type: string) => openEnvelope(b, [keys.publicKey], type, 1 << 24);
    expect(() => open(s.bytes, 'application/vnd.already-debunked.snapshot+adfb')).not.toThrow();
    expect(() => open(d.bytes, 'application/vnd.already-debunked.delta+adfb')).not.toThrow();
    expect(() => open(d.bytes, 'application/vnd.already-debunked.snapshot+adfb')).toThrow();
    // The payload is ADFB ("ADFB" magic), not JSON.
    expect([...open(s.bytes, 'application/vnd.already-debunked.snapshot+adfb').payload.subarray(0, 4)]).toEqual([0x41, 0x44, 0x46, 0x42]);
  });
});
