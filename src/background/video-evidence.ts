/**
 * A frame of a playing video, looked up for evidence across frames (docs/matching.md, "Video").
 *
 * The content script keeps the evidence (src/core/match/video.ts VideoEvidence: one frame within
 * the reference distance, or several consecutive frames near the same entry in the clip's order);
 * it lives as long as the page, where a service worker may sleep between two frames. This answers
 * one frame: the entries it comes near under the reader's level (pairs the rule allows, within the
 * evidence rule's `near` distance), best first, each with the time of the keyframe it met and
 * whether the entry's clip looks alike throughout (a fixed camera), read from the stored entry.
 */
import { hammingDistance, hashFromHex, type Hash256 } from '../core/hash256';
import type { FeedEntry } from '../core/feed';
import { clipLooksAlike, evidenceRule, findPairs, matchRule, pictureMatchHolds, viewName, type PairHit, type Probe } from '../core/match';
import { PDQ_MIN_QUALITY } from '../core/pdq';
import type { FrameHitView, MatchView } from '../shared/messages';
import type { Settings } from '../shared/settings';
import { openDatabase } from './db';
import { loadedRows, matchable, toMatchView } from './matcher';

/** At most this many entries are answered per frame (the nearest). */
const MAX_HITS = 8;

/** The hash of `probes` a pair was found with (`${probe}/${dihedral}|${row}`). */
function hashOfPair(probes: readonly Probe[], pair: string): Hash256 | null {
  const [probe, rest] = pair.split('/') as [string, string];
  const dihedral = Number(rest.split('|')[0]);
  return probes.find((p) => p.probe === probe)?.hashes[dihedral] ?? null;
}

/**
 * Where in the entry's clips `hash` lies: the time of the nearest keyframe among the stored hashes
 * of the kind it met (the keyframe itself, or its variant of that name), and whether that clip
 * looks alike throughout. `t` is null when no keyframe is that near (the hash met a picture or a poster).
 */
export function keyframeOf(entry: FeedEntry, hash: Hash256, kind: string, distance: number): { t: number | null; until: number | null; alike: boolean } {
  const whole = kind === 'original' || kind === 'canonical';
  let best: { t: number; d: number; media: number } | null = null;
  entry.media.forEach((m, media) => {
    for (const f of m.frames?.items ?? []) {
      // A keyframe may hold several variants of one name (captionBarPictures: a `picture` per bar).
      const values = whole ? [f.value] : (f.variants ?? []).filter((v) => v.variant === kind).map((v) => v.value);
      for (const value of values) {
        const d = hammingDistance(hash, hashFromHex(value));
        if (d <= distance && (!best || d < best.d)) best = { t: f.t, d, media };
      }
    }
  });
  if (!best) return { t: null, until: null, alike: false };
  const { t, media } = best as { t: number; media: number };
  const m = entry.media[media]!;
  const frames = (m.frames?.items ?? []).filter((f) => f.quality >= PDQ_MIN_QUALITY).map((f) => ({ t: f.t, hash: hashFromHex(f.value) }));
  // The keyframe stands for the clip until the next one (or the clip's end).
  const later = (m.frames?.items ?? []).map((f) => f.t).filter((x) => x > t);
  const until = later.length ? Math.min(...later) : (m.durationSec ?? t);
  return { t, until: Math.max(t, until), alike: clipLooksAlike(frames, m.durationSec ?? null) };
}

/** The entries one video frame comes near, best first (see the module comment). */
export async function matchFrame(hashes: Hash256[], quality: number, settings: Settings, languages: readonly string[], probes: readonly Probe[] = []): Promise<FrameHitView[]> {
  if (!settings.enabled) return [];
  const all: Probe[] = [{ probe: 'full', hashes, quality }, ...probes];
  if (all.every((p) => p.quality < PDQ_MIN_QUALITY)) return [];
  const level = settings.matchStrictness;
  const rule = { ...matchRule(level), candidateDistance: evidenceRule(level).near };
  const { rows, entryKey } = await loadedRows(settings);
  const best = new Map<number, PairHit>();
  for (const p of findPairs(all, rows, rule)) {
    const b = best.get(p.entry);
    if (!b || p.distance < b.distance) best.set(p.entry, p);
  }
  if (!best.size) return [];
  const db = await openDatabase();
  const names = new Map(settings.subscriptions.map((s) => [s.url, s.name]));
  const enabled = new Set(settings.subscriptions.filter((s) => s.enabled).map((s) => s.url));
  const out: FrameHitView[] = [];
  for (const [ordinal, hit] of [...best].sort((a, b) => a[1].distance - b[1].distance).slice(0, MAX_HITS)) {
    const [feedUrl, id] = entryKey(ordinal);
    // Checked against what is stored now, as every lookup is (src/background/matcher.ts).
    const stored = await db.get('entries', [feedUrl, id]);
    if (!stored || !matchable(stored.entry) || !enabled.has(feedUrl)) continue;
    const hash = hashOfPair(all, hit.pair);
    const kind = rows.kindOf(Number(hit.pair.split('|')[1]));
    const { t, until, alike } = hash ? keyframeOf(stored.entry, hash, kind, hit.distance) : { t: null, until: null, alike: false };
    out.push({ match: toMatchView(stored.entry, feedUrl, names.get(feedUrl) ?? feedUrl, hit.distance, viewName(hit.pair, rows.kindOf), languages), distance: hit.distance, t, until, alike });
  }
  return out;
}

/**
 * Of a picture's matches (src/background/matcher.ts matchHashes, the image rule), those that hold
 * (src/core/match/video.ts pictureMatchHolds): a match made only through the keyframes of a clip
 * that looks alike throughout (a fixed camera) needs the publisher's cover radius. This is how a
 * video's poster — X shows the clip's first frame, matched as a picture — of another moment of a
 * fixed camera's scene stays without the clip's notice.
 */
export async function holdingMatches(matches: readonly MatchView[], hashes: Hash256[], quality: number, settings: Settings, probes: readonly Probe[] = []): Promise<MatchView[]> {
  const level = settings.matchStrictness;
  const sure = evidenceRule(level).sure;
  if (matches.every((m) => m.distance <= sure)) return [...matches];
  const all: Probe[] = [{ probe: 'full', hashes, quality }, ...probes];
  const db = await openDatabase();
  const out: MatchView[] = [];
  for (const m of matches) {
    if (m.distance <= sure) {
      out.push(m);
      continue;
    }
    const stored = await db.get('entries', [m.feedUrl, m.entryId]);
    if (stored && pictureMatchHolds(stored.entry.media, all, m.distance, matchRule(level), evidenceRule(level))) out.push(m);
  }
  return out;
}
