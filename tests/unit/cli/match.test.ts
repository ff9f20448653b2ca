// `already-debunked match`: the desk's "would this feed catch it?" must give the extension's own
// answer. A feed is built by the CLI from generated photos; each query file is looked up by the
// command, and the same pixels are looked up by the background's matcher (src/background/matcher.ts,
// on fake-indexeddb holding the same entries): same entry, same distance, same view, at every level.
// Re-shares are made by another library (sharp: X's name=small resize and re-encode, a crop).
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/background/db';
import { invalidateMatcher, matchHashes } from '../../../src/background/matcher';
import { decodeFull } from '../../../src/cli/decode';
import { main } from '../../../src/cli/main';
import { parseSnapshot } from '../../../src/core/feed';
import { queryProbes, type Strictness } from '../../../src/core/match';
import { canonicalPixels } from '../../../src/core/pdq';
import { defaultSettings, type FeedSubscription } from '../../../src/shared/settings';
import { synthesize } from '../core/pdq/synthetic.mjs';

// The matcher's module graph reaches the extension API (health records); nothing here calls it.
vi.mock('webextension-polyfill', () => ({ default: {} }));

let dir: string;
const FEED_URL = 'https://feeds.example.org/checks/index.json';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const review = (id: string, image: string) => ({
  '@type': 'MediaReview',
  id,
  url: `https://factcheck.example.org/${id}`,
  datePublished: '2024-03-01',
  author: { '@type': 'Organization', name: 'Example Checks' },
  mediaAuthenticityCategory: 'DecontextualizedContent',
  originalMediaContextDescription: 'Taken in 2012 elsewhere.',
  reviewRating: { alternateName: 'Missing context' },
  claimReviewed: 'Photo shows this morning',
  media: [image],
});

async function photo(name: string, seed: number, width = 1400, height = 900) {
  const px = synthesize({ width, height, channels: 3, kind: 'scene', seed });
  await sharp(Buffer.from(px.data), { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toFile(path.join(dir, name));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-match-cli-'));
  await photo('a.jpg', 101);
  await photo('b.jpg', 202, 900, 1200);
  await photo('other.jpg', 303);
  // Re-shares of a.jpg: as X serves it small, and a centred crop keeping 90% of each side.
  await sharp(path.join(dir, 'a.jpg')).resize(680, 680, { fit: 'inside' }).jpeg({ quality: 85 }).toFile(path.join(dir, 'a-small.jpg'));
  await sharp(path.join(dir, 'a.jpg')).extract({ left: 70, top: 45, width: 1260, height: 810 }).jpeg({ quality: 85 }).toFile(path.join(dir, 'a-crop.jpg'));
  const reviews = [review('entry-a', 'a.jpg'), review('entry-b', 'b.jpg')];
  fs.writeFileSync(path.join(dir, 'reviews.json'), JSON.stringify({ feed: { id: 'https://feeds.example.org/checks/', name: { en: 'Example' }, publisher: { name: 'Example' } }, reviews }));
  expect((await run('keygen', '--out', path.join(dir, 'keys'))).code).toBe(0);
  const built = await run('build', '--input', path.join(dir, 'reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'feed'));
  expect(built.code, built.err.join('\n')).toBe(0);
  // The background holds the same entries, as a sync would have stored them.
  const snapFile = fs.readdirSync(path.join(dir, 'feed/snapshots'))[0]!;
  const env = JSON.parse(fs.readFileSync(path.join(dir, 'feed/snapshots', snapFile), 'utf8')) as { payload: string };
  const snap = parseSnapshot(Buffer.from(env.payload, 'base64'));
  const db = await openDatabase();
  for (const entry of snap.entries) await db.put('entries', { feedUrl: FEED_URL, id: entry.id, entry });
}, 300_000); // decoding and publishing take seconds, minutes on a loaded machine
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function background(file: string, level: Strictness): Promise<string> {
  const sub = { url: FEED_URL, name: 'Example', enabled: true, publicKeys: ['x'] } as unknown as FeedSubscription;
  const settings = { ...defaultSettings([sub]), matchStrictness: level };
  invalidateMatcher();
  const [full, ...probes] = queryProbes(canonicalPixels(await decodeFull(path.join(dir, file))));
  const [best] = await matchHashes(full!.hashes, full!.quality, settings, ['en'], probes);
  return best ? `${best.entryId},${best.distance},${best.variant}` : '-';
}

describe('match: would this feed catch it?', () => {
  const files = ['a.jpg', 'a-small.jpg', 'a-crop.jpg', 'b.jpg', 'other.jpg'];

  it('finds the published photo and its re-shares, not a different photo', async () => {
    const r = await run('match', '--feed', path.join(dir, 'feed'), '--pub', path.join(dir, 'keys/feed-key.pub'), ...files.map((f) => path.join(dir, f)));
    expect(r.code, r.err.join('\n')).toBe(0);
    const lines = r.out.map((l) => l.split(','));
    expect(lines.map((l) => path.basename(l[0]!))).toEqual(files);
    expect(lines.map((l) => l[1])).toEqual(['entry-a', 'entry-a', 'entry-a', 'entry-b', '-']);
    expect(lines.every((l) => l[3] === 'standard')).toBe(true);
    expect(lines[2]![4]).toBe('crop:0.9'); // the crop met the publisher's crop ladder
    const miss = lines[4]!;
    expect(Number(miss[2])).toBeGreaterThan(31); // the closest distance the rule compared
    expect(miss[4]).toBe('-');
  }, 120_000);

  it("gives the background's own answer on the same pixels, at every level", async () => {
    for (const level of ['strict', 'standard', 'loose'] as const) {
      const r = await run('match', '--feed', path.join(dir, 'feed'), '--level', level, ...files.map((f) => path.join(dir, f)));
      expect(r.code).toBe(0);
      expect(r.err.join('\n')).toMatch(/signatures not checked/);
      for (const [i, line] of r.out.entries()) {
        const [, id, distance, , view] = line.split(',');
        expect(id === '-' ? '-' : `${id},${distance},${view}`, `${files[i]} at ${level}`).toBe(await background(files[i]!, level));
      }
    }
  }, 300_000);

  it('says so for a video, a missing file and a feed it cannot read', async () => {
    const r = await run('match', '--feed', path.join(dir, 'feed'), path.join(dir, 'clip.mp4'), path.join(dir, 'nope.jpg'), path.join(dir, 'a.jpg'));
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/clip\.mp4: videos are not matched by this command yet/);
    expect(r.err.join('\n')).toMatch(/nope\.jpg: no such file/);
    expect(r.out).toHaveLength(1);
    const bad = await run('match', '--feed', path.join(dir, 'nothing-here'), path.join(dir, 'a.jpg'));
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/cannot read the feed/);
    expect((await run('match', '--feed', path.join(dir, 'feed'), '--level', 'lax', path.join(dir, 'a.jpg'))).code).toBe(2);
  }, 120_000);
});
