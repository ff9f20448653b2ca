// A playing video's frames on a real (fake-indexeddb) database: what cs/match-frame answers — the
// entries a frame comes near, with the time of the keyframe it met and whether the clip looks alike
// throughout — and the content script's evidence over those answers. Expected values come from the
// rule's definition (docs/matching.md, "Video": one frame within 31, or 24 for a clip that looks
// alike throughout; two consecutive frames within 40 in the clip's order), not from the code.
import 'fake-indexeddb/auto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { storage: { local: { get: async () => ({}), set: async () => undefined } } } }));

import { openDatabase, type AdDB } from '../../../src/background/db';
import { invalidateMatcher, matchHashes } from '../../../src/background/matcher';
import { holdingMatches, matchFrame } from '../../../src/background/video-evidence';
import { hashFromHex, hashToHex, type Hash256 } from '../../../src/core/hash256';
import { VideoEvidence, EVIDENCE_RULE } from '../../../src/core/match';
import type { FeedEntry } from '../../../src/core/feed';
import { defaultSettings, type Settings } from '../../../src/shared/settings';
import { entry } from '../core/feed/fixtures';
import { sub } from './feed-server';

const hashOf = (name: string) => bytesToHex(sha256(new TextEncoder().encode(name)));
/** `hex` with bits [from, from + k) flipped. */
function flipped(hex: string, k: number, from = 0): Hash256 {
  const h = hashFromHex(hex);
  for (let i = from; i < from + k; i++) h[i >> 4]! ^= 1 << (i & 15);
  return h;
}
const query = (h: Hash256): Hash256[] => [h, ...Array.from({ length: 7 }, () => flipped(hashToHex(h), 256))];
const settings: Settings = { ...defaultSettings([sub]), matchStrictness: 'standard' };

let db: AdDB;
beforeEach(async () => {
  db = await openDatabase();
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([tx.objectStore('feeds').clear(), tx.objectStore('entries').clear(), tx.objectStore('matchIndex').clear(), tx.done]);
  invalidateMatcher();
});

/** A video entry whose keyframes at t = 0, 1, 2… are the given hashes. */
async function storeClip(id: string, keyframes: string[], durationSec: number) {
  const e: FeedEntry = { ...entry(id), media: [{ type: 'video', durationSec, hashes: [], frames: { alg: 'pdq', items: keyframes.map((value, t) => ({ t, value, quality: 90 })) } }] };
  await db.put('entries', { feedUrl: sub.url, id, entry: e });
}

describe('cs/match-frame (src/background/video-evidence.ts)', () => {
  // A handheld pan: every keyframe a different picture.
  const pan = Array.from({ length: 8 }, (_, i) => hashOf(`pan ${i}`));
  // A fixed camera: keyframes at t = 0…7 all within 20 bits of the first.
  const still = hashOf('street');
  const fixed = Array.from({ length: 8 }, (_, i) => hashToHex(flipped(still, i === 0 ? 0 : 20, i * 20)));

  it('answers each entry the frame comes within 40 of, with the time of the keyframe it met', async () => {
    await storeClip('pan', pan, 8);
    const hits = await matchFrame(query(flipped(pan[3]!, 36)), 90, settings, ['en']);
    expect(hits.map((h) => [h.match.entryId, h.distance, h.t, h.until, h.alike])).toEqual([['pan', 36, 3, 4, false]]);
    expect(await matchFrame(query(flipped(pan[3]!, 41)), 90, settings, ['en'])).toEqual([]);
  });

  it('says when the clip looks alike throughout (keyframes 5 s apart within 31 bits)', async () => {
    await storeClip('street', fixed, 8);
    const [hit] = await matchFrame(query(flipped(fixed[6]!, 2, 200)), 90, settings, ['en']);
    expect(hit).toMatchObject({ distance: 2, t: 6, alike: true });
  });

  it('with the evidence rule: a pan is matched by one frame at 30; a fixed camera by one at 30 only when the next frame follows in order', async () => {
    await storeClip('pan', pan, 8);
    await storeClip('street', fixed, 8);
    const evidence = new VideoEvidence<string>(EVIDENCE_RULE);
    const step = async (at: number, h: Hash256) => evidence.add(at, (await matchFrame(query(h), 90, settings, ['en'])).map((x) => ({ entry: x.match.entryId, distance: x.distance, t: x.t, until: x.until, alike: x.alike })));
    expect(await step(0, flipped(pan[2]!, 30))).toEqual(['pan']);
    // Another moment of the fixed camera: 30 bits from a keyframe, then from keyframes out of the clip's order.
    let evidenceOf = new VideoEvidence<string>(EVIDENCE_RULE);
    const near = async (at: number, h: Hash256) => evidenceOf.add(at, (await matchFrame(query(h), 90, settings, ['en'])).filter((x) => x.match.entryId === 'street').map((x) => ({ entry: x.match.entryId, distance: x.distance, t: x.t, until: x.until, alike: x.alike })));
    expect(await near(0, flipped(fixed[6]!, 30, 200))).toEqual([]);
    expect(await near(1, flipped(fixed[1]!, 30, 200))).toEqual([]);
    expect(await near(2, flipped(fixed[7]!, 30, 200))).toEqual([]);
    // The clip itself, played in order: accepted on the second frame.
    evidenceOf = new VideoEvidence<string>(EVIDENCE_RULE);
    expect(await near(2, flipped(fixed[2]!, 30, 200))).toEqual([]);
    expect(await near(3, flipped(fixed[3]!, 30, 200))).toEqual(['street']);
  });

  describe('a picture matched through keyframes (a video\'s poster, cs/match-media)', () => {
    // The documented rule: past the publisher's cover radius (12 bits), a picture's match with a clip
    // that looks alike throughout holds only through a picture of the entry.
    const lookup = async (h: Hash256, s = settings) => {
      const found = await matchHashes(query(h), 90, s, ['en']);
      return (await holdingMatches(found, query(h), 90, s)).map((m) => `${m.entryId}@${m.distance}`);
    };

    it('a poster 18 bits from a fixed camera\'s keyframe gets no notice; 12 bits, or 18 from a pan\'s, does', async () => {
      await storeClip('street', fixed, 8);
      await storeClip('pan', pan, 8);
      expect(await lookup(flipped(fixed[6]!, 18, 200))).toEqual([]);
      expect(await lookup(flipped(fixed[6]!, 12, 200))).toEqual(['street@12']);
      expect(await lookup(flipped(pan[2]!, 18))).toEqual(['pan@18']);
      // 18 bits from the clip's first keyframe (t = 0), its nearest: the poster of a re-share that starts where the clip does.
      expect(await lookup(flipped(fixed[0]!, 18, 200))).toEqual(['street@18']);
      // The image rule alone (matchHashes) took the 18-bit poster: this is what holdingMatches changes.
      expect((await matchHashes(query(flipped(fixed[6]!, 18, 200)), 90, settings, ['en'])).map((m) => m.entryId)).toEqual(['street']);
    });

    it('holds through the desk\'s own poster picture of the entry', async () => {
      const later = flipped(fixed[6]!, 18, 200); // 18 bits from keyframe 6
      const store = async (poster: Hash256) => {
        const e: FeedEntry = { ...entry('street'), media: [{ type: 'video', durationSec: 8, hashes: [{ alg: 'pdq', value: hashToHex(poster), quality: 90, role: 'poster' }], frames: { alg: 'pdq', items: fixed.map((value, t) => ({ t, value, quality: 90 })) } }] };
        await db.put('entries', { feedUrl: sub.url, id: 'street', entry: e });
        await db.clear('matchIndex'); // the index is built again from the entries
        invalidateMatcher();
      };
      // The poster picture 2 bits from the query: its 2 bits decide.
      await store(flipped(hashToHex(later), 2, 0));
      expect(await lookup(later)).toEqual(['street@2']);
      // The keyframe nearest (18), the picture 25 bits away, within the reference 31: the picture holds it.
      await store(flipped(hashToHex(later), 25, 0));
      expect(await lookup(later)).toEqual(['street@18']);
      // The picture 33 bits away: only the fixed camera's keyframe is left, past the radius.
      await store(flipped(hashToHex(later), 33, 0));
      expect(await lookup(later)).toEqual([]);
    });

    it('drops a match whose entry is gone, and passes every match within the radius untouched', async () => {
      await storeClip('street', fixed, 8);
      const found = await matchHashes(query(flipped(fixed[6]!, 18, 200)), 90, settings, ['en']);
      await db.delete('entries', [sub.url, 'street']);
      expect(await holdingMatches(found, query(flipped(fixed[6]!, 18, 200)), 90, settings)).toEqual([]);
      const near = found.map((m) => ({ ...m, distance: 5 }));
      expect(await holdingMatches(near, query(flipped(fixed[6]!, 18, 200)), 90, settings)).toEqual(near);
    });
  });
});
