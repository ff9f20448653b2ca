// harvest against the fixture web (tests/fixtures/web): 24 fact-check articles in the shapes of six
// kinds of publisher, a DataFeed, a Fact-Check Insights CSV, robots.txt, redirects, 404s, slow,
// oversized, mistyped and flaky answers. Offline: everything is on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, addressAllowed } from '../../../src/harvest/fetcher';
import { harvest, type HarvestSummary } from '../../../src/harvest/run';
// A plain ES module (allowJs reads it)
import { startFixtureWeb } from '../../fixtures/web/server.mjs';

type Web = { origin: string; requests: { path: string; ua: string; inm: string | null; ims: string | null }[]; image: (n: string) => Promise<Buffer>; pageUrls: () => string[]; close: () => Promise<void> };
let web: Web;
let out: string;
let first: HarvestSummary;
const FETCH = { allowLoopback: true, hostIntervalMs: 0, timeoutMs: 500, retries: 2, backoffMs: 5, contact: 'https://desk.example.org/harvest-contact' };

const run = (dir: string) =>
  harvest({
    inputs: [`${web.origin}/feeds/datacommons.json`, `${web.origin}/exports/insights.csv`],
    pages: [...web.pageUrls(), `${web.origin}/moved/alice-photo-2019`, `${web.origin}/loop/a`, `${web.origin}/afp/does-not-exist/`],
    feed: { id: 'https://feeds.example.org/harvest/v1', name: { en: 'Harvest test' }, publisher: { name: 'Test desk', url: 'https://desk.example.org/' } },
    out: dir,
    cacheDir: path.join(dir, '..', 'cache'),
    fetcher: FETCH,
  });

const sha = async (b: Buffer) => (await import('node:crypto')).createHash('sha256').update(b).digest('hex');
const reviewsOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'reviews.json'), 'utf8')) as { feed: unknown; reviews: { url: string; '@type': string; media: (string | { file: string })[] }[] };
const reviewList = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'review.json'), 'utf8')) as { factCheck: string; media: string; file: string; reason: string }[];

beforeAll(async () => {
  web = await startFixtureWeb({ slowMs: 3000 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-harvest-'));
  out = path.join(tmp, 'run1');
  first = await run(out);
}, 60_000);
afterAll(async () => web?.close());

describe('harvest on the fixture web', () => {
  it('writes one entry per fact-check whose subject picture is certain, with the file of that picture', async () => {
    const doc = reviewsOf(out);
    const byUrl = new Map(doc.reviews.map((r) => [r.url.replace(web.origin, ''), r]));
    expect([...byUrl.keys()].sort()).toEqual([
      '/afp/alice-photo-2019/', // MediaReview contentUrl (page and Insights CSV, merged)
      '/afp/crowd-video-edited/', // caption: "A screenshot of the altered video shared on X"
      '/boom/railway-station-flood-photo/', // a WordPress classic caption: "The viral image shared on X…"
      '/politifact/card-photo-flood/', // alt: "The picture shared on Facebook"
      '/snopes/bakery-fire-post/', // a post screenshot: the picture cut out
      '/snopes/slow-and-huge-media/', // the one of five media URLs that answered (after a 503)
    ]);
    const fileSha = async (r: { media: (string | { file: string })[] }) => sha(fs.readFileSync(path.join(out, String(r.media[0]))));
    expect(await fileSha(byUrl.get('/afp/alice-photo-2019/')!)).toBe(await sha(await web.image('GfxAlicePhoto01.jpg')));
    expect(await fileSha(byUrl.get('/politifact/card-photo-flood/')!)).toBe(await sha(await web.image('card-CardLargeImg01.jpg')));
    expect(await fileSha(byUrl.get('/snopes/slow-and-huge-media/')!)).toBe(await sha(await web.image('flaky.jpg')));
    // The screenshot's picture region, not the card around it.
    expect(String(byUrl.get('/snopes/bakery-fire-post/')!.media[0])).toMatch(/-picture\.jpg$/);
    expect(byUrl.get('/snopes/bakery-fire-post/')!['@type']).toBe('MediaReview');
    expect(first.peeled).toBe(1);
  });

  it('never keeps a logo, an author photo, an ad, a share card or a stock illustration', async () => {
    const kept = new Set(reviewsOf(out).reviews.flatMap((r) => r.media.map((m) => (typeof m === 'string' ? m : m.file))));
    const keptSha = new Set(await Promise.all([...kept].map((f) => sha(fs.readFileSync(path.join(out, f))))));
    for (const chrome of ['GfxGifThumb0001.jpg', 'GfxRepostPhoto1.jpg', 'GfxQuotedPhoto1.jpg', 'GfxGridPhoto004.jpg', 'pf-logo.png', 'staff-afp.jpg', 'staff-maldita.jpg', 'maldita-share.jpg', 'related-afp.jpg', 'filler-pf-2.jpg', 'filler-ff-2.jpg', 'filler-cor-1.jpg', 'filler-sn-3.jpg']) {
      expect(keptSha.has(await sha(await web.image(chrome))), chrome).toBe(false);
    }
    expect(first.skipped['illustration: the claim is not about a picture']).toBeGreaterThan(0);
    expect(Object.keys(first.skipped).some((k) => /^site chrome: on \d+ articles/.test(k))).toBe(true);
  });

  it('sends the uncertain to the review list, each with its reason', () => {
    const list = reviewList(out);
    const reasons = new Map(list.map((r) => [r.factCheck.replace(web.origin, ''), r.reason]));
    expect(reasons.get('/afp/stamped-grid-photo/')).toMatch(/stamp/);
    expect(reasons.get('/maldita/comparacion-fotos/')).toMatch(/side by side/);
    expect(reasons.get('/maldita/foto-sin-pie/')).toMatch(/without a caption/);
    expect(reasons.get('/fullfact/photo-2019-not-today/')).toMatch(/rating not understood: "This photo was taken in 2019\."/);
    expect(reasons.get('/correctiv/video-alt/')).toMatch(/original context/);
    // The side-by-side halves are saved beside it for the reviewer.
    const sbs = list.find((r) => r.reason.includes('side by side'))!;
    expect(fs.existsSync(path.join(out, sbs.file.replace(/\.jpg$/, '-left.jpg')))).toBe(true);
    for (const r of list) expect(fs.existsSync(path.join(out, r.file)), r.file).toBe(true);
    expect(first.sentToReview).toBe(list.length);
  });

  it('an authentic picture (OriginalMediaContent) gives no entry', () => {
    expect(reviewsOf(out).reviews.some((r) => r.url.includes('real-quake-photo'))).toBe(false);
    expect(first.skipped['authentic in context (OriginalMediaContent or a "true" rating): no notice']).toBe(1);
  });

  it('reports bad records by input, index and field, and every refused fetch by reason', () => {
    const p = first.problems.map((x) => x.replace(web.origin, ''));
    expect(p).toContain('/feeds/datacommons.json: dataFeedElement[1]: item: empty DataFeedItem (no review)');
    expect(p).toContain('/feeds/datacommons.json: dataFeedElement[2].item[1]: datePublished: missing');
    expect(p).toContain('/exports/insights.csv: row 4: author.name: missing');
    expect(first.badRecords).toBe(2);
    for (const reason of ['media private-address', 'media robots', 'media timeout', 'media too-large', 'media wrong-type', 'media http-404', 'page http-404', 'page too-many-redirects']) {
      expect(first.skipped[reason], reason).toBe(1);
    }
    // The metadata address was never connected to; the disallowed file never requested.
    expect(web.requests.some((r) => r.path.startsWith('/private/'))).toBe(false);
  });

  it('is polite: robots.txt once, an honest User-Agent with the contact URL', () => {
    expect(web.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
    for (const r of web.requests) expect(r.ua).toMatch(/^AlreadyDebunkedHarvester\/\S+ \(\+https:\/\/desk\.example\.org\/harvest-contact\)$/);
  });

  it('a rerun with the cache downloads nothing unchanged (conditional requests answered 304)', async () => {
    const before = web.requests.length;
    const again = path.join(path.dirname(out), 'run2');
    const second = await run(again);
    expect(second.mediaFetched).toBe(0);
    expect(second.mediaFromCache).toBe(first.mediaFetched);
    const repeated = web.requests.slice(before).filter((r) => r.path.startsWith('/img/') && !/slow|huge|gone|not-an-image|flaky/.test(r.path));
    expect(repeated.length).toBeGreaterThan(0);
    for (const r of repeated) expect(r.inm, r.path).not.toBeNull();
    expect(reviewsOf(again).reviews.map((r) => r.url).sort()).toEqual(reviewsOf(out).reviews.map((r) => r.url).sort());
  }, 60_000);
});

describe('filters for a desk reading an aggregator', () => {
  it('--publisher and --since keep only that desk’s recent records', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-harvest-filter-'));
    const s = await harvest({
      inputs: [`${web.origin}/feeds/datacommons.json`],
      pages: [],
      feed: {},
      out: dir,
      publishers: ['Statement Checkers'],
      since: '2026-10-10',
      // The first run's cache: it remembers which pictures this site repeats on every article (the
      // reporter's headshot), which one article alone could not show.
      cacheDir: path.join(out, '..', 'cache'),
      fetcher: FETCH,
    });
    expect(s.skipped['older than --since']).toBe(1); // card-photo-flood, 2026-10-02
    expect(s.skipped['another publisher (--publisher)']).toBe(1); // the record without an author
    expect(s.badRecords).toBe(0);
    expect(reviewList(dir).map((r) => r.factCheck.replace(web.origin, ''))).toEqual(['/politifact/old-storm-photo/']);
  }, 30_000);
});

describe('fetcher', () => {
  it('spaces requests to one host (injected clock), and refuses private addresses unless loopback is allowed', async () => {
    const waits: number[] = [];
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-fetch-'));
    const f = new Fetcher({ cacheDir, allowLoopback: true, hostIntervalMs: 1500, now: () => 1000, sleep: async (ms) => void waits.push(ms) });
    await f.get(`${web.origin}/img/filler-x-1.jpg`, 'media');
    await f.get(`${web.origin}/img/filler-x-2.jpg`, 'media');
    await f.close();
    // robots.txt, then two pictures: each after the host's interval.
    expect(waits).toEqual([1500, 1500]);
    const strict = new Fetcher({ cacheDir });
    for (const u of [`${web.origin}/img/a.jpg`, 'http://localhost/x.jpg', 'http://10.1.2.3/x.jpg', 'http://[::1]/x.jpg', 'http://192.168.0.1/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/']) {
      const r = await strict.get(u, 'media');
      expect(r.ok ? 'fetched' : r.reason, u).toBe('private-address');
    }
    expect((await strict.get('file:///etc/passwd', 'media')).ok).toBe(false);
    await strict.close();
  });

  it('checks every redirect hop: a public page redirecting to the metadata address is refused', async () => {
    const f = new Fetcher({ cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'ad-fetch-')), allowLoopback: true, hostIntervalMs: 0 });
    const r = await f.get(`${web.origin}/img/redirect-to-metadata.jpg`, 'media');
    await f.close();
    expect(r.ok ? 'fetched' : `${r.reason}: ${r.detail}`).toBe('private-address: 169.254.169.254 is a private or reserved address');
  });

  it.each([
    ['8.8.8.8', false, true], ['2001:4860:4860::8888', false, true], ['127.0.0.1', false, false], ['127.0.0.1', true, true],
    ['10.0.0.1', true, false], ['172.16.5.4', false, false], ['192.168.1.1', false, false], ['169.254.169.254', true, false],
    ['100.64.0.1', false, false], ['0.0.0.0', false, false], ['::1', false, false], ['::1', true, true], ['fe80::1', false, false],
    ['fc00::1', false, false], ['::ffff:10.0.0.1', false, false], ['::ffff:8.8.8.8', false, true], ['224.0.0.1', false, false], ['not-an-ip', false, false],
  ])('address %s (loopback allowed: %s) → allowed %s', (address, loopback, allowed) => {
    expect(addressAllowed(address, loopback)).toBe(allowed);
  });
});
