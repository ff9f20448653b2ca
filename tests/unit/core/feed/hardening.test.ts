// Feed schema bounds from issue 13 (each was accepted before): an expiry in year 275760 or "2", a
// validity of centuries, text that is only invisible characters, a fact-check URL wrapped in
// whitespace and a line break stored as is, a frame time of 1e308, and a delta that removes an
// entry and adds it back with the same rev but other content.
import { describe, expect, it } from 'vitest';
import { applyDelta, computeStateHash, parseDelta, parseEntry, parseSnapshot, type FeedDelta, type FeedEntry } from '../../../../src/core/feed';
import { META, NOW, entry, snapshotOf, feedErrorCode } from './fixtures';

const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const code = feedErrorCode;
const snapshotWith = (change: (s: ReturnType<typeof snapshotOf>) => void) => {
  const s = snapshotOf([entry('a')]);
  change(s);
  return () => parseSnapshot(enc(s));
};
const entryWith = (change: (e: FeedEntry) => void) => {
  const e = structuredClone(entry('a'));
  change(e);
  return () => parseEntry(e);
};

describe('feed bounds', () => {
  it('refuses an expiry that is not a real time, or too far away', () => {
    expect(code(snapshotWith(() => undefined))).toBe('accepted');
    expect(code(snapshotWith((s) => (s.expiresAt = '+275760-09-13T00:00:00.000Z')))).toBe('schema @expiresAt');
    expect(code(snapshotWith((s) => (s.expiresAt = '2')))).toBe('schema @expiresAt');
    expect(code(snapshotWith((s) => (s.expiresAt = '9999-12-31T00:00:00Z')))).toBe('schema @snapshot.expiresAt');
    expect(code(snapshotWith((s) => (s.expiresAt = new Date(NOW.getTime() + 365 * 86_400_000).toISOString())))).toBe('accepted');
    expect(code(snapshotWith((s) => (s.generatedAt = '2026-02-30T00:00:00Z')))).toBe('schema @generatedAt');
  });

  it('refuses text that is only zero-width characters or bidi controls, and control characters', () => {
    expect(code(entryWith((e) => (e.claim.text = { en: '\u200b' })))).toBe('schema @claim.text.en');
    expect(code(entryWith((e) => (e.claim.text = { en: ' \u202e\u2066\u200f ' })))).toBe('schema @claim.text.en');
    expect(code(entryWith((e) => (e.factCheck.publisher.name = '\ufeff\u00ad')))).toBe('schema @factCheck.publisher.name');
    expect(code(entryWith((e) => (e.claim.claimant = 'a\u001b[2Jb')))).toBe('schema @claim.claimant');
    expect(code(entryWith((e) => (e.claim.text = { ar: '\u202bنص\u202c' })))).toBe('accepted'); // bidi marks around real text are fine
  });

  it('trims and normalises URLs; refuses one with a line break inside', () => {
    const e = entryWith((x) => (x.factCheck.url = '  \t https://FactCheck.example.org/a\n'))() as FeedEntry;
    expect(e.factCheck.url).toBe('https://factcheck.example.org/a');
    expect(code(entryWith((x) => (x.factCheck.url = 'https://factcheck.example.org/a\nstored https://evil.example/')))).toBe('schema @factCheck.url');
  });

  it('bounds a frame time and a duration to a day', () => {
    expect(code(entryWith((e) => (e.media[0]!.frames!.items[0]!.t = 1e308)))).toBe('schema @media.0.frames.items.0.t');
    expect(code(entryWith((e) => (e.media[0]!.frames!.items[0]!.t = 86_400)))).toBe('accepted');
  });

  it('refuses a delta that removes an entry and adds it back with the same rev but other content', () => {
    const held = new Map([['a', entry('a')]]);
    const changed = structuredClone(entry('a'));
    changed.claim.text = { en: 'Something else entirely' };
    const delta = parseDelta(
      enc({
        format: 'already-debunked/delta',
        formatVersion: 1,
        feedId: META.id,
        epoch: 1,
        fromSeq: 1,
        toSeq: 2,
        generatedAt: NOW.toISOString(),
        expiresAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
        remove: [{ id: 'a', rev: 1 }],
        upsert: [changed],
        stateHash: computeStateHash([changed]),
      } satisfies FeedDelta),
    );
    expect(code(() => applyDelta(held, delta))).toBe('stale-rev @upsert[0].rev');
    expect(code(() => applyDelta(held, { ...delta, upsert: [{ ...changed, rev: 2 }], stateHash: computeStateHash([{ id: 'a', rev: 2 }]) }))).toBe('accepted');
  });
});

describe('ClaimReview dates', () => {
  it('imports a date Date can read but the feed format does not (an offset without a colon) as ISO 8601 UTC', async () => {
    const { fromReview } = await import('../../../../src/core/feed');
    const { entry: e } = fromReview({
      '@type': 'ClaimReview',
      url: 'https://factcheck.example.org/x',
      datePublished: '2024-03-01T10:00:00+0100',
      author: { '@type': 'Organization', name: 'Example Checks' },
      reviewRating: { alternateName: 'False' },
      claimReviewed: 'A claim',
    });
    expect(e?.factCheck.datePublished).toBe('2024-03-01T09:00:00.000Z');
  });
});
