/**
 * The desk's feed: entries drafted from clusters (a MediaReview record, as fact-checkers publish
 * them, turned into a feed entry by the core's importer), and publishing — build, sign and write the
 * feed folder with a delta exactly as `already-debunked build --base` does (core/feed/publish.ts),
 * then verify what was written with the public key, as `verify` does. The secret key stays in this
 * process: nothing here returns it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LIMITS, fromReview, nextFeed, parseEntry, publicKeyFromSecret, readPreviousFeed, verifyFeed, type FeedEntry, type FeedMeta } from '../../core/feed';
import type { DraftFields } from '../../shared/desk-api';

export interface FeedConfig {
  meta: FeedMeta;
  dir: string;
  secretKey: Uint8Array;
  testHosts: readonly string[];
}

type MediaItem = FeedEntry['media'][number];
export type MediaHash = MediaItem['hashes'][number];

/** The record a draft stands for: schema.org MediaReview JSON-LD (with our id and originalContext). */
export function recordFromFields(f: DraftFields, publisher: FeedMeta['publisher'], appearances: readonly string[]): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'MediaReview',
    id: f.id,
    url: f.factCheckUrl,
    datePublished: f.datePublished,
    inLanguage: f.inLanguage,
    headline: f.headline,
    author: { '@type': 'Organization', name: publisher.name, ...(publisher.url ? { url: publisher.url } : {}) },
    mediaAuthenticityCategory: f.category,
    ...(f.context ? { originalMediaContextDescription: f.context } : {}),
    reviewRating: { '@type': 'Rating', alternateName: f.rating },
    claimReviewed: f.claim,
    itemReviewed: { '@type': 'MediaReviewItem', mediaItemAppearance: appearances.slice(0, 50).map((u) => ({ '@type': 'ImageObject', contentUrl: u })) },
    ...(f.contextDate || f.contextLocation ? { originalContext: { ...(f.contextDate ? { date: f.contextDate } : {}), ...(f.contextLocation ? { location: f.contextLocation } : {}) } } : {}),
  };
}

/**
 * The media of a picture cluster as a feed entry's: each distinct reported hash of quality ≥ 50
 * (what readers' extensions computed), then the publisher's own hashes of the picture (reference,
 * canonical, re-share variants), within the format's limit of hashes per media.
 */
export function mediaFromHashes(reported: readonly { value: string; quality: number }[], computed: readonly MediaHash[] = []): MediaItem[] {
  const seen = new Set<string>();
  const fresh = (value: string) => !seen.has(value) && !!seen.add(value);
  const fromReaders: MediaHash[] = reported.filter((h) => h.quality >= 50 && fresh(h.value)).map((h) => ({ alg: 'pdq' as const, value: h.value, quality: h.quality, role: 'original' as const }));
  const own = computed.filter((h) => h.quality >= 50 && fresh(h.value));
  // Readers' hashes first, but never so many that the picture's own reference and variants are crowded out.
  const room = LIMITS.maxHashesPerMedia - Math.min(own.length, LIMITS.maxHashesPerMedia);
  const hashes = [...fromReaders.slice(0, Math.max(room, 1)), ...own].slice(0, LIMITS.maxHashesPerMedia);
  return hashes.length ? [{ type: 'image', hashes }] : [];
}

/** The same picture at X's largest served size (`name=large`), where the address names a size. */
export function largestSize(raw: string): string {
  const u = new URL(raw);
  if (!u.searchParams.has('name')) return raw;
  u.searchParams.set('name', 'large');
  return u.toString();
}

/** A feed entry from a record and media, validated as the feed's readers will. Throws with the field at fault. */
export function entryFromRecord(record: unknown, media: MediaItem[], status: 'active' | 'withdrawn', testHosts: readonly string[]): FeedEntry {
  const { entry, problems } = fromReview(record);
  if (!entry || problems.length) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('; ') || 'not a review');
  if (!media.length) throw new Error('media: the cluster has no picture hash of quality ≥ 50 to match on');
  return parseEntry({ ...entry, status, media }, { testHosts });
}

function readFrom(dir: string) {
  return (rel: string) => {
    const p = path.join(dir, rel);
    return fs.existsSync(p) ? fs.readFileSync(p) : null;
  };
}

/** Writes the next sequence of the feed folder (index last, by rename) and verifies it. */
export function publishFeed(cfg: FeedConfig, entries: FeedEntry[], now: Date): { seq: number; entries: FeedEntry[]; verified: string } {
  const opts = { testHosts: cfg.testHosts };
  const previous = readPreviousFeed(readFrom(cfg.dir), cfg.secretKey, opts);
  const canonical = entries.map((e) => parseEntry(e, opts)); // the schema's key order, as the previous snapshot was read
  const next = nextFeed(cfg.meta, canonical, previous, cfg.secretKey, now);
  for (const f of next.files) {
    const target = path.join(cfg.dir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp`;
    fs.writeFileSync(tmp, f.bytes);
    fs.renameSync(tmp, target);
  }
  const v = verifyFeed(readFrom(cfg.dir), [publicKeyFromSecret(cfg.secretKey)], opts);
  if (v.index.seq !== next.seq) throw new Error(`the feed folder holds seq ${v.index.seq} after writing ${next.seq}`);
  return { seq: next.seq, entries: canonical, verified: `OK ${v.index.feedId}: epoch ${v.index.epoch}, seq ${v.index.seq}, ${v.snapshot.entries.length} entries, ${v.hashes} hashes, ${v.index.deltas.length} deltas` };
}
