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
      // Next to a match past the radius (looked up), one within it is kept without a look (its entry is gone too).
      const mixed = [...near, ...found.map((m) => ({ ...m, entryId: 'gone too' }))];
      expect(await holdingMatches(mixed, query(flipped(fixed[6]!, 18, 200)), 90, settings)).toEqual(near);
    });
  });

  describe('what a frame\'s answer says (each field against the stored entry)', () => {
    const put = async (id: string, media: FeedEntry['media'], over: Partial<FeedEntry> = {}) => {
      await db.put('entries', { feedUrl: sub.url, id, entry: { ...entry(id), ...over, media } });
      await db.clear('matchIndex'); // built again from the entries, as after a sync
      invalidateMatcher();
    };
    const video = (items: { t: number; value: string; quality?: number; variants?: { variant: string; value: string; quality: number }[] }[], durationSec?: number): FeedEntry['media'][number] => ({
      type: 'video',
      ...(durationSec === undefined ? {} : { durationSec }),
      hashes: [],
      frames: { alg: 'pdq', items: items.map((f) => ({ quality: 90, ...f })) },
    });
    const answer = async (hashes: Hash256[], s: Settings = settings, quality = 90) => (await matchFrame(hashes, quality, s, ['en'])).map((h) => ({ id: h.match.entryId, d: h.distance, t: h.t, until: h.until, alike: h.alike }));

    it('reads the keyframe through the hash of the pair\'s own dihedral view (a mirrored frame)', async () => {
      await storeClip('pan', pan, 8);
      const q = query(flipped(pan[5]!, 10));
      [q[0], q[4]] = [q[4]!, q[0]!]; // the near hash in the mirrored slot
      expect(await answer(q)).toEqual([{ id: 'pan', d: 10, t: 5, until: 6, alike: false }]);
    });

    it('reads the time of a keyframe\'s variant met (a crop), and of the nearest of the entry\'s pairs', async () => {
      const crop = hashOf('crop of pan 2');
      await put('pan', [video(pan.map((value, t) => ({ t, value, ...(t === 2 ? { variants: [{ variant: 'crop:0.9', value: crop, quality: 90 }] } : {}) })), 8)]);
      expect(await answer(query(flipped(crop, 6)))).toEqual([{ id: 'pan', d: 6, t: 2, until: 3, alike: false }]);
      // Two keyframes near one frame: 10 bits from the one at 3 s, 30 from the one at 5 s (its bits 0–19 are keyframe 3's).
      await put('two', [video([{ t: 3, value: pan[3]! }, { t: 5, value: hashToHex(flipped(pan[3]!, 20, 0)) }], 9)]);
      expect((await answer(query(flipped(pan[3]!, 10, 100)))).find((h) => h.id === 'two')).toEqual({ id: 'two', d: 10, t: 3, until: 5, alike: false });
    });

    it('until: the next keyframe, the clip\'s end for the last one, its own time without a duration', async () => {
      await put('a', [video([{ t: 0, value: pan[0]! }, { t: 1.5, value: pan[1]! }, { t: 2.5, value: pan[2]! }], 4)]);
      await put('b', [video([{ t: 0, value: pan[4]! }, { t: 2.5, value: pan[5]! }])]);
      expect(await answer(query(flipped(pan[0]!, 3)))).toEqual([{ id: 'a', d: 3, t: 0, until: 1.5, alike: false }]);
      expect(await answer(query(flipped(pan[2]!, 3)))).toEqual([{ id: 'a', d: 3, t: 2.5, until: 4, alike: false }]);
      expect(await answer(query(flipped(pan[5]!, 3)))).toEqual([{ id: 'b', d: 3, t: 2.5, until: 2.5, alike: false }]);
    });

    it('a hit on a picture of the entry has no time; alike-ness is the met clip\'s, of its keyframes of quality', async () => {
      await put('pic', [{ type: 'image', hashes: [{ alg: 'pdq', value: pan[6]!, quality: 90 }] }]);
      expect(await answer(query(flipped(pan[6]!, 5)))).toEqual([{ id: 'pic', d: 5, t: null, until: null, alike: false }]);
      // Two media: a pan, then a fixed camera; the frame meets the second.
      await put('both', [video(pan.slice(0, 4).map((value, t) => ({ t, value })), 4), video(fixed.map((value, t) => ({ t, value })), 8)]);
      expect(await answer(query(flipped(fixed[7]!, 4, 200)))).toEqual([{ id: 'both', d: 4, t: 7, until: 8, alike: true }]);
      // Keyframes 1 s apart, all different, but the one at 6 s — of quality 40, never matched — within 4 bits of the first:
      // not a clip that looks alike (keyframes below quality do not count).
      const items = [0, 1, 2, 3, 4, 5].map((t) => ({ t, value: hashOf(`q ${t}`) }));
      await put('q', [video([...items, { t: 6, value: hashToHex(flipped(items[0]!.value, 4, 0)), quality: 40 }], 7)]);
      expect(await answer(query(flipped(items[0]!.value, 2, 100)))).toEqual([{ id: 'q', d: 2, t: 0, until: 1, alike: false }]);
    });

    it('answers nothing when switched off, for a flat frame, or past the level\'s near distance', async () => {
      await storeClip('pan', pan, 8);
      expect(await answer(query(flipped(pan[1]!, 2)), { ...settings, enabled: false })).toEqual([]);
      expect(await answer(query(flipped(pan[1]!, 2)), settings, 49)).toEqual([]);
      expect(await answer(query(flipped(pan[1]!, 2)), settings, 50)).toHaveLength(1);
      const strict: Settings = { ...settings, matchStrictness: 'strict' };
      invalidateMatcher();
      expect(await answer(query(flipped(pan[1]!, 30)), strict)).toEqual([]);
      expect(await answer(query(flipped(pan[1]!, 24)), strict)).toEqual([{ id: 'pan', d: 24, t: 1, until: 2, alike: false }]);
      invalidateMatcher();
      expect(await answer(query(flipped(pan[1]!, 40)))).toEqual([{ id: 'pan', d: 40, t: 1, until: 2, alike: false }]);
    });

    it('the 8 nearest entries, nearest first, with the feed\'s name; never a withdrawn or accurate entry', async () => {
      const base = hashOf('base');
      for (let i = 0; i < 9; i++) await put(`e${i}`, [video([{ t: 0, value: hashToHex(flipped(base, 9 - i, 20 * i)) }], 1)]);
      const hits = await matchFrame(query(hashFromHex(base)), 90, settings, ['en']);
      expect(hits.map((h) => [h.match.entryId, h.distance])).toEqual([['e8', 1], ['e7', 2], ['e6', 3], ['e5', 4], ['e4', 5], ['e3', 6], ['e2', 7], ['e1', 8]]);
      expect(hits[0]!.match.feedName).toBe(sub.name);
      expect(hits[0]!.match.feedUrl).toBe(sub.url);
      // Changed in the store since the index was built: checked against what is stored now.
      const stored8 = (await db.get('entries', [sub.url, 'e8']))!;
      await db.put('entries', { ...stored8, entry: { ...stored8.entry, status: 'withdrawn' } });
      const stored7 = (await db.get('entries', [sub.url, 'e7']))!;
      await db.put('entries', { ...stored7, entry: { ...stored7.entry, verdict: { ...stored7.entry.verdict, label: 'accurate' } } });
      await db.delete('entries', [sub.url, 'e6']);
      const after = await matchFrame(query(hashFromHex(base)), 90, settings, ['en']);
      // The 8 nearest in the index (e8…e1) less the three no longer shown; e0, 9th, is not looked at.
      expect(after.map((h) => h.match.entryId)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
      // A feed switched off meanwhile: nothing.
      expect(await matchFrame(query(hashFromHex(base)), 90, { ...settings, subscriptions: [{ ...sub, enabled: false }] }, ['en'])).toEqual([]);
    });

    it('reads the hash of the probe that met (a moving picture\'s), and a variant of the kind met only', async () => {
      await storeClip('pan', pan, 8);
      const motion = [{ probe: 'motion' as const, hashes: [flipped(pan[5]!, 8)], quality: 90 }];
      expect((await matchFrame(query(hashFromHex(hashOf('nothing near'))), 90, settings, ['en'], motion)).map((h) => [h.distance, h.t])).toEqual([[8, 5]]);
      // Keyframe 1 has a cut-top variant 2 bits from the frame (a full frame never meets a cut), keyframe 2 a crop 6 bits from it.
      const w = hashOf('crop at 2');
      await put('kinds', [video([{ t: 0, value: pan[0]! }, { t: 1, value: pan[1]!, variants: [{ variant: 'cut-top:0.125', value: hashToHex(flipped(w, 4, 0)), quality: 90 }] }, { t: 2, value: pan[2]!, variants: [{ variant: 'crop:0.9', value: w, quality: 90 }] }], 3)]);
      expect((await answer(query(flipped(w, 6, 0)))).find((h) => h.id === 'kinds')).toEqual({ id: 'kinds', d: 6, t: 2, until: 3, alike: false });
    });

    it('alike-ness counts keyframes of quality 50 and the clip\'s duration', async () => {
      // One keyframe for 8 s: a still shot (no keyframe kept for 5 s); without a duration, nothing says so.
      await put('still', [video([{ t: 0, value: pan[0]! }], 8)]);
      await put('short', [video([{ t: 0, value: pan[1]! }])]);
      expect(await answer(query(flipped(pan[0]!, 3)))).toEqual([{ id: 'still', d: 3, t: 0, until: 8, alike: true }]);
      expect(await answer(query(flipped(pan[1]!, 3)))).toEqual([{ id: 'short', d: 3, t: 0, until: 0, alike: false }]);
      // Keyframes 1 s apart, all different, but the one at 6 s — of quality exactly 50 — within 4 bits of the first: alike.
      const items = [0, 1, 2, 3, 4, 5].map((t) => ({ t, value: hashOf(`q50 ${t}`) }));
      await put('q50', [video([...items, { t: 6, value: hashToHex(flipped(items[0]!.value, 4, 0)), quality: 50 }], 7)]);
      expect((await answer(query(flipped(items[0]!.value, 2, 100)))).find((h) => h.id === 'q50')).toMatchObject({ t: 0, alike: true });
    });
  });
});