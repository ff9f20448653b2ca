// One lookup (src/core/match/lookup.ts, rows.ts) against the documented rule (docs/matching.md,
// docs/feed-format.md): an entry contributes every hash of quality ≥ 50 (the reference's threshold),
// a named variant as its kind, an unnamed one as the image itself, every keyframe and its variants;
// a picture whose probes are all below quality 50 matches nothing; answers best distance first;
// the view named is the dihedral name of the full picture's hash, else the probe or variant that met.
// Hashes are written by hand: `near(d)` differs from the zero hash in its first d bits.
import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../../../src/core/feed';
import { hashFromHex } from '../../../../src/core/hash256';
import { MatchRowsBuilder, closestDistance, entryRows, groupedRows, lookupProbes, viewName, type Probe, type StoredRows } from '../../../../src/core/match';

/** 64 hex digits, the first d bits set (hex digit f = 4 bits; 1, 3, 7 = 1, 2, 3 bits). */
const near = (d: number) => ('f'.repeat(d >> 2) + (d & 3 ? '137'[(d & 3) - 1] : '')).padEnd(64, '0');
const ZERO = near(0);

function entry(media: FeedEntry['media']): FeedEntry {
  return {
    id: 'e',
    rev: 1,
    status: 'active',
    verdict: { label: 'missing-context', textualRating: { en: 'Missing context' } },
    claim: { text: { en: 'A photo of a flood in 2024.' } },
    factCheck: { url: 'https://factcheck.example.org/e', headline: { en: 'An old photo' }, inLanguage: 'en', datePublished: '2026-11-01', publisher: { name: 'Desk' } },
    media,
  } as FeedEntry;
}

describe('entryRows: what an entry contributes to the index', () => {
  it('keeps quality ≥ 50 only; a named variant keeps its name, an unnamed one is the image; keyframes and their variants too', () => {
    const e = entry([
      {
        type: 'image',
        hashes: [
          { alg: 'pdq', value: near(1), quality: 49 },
          { alg: 'pdq', value: near(2), quality: 50 },
          { alg: 'pdq', value: near(3), quality: 80, role: 'variant', variant: 'crop:0.9' },
          { alg: 'pdq', value: near(4), quality: 60, role: 'variant' },
          { alg: 'pdq', value: near(5), quality: 49, role: 'variant', variant: 'crop:0.8' },
        ],
      },
      {
        type: 'video',
        hashes: [{ alg: 'pdq', value: near(6), quality: 90, role: 'poster' }],
        frames: {
          alg: 'pdq',
          items: [
            { t: 0, value: near(7), quality: 50, variants: [{ variant: 'cut-top:0.125', value: near(8), quality: 50 }, { variant: 'crop:0.9', value: near(9), quality: 49 }] },
            // A keyframe below 50 is left out; its variants stand on their own quality.
            { t: 2, value: near(10), quality: 49, variants: [{ variant: 'crop:0.75', value: near(11), quality: 90 }] },
          ],
        },
      },
    ] as FeedEntry['media']);
    expect(entryRows(e)).toEqual([
      { value: near(2), media: 0, kind: 'original' },
      { value: near(3), media: 0, kind: 'crop:0.9' },
      { value: near(4), media: 0, kind: 'original' },
      { value: near(6), media: 1, kind: 'original' },
      { value: near(7), media: 1, kind: 'original' },
      { value: near(8), media: 1, kind: 'cut-top:0.125' },
      { value: near(11), media: 1, kind: 'crop:0.75' },
    ]);
  });

  it('a variant name counts only with role "variant" (schema: "With role variant: which re-share"): on a poster it is the image', () => {
    const e = entry([{ type: 'video', hashes: [{ alg: 'pdq', value: near(1), quality: 90, role: 'poster', variant: 'crop:0.9' }] }] as FeedEntry['media']);
    expect(entryRows(e)).toEqual([{ value: near(1), media: 0, kind: 'original' }]);
  });

  it('a media item without frames contributes its hashes alone', () => {
    expect(entryRows(entry([{ type: 'image', hashes: [{ alg: 'pdq', value: ZERO, quality: 100 }] }] as FeedEntry['media']))).toEqual([{ value: ZERO, media: 0, kind: 'original' }]);
  });
});

describe('viewName: which view matched', () => {
  const kinds = ['original', 'canonical', 'crop:0.9', 'cut-top:0.125'];
  const kindOf = (row: number) => kinds[row]!;
  it('the full picture against the image itself: the dihedral name of the hash that met', () => {
    expect(viewName('full/0|0', kindOf)).toBe('original');
    expect(viewName('full/1|0', kindOf)).toBe('rotate90');
    expect(viewName('full/7|1', kindOf)).toBe('flipminus1');
  });
  it('another probe against the image itself: the probe', () => {
    expect(viewName('picture/0|0', kindOf)).toBe('picture');
    expect(viewName('inner/0|1', kindOf)).toBe('inner');
  });
  it('a stored variant: its name, whatever the probe', () => {
    expect(viewName('full/0|2', kindOf)).toBe('crop:0.9');
    expect(viewName('cut-top:0.125/0|3', kindOf)).toBe('cut-top:0.125');
  });
  it('a dihedral number out of range reads as the original', () => {
    expect(viewName('full/8|0', kindOf)).toBe('original');
  });
});

/** Stored rows from (hex, entry, kind) triples through the builder and the grouped index. */
function stored(rows: [string, number, string][]): StoredRows {
  const b = new MatchRowsBuilder();
  for (const [hex, e, kind] of rows) b.add(hex, e, 0, kind);
  const built = b.build();
  return groupedRows(built.index, built.kinds, built.rowKind, built.rowEntry);
}
const full = (hex: string, quality = 100): Probe => ({ probe: 'full', hashes: [hashFromHex(hex), ...Array.from({ length: 7 }, () => hashFromHex(near(200)))], quality });

describe('lookupProbes', () => {
  const rows = () =>
    stored([
      [near(20), 1, 'original'],
      [ZERO, 0, 'original'],
      [near(60), 2, 'original'],
    ]);

  it('answers the matching entries best distance first, with their view', () => {
    // near(2) is 2 bits from entry 0, 18 from entry 1, 58 from entry 2 (beyond 31).
    expect(lookupProbes([full(near(2))], rows(), 'standard')).toEqual([
      { entry: 0, distance: 2, view: 'original' },
      { entry: 1, distance: 18, view: 'original' },
    ]);
  });

  it('matches nothing when every probe is below quality 50, and ignores the weak probe among good ones', () => {
    expect(lookupProbes([full(near(2), 49)], rows(), 'standard')).toEqual([]);
    const picture: Probe = { probe: 'picture', hashes: [hashFromHex(near(21))], quality: 50 };
    // The weak full probe would meet entry 0 at 2 bits; the picture probe (quality 50) meets entry 1 at 1 bit and entry 0 at 21.
    expect(lookupProbes([full(near(2), 49), picture], rows(), 'standard')).toEqual([
      { entry: 1, distance: 1, view: 'picture' },
      { entry: 0, distance: 21, view: 'picture' },
    ]);
  });

  it('keeps the level: strict accepts 24 bits at most, standard 31', () => {
    const r = stored([[near(28), 5, 'original']]);
    expect(lookupProbes([full(ZERO)], r, 'standard')).toEqual([{ entry: 5, distance: 28, view: 'original' }]);
    expect(lookupProbes([full(ZERO)], r, 'strict')).toEqual([]);
  });
});

describe('closestDistance', () => {
  it('the smallest distance over the pairs the level compares, matched or not', () => {
    const r = stored([
      [near(60), 0, 'original'],
      [near(45), 1, 'original'],
    ]);
    expect(closestDistance([full(ZERO)], r, 'standard')).toBe(45);
  });
  it('cap + 1 when no pair is within the cap (default 256: every pair is)', () => {
    const r = stored([[near(60), 0, 'original']]);
    expect(closestDistance([full(ZERO)], r, 'standard', 40)).toBe(41);
    expect(closestDistance([full(ZERO)], r, 'standard', 60)).toBe(60);
    expect(closestDistance([full(ZERO, 10)], r, 'standard')).toBe(257);
  });
});

describe('MatchRowsBuilder', () => {
  it('grows past its first 1,024 rows and keeps every row', () => {
    const b = new MatchRowsBuilder();
    const n = 2500;
    for (let i = 0; i < n; i++) b.add(near(i % 256), i, i % 7, i % 2 ? 'crop:0.9' : 'original');
    expect(b.rows).toBe(n);
    const built = b.build();
    expect(built.kinds).toEqual(['original', 'crop:0.9']);
    expect(built.rowEntry.length).toBe(n);
    // Rows are regrouped by kind, each row's tables kept together: check every row's entry, media and kind.
    const seen = new Set<number>();
    for (let r = 0; r < n; r++) {
      const e = built.rowEntry[r]!;
      seen.add(e);
      expect(built.rowMedia[r]).toBe(e % 7);
      expect(built.kinds[built.rowKind[r]!]).toBe(e % 2 ? 'crop:0.9' : 'original');
    }
    expect(seen.size).toBe(n);
    // And each row's hash: a query at distance 0 for row 2499's hash finds entries with the same hash.
    const rows = groupedRows(built.index, built.kinds, built.rowKind, built.rowEntry);
    const found = rows.query(hashFromHex(near(2499 % 256)), 0).map((m) => rows.entryOf(m.id)).sort((a, b) => a - b);
    expect(found).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => i % 256 === 2499 % 256));
  });

  it('keeps at most 256 kinds: rows of any kind past the 256th are left out', () => {
    const b = new MatchRowsBuilder();
    for (let i = 0; i < 300; i++) b.add(ZERO, i, 0, `cut-top:${i}`);
    b.add(ZERO, 999, 0, 'original');
    // 'original' + 255 named kinds; the 45 rows of later kinds are dropped, 'original' is always there.
    expect(b.kinds.length).toBe(256);
    expect(b.rows).toBe(255 + 1);
    expect(b.kinds[255]).toBe('cut-top:254');
  });

  it('a row added without a kind is of the image itself (kind "original", the first kind)', () => {
    const b = new MatchRowsBuilder();
    b.add(ZERO, 7, 0);
    const built = b.build();
    expect(built.kinds).toEqual(['original']);
    expect([...built.rowKind]).toEqual([0]);
  });

  it('addEntry adds an entry’s rows under its ordinal', () => {
    const b = new MatchRowsBuilder();
    b.addEntry(entry([{ type: 'image', hashes: [{ alg: 'pdq', value: near(3), quality: 70 }, { alg: 'pdq', value: near(4), quality: 40 }] }] as FeedEntry['media']), 42);
    const built = b.build();
    expect(b.rows).toBe(1);
    expect([...built.rowEntry]).toEqual([42]);
  });
});
