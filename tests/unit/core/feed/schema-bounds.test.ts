/**
 * The feed schema's bounds at their edges (src/core/feed/schema.ts), each from docs/feed-format.md
 * ("Entry", "Payloads", "Limits"): the value at a limit is accepted, the one past it refused, with
 * the field's path. The entry is the fixtures' seed case (AFP's Putin–Kim video check); the index is
 * written by hand from the "Index" paragraph.
 */
import { describe, expect, it } from 'vitest';
import { FeedError, MEDIA_REVIEW_CATEGORIES, parseDelta, parseDeltaValue, parseEntry, parseIndex, parseSnapshot, parseSnapshotHead, parseSnapshotValue, type FeedEntry } from '../../../../src/core/feed';
import { entry, snapshotOf, feedErrorCode } from './fixtures';

const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const code = feedErrorCode;
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const withEntry = (change: (e: Loose) => void) => {
  const e = structuredClone(entry('a')) as Loose;
  change(e);
  return code(() => parseEntry(e));
};
const OK = 'accepted';
const HASH = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
const SHA = 'a'.repeat(64);
const pdq = (over: Loose = {}) => ({ alg: 'pdq', value: HASH, quality: 90, ...over });
const langs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`, 'x']));

describe('entry fields at their limits (docs/feed-format.md, "Entry")', () => {
  it('id: [a-z0-9._-]{1,128}, the whole id', () => {
    expect(withEntry((e) => (e.id = 'a'.repeat(128)))).toBe(OK);
    expect(withEntry((e) => (e.id = 'afp.2022_10-08'))).toBe(OK);
    expect(withEntry((e) => (e.id = 'a'.repeat(129)))).toBe('schema @id');
    expect(withEntry((e) => (e.id = ''))).toBe('schema @id');
    expect(withEntry((e) => (e.id = 'Upper-a'))).toBe('schema @id');
    expect(withEntry((e) => (e.id = 'a-Upper'))).toBe('schema @id');
    expect(withEntry((e) => (e.id = 'a/b'))).toBe('schema @id');
  });

  it('rev: an integer ≥ 1; status: active or withdrawn', () => {
    expect(withEntry((e) => (e.rev = 1))).toBe(OK);
    expect(withEntry((e) => (e.rev = 0))).toBe('schema @rev');
    expect(withEntry((e) => (e.rev = 1.5))).toBe('schema @rev');
    expect(withEntry((e) => (e.status = 'withdrawn'))).toBe(OK);
    expect(withEntry((e) => (e.status = 'deleted'))).toBe('schema @status');
  });

  it('verdict.label: the eight labels; category: the MediaReview members', () => {
    for (const label of ['missing-context', 'altered', 'staged', 'false', 'misleading', 'satire', 'unproven', 'accurate']) expect(withEntry((e) => (e.verdict.label = label)), label).toBe(OK);
    expect(MEDIA_REVIEW_CATEGORIES).toEqual(['OriginalMediaContent', 'DecontextualizedContent', 'EditedOrCroppedContent', 'TransformedContent', 'StagedContent', 'SatireOrParodyContent']);
    for (const c of MEDIA_REVIEW_CATEGORIES) expect(withEntry((e) => (e.verdict.category = c)), c).toBe(OK);
    expect(withEntry((e) => (e.verdict.category = 'Fabricated'))).toBe('schema @verdict.category');
  });

  it('localised text: 1 to 40 languages, each a language tag', () => {
    expect(withEntry((e) => (e.verdict.textualRating = langs(40)))).toBe(OK);
    expect(withEntry((e) => (e.verdict.textualRating = langs(41)))).toBe('schema @verdict.textualRating');
    expect(withEntry((e) => (e.verdict.textualRating = {}))).toBe('schema @verdict.textualRating');
    for (const tag of ['en', 'fil', 'zh-Hant-TW', 'es-419', 'EN']) expect(withEntry((e) => (e.claim.text = { [tag]: 'x' })), tag).toBe(OK);
    for (const tag of ['e', 'engl', 'en_US', 'en-', 'en-abcdefghi', '1en', 'en-US x']) expect(withEntry((e) => (e.claim.text = { [tag]: 'x' })), tag).toMatch(/^schema @claim\.text/);
    expect(withEntry((e) => (e.factCheck.inLanguage = 'pt-BR'))).toBe(OK);
    expect(withEntry((e) => (e.factCheck.inLanguage = 'Portuguese'))).toBe('schema @factCheck.inLanguage');
  });

  it('text lengths: rating 80, claim 500, context and headline 300, names 200, short 120, a context date 40', () => {
    const cases: [string, number, (e: Loose, s: string) => void][] = [
      ['verdict.textualRating.en', 80, (e, s) => (e.verdict.textualRating = { en: s })],
      ['claim.text.en', 500, (e, s) => (e.claim.text = { en: s })],
      ['originalContext.description.en', 300, (e, s) => (e.originalContext.description = { en: s })],
      ['factCheck.headline.en', 300, (e, s) => (e.factCheck.headline = { en: s })],
      ['claim.claimant', 200, (e, s) => (e.claim.claimant = s)],
      ['factCheck.publisher.name', 200, (e, s) => (e.factCheck.publisher.name = s)],
      ['originalContext.location', 120, (e, s) => (e.originalContext.location = s)],
      ['originalContext.date', 40, (e, s) => (e.originalContext.date = s)],
      ['source.type', 120, (e, s) => (e.source = { type: s })],
    ];
    for (const [path, max, set] of cases) {
      expect(withEntry((e) => set(e, 'x'.repeat(max))), path).toBe(OK);
      expect(withEntry((e) => set(e, 'x'.repeat(max + 1))), path).toBe(`schema @${path}`);
      // Trimmed first: spaces around the limit do not count.
      expect(withEntry((e) => set(e, ` ${'x'.repeat(max)} `)), path).toBe(OK);
      expect(withEntry((e) => set(e, '   ')), path).toBe(`schema @${path}`);
    }
  });

  it('text is trimmed, and keeps tab and line break but no other control character (C0, DEL, C1)', () => {
    const claimant = (s: string) => {
      const e = structuredClone(entry('a'));
      e.claim.claimant = s;
      return parseEntry(e).claim.claimant;
    };
    expect(claimant('  Social media users \n')).toBe('Social media users');
    expect(claimant('a\tb\nc')).toBe('a\tb\nc');
    expect(claimant('a\u00a0b ~')).toBe('a\u00a0b ~'); // no-break space and "~" (0x7e) are text
    for (const ch of ['\u0000', '\u0008', '\u000b', '\u000c', '\u001f', '\u007f', '\u0085', '\u009f']) {
      expect(withEntry((e) => (e.claim.claimant = `a${ch}b`)), ch.charCodeAt(0).toString(16)).toBe('schema @claim.claimant');
    }
  });

  it('dates: ISO 8601 with a four-digit year, a day or a time with its zone, a real day', () => {
    for (const d of ['2022-10-08', '2022-10-08T10:00Z', '2022-10-08T10:00:00+05:30', '2022-10-08T10:00:00.123456789-03:00', '2024-02-29']) {
      expect(withEntry((e) => (e.factCheck.datePublished = d)), d).toBe(OK);
    }
    for (const d of ['22-10-08', '2022-10-08T10:00', '2022-10-08T10:00:00.1234567890Z', '2022-10-08T10Z', 'x2022-10-08', '2022-10-08x', '2022-10-08T10:00+0530', '2023-02-29', '2022-13-01', `2022-10-08T10:00:00.${'1'.repeat(9)}+05:30 `]) {
      expect(withEntry((e) => (e.factCheck.datePublished = d)), d).toBe('schema @factCheck.datePublished');
    }
    expect(withEntry((e) => (e.claim.claimDate = '2022-09-30'))).toBe(OK);
    expect(withEntry((e) => (e.claim.claimDate = '30 September 2022'))).toBe('schema @claim.claimDate');
    expect(withEntry((e) => (e.claim.firstAppearance = { url: 'https://x.com/a/status/1', date: '2022-09-30' }))).toBe(OK);
    expect(withEntry((e) => (e.claim.firstAppearance = { url: 'https://x.com/a/status/1', date: 'yesterday' }))).toBe('schema @claim.firstAppearance.date');
  });

  it('lists: appearances ≤ 50, links ≤ 10, media 1–20, hashes ≤ 64, frames ≤ 600, a keyframe\'s variants ≤ 16', () => {
    const app = { url: 'https://x.com/a/status/1' };
    expect(withEntry((e) => (e.claim.appearances = Array(50).fill(app)))).toBe(OK);
    expect(withEntry((e) => (e.claim.appearances = Array(51).fill(app)))).toBe('schema @claim.appearances');
    expect(withEntry((e) => (e.originalContext.links = Array(10).fill('https://a.example/')))).toBe(OK);
    expect(withEntry((e) => (e.originalContext.links = Array(11).fill('https://a.example/')))).toBe('schema @originalContext.links');
    expect(withEntry((e) => (e.media = Array(20).fill(e.media[0])))).toBe(OK);
    expect(withEntry((e) => (e.media = Array(21).fill(e.media[0])))).toBe('schema @media');
    expect(withEntry((e) => (e.media[0].hashes = Array(64).fill(pdq())))).toBe(OK);
    expect(withEntry((e) => (e.media[0].hashes = Array(65).fill(pdq())))).toBe('schema @media.0.hashes');
    const frame = { t: 1, value: HASH, quality: 90 };
    expect(withEntry((e) => (e.media[0].frames.items = Array(600).fill(frame)))).toBe(OK);
    expect(withEntry((e) => (e.media[0].frames.items = Array(601).fill(frame)))).toBe('schema @media.0.frames.items');
    const v = { variant: 'crop:0.9', value: HASH, quality: 90 };
    expect(withEntry((e) => (e.media[0].frames.items = [{ ...frame, variants: Array(16).fill(v) }]))).toBe(OK);
    expect(withEntry((e) => (e.media[0].frames.items = [{ ...frame, variants: Array(17).fill(v) }]))).toBe('schema @media.0.frames.items.0.variants');
    expect(withEntry((e) => (e.media[0].frames.items = [{ ...frame, variants: [{ ...v, variant: 'Crop' }] }]))).toBe('schema @media.0.frames.items.0.variants.0.variant');
    expect(withEntry((e) => (e.media[0].frames.alg = 'vpdq'))).toBe('schema @media.0.frames.alg');
  });

  it('a media item: type image, video or gif; width and height 1–100,000; durationSec 0–86,400', () => {
    for (const t of ['image', 'video', 'gif']) expect(withEntry((e) => (e.media[0].type = t)), t).toBe(OK);
    expect(withEntry((e) => (e.media[0].type = 'audio'))).toBe('schema @media.0.type');
    for (const [k, v, want] of [['width', 1, OK], ['width', 100_000, OK], ['width', 0, 'schema @media.0.width'], ['height', 100_001, 'schema @media.0.height'], ['durationSec', 0, OK], ['durationSec', 86_400, OK], ['durationSec', 86_400.5, 'schema @media.0.durationSec'], ['durationSec', -0.5, 'schema @media.0.durationSec']] as const) {
      expect(withEntry((e) => (e.media[0][k] = v)), `${k} ${v}`).toBe(want);
    }
    expect(withEntry((e) => (e.media[0].frames.items[0].t = -0.001))).toBe('schema @media.0.frames.items.0.t');
  });

  it('a hash object: quality 0–100, the five roles, a variant name, canon ≥ 1', () => {
    // A refused hash object is named by its index (valibot may add the field the union tried: .alg).
    const h = (over: Loose) => withEntry((e) => (e.media[0].hashes = [pdq(over)])).replace(/\.alg$/, '');
    expect(h({ quality: 0 })).toBe(OK);
    expect(h({ quality: 100 })).toBe(OK);
    expect(h({ quality: -1 })).toBe('schema @media.0.hashes.0');
    expect(h({ quality: 50.5 })).toBe('schema @media.0.hashes.0');
    for (const role of ['original', 'variant', 'poster', 'keyframe', 'thumbnail']) expect(h({ role }), role).toBe(OK);
    expect(h({ role: 'cover' })).toBe('schema @media.0.hashes.0');
    for (const variant of ['crop:0.9', 'rotate:-3', 'cut-bottom:0.125', 'picture', 'caption-top:12.5', `a${'b'.repeat(23)}`, 'scale:100']) expect(h({ role: 'variant', variant }), variant).toBe(OK);
    for (const variant of ['Crop:0.9', 'crop:', 'crop:0.12345', 'crop:1000', '-crop', `a${'b'.repeat(24)}`, 'crop:0.9 ', 'crop 0.9', '9crop']) expect(h({ role: 'variant', variant }), variant).toBe('schema @media.0.hashes.0');
    expect(h({ canon: 1 })).toBe(OK);
    expect(h({ canon: 1000 })).toBe(OK);
    expect(h({ canon: 0 })).toBe('schema @media.0.hashes.0');
    expect(h({ canon: 1001 })).toBe('schema @media.0.hashes.0');
    expect(h({ value: HASH.slice(1) })).toBe('schema @media.0.hashes.0');
    // Publishers write lower case; a reader also takes upper case (hex from other tools: the same bits), nothing but hex.
    expect(h({ value: HASH.toUpperCase() })).toBe(OK);
    expect(h({ value: `${HASH.slice(1)}g` })).toBe('schema @media.0.hashes.0');
    expect(h({ value: `${HASH} ` })).toBe('schema @media.0.hashes.0');
    // Another algorithm passes and is dropped; "pdq" with a bad value is not another algorithm.
    const e = structuredClone(entry('a'));
    (e.media[0]!.hashes as unknown[]) = [{ alg: 'vpdq', anything: 1 }, pdq({ role: 'original', canon: 1 })];
    expect(parseEntry(e).media[0]!.hashes).toEqual([pdq({ role: 'original', canon: 1 })]);
  });

  it('URLs: https only, at most 2,048 characters, the normalised form kept', () => {
    const long = `https://factcheck.example.org/${'a'.repeat(2048 - 'https://factcheck.example.org/'.length)}`;
    expect(withEntry((e) => (e.factCheck.url = long))).toBe(OK);
    expect(withEntry((e) => (e.factCheck.url = `${long}a`))).toBe('schema @factCheck.url');
    expect(withEntry((e) => (e.factCheck.publisher.url = 'http://factcheck.example.org/'))).toBe('schema @factCheck.publisher.url');
    expect(withEntry((e) => (e.source = { type: 'ClaimReview', url: 'ftp://a.example/' }))).toBe('schema @source.url');
    expect(withEntry((e) => (e.claim.appearances = [{ url: 'javascript:alert(1)' }]))).toBe('schema @claim.appearances.0.url');
  });
});

describe('index, snapshot and delta (docs/feed-format.md, "Payloads" and "Limits")', () => {
  const T0 = '2026-11-24T00:00:00.000Z';
  const index = (over: Loose = {}): Loose => ({
    format: 'already-debunked/index',
    formatVersion: 1,
    feedId: 'https://feeds.example.org/afp-media/v1',
    epoch: 1,
    seq: 7,
    generatedAt: T0,
    expiresAt: '2026-11-26T00:00:00.000Z',
    minimumWaitSeconds: 3600,
    snapshot: { path: 'snapshots/7.json', sha256: SHA, bytes: 123, seq: 7 },
    deltas: [{ path: 'deltas/6-7.json', sha256: SHA, bytes: 45, fromSeq: 6, toSeq: 7 }],
    ...over,
  });
  const idx = (over: Loose = {}) => code(() => parseIndex(enc(index(over))));

  it('an index as the format describes it is accepted; deltas default to none', () => {
    expect(idx()).toBe(OK);
    const noDeltas = index();
    delete noDeltas.deltas;
    expect(parseIndex(enc(noDeltas)).deltas).toEqual([]);
    expect(parseIndex(enc(index({ reportEndpoint: 'https://feeds.example.org/afp-media/reports' }))).reportEndpoint).toBe('https://feeds.example.org/afp-media/reports');
    expect(idx({ reportEndpoint: 'http://feeds.example.org/reports' })).toBe('schema @reportEndpoint');
  });

  it('file references: a relative path without "..", a lower-case SHA-256, bytes ≥ 1', () => {
    const snap = (over: Loose) => idx({ snapshot: { path: 'snapshots/7.json', sha256: SHA, bytes: 123, seq: 7, ...over } });
    expect(snap({ path: 'a/b-c_d.7.json' })).toBe(OK);
    expect(snap({ path: `${'a'.repeat(512)}` })).toBe(OK);
    expect(snap({ path: `${'a'.repeat(513)}` })).toBe('schema @snapshot.path');
    for (const p of ['/snapshots/7.json', 'snapshots/../7.json', 'https://evil.example/7.json', 'snap shots/7.json', '']) expect(snap({ path: p }), p).toBe('schema @snapshot.path');
    expect(snap({ sha256: SHA.toUpperCase() })).toBe('schema @snapshot.sha256');
    expect(snap({ sha256: `${SHA}0` })).toBe('schema @snapshot.sha256');
    expect(snap({ sha256: SHA.slice(1) })).toBe('schema @snapshot.sha256');
    expect(snap({ bytes: 0 })).toBe('schema @snapshot.bytes');
  });

  it('seq and epoch ≥ 1, fromSeq ≥ 0, minimumWaitSeconds 0 to a week, at most 64 deltas, the snapshot of the index\'s seq', () => {
    expect(idx({ seq: 0, snapshot: { path: 's.json', sha256: SHA, bytes: 1, seq: 0 } })).toBe('schema @seq');
    expect(idx({ epoch: 0 })).toBe('schema @epoch');
    expect(idx({ deltas: [{ path: 'd.json', sha256: SHA, bytes: 1, fromSeq: 0, toSeq: 1 }] })).toBe(OK);
    expect(idx({ deltas: [{ path: 'd.json', sha256: SHA, bytes: 1, fromSeq: -1, toSeq: 1 }] })).toBe('schema @deltas.0.fromSeq');
    expect(idx({ minimumWaitSeconds: 0 })).toBe(OK);
    expect(idx({ minimumWaitSeconds: 7 * 86_400 })).toBe(OK);
    expect(idx({ minimumWaitSeconds: 7 * 86_400 + 1 })).toBe('schema @minimumWaitSeconds');
    const d = { path: 'd.json', sha256: SHA, bytes: 1, fromSeq: 1, toSeq: 2 };
    expect(idx({ deltas: Array(64).fill(d) })).toBe(OK);
    expect(idx({ deltas: Array(65).fill(d) })).toBe('schema @deltas');
    expect(idx({ snapshot: { path: 's.json', sha256: SHA, bytes: 1, seq: 6 } })).toBe('schema @snapshot.seq');
    expect(idx({ feedId: '' })).toBe('schema @feedId');
    expect(idx({ feedId: 'x'.repeat(512) })).toBe(OK);
    expect(idx({ feedId: 'x'.repeat(513) })).toBe('schema @feedId');
    expect(idx({ format: 'already-debunked/snapshot' })).toBe('schema @format');
  });

  it('the binary form\'s files are checked alike', () => {
    const bin = (over: Loose = {}) => idx({ binary: { snapshot: { path: 'snapshots/7.adfb', sha256: SHA, bytes: 60, seq: 7 }, ...over } });
    expect(bin()).toBe(OK);
    expect(parseIndex(enc(index({ binary: { snapshot: { path: 'snapshots/7.adfb', sha256: SHA, bytes: 60, seq: 7 } } }))).binary!.deltas).toEqual([]);
    expect(bin({ snapshot: { path: 'snapshots/6.adfb', sha256: SHA, bytes: 60, seq: 6 } })).toBe('schema @binary.snapshot.seq');
    expect(bin({ deltas: Array(65).fill({ path: 'd.adfb', sha256: SHA, bytes: 1, fromSeq: 6, toSeq: 7 }) })).toBe('schema @binary.deltas');
    expect(bin({ deltas: [{ path: '../d.adfb', sha256: SHA, bytes: 1, fromSeq: 6, toSeq: 7 }] })).toBe('schema @binary.deltas.0.path');
  });

  it('times: with a zone, expiresAt after generatedAt, at most 366 days after it', () => {
    expect(idx({ expiresAt: T0 })).toBe('schema @index.expiresAt');
    expect(idx({ expiresAt: '2026-11-24T00:00:00.001Z' })).toBe(OK);
    expect(idx({ expiresAt: '2027-11-25T00:00:00.000Z' })).toBe(OK); // 366 days (2027 is not a leap year)
    expect(idx({ expiresAt: '2027-11-25T00:00:00.001Z' })).toBe('schema @index.expiresAt');
    expect(idx({ generatedAt: '2026-11-24' })).toBe('schema @generatedAt');
    expect(idx({ generatedAt: '2026-11-24T00:00Z' })).toBe('schema @generatedAt');
    expect(idx({ generatedAt: '2026-11-24T00:00:00+01:00', expiresAt: '2026-11-24T00:00:00Z' })).toBe(OK);
  });

  it('a format version other than 1 is named as such; a version that is not a number is a schema error', () => {
    expect(code(() => parseIndex(enc(index({ formatVersion: 2 }))))).toBe('unsupported-version');
    expect(() => parseIndex(enc(index({ formatVersion: 2 })))).toThrow('index format version 2; this client reads version 1');
    expect(idx({ formatVersion: '1' })).toBe('schema @formatVersion');
  });

  it('a snapshot: entryCount, the state hash\'s form, the feed block', () => {
    const snap = (change: (s: Loose) => void) => {
      const s = structuredClone(snapshotOf([entry('a'), entry('b')])) as Loose;
      change(s);
      return code(() => parseSnapshot(enc(s)));
    };
    expect(snap(() => undefined)).toBe(OK);
    expect(snap((s) => (s.stateHash = s.stateHash.toUpperCase()))).toBe('schema @stateHash');
    expect(snap((s) => (s.stateHash = s.stateHash.slice(7)))).toBe('schema @stateHash');
    expect(snap((s) => (s.stateHash = `${s.stateHash}0`))).toBe('schema @stateHash');
    expect(snap((s) => (s.entryCount = 1))).toBe('schema @entryCount');
    expect(() => parseSnapshot(enc({ ...snapshotOf([entry('a'), entry('b')]), entryCount: 3 }))).toThrow('entryCount: says 3 entries, has 2');
    expect(snap((s) => (s.feed.license = 'CC BY 4.0'))).toBe(OK);
    expect(snap((s) => (s.feed.license = 'x'.repeat(121)))).toBe('schema @feed.license');
    expect(snap((s) => (s.feed.defaultLanguage = 'fr'))).toBe(OK);
    expect(snap((s) => (s.feed.defaultLanguage = 'French'))).toBe('schema @feed.defaultLanguage');
    expect(snap((s) => (s.feed.id = ''))).toBe('schema @feed.id');
    expect(snap((s) => (s.feed.publisher.url = 'http://factcheck.example.org/'))).toBe('schema @feed.publisher.url');
    expect(snap((s) => (s.entries[1].id = 'a'))).toBe('duplicate-id @entries[1].id');
    expect(() => parseSnapshot(enc({ ...snapshotOf([entry('a'), entry('b')]), entries: [entry('a'), entry('a')] }))).toThrow('entries[1].id: duplicate id a');
  });

  it('a delta: toSeq = fromSeq + 1, remove {id, rev ≥ 1}, upsert ids unique', () => {
    const delta = (over: Loose = {}) => ({
      format: 'already-debunked/delta',
      formatVersion: 1,
      feedId: 'https://feeds.example.org/afp-media/v1',
      epoch: 1,
      fromSeq: 6,
      toSeq: 7,
      generatedAt: T0,
      expiresAt: '2026-12-08T00:00:00.000Z',
      remove: [{ id: 'b', rev: 2 }],
      upsert: [entry('a')],
      stateHash: `sha256:${SHA}`,
      ...over,
    });
    const d = (over: Loose = {}) => code(() => parseDelta(enc(delta(over))));
    expect(d()).toBe(OK);
    expect(d({ fromSeq: 0, toSeq: 1 })).toBe(OK);
    expect(d({ toSeq: 8 })).toBe('delta-gap @toSeq');
    expect(d({ toSeq: 6 })).toBe('delta-gap @toSeq');
    expect(d({ remove: [{ id: 'b', rev: 0 }] })).toBe('schema @remove.0.rev');
    expect(d({ upsert: [entry('a'), entry('a')] })).toBe('duplicate-id @upsert[1].id');
    expect(d({ expiresAt: T0 })).toBe('schema @delta.expiresAt');
    expect(d({ feedId: '' })).toBe('schema @feedId');
    const parsed = parseDelta(enc(delta({ upsert: [{ ...entry('a'), media: [{ type: 'image', hashes: [{ alg: 'vpdq', x: 1 }, pdq()] }] } as FeedEntry] })));
    expect(parsed.upsert[0]!.media[0]!.hashes).toEqual([pdq()]);
  });

  it('bytes that are not UTF-8 JSON are "not-json"', () => {
    expect(code(() => parseIndex(Uint8Array.from([0x7b, 0xff, 0x7d])))).toBe('not-json');
    expect(code(() => parseDelta(new TextEncoder().encode('{"format":')))).toBe('not-json');
  });
});

describe('the refusals a desk reads, and the forms only the binary reader uses', () => {
  const T0 = '2026-11-24T00:00:00.000Z';
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  const entryMessage = (change: (e: Loose) => void) => {
    const e = structuredClone(entry('a')) as Loose;
    change(e);
    return message(() => parseEntry(e));
  };

  it('a FeedError is named FeedError, its message led by the field\'s path', () => {
    const e = new FeedError('schema', 'missing', 'entries.0.id');
    expect([e.name, e.code, e.path, e.message]).toEqual(['FeedError', 'schema', 'entries.0.id', 'entries.0.id: missing']);
    expect(new FeedError('not-json', 'the payload is not JSON').message).toBe('the payload is not JSON');
    expect(e).toBeInstanceOf(Error);
  });

  it('each refusal says what the format asks for (docs/feed-format.md\'s words)', () => {
    expect(entryMessage((e) => (e.claim.claimant = 'a\u0007b'))).toMatch(/^claim\.claimant: .*control characters/);
    expect(entryMessage((e) => (e.claim.claimant = '\u200b'))).toMatch(/^claim\.claimant: .*visible/);
    expect(entryMessage((e) => (e.factCheck.datePublished = '8 Oct 2022'))).toMatch(/^factCheck\.datePublished: .*ISO 8601/);
    expect(entryMessage((e) => (e.factCheck.datePublished = '2023-02-29'))).toMatch(/^factCheck\.datePublished: .*date/);
    expect(entryMessage((e) => (e.factCheck.inLanguage = 'English'))).toMatch(/^factCheck\.inLanguage: .*language/);
    expect(entryMessage((e) => (e.verdict.textualRating = {}))).toMatch(/^verdict\.textualRating: .*40 languages/);
    expect(entryMessage((e) => (e.media[0].frames.items = [{ t: 1, value: HASH, quality: 90, variants: [{ variant: 'Crop', value: HASH, quality: 90 }] }]))).toMatch(/^media\.0\.frames\.items\.0\.variants\.0\.variant: .*variant name/);
    expect(entryMessage((e) => (e.media[0].frames.items = [{ t: 1, value: 'abc', quality: 90 }]))).toMatch(/^media\.0\.frames\.items\.0\.value: .*64-hex-digit/);
    expect(entryMessage((e) => (e.id = 'A'))).toMatch(/^id: .*1–128/);
    expect(entryMessage((e) => (e.factCheck.url = 'http://factcheck.example.org/a'))).toMatch(/^factCheck\.url: .*https/);
    expect(entryMessage((e) => (e.media = []))).toMatch(/^media: .*at least one media/);
    expect(entryMessage((e) => (e.status = 'gone'))).not.toBe('accepted');
    const idx = (over: Loose) => message(() => parseIndex(enc({ format: 'already-debunked/index', formatVersion: 1, feedId: 'f', epoch: 1, seq: 2, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', snapshot: { path: 's.json', sha256: SHA, bytes: 1, seq: 2 }, ...over })));
    expect(idx({ snapshot: { path: '../s.json', sha256: SHA, bytes: 1, seq: 2 } })).toMatch(/^snapshot\.path: .*relative path/);
    expect(idx({ snapshot: { path: 's.json', sha256: 'x', bytes: 1, seq: 2 } })).toMatch(/^snapshot\.sha256: .*SHA-256/);
    expect(idx({ snapshot: { path: 's.json', sha256: SHA, bytes: 1, seq: 1 } })).toMatch(/^snapshot\.seq: .*seq/);
    expect(idx({ binary: { snapshot: { path: 's.adfb', sha256: SHA, bytes: 1, seq: 1 } } })).toMatch(/^binary\.snapshot\.seq: .*seq/);
    expect(idx({ expiresAt: T0 })).toMatch(/^index\.expiresAt: .*after generatedAt/);
    expect(idx({ expiresAt: '2028-01-01T00:00:00Z' })).toMatch(/^index\.expiresAt: .*366 days/);
    expect(idx({ formatVersion: 3 })).toBe('index format version 3; this client reads version 1');
    expect(message(() => parseIndex(Uint8Array.from([0x7b])))).toBe('the payload is not JSON');
  });

  it('a payload that is no object is named by its kind; a version by the kind of file; a delta gap says so', () => {
    expect(code(() => parseSnapshot(enc(null)))).toBe('schema @snapshot');
    expect(code(() => parseDelta(enc(null)))).toBe('schema @delta');
    expect(code(() => parseEntry(null))).toBe('schema @entry');
    expect(message(() => parseSnapshotHead({ formatVersion: 2 }))).toBe('snapshot format version 2; this client reads version 1');
    expect(message(() => parseSnapshotValue({ formatVersion: 2, entries: [] }, {}, true))).toBe('snapshot format version 2; this client reads version 1');
    expect(message(() => parseDeltaValue({ formatVersion: 2, upsert: [] }, {}, true))).toBe('delta format version 2; this client reads version 1');
    const delta = { format: 'already-debunked/delta', formatVersion: 1, feedId: 'f', epoch: 1, fromSeq: 1, toSeq: 3, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', remove: [], upsert: [], stateHash: `sha256:${SHA}` };
    expect(message(() => parseDelta(enc(delta)))).toMatch(/^toSeq: .*one sequence to the next/);
  });

  it('bytes that are not UTF-8 are not JSON, even when replacement characters would make it so', () => {
    // "\xff" inside quotes: a JSON string once decoded leniently (U+FFFD); refused as not-json.
    expect(code(() => parseIndex(Uint8Array.from([0x22, 0xff, 0x22])))).toBe('not-json');
  });

  it('a payload that is JSON null or a list is a schema error, not a crash', () => {
    for (const parse of [parseIndex, parseSnapshot, parseDelta]) {
      expect(code(() => parse(enc(null)))).toMatch(/^schema/);
      expect(code(() => parse(enc([])))).toMatch(/^schema/);
    }
  });

  it('a time is the whole string: nothing after its zone; a day\'s check is on the day as written (01:00 at +05:30 is still that day)', () => {
    const snap = (over: Loose) => code(() => parseSnapshot(enc({ ...structuredClone(snapshotOf([entry('a')])), ...over })));
    expect(snap({ generatedAt: '2026-11-24T00:00:00.000Zx' })).toBe('schema @generatedAt');
    expect(snap({ generatedAt: '2026-11-24T01:00:00+05:30' })).toBe(OK);
    expect(withEntry((e) => (e.factCheck.datePublished = '2022-10-08T01:00:00+05:30'))).toBe(OK);
  });

  it('stateHash: "sha256:" and 64 lower-case hex digits, the whole string (snapshot and delta)', () => {
    const snap = (h: string) => code(() => parseSnapshot(enc({ ...structuredClone(snapshotOf([entry('a')])), stateHash: h })));
    expect(snap(`xsha256:${SHA}`)).toBe('schema @stateHash');
    const delta = (stateHash: string) =>
      code(() => parseDelta(enc({ format: 'already-debunked/delta', formatVersion: 1, feedId: 'f', epoch: 1, fromSeq: 1, toSeq: 2, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', remove: [], upsert: [], stateHash })));
    expect(delta(`sha256:${SHA}`)).toBe(OK);
    expect(delta(`xsha256:${SHA}`)).toBe('schema @stateHash');
    expect(delta(`sha256:${SHA}0`)).toBe('schema @stateHash');
  });

  it('loopback http is allowed where the test build says so, in every payload', () => {
    const testHosts = ['127.0.0.1'];
    const e = structuredClone(entry('a'));
    e.factCheck.url = 'http://127.0.0.1:8080/check';
    expect(parseEntry(e, { testHosts }).factCheck.url).toBe('http://127.0.0.1:8080/check');
    expect(code(() => parseEntry(e))).toBe('schema @factCheck.url');
    const index = { format: 'already-debunked/index', formatVersion: 1, feedId: 'f', epoch: 1, seq: 2, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', snapshot: { path: 's.json', sha256: SHA, bytes: 1, seq: 2 }, reportEndpoint: 'http://127.0.0.1:8080/reports' };
    expect(parseIndex(enc(index), { testHosts }).reportEndpoint).toBe('http://127.0.0.1:8080/reports');
    const delta = { format: 'already-debunked/delta', formatVersion: 1, feedId: 'f', epoch: 1, fromSeq: 1, toSeq: 2, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', remove: [], upsert: [e], stateHash: `sha256:${SHA}` };
    expect(code(() => parseDelta(enc(delta), { testHosts }))).toBe(OK);
    expect(code(() => parseDelta(enc(delta)))).toBe('schema @upsert.0.factCheck.url');
    const head = { ...structuredClone(snapshotOf([])), feed: { id: 'f', name: { en: 'F' }, publisher: { name: 'P', url: 'http://127.0.0.1:8080/' } } };
    expect(parseSnapshotHead(head, { testHosts }).feed.publisher.url).toBe('http://127.0.0.1:8080/');
    expect(code(() => parseSnapshotHead(head))).toBe('schema @feed.publisher.url');
  });

  it('the binary reader\'s forms: a head without its entries; entries parsed already are counted and their ids checked, not parsed again', () => {
    const snapshot = structuredClone(snapshotOf([entry('a'), entry('b')]));
    const head = parseSnapshotHead(snapshot);
    expect(head).not.toHaveProperty('entries');
    expect(head).toMatchObject({ format: 'already-debunked/snapshot', seq: 1, entryCount: 2, stateHash: snapshot.stateHash });
    expect(code(() => parseSnapshotHead({ ...snapshot, expiresAt: snapshot.generatedAt }))).toBe('schema @snapshot.expiresAt');
    // Parsed already: a value the schema would refuse (a hash of another algorithm kept) passes as is.
    const parsed = [entry('a'), { ...entry('b'), media: [{ type: 'image', hashes: [{ alg: 'vpdq', value: 'x' }] }] }] as FeedEntry[];
    expect(parseSnapshotValue({ ...snapshot, entries: parsed }, {}, true).entries).toBe(parsed);
    expect(code(() => parseSnapshotValue({ ...snapshot, entries: [entry('a')] }, {}, true))).toBe('schema @entryCount');
    expect(code(() => parseSnapshotValue({ ...snapshot, entries: [entry('a'), entry('a')] }, {}, true))).toBe('duplicate-id @entries[1].id');
    expect(code(() => parseSnapshotValue({ ...snapshot, entryCount: 0, entries: undefined }, {}, true))).toBe(OK);
    const delta = { format: 'already-debunked/delta', formatVersion: 1, feedId: 'f', epoch: 1, fromSeq: 1, toSeq: 2, generatedAt: T0, expiresAt: '2026-11-25T00:00:00Z', remove: [], stateHash: `sha256:${SHA}` };
    expect(parseDeltaValue({ ...delta, upsert: parsed }, {}, true).upsert).toBe(parsed);
    expect(parseDeltaValue({ ...delta, upsert: undefined }, {}, true).upsert).toEqual([]);
    expect(code(() => parseDeltaValue({ ...delta, upsert: [entry('a'), entry('a')] }, {}, true))).toBe('duplicate-id @upsert[1].id');
    // Not parsed already (the default): each entry is validated.
    expect(code(() => parseDeltaValue({ ...delta, upsert: [{ id: 'a' }] }))).toMatch(/^schema @upsert\.0/);
  });

  it('an appearance keeps its url and date; a feed block and a source keep their fields', () => {
    const e = structuredClone(entry('a')) as Loose;
    e.claim.appearances = [{ url: 'https://x.com/a/status/1', date: '2022-09-30' }];
    e.source = { type: 'ClaimReview', url: 'https://factcheck.example.org/a' };
    const out = parseEntry(e as FeedEntry);
    expect(out.claim.appearances).toEqual([{ url: 'https://x.com/a/status/1', date: '2022-09-30' }]);
    expect(out.source).toEqual({ type: 'ClaimReview', url: 'https://factcheck.example.org/a' });
    const s = structuredClone(snapshotOf([entry('a')])) as Loose;
    s.feed.license = 'CC BY 4.0';
    expect(parseSnapshot(enc(s)).feed).toEqual({ ...s.feed });
  });
});
