// The binary payload: a known-answer example whose bytes are written out by hand from the spec
// (docs/feed-format.md, "Binary payloads"), the same entries and the same matches as the JSON
// form, and bad input refused with a FeedError.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  FeedError,
  buildDelta,
  buildSnapshot,
  encodeBinary,
  encodeBinaryDelta,
  encodeBinarySnapshot,
  parseBinaryDelta,
  parseBinarySnapshot,
  parseDelta,
  parseSnapshot,
  type FeedEntry,
  type FeedSnapshot,
} from '../../../../src/core/feed';
import { hashFromHex, hashToWords32 } from '../../../../src/core/hash256';
import { buildMatchIndex, decide, findPairs, groupedRows, matchRule, type Probe } from '../../../../src/core/match';
import { prng } from '../../../lib/prng';
import { specExampleHead } from './fixtures';

// Meta's reference hash of bridge-1-original.jpg (ThreatExchange pdq/data), and one 2 bits away.
const H1 = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const H2 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const ascii = (s: string) => [...new TextEncoder().encode(s)];
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
const hex = (h: string) => Array.from({ length: 32 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));

describe('binary payload: known answer', () => {
  // A snapshot with one entry, one image, its own hash and one variant.
  const head = specExampleHead(1);
  const entry: FeedEntry = {
    id: 'e1',
    rev: 1,
    status: 'active',
    verdict: { label: 'false', textualRating: { en: 'False' } },
    claim: { text: { en: 'C' } },
    factCheck: { url: 'https://x.org/1', headline: { en: 'H' }, inLanguage: 'en', datePublished: '2026-01-01', publisher: { name: 'P' } },
    media: [
      {
        type: 'image',
        hashes: [
          { alg: 'pdq', value: H1, quality: 100 },
          { alg: 'pdq', value: H2, quality: 90, role: 'variant', variant: 'crop:0.9' },
        ],
      },
    ],
  };
  // Written from the spec, not from the encoder: fixed part, head JSON, 2 × 32 bytes, one chunk.
  const headJson =
    '{"format":"already-debunked/snapshot","formatVersion":1,"feed":{"id":"f","name":{"en":"F"},"publisher":{"name":"P"}},"epoch":1,"seq":1,' +
    '"generatedAt":"2026-01-01T00:00:00.000Z","expiresAt":"2026-02-01T00:00:00.000Z","entryCount":1,"stateHash":"sha256:' +
    '0'.repeat(64) +
    '"}';
  const chunkJson =
    '[{"id":"e1","rev":1,"status":"active","verdict":{"label":"false","textualRating":{"en":"False"}},"claim":{"text":{"en":"C"}},' +
    '"factCheck":{"url":"https://x.org/1","headline":{"en":"H"},"inLanguage":"en","datePublished":"2026-01-01","publisher":{"name":"P"}},' +
    '"media":[{"type":"image","hashes":[{"alg":"pdq","quality":100},{"alg":"pdq","quality":90,"role":"variant","variant":"crop:0.9"}]}]}]';
  const expected = Uint8Array.from([
    0x41, 0x44, 0x46, 0x42, // "ADFB"
    1, 0, 0, 0, // version 1, flags 0 (not compressed), reserved
    ...u32(headJson.length),
    ...u32(2), // two hashes in the blob
    ...u32(1), // one chunk
    ...ascii(headJson),
    0xf8, 0xf8, 0xf0, 0xce, 0xe0, 0xf4, 0xa8, 0x4f, 0x06, 0x37, 0x0a, 0x22, 0x03, 0x8f, 0x63, 0xf0,
    0xb3, 0x6e, 0x2e, 0xd5, 0x96, 0x62, 0x1e, 0x1d, 0x33, 0xe6, 0xb3, 0x9c, 0x4e, 0x9c, 0x9b, 0x22,
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    ...u32(1), // one entry in the chunk
    ...u32(chunkJson.length), // stored bytes
    ...u32(chunkJson.length), // raw bytes (same: not compressed)
    ...ascii(chunkJson),
  ]);

  it('encodes to the bytes the spec gives', () => {
    expect([...encodeBinary(head, [entry], { compress: false })]).toEqual([...expected]);
  });

  it('the spec’s example has the SHA-256 computed from the spec by another implementation (Python struct, docs/feed-format.md)', () => {
    expect(bytesToHex(sha256(expected))).toBe('4b480262b30ba14690da92f7ec024655dc0ca45391a33ec38d4b0d31b175d695');
  });

  it('decodes the example compressed by another DEFLATE implementation (Python zlib, raw, level 9; flags 01)', () => {
    // python3: zlib.compressobj(9, zlib.DEFLATED, -15) over the chunk's JSON, laid out per the spec.
    const hex =
    '41444642010100003c01000002000000010000007b22666f726d6174223a22616c72656164792d646562756e6b65642f736e617073686f74222c22666f726d61' +
    '7456657273696f6e223a312c2266656564223a7b226964223a2266222c226e616d65223a7b22656e223a2246227d2c227075626c6973686572223a7b226e616d' +
    '65223a2250227d7d2c2265706f6368223a312c22736571223a312c2267656e6572617465644174223a22323032362d30312d30315430303a30303a30302e3030' +
    '305a222c22657870697265734174223a22323032362d30322d30315430303a30303a30302e3030305a222c22656e747279436f756e74223a312c227374617465' +
    '48617368223a227368613235363a3030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030' +
    '3030303030303030303030303030227df8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b220123456789abcdef0123456789abcdef' +
    '0123456789abcdef0123456789abcdef01000000f3000000850100007590b16ec3300c44ff85b31b2b190a446b80a24387a06bd081b1189ba82c3b126d2408fc' +
    'ef258d205b210dc23df274e4e9011cc0036da1824c33f86d054550a6a22a36c233299929076e04fc03229e292abb602c86846e3261fc46e1d45a0125a51f2b5d' +
    '960a9a88dc9b6e852f7e58d9453f3874d4fc9a3e65b3ed44c6e2ebfab619725b5baa8e30444ef4eafd046de5f485a99db0254b9fb42ea0d0713a472e1dd9483b' +
    'b77b7f735bbd0ac727c8e692b0b7aee39aa1a7c008fea401efa3c9dc9ba9fe8b5a5f5682512783315c55beeab02c775d94734bf50fdb3bdde610cd6ec6cc98c4' +
    '96f87c7968f2307ab7d9c3f263e70f';
    const bytes = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
    expect(bytes[5]).toBe(1);
    expect(parseBinarySnapshot(bytes).entries).toEqual([entry]);
  });

  it('decodes the spec’s bytes to the entry, with the hash values in blob order', () => {
    const snap = parseBinarySnapshot(expected);
    expect(snap.entries).toEqual([entry]);
    expect(snap.feed.id).toBe('f');
  });

  it('is the example docs/feed-format.md writes out (its hex lines, in order)', () => {
    const doc = readFileSync(new URL('../../../../docs/feed-format.md', import.meta.url), 'utf8');
    const example = doc.slice(doc.indexOf('**Known-answer example**'));
    const block = example.slice(example.indexOf('```'), example.indexOf('```', example.indexOf('```') + 3));
    const hexRows = block
      .split('\n')
      .map((l) => /^((?:[0-9a-f]{2} ?)+?)(?: {2,}|$)/.exec(l.replace(/ {2}(?=[0-9a-f]{2} )/g, ' '))?.[1])
      .filter((x): x is string => !!x)
      .map((r) => r.trim().split(/\s+/).map((b) => parseInt(b, 16)));
    const fixed = hexRows.slice(0, 4).flat();
    const blob = hexRows.slice(4, 6).flat();
    const chunkHead = hexRows[6]!;
    expect(fixed).toEqual([...expected.subarray(0, 20)]);
    expect(blob).toEqual([...expected.subarray(20 + headJson.length, 20 + headJson.length + 64)]);
    expect(chunkHead).toEqual([...expected.subarray(20 + headJson.length + 64, 20 + headJson.length + 76)]);
    expect(example).toContain(`(uncompressed, ${expected.length} bytes)`);
  });

  it('decodes a chunk compressed by another DEFLATE implementation (node’s zlib, raw)', () => {
    const raw = ascii(chunkJson);
    const stored = [...deflateRawSync(Uint8Array.from(raw))];
    const bytes = Uint8Array.from([0x41, 0x44, 0x46, 0x42, 1, 1, 0, 0, ...u32(headJson.length), ...u32(2), ...u32(1), ...ascii(headJson), ...hex(H1), ...hex(H2), ...u32(1), ...u32(stored.length), ...u32(raw.length), ...stored]);
    expect(parseBinarySnapshot(bytes).entries).toEqual([entry]);
  });
});

/** A feed shaped as the CLI publishes it: images with 12 named variants, a video with frames, another tool's hash. */
function feed(n: number, seed: number): FeedEntry[] {
  const rand = prng(seed);
  const h = () => Array.from({ length: 8 }, () => rand().toString(16).padStart(8, '0')).join('');
  const variants = ['crop:0.9', 'crop:0.85', 'crop:0.8', 'crop:0.75', 'rotate:3', 'rotate:-3', 'cut-top:0.125', 'cut-bottom:0.125', 'cut-top:0.18', 'cut-bottom:0.18', 'cut-top:0.25', 'cut-bottom:0.25'];
  return Array.from({ length: n }, (_, i) => ({
    id: `e-${i}`,
    rev: 1 + (i % 3),
    status: i % 17 === 0 ? 'withdrawn' : 'active',
    verdict: { label: 'missing-context', textualRating: { en: 'Missing context', fr: 'Hors contexte' } },
    claim: { text: { en: `Claim ${i}: “today” — ünïcode` } },
    originalContext: { description: { en: `Taken in ${2000 + (i % 20)}.` }, date: '2019-04-25' },
    factCheck: { url: `https://checks.example.org/${i}`, headline: { en: `Photo ${i} is old` }, inLanguage: 'en', datePublished: '2024-01-01', publisher: { name: 'Example' } },
    media:
      i % 5 === 4
        ? [{ type: 'video', durationSec: 12, hashes: [{ alg: 'pdq', value: h(), quality: 80, role: 'poster' }], frames: { alg: 'pdq', items: [0, 1.5, 3].map((t) => ({ t, value: h(), quality: 70 })) } }]
        : [{ type: 'image', width: 800, height: 600, hashes: [{ alg: 'pdq', value: h(), quality: 95 }, ...variants.map((variant) => ({ alg: 'pdq' as const, value: h(), quality: 88, role: 'variant' as const, variant }))] }],
  }));
}

const meta = { id: 'https://feeds.example.org/x', name: { en: 'X' }, publisher: { name: 'X' } };
const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));

describe('binary payload: the same entries and the same matches as JSON', () => {
  const entries = feed(300, 5);
  const snapshot: FeedSnapshot = buildSnapshot(meta, entries, 3, 1, new Date('2026-01-01'));

  it('snapshot: parsed entries are equal, compressed or not, in one chunk or many', () => {
    const fromJson = parseSnapshot(json(snapshot));
    for (const opts of [{}, { compress: false }, { chunkEntries: 7 }]) expect(parseBinarySnapshot(encodeBinarySnapshot(snapshot, opts))).toEqual(fromJson);
  });

  it('delta: parsed the same way', () => {
    const after = entries.map((e, i) => (i % 100 === 0 ? { ...e, rev: e.rev + 1 } : e)).filter((_, i) => i % 80 !== 1);
    const delta = buildDelta(meta.id, entries, after, 3, 1, new Date('2026-01-01'));
    expect(parseBinaryDelta(encodeBinaryDelta(delta))).toEqual(parseDelta(json(delta)));
  });

  it('lookups against the entries of either form find the same matches', () => {
    const index = (list: readonly FeedEntry[]) => {
      const lanes: number[] = [];
      const kindIds: number[] = [];
      const entry: number[] = [];
      const kinds = ['original'];
      list.forEach((e, ei) => {
        if (e.status !== 'active') return;
        for (const m of e.media) {
          for (const h of [...m.hashes, ...(m.frames?.items ?? [])]) {
            lanes.push(...hashToWords32(hashFromHex(h.value)));
            const kind = 'variant' in h && h.variant ? h.variant : 'original';
            if (!kinds.includes(kind)) kinds.push(kind);
            kindIds.push(kinds.indexOf(kind));
            entry.push(ei);
          }
        }
      });
      const built = buildMatchIndex(Uint32Array.from(lanes), Uint8Array.from(kindIds), Uint32Array.from(entry), new Uint16Array(entry.length), kinds);
      return groupedRows(built.index, kinds, built.rowKind, built.rowEntry);
    };
    const a = index(parseSnapshot(json(snapshot)).entries);
    const b = index(parseBinarySnapshot(encodeBinarySnapshot(snapshot)).entries);
    const rule = matchRule('standard');
    let matched = 0;
    for (const e of snapshot.entries.slice(0, 300)) {
      const value = e.media[0]!.hashes.at(-1)!.value;
      const probes: Probe[] = [{ probe: 'full', hashes: [hashFromHex(value)], quality: 90 }, { probe: 'cut-bottom:0.25', hashes: [hashFromHex(value)], quality: 90 }];
      const ra = [...decide(findPairs(probes, a, rule), rule)].sort();
      expect([...decide(findPairs(probes, b, rule), rule)].sort()).toEqual(ra);
      matched += ra.length;
    }
    expect(matched).toBeGreaterThan(100); // the crop… variants of active entries
  });

  it('is at least 4 times smaller than the JSON payload', () => {
    expect(encodeBinarySnapshot(snapshot).length * 4).toBeLessThan(json(snapshot).length);
  });
});

describe('binary payload: bad input', () => {
  const snapshot = buildSnapshot(meta, feed(30, 9), 1, 1, new Date('2026-01-01'));
  const good = encodeBinarySnapshot(snapshot, { chunkEntries: 10 });
  const refused = (bytes: Uint8Array) => expect(() => parseBinarySnapshot(bytes)).toThrow(FeedError);

  it('refuses wrong magic, version, flags, truncation and trailing bytes', () => {
    refused(Uint8Array.from([0x41, 0x44, 0x46]));
    refused(Uint8Array.from([...good.subarray(0, 3), 0x43, ...good.subarray(4)]));
    const v2 = good.slice();
    v2[4] = 2;
    expect(() => parseBinarySnapshot(v2)).toThrow(/version 2/);
    const flags = good.slice();
    flags[5] = 3;
    refused(flags);
    for (const cut of [25, 200, good.length - 1]) refused(good.subarray(0, cut));
    refused(Uint8Array.from([...good, 0]));
  });

  it('refuses a chunk that inflates past its announced size (a DEFLATE bomb)', () => {
    const big = deflateRawSync(Buffer.alloc(1_000_000, 0x20));
    const bytes = Uint8Array.from([0x41, 0x44, 0x46, 0x42, 1, 1, 0, 0, ...u32(2), ...u32(0), ...u32(1), ...ascii('{}'), ...u32(0), ...u32(big.length), ...u32(10), ...big]);
    expect(() => parseBinarySnapshot(bytes)).toThrow(/announced/);
  });

  it('refuses values outside the blob, a blob with values left over, and entries that fail the schema', () => {
    const entry = snapshot.entries[0]!;
    const inText = encodeBinary({ ...snapshot, entries: undefined }, [entry], { compress: false });
    // Put a value back into the chunk's text: the value must come from the blob only.
    const text = new TextDecoder().decode(inText);
    const tampered = new TextEncoder().encode(text.replace('{"alg":"pdq","quality"', `{"alg":"pdq","value":"${H1}","quality"`));
    expect(() => parseBinarySnapshot(fixLengths(tampered, inText))).toThrow(FeedError);
    const head = { ...snapshot, entries: undefined, entryCount: 1 };
    const short = encodeBinary(head, [entry], { compress: false });
    const dv = new DataView(short.buffer);
    dv.setUint32(12, dv.getUint32(12, true) + 1, true); // one more value announced than the entries use
    refused(short);
    const noQuality = encodeBinary(head, [{ ...entry, media: [{ ...entry.media[0]!, hashes: [{ alg: 'pdq', value: H1 } as never] }] }], { compress: false });
    expect(() => parseBinarySnapshot(noQuality)).toThrow(/entries\[0\]/);
  });
});

/** Rewrites the single chunk's stored/raw sizes after its text was edited (uncompressed payload). */
function fixLengths(tampered: Uint8Array, original: Uint8Array): Uint8Array {
  const grow = tampered.length - original.length;
  const dv = new DataView(original.buffer, original.byteOffset);
  const headBytes = dv.getUint32(8, true);
  const at = 20 + headBytes + 32 * dv.getUint32(12, true);
  const out = tampered.slice();
  const o = new DataView(out.buffer);
  o.setUint32(at + 4, dv.getUint32(at + 4, true) + grow, true);
  o.setUint32(at + 8, dv.getUint32(at + 8, true) + grow, true);
  return out;
}
