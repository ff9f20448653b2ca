// A scripted feed server for sync and matcher tests: publish(entries) signs a new sequence (a
// snapshot, a delta from the previous one, the index), and `fetch` serves its files.
import { vi } from 'vitest';
import { buildDelta, buildIndex, buildSnapshot, generateKeyPair, publicKeyToBase64, signFile, type BuiltFile, type FeedEntry } from '../../../src/core/feed';
import { META, NOW } from '../core/feed/fixtures';

export const BASE = 'https://feeds.example.org/afp-media/v1/';
export const keys = generateKeyPair();
export const sub = { name: 'AFP', url: `${BASE}index.json`, publicKey: publicKeyToBase64(keys.publicKey), enabled: true };

/** A feed server: publish(entries) makes a new sequence with a delta from the previous one. */
export function feedServer() {
  const files = new Map<string, Uint8Array | number>();
  let seq = 0;
  let prev: FeedEntry[] = [];
  const deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] = [];
  return {
    files,
    publish(entries: FeedEntry[], now = NOW) {
      seq++;
      const snap = signFile(`snapshots/${seq}.json`, buildSnapshot(META, entries, seq, 1, now), 'snapshot', keys.secretKey);
      files.set(snap.path, snap.bytes);
      if (seq > 1) {
        const d = signFile(`deltas/${seq - 1}-${seq}.json`, buildDelta(META.id, prev, entries, seq - 1, 1, now), 'delta', keys.secretKey);
        files.set(d.path, d.bytes);
        deltas.push({ fromSeq: seq - 1, toSeq: seq, file: d });
      }
      const index = signFile('index.json', buildIndex(META, { seq, epoch: 1, file: snap }, deltas, now), 'index', keys.secretKey);
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

