// An entry the desk drafts from reports carries the publisher's own hashes of the picture — its
// reference PDQ hash (the value Meta's reference hasher printed for the same file,
// tests/vectors/pdq/expected.csv) and the re-share variants `build` makes — so a reader's
// cropped re-share of the reported photo gets the notice. Without the picture (no hasher, a dead
// network) the entry is still made from the reported hashes, and the editor is told why.
import fs from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPictureBytes } from '../../../src/cli/commands/desk';
import { feedRows } from '../../../src/cli/commands/match';
import { decodeFull } from '../../../src/cli/decode';
import { verifyFeed, publicKeyFromSecret, type FeedEntry } from '../../../src/core/feed';
import { hashToHex } from '../../../src/core/hash256';
import { lookupProbes, queryProbes } from '../../../src/core/match';
import { canonicalPixels } from '../../../src/core/pdq';
import { createAccount } from '../../../src/desk/server/auth';
import { openPglite, type Db } from '../../../src/desk/server/db';
import type { DeskOptions } from '../../../src/desk/server/server';
import type { ClusterSummary } from '../../../src/shared/desk-api';
import { Client, report, startTestDesk, uuid, type TestDesk } from './helpers';

const PHOTO = 'tests/vectors/pdq/images/dih-bridge-1-original.jpg';
const REFERENCE = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22'; // expected.csv, the reference hasher's output
const MEDIA_URL = 'https://pbs.twimg.com/media/GfxBridge001?format=jpg&name=small';
const PW = 'correct horse battery staple';
const bytes = fs.readFileSync(PHOTO);

let db: Db | undefined;
let desk: TestDesk | undefined;
afterEach(async () => {
  await desk?.close();
  await db?.close();
  desk = db = undefined;
});

/** A desk with `opts`, one report of the photo (its canonical hash, as a reader's extension sends it), and a publisher's entry drafted from it. */
async function draftFromReport(opts: Partial<DeskOptions>): Promise<{ entry: FeedEntry; answer: { note?: string } }> {
  db = await openPglite(null);
  desk = await startTestDesk(db, opts);
  await createAccount(db, 'paul', PW, 'publisher');
  const paul = new Client(desk);
  await paul.login('paul', PW);
  const [probe] = queryProbes(canonicalPixels(await decodeFull(PHOTO)));
  const value = hashToHex(probe!.hashes[0]!);
  expect((await desk.post('/reports', report({ reportId: uuid() }, [{ type: 'photo', url: MEDIA_URL, quoted: false, pdq: { value, quality: probe!.quality } }]))).status).toBeLessThan(300);
  const [cluster] = (await paul.json<{ clusters: ClusterSummary[] }>('GET', '/api/queue')).clusters;
  const fields = {
    id: 'bridge-photo-2015',
    claim: 'Photo shows the bridge that collapsed yesterday',
    category: 'DecontextualizedContent',
    rating: 'Missing context',
    context: 'An old photo of a bridge still standing.',
    contextDate: '2015-06-01',
    contextLocation: '',
    factCheckUrl: 'https://desk.example.org/2026/12/bridge-photo',
    headline: 'The bridge photo is old',
    inLanguage: 'en',
    datePublished: '2026-12-01',
  };
  const answer = await paul.json<{ note?: string }>('POST', '/api/entries', { clusterId: cluster!.id, fields, ready: true });
  await paul.json('POST', '/api/publish', {});
  const read = (rel: string) => (fs.existsSync(`${desk!.feed.dir}/${rel}`) ? fs.readFileSync(`${desk!.feed.dir}/${rel}`) : null);
  const [entry] = verifyFeed(read, [publicKeyFromSecret(desk.feed.secretKey)]).snapshot.entries;
  return { entry: entry!, answer };
}

/** A re-share keeping the centre 80% of each side, re-encoded: what the reader's extension hashes of it. */
async function croppedReshare(): Promise<ReturnType<typeof queryProbes>> {
  const { width: w = 0, height: h = 0 } = await sharp(bytes).metadata();
  const file = `${fs.mkdtempSync('/tmp/ad-desk-crop-')}/crop.jpg`;
  await sharp(bytes).extract({ left: Math.round(w * 0.1), top: Math.round(h * 0.1), width: Math.round(w * 0.8), height: Math.round(h * 0.8) }).jpeg({ quality: 80 }).toFile(file);
  return queryProbes(canonicalPixels(await decodeFull(file)));
}

describe('the desk publishes the picture’s re-share variants', () => {
  it('fetches X’s large size of the reported photo and stores the reference hash and the variants; a cropped re-share matches', async () => {
    const asked: string[] = [];
    const fetchFn = (async (url: string) => {
      asked.push(String(url));
      return new Response(bytes, { status: 200, headers: { 'content-type': 'image/jpeg', 'content-length': String(bytes.length) } });
    }) as typeof fetch;
    const { entry, answer } = await draftFromReport({ fetchFn, pictureHashes: hashPictureBytes });
    expect(asked[0]).toBe('https://pbs.twimg.com/media/GfxBridge001?format=jpg&name=large');
    const hashes = entry.media[0]!.hashes;
    expect(hashes.some((h) => h.value === REFERENCE && h.role === 'original')).toBe(true);
    const variants = hashes.filter((h) => h.role === 'variant').map((h) => h.variant);
    expect(variants).toEqual(expect.arrayContaining(['crop:0.8', 'rotate:3', 'cut-top:0.125']));
    expect(new Set(hashes.map((h) => h.value)).size).toBe(hashes.length); // the reader's hash is the canonical one: stored once
    expect(answer.note).toMatch(/re-share variants: \d+ hashes computed/);
    const crop = await croppedReshare();
    const found = lookupProbes(crop, feedRows([entry]), 'standard');
    expect(found.map((f) => f.view)).toEqual(['crop:0.8']);
    // A reader then reports the cropped re-share: its own cluster, shown as covered by the entry.
    await desk!.post('/reports', report({ reportId: uuid() }, [{ type: 'photo', url: 'https://pbs.twimg.com/media/GfxBridgeCrop?format=jpg&name=small', quoted: false, pdq: { value: hashToHex(crop[0]!.hashes[0]!), quality: crop[0]!.quality } }]));
    const paul = new Client(desk!);
    await paul.login('paul', PW);
    const queue = (await paul.json<{ clusters: ClusterSummary[] }>('GET', '/api/queue')).clusters;
    const second = queue.find((c) => c.mediaUrl?.includes('GfxBridgeCrop'));
    expect(second?.coverage?.entryId).toBe('bridge-photo-2015');
  }, 120_000);

  it('without the picture (the network is down) the entry keeps the reported hash, says why, and the crop is not caught', async () => {
    const fetchFn = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const { entry, answer } = await draftFromReport({ fetchFn, pictureHashes: hashPictureBytes });
    expect(entry.media[0]!.hashes.map((h) => h.role)).toEqual(['original']);
    expect(answer.note).toMatch(/not computed \(.*fetch failed.*\)/);
    expect(lookupProbes(await croppedReshare(), feedRows([entry]), 'standard')).toEqual([]);
  }, 120_000);

  it('refuses a picture that does not decode, keeping the reported hash', async () => {
    const fetchFn = (async () => new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), { status: 200, headers: { 'content-type': 'image/jpeg' } })) as typeof fetch;
    const { entry, answer } = await draftFromReport({ fetchFn, pictureHashes: hashPictureBytes });
    expect(entry.media[0]!.hashes).toHaveLength(1);
    expect(answer.note).toMatch(/^re-share variants: not computed/);
  }, 120_000);
});
