/**
 * Import from what fact-checkers publish, in every shape it comes in (./records.ts), to feed
 * entries without hashes (../claimreview.ts fromReview), with the media each record names
 * (mediaRefs): what the harvester fetches. Pure. Not re-exported by ../index.ts, so the
 * extension's bundles never carry the CSV parser.
 */
import { fromReview, verdictOf, type FromReviewOptions, type ImportProblem, type ImportedEntry } from '../claimreview';
import type { Json, SourceRecord } from './records';

export * from './records';

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const many = (x: unknown): unknown[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x.trim() : undefined);

/** Where a media URL came from in the record; decides how far it is trusted as the subject. */
export type MediaVia = 'contentUrl' | 'archivedAt' | 'embedUrl' | 'originalMediaLink' | 'appearance' | 'firstAppearance';

export interface MediaRef {
  url: string;
  via: MediaVia;
  /** The field it was read from, e.g. `itemReviewed.mediaItemAppearance[1].contentUrl`. */
  path: string;
  /** A MediaObject's `sha256`, when given: the bytes must match. */
  sha256?: string;
  /** From the MediaObject's @type (ImageObject[Snapshot], VideoObject[Snapshot]) when given. */
  type?: 'image' | 'video';
}

function mediaType(o: Json): MediaRef['type'] {
  const t = many(o['@type']).map(String).join(' ');
  return /Video/.test(t) ? 'video' : /Image/.test(t) ? 'image' : undefined;
}

/** Every media URL a record names, explicit ones first, without duplicates. */
export function mediaRefs(review: Json): MediaRef[] {
  const out: MediaRef[] = [];
  const seen = new Set<string>();
  const add = (url: unknown, via: MediaVia, path: string, extra: Partial<MediaRef> = {}) => {
    const u = str(url);
    if (!u || !/^https?:\/\//i.test(u) || seen.has(u) || out.length >= 50) return;
    seen.add(u);
    out.push({ url: u, via, path, ...extra });
  };
  many(review.itemReviewed).forEach((item, i) => {
    if (!isObj(item)) return;
    const base = `itemReviewed${Array.isArray(review.itemReviewed) ? `[${i}]` : ''}`;
    many(item.mediaItemAppearance).forEach((m, j) => {
      const path = `${base}.mediaItemAppearance[${j}]`;
      if (!isObj(m)) return add(m, 'contentUrl', path);
      const sha256 = str(m.sha256)?.toLowerCase();
      const extra = { ...(sha256 && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {}), ...(mediaType(m) ? { type: mediaType(m) } : {}) };
      add(m.contentUrl, 'contentUrl', `${path}.contentUrl`, extra);
      add(m.archivedAt, 'archivedAt', `${path}.archivedAt`, extra);
      add(m.embedUrl, 'embedUrl', `${path}.embedUrl`, extra);
    });
    // A ClaimReview's claim: the posts or pages where it appeared (their media is the subject).
    many(item.appearance).forEach((a, j) => add(isObj(a) ? a.url ?? a.contentUrl : a, 'appearance', `${base}.appearance[${j}]`));
    const f = item.firstAppearance;
    add(isObj(f) ? f.url ?? f.contentUrl : f, 'firstAppearance', `${base}.firstAppearance`);
  });
  many(review.originalMediaLink).forEach((l, j) => add(isObj(l) ? l.contentUrl ?? l.url : l, 'originalMediaLink', `originalMediaLink[${j}]`));
  return out;
}

export interface NormalisedRecord {
  at: string;
  shape: SourceRecord['shape'];
  review: Json;
  entry: ImportedEntry | null;
  problems: ImportProblem[];
  /** False when the rating text matched no rule (the label is then a guess: send to review). */
  verdictKnown: boolean;
  media: MediaRef[];
}

export function normalise(record: SourceRecord, options: FromReviewOptions = {}): NormalisedRecord {
  const { entry, problems } = fromReview(record.review, options);
  const known = entry ? entry.verdict.category !== undefined || verdictOf(undefined, Object.values(entry.verdict.textualRating)[0]).known : false;
  return { at: record.at, shape: record.shape, review: record.review, entry, problems, verdictKnown: known, media: mediaRefs(record.review) };
}
