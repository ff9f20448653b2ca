// A scripted feed server for sync and matcher tests: publish(entries) signs a new sequence (a
// snapshot, a delta from the previous one, the index), and `fetch` serves its files.
import { vi } from 'vitest';
import { buildDelta, buildIndex, buildSnapshot, generateKeyPair, publicKeyToBase64, signBinaryFile, signFile, type BuiltFile, type FeedEntry } from '../../../src/core/feed';
import { META, NOW } from '../core/feed/fixtures';

export const BASE = 'https://feeds.example.org/afp-media/v1/';
export const keys = generateKeyPair();
export const sub = { name: 'AFP', url: `${BASE}index.json`, publicKey: publicKeyToBase64(keys.publicKey), enabled: true };

/**
 * A feed server: publish(entries) makes a new sequence with a delta from the previous one; with
 * `binary`, the index also lists the binary form (snapshots/N.adfb, deltas/A-B.adfb).
 */
export function feedServer(opts: { binary?: boolean } = {}) {
  const files = new Map<string, Uint8Array | number>();
  let seq = 0;
  let prev: FeedEntry[] = [];
  const deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] = [];
  const binaryDeltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] = [];
  return {
    files,
    publish(entries: FeedEntry[], now = NOW) {
      seq++;
      const payload = buildSnapshot(META, entries, seq, 1, now);
      const snap = signFile(`snapshots/${seq}.json`, payload, 'snapshot', keys.secretKey);
      files.set(snap.path, snap.bytes);
      const binSnap = opts.binary ? signBinaryFile(`snapshots/${seq}.adfb`, payload, keys.secretKey) : null;
      if (binSnap) files.set(binSnap.path, binSnap.bytes);
      if (seq > 1) {
        const delta = buildDelta(META.id, prev, entries, seq - 1, 1, now);
        const d = signFile(`deltas/${seq - 1}-${seq}.json`, delta, 'delta', keys.secretKey);
        files.set(d.path, d.bytes);
        deltas.push({ fromSeq: seq - 1, toSeq: seq, file: d });
        if (opts.binary) {
          const b = signBinaryFile(`deltas/${seq - 1}-${seq}.adfb`, delta, keys.secretKey);
          files.set(b.path, b.bytes);
          binaryDeltas.push({ fromSeq: seq - 1, toSeq: seq, file: b });
        }
      }
      const binary = binSnap ? { snapshot: binSnap, deltas: binaryDeltas } : undefined;
      const index = signFile('index.json', buildIndex(META, { seq, epoch: 1, file: snap }, deltas, now, 2, 3600, binary), 'index', keys.secretKey);
      files.set('index.json', index.bytes);
      prev = entries;
      return seq;
    },
    fetch: vi.fn(async (url: string) => {
      const path = url.slice(BASE.length);
      const body = files.get(path);
      if (typeof body === 'number') return new Response('nope', { status: body });
      if (!body) return new Response('not found', { status: 404 });
      return new Response(body as BodyInit, { status: 200, headers: { etag: `"${path}-${body.length}"` } });
    }),
  };
}

