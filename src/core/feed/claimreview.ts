/**
 * Import from what fact-checkers already publish: one schema.org ClaimReview or MediaReview JSON-LD
 * object (docs/feed-format.md, "From ClaimReview / MediaReview") → a feed entry without media
 * hashes (the publisher tool adds them from the media files). Problems come back as a list of
 * {path, message}, so the tool can say "record 3: reviewRating.alternateName: missing".
 */
import type { FeedEntry, VerdictLabelV1 } from './schema';
import { MEDIA_REVIEW_CATEGORIES } from './schema';

export interface ImportProblem {
  path: string;
  message: string;
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const first = (x: unknown): unknown => (Array.isArray(x) ? x[0] : x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
const many = (x: unknown): unknown[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);

/** The first object of the given @type, looking through @graph wrappers. */
export function findReview(record: unknown): Json | null {
  const candidates = isObj(record) && Array.isArray(record['@graph']) ? [record, ...record['@graph']] : [record];
  for (const c of candidates) {
    if (!isObj(c)) continue;
    const types = many(c['@type']).map(String);
    if (types.some((t) => /(^|[:/])(ClaimReview|MediaReview)$/.test(t))) return c;
  }
  return null;
}

const CATEGORY_LABELS: Record<string, VerdictLabelV1> = {
  OriginalMediaContent: 'accurate',
  DecontextualizedContent: 'missing-context',
  EditedOrCroppedContent: 'altered',
  TransformedContent: 'altered',
  StagedContent: 'staged',
  SatireOrParodyContent: 'satire',
};

/** Keyword rules on the publisher's own rating text, in order (first match wins), several languages. */
const RATING_RULES: [RegExp, VerdictLabelV1][] = [
  [/missing context|out of context|lacks context|hors contexte|sorti de son contexte|fuera de contexto|sin contexto|fora de contexto|sem contexto|aus dem zusammenhang|ohne kontext|خارج السياق|سياق/i, 'missing-context'],
  [/altered|doctored|manipulated|edited|deepfake|photoshop|retouch|modifi|manipul|bearbeitet|gefälscht|معدل|مفبرك/i, 'altered'],
  [/staged|mis en scène|montaje|escenificad|encenad|inszeniert/i, 'staged'],
  [/satire|satiri|parod/i, 'satire'],
  [/misleading|partly false|partially false|half true|trompeur|partiellement faux|engañoso|enganoso|parcialmente falso|irreführend|teilweise falsch|مضلل/i, 'misleading'],
  [/unproven|unverified|unsupported|no evidence|non vérifié|invérifiable|sin pruebas|no verificad|não comprovad|unbelegt|غير مؤكد/i, 'unproven'],
  [/\bfalse\b|fake|faux|falso|falsch|incorrect|زائف|كاذب|خاطئ/i, 'false'],
  [/\btrue\b|correct|accurate|vrai|verdadero|verdadeiro|richtig|wahr|صحيح/i, 'accurate'],
];

export function labelFrom(category: string | undefined, rating: string | undefined): VerdictLabelV1 {
  if (category && CATEGORY_LABELS[category]) return CATEGORY_LABELS[category]!;
  for (const [re, label] of RATING_RULES) if (rating && re.test(rating)) return label;
  return 'misleading'; // a rating we cannot read: the mildest label that still warrants a notice
}

function language(x: unknown): string | undefined {
  const v = isObj(first(x)) ? str((first(x) as Json).alternateName) ?? str((first(x) as Json).name) : str(first(x));
  return v && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(v) ? v : undefined;
}

function organisation(x: unknown): { name: string; url?: string } | undefined {
  const o = first(x);
  if (typeof o === 'string') return str(o) ? { name: o.trim() } : undefined;
  if (!isObj(o)) return undefined;
  const name = str(o.name);
  if (!name) return undefined;
  const url = str(o.url);
  return url ? { name, url } : { name };
}

/** A date as published, if it is one: ISO 8601 kept as written, any other form Date reads (e.g. "+0100" offsets) as ISO 8601 UTC. */
function dateOnly(x: unknown): string | undefined {
  const s = str(first(x));
  const t = s ? Date.parse(s) : NaN;
  if (!s || Number.isNaN(t)) return undefined;
  return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(s) ? s : new Date(t).toISOString();
}

function urlOf(x: unknown): string | undefined {
  const o = first(x);
  return isObj(o) ? str(o.url) ?? str(o.contentUrl) ?? str(o.embedUrl) : str(o);
}

/** A stable id from the fact-check URL when the record has none: its path, lower-cased and cleaned. */
export function idFromUrl(url: string): string {
  let path = url;
  try {
    const u = new URL(url);
    path = `${u.hostname.replace(/^www\./, '')}${u.pathname}`;
  } catch {
    /* use as is */
  }
  return path.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 128) || 'entry';
}

export type ImportedEntry = Omit<FeedEntry, 'media'>;

/**
 * Maps one record. `record.id` (ours), `record.originalContext` ({date, location}) and
 * `record.rev` may extend the schema.org fields; `media` is read by the tool, not here.
 */
export function fromReview(record: unknown): { entry: ImportedEntry | null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const review = findReview(record);
  if (!review) return { entry: null, problems: [{ path: '@type', message: 'not a ClaimReview or MediaReview' }] };
  const isMedia = many(review['@type']).some((t) => String(t).endsWith('MediaReview'));
  const need = <T>(value: T | undefined, path: string, what = 'missing'): T | undefined => {
    if (value === undefined) problems.push({ path, message: what });
    return value;
  };

  const url = need(str(review.url), 'url');
  const inLanguage = language(review.inLanguage) ?? 'en';
  const rating = isObj(first(review.reviewRating)) ? (first(review.reviewRating) as Json) : {};
  const textualRating = need(str(rating.alternateName) ?? str(rating.name), 'reviewRating.alternateName');
  const rawCategory = str(review.mediaAuthenticityCategory)?.replace(/^(https?:\/\/schema\.org\/|schema:)/, '');
  if (rawCategory && !(MEDIA_REVIEW_CATEGORIES as readonly string[]).includes(rawCategory)) {
    problems.push({ path: 'mediaAuthenticityCategory', message: `unknown category ${rawCategory}` });
  }
  const category = rawCategory && (MEDIA_REVIEW_CATEGORIES as readonly string[]).includes(rawCategory) ? (rawCategory as FeedEntry['verdict']['category']) : undefined;
  const item = isObj(first(review.itemReviewed)) ? (first(review.itemReviewed) as Json) : {};
  const claimText = need(
    str(review.claimReviewed) ?? str(isObj(item.interpretedAsClaim) ? (item.interpretedAsClaim as Json).text : undefined) ?? str(review.headline),
    'claimReviewed',
  );
  const publisher = need(organisation(review.author) ?? organisation(review.publisher), 'author.name');
  const datePublished = need(dateOnly(review.datePublished), 'datePublished');
  const headline = str(review.headline) ?? str(review.name) ?? claimText;
  const ours = isObj(record) ? record : {};
  const extra = isObj(ours.originalContext) ? ours.originalContext : {};
  const description = str(review.originalMediaContextDescription) ?? str(extra.description);
  const label = labelFrom(category, textualRating);
  if (label === 'missing-context' && !description) {
    problems.push({ path: 'originalMediaContextDescription', message: 'a missing-context verdict needs the original context (where and when the media is really from)' });
  }
  if (problems.length || !url || !textualRating || !claimText || !publisher || !datePublished) return { entry: null, problems };

  const appearances = [
    ...many(item.appearance).map(urlOf),
    ...many(item.mediaItemAppearance).map(urlOf),
  ]
    .filter((u): u is string => !!u)
    .slice(0, 50)
    .map((u) => ({ url: u }));
  const firstAppearance = urlOf(item.firstAppearance);
  const entry: ImportedEntry = {
    id: str(ours.id) ?? idFromUrl(url),
    rev: typeof ours.rev === 'number' ? ours.rev : 1,
    status: 'active',
    verdict: { label, textualRating: { [inLanguage]: textualRating }, ...(category ? { category } : {}) },
    claim: {
      text: { [inLanguage]: claimText },
      ...(organisation(item.author) ? { claimant: organisation(item.author)!.name } : {}),
      ...(dateOnly(item.datePublished) ? { claimDate: dateOnly(item.datePublished)! } : {}),
      ...(firstAppearance ? { firstAppearance: { url: firstAppearance } } : {}),
      ...(appearances.length ? { appearances } : {}),
    },
    factCheck: {
      url,
      headline: { [inLanguage]: headline! },
      inLanguage,
      datePublished: datePublished!,
      ...(dateOnly(review.dateModified) ? { dateModified: dateOnly(review.dateModified)! } : {}),
      publisher: publisher!,
    },
    source: { type: isMedia ? 'MediaReview' : 'ClaimReview', url },
  };
  const links = many(review.originalMediaLink).map(urlOf).filter((u): u is string => !!u).slice(0, 10);
  if (description || links.length || str(extra.date) || str(extra.location)) {
    entry.originalContext = {
      ...(description ? { description: { [inLanguage]: description } } : {}),
      ...(str(extra.date) ? { date: str(extra.date)! } : {}),
      ...(str(extra.location) ? { location: str(extra.location)! } : {}),
      ...(links.length ? { links } : {}),
    };
  }
  return { entry, problems };
}
