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

/**
 * What the six MediaReview categories are called where a publisher gives no rating text of its own:
 * the Duke Reporters' Lab labels fact-checkers are trained on (schemaorg/schemaorg#2844).
 */
export const CATEGORY_TEXT: Record<string, string> = {
  OriginalMediaContent: 'Original',
  DecontextualizedContent: 'Missing Context',
  EditedOrCroppedContent: 'Edited',
  TransformedContent: 'Transformed',
  StagedContent: 'Staged',
  SatireOrParodyContent: 'Satire/Parody',
};

/**
 * Keyword rules on the publisher's own rating text, in order (first match wins), in the languages
 * of the fact-checkers in the IFCN and Reporters' Lab lists we could read: English, French,
 * Spanish, Portuguese, German, Italian, Dutch, Polish, Turkish, Indonesian, Russian, Ukrainian,
 * Arabic, Hindi. Order matters: "not true" and "partly false" must not be read as "true"/"false".
 */
const RATING_RULES: [RegExp, VerdictLabelV1][] = [
  [/missing context|fehlender kontext|out of context|lacks context|needs context|miscaptioned|misattributed|outdated|hors contexte|sorti de son contexte|d[ée]contextualis|fuera de contexto|sin contexto|descontextualiz|fora de contexto|sem contexto|aus dem zusammenhang|ohne kontext|kontext fehlt|fuori contesto|senza contesto|contesto mancante|decontestualizzat|zonder context|uit de context|bez kontekstu|wyrwan[eya] z kontekstu|bağlamından kopar|konteks yang salah|keluar konteks|вырван[оа]? из контекста|вне контекста|вирван[оа]? з контексту|поза контекстом|خارج السياق|سياق مضلل|संदर्भ से बाहर|गलत संदर्भ/i, 'missing-context'],
  [/satire|satiri|parod|labell?ed satire|сатир|пароді|пародия|ساخر|व्यंग्य/i, 'satire'],
  [/staged|mis en sc[èe]ne|escenificad|encenad|inszeniert|messa in scena|inscenizowan|постановк|інсценізац|مفبرك(?:ة)? بالكامل/i, 'staged'],
  [/altered|doctored|manipulated|edited|deepfake|photoshop|retouch|digitally|modifi|manipul|маніпул|манипул|montaje|montagem|fotomontaj|bearbeitet|gefälscht|verfälscht|ritoccat|bewerkt|zmanipulowan|przerobion|düzenlenmiş|montaj|diedit|direkayasa|смонтирован|отредактирован|змонтован|відредагован|معدل|معدّل|مفبرك|संपादित|छेड़छाड़/i, 'altered'],
  [/misleading|partly false|partially false|partly true|half[- ]true|mostly false|exaggerat|trompeur|partiellement faux|en partie faux|exag[ée]r|engañoso|enga[ñn]oso|parcialmente falso|verdad a medias|enganoso|meia verdade|irreführend|teilweise falsch|halb wahr|fuorviante|parzialmente fals|misleidend|deels onwaar|half waar|wprowadzaj[ąa]c|częściowo fałsz|yanıltıcı|kısmen yanlış|menyesatkan|sebagian salah|вводит в заблуждение|частично неправда|полуправда|вводить в оману|частково неправда|напівправда|مضلل|مضللة|صحيح جزئيا|भ्रामक|आंशिक रूप से/i, 'misleading'],
  [/unproven|unverified|unsupported|unsubstantiated|no evidence|research in progress|non v[ée]rifi|inv[ée]rifiable|sans preuve|sin pruebas|no verificad|inverificable|não comprovad|sem provas|unbelegt|unbewiesen|non verificat|senza prove|onbewezen|niet bewezen|niepotwierdzon|kanıtlanmamış|doğrulanamad|belum terbukti|tidak terbukti|не доказано|не подтвержден|не підтверджен|не доведено|غير مؤكد|غير مثبت|अपुष्ट|असत्यापित/i, 'unproven'],
  [/\bnot true\b|\bfalse\b|pants on fire|four pinocchios|\bfake\b|\bhoax|\bscam\b|\bincorrect|\bwrong\b|\bfaux\b|\bfausse?\b|\bintox|\bfalso\b|\bfalsa\b|\bfals\b|\bbulo\b|\bfalsch|\bfake\b|\bfalso|\bbufala|\bonwaar|\bniet waar|\bnepnieuws|fałsz|nieprawda|\byanlış|\bsahte|\bsalah\b|\bhoaks|\bbohong|фейк|ложь|неправда|брехня|زائف|كاذب|خاطئ|غير صحيح|झूठ|फर्जी|फ़र्ज़ी|गलत/i, 'false'],
  [/\btrue\b|\bcorrect|\baccurate|correct attribution|\bvrai\b|verdadero|\bcierto\b|verdadeiro|\brichtig\b|\bwahr\b|\bvero\b|\bwaar\b|\bprawda\b|\bdoğru\b|\bbenar\b|правда|\bверно|صحيح|सच|सही/i, 'accurate'],
];

/** A verdict and whether it was read (a category, or a rating text a rule recognised) or guessed. */
export function verdictOf(category: string | undefined, rating: string | undefined): { label: VerdictLabelV1; known: boolean } {
  if (category && CATEGORY_LABELS[category]) return { label: CATEGORY_LABELS[category]!, known: true };
  for (const [re, label] of RATING_RULES) if (rating && re.test(rating)) return { label, known: true };
  return { label: 'misleading', known: false }; // a rating we cannot read: the mildest label that still warrants a notice
}

export function labelFrom(category: string | undefined, rating: string | undefined): VerdictLabelV1 {
  return verdictOf(category, rating).label;
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
export interface FromReviewOptions {
  /** The language when the record names none (e.g. the page's `<html lang>`); else "en". */
  language?: string;
}

/** The claim a MediaReview's media is taken to make: on the item, or on one of its appearances. */
function interpretedClaim(item: Json): string | undefined {
  const holders = [item, ...many(item.mediaItemAppearance).filter(isObj)];
  for (const h of holders) {
    const c = first(h.interpretedAsClaim);
    const text = isObj(c) ? str(c.text) ?? str(c.description) ?? str(c.name) ?? str(c.claimReviewed) : str(c);
    if (text) return text;
  }
  return undefined;
}

/** `mediaAuthenticityCategory` as published: a name, a schema.org URL, or an enumeration object. */
function categoryName(x: unknown): string | undefined {
  const v = first(x);
  const s = isObj(v) ? str(v['@id']) ?? str(v.name) ?? str(v['@value']) : str(v);
  return s?.replace(/^(https?:\/\/(www\.)?schema\.org\/|schema:)/, '');
}

export function fromReview(record: unknown, options: FromReviewOptions = {}): { entry: ImportedEntry | null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const review = findReview(record);
  if (!review) return { entry: null, problems: [{ path: '@type', message: 'not a ClaimReview or MediaReview' }] };
  const isMedia = many(review['@type']).some((t) => String(t).endsWith('MediaReview'));
  const need = <T>(value: T | undefined, path: string, what = 'missing'): T | undefined => {
    if (value === undefined) problems.push({ path, message: what });
    return value;
  };

  const url = need(str(review.url), 'url');
  const inLanguage = language(review.inLanguage) ?? language(options.language) ?? 'en';
  const rating = isObj(first(review.reviewRating)) ? (first(review.reviewRating) as Json) : {};
  const rawCategory = categoryName(review.mediaAuthenticityCategory);
  // A MediaReview carries its verdict in the category; its rating text, if any, is kept as published.
  const ratingText = str(rating.alternateName) ?? str(rating.name) ?? (rawCategory ? CATEGORY_TEXT[rawCategory] : undefined);
  const textualRating = need(ratingText, isMedia ? 'mediaAuthenticityCategory' : 'reviewRating.alternateName');
  if (rawCategory && !(MEDIA_REVIEW_CATEGORIES as readonly string[]).includes(rawCategory)) {
    problems.push({ path: 'mediaAuthenticityCategory', message: `unknown category ${rawCategory}` });
  }
  const category = rawCategory && (MEDIA_REVIEW_CATEGORIES as readonly string[]).includes(rawCategory) ? (rawCategory as FeedEntry['verdict']['category']) : undefined;
  const item = isObj(first(review.itemReviewed)) ? (first(review.itemReviewed) as Json) : {};
  const claimText = need(
    str(review.claimReviewed) ?? interpretedClaim(item) ?? str(review.headline) ?? str(review.name),
    isMedia ? 'itemReviewed.interpretedAsClaim' : 'claimReviewed',
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
