/**
 * The record shapes fact-checkers' reviews really come in → a list of schema.org ClaimReview /
 * MediaReview objects, each with where it was found (`at`, e.g. `dataFeedElement[3].item[0]`),
 * so a bad record is reported by index and field, never silently dropped:
 *
 * - a page's JSON-LD: one object, an array, an `@graph` (with `@id` references, as SEO plugins
 *   write them), several `<script type="application/ld+json">` per page;
 * - the schema.org `DataFeed` aggregators publish (Data Commons' fact-check feed):
 *   `dataFeedElement[].item` holding one review or an array of them, sometimes null;
 * - the Duke Reporters' Lab Fact-Check Insights export: JSON (an array of schema.org reviews, or
 *   an object whose arrays hold them) and CSV (one review a row, columns named by the JSON path:
 *   `reviewRating.alternateName`, `itemReviewed.mediaItemAppearance.0.contentUrl`);
 * - the Google Fact Check Tools API's `claims:search` answer: `claims[].claimReview[]`, mapped back
 *   to schema.org as the API documents it (textualRating = reviewRating.alternateName, …).
 *
 * Pure: text in, objects out.
 */
import { parse as parseCsv } from 'csv-parse/sync';

export type Json = Record<string, unknown>;
export type SourceShape = 'json-ld' | 'data-feed' | 'fact-check-insights' | 'fact-check-tools';

export interface SourceRecord {
  /** Where in the input: `[2]`, `script[1].@graph[3]`, `claims[4].claimReview[0]`, `row 7`. */
  at: string;
  shape: SourceShape;
  /** A schema.org ClaimReview or MediaReview object. */
  review: Json;
}

export interface RecordProblem {
  at: string;
  path: string;
  message: string;
}

export interface Records {
  records: SourceRecord[];
  problems: RecordProblem[];
}

const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const many = (x: unknown): unknown[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
const typesOf = (o: Json): string[] => many(o['@type']).map((t) => String(t).replace(/^.*[:/#]/, ''));
const REVIEW_TYPES = new Set(['ClaimReview', 'MediaReview']);
export const isReview = (o: unknown): o is Json => isObj(o) && typesOf(o).some((t) => REVIEW_TYPES.has(t));

/**
 * At most this many reviews from one input (docs/harvest.md), and this deep into its objects.
 * Reviews past the limit are counted, not kept, and reported as one problem (capped()).
 */
export const MAX_RECORDS = 200_000;
const MAX_DEPTH = 12;

/** Per Records being filled: how many reviews were left out past MAX_RECORDS, and where the first was. */
const leftOut = new WeakMap<Records, { count: number; at: string }>();

/** Keeps a record, or past the limit counts it as left out. */
function add(out: Records, record: SourceRecord): void {
  if (out.records.length < MAX_RECORDS) {
    out.records.push(record);
    return;
  }
  const l = leftOut.get(out);
  if (l) l.count++;
  else leftOut.set(out, { count: 1, at: record.at });
}

/** Reviews found so far, kept or left out. */
const found = (out: Records) => out.records.length + (leftOut.get(out)?.count ?? 0);

/** The reviews left out, as one problem at the first of them: a desk must hear of them. */
function capped(out: Records): Records {
  const l = leftOut.get(out);
  if (l) out.problems.push({ at: l.at, path: '', message: `${l.count} more review${l.count === 1 ? '' : 's'} past the limit of ${MAX_RECORDS} per input: not imported (split the input)` });
  leftOut.delete(out);
  return out;
}

/** JSON text as publishers write it inside pages: HTML comment or CDATA wrappers, raw newlines in strings. */
export function parseJsonLenient(text: string): unknown {
  const t = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim()
    .replace(/;\s*$/, '');
  try {
    return JSON.parse(t);
  } catch {
    // Control characters are whitespace outside strings and invalid inside them: pages often hold
    // raw line breaks in a description.
    return JSON.parse(t.replace(/[\u0000-\u001f]+/g, ' '));
  }
}

/** Replaces `{"@id": X}` references by the node with that `@id` (one graph), without cycles. */
function resolveRefs(node: unknown, byId: Map<string, Json>, depth = 0, seen = new Set<Json>()): unknown {
  if (depth > MAX_DEPTH) return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, byId, depth + 1, seen));
  if (!isObj(node)) return node;
  const id = str(node['@id']);
  let target = node;
  if (id && Object.keys(node).length === 1 && byId.has(id)) target = byId.get(id)!;
  if (seen.has(target)) return { '@id': id };
  seen.add(target);
  const out: Json = {};
  for (const [k, v] of Object.entries(target)) out[k] = resolveRefs(v, byId, depth + 1, seen);
  seen.delete(target);
  return out;
}

/** `at` then a field: `script[0].@graph`, or the field alone at the top of a document. */
const field = (at: string, key: string) => (at ? `${at}.${key}` : key);

/**
 * Every review in a JSON-LD value (object, array, `@graph`), with its linked reviews
 * (`associatedMediaReview` / `associatedClaimReview`) as records of their own.
 */
function walkJsonLd(value: unknown, at: string, shape: SourceShape, out: Records, byId: Map<string, Json>, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkJsonLd(v, `${at}[${i}]`, shape, out, byId, depth + 1));
    return;
  }
  if (!isObj(value)) return;
  if (isReview(value)) {
    const review = resolveRefs(value, byId) as Json;
    add(out, { at, shape, review });
    for (const key of ['associatedMediaReview', 'associatedClaimReview']) {
      many(review[key]).forEach((v, i) => {
        if (isReview(v)) add(out, { at: `${field(at, key)}[${i}]`, shape, review: inheritFrom(review, v) });
      });
    }
    return;
  }
  for (const key of ['@graph', 'mainEntity', 'hasPart', 'review', 'itemListElement', 'item']) {
    if (value[key] !== undefined) walkJsonLd(value[key], field(at, key), shape, out, byId, depth + 1);
  }
}

/** A linked review written inside another often leaves out what the outer one says (url, author, date). */
function inheritFrom(outer: Json, inner: Json): Json {
  const out: Json = { ...inner };
  for (const k of ['url', 'author', 'publisher', 'datePublished', 'inLanguage', 'headline']) if (out[k] === undefined && outer[k] !== undefined) out[k] = outer[k];
  return out;
}

function graphIds(value: unknown): Map<string, Json> {
  const byId = new Map<string, Json>();
  const visit = (v: unknown, depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (isObj(v)) {
      const id = str(v['@id']);
      if (id && Object.keys(v).length > 1) byId.set(id, v);
      if (v['@graph']) visit(v['@graph'], depth + 1);
    }
  };
  visit(value, 0);
  return byId;
}

/** The JSON-LD scripts of one page (their text, in page order). */
export function recordsFromJsonLdScripts(scripts: readonly string[]): Records {
  const out: Records = { records: [], problems: [] };
  const parsed: { i: number; value: unknown }[] = [];
  scripts.forEach((text, i) => {
    try {
      parsed.push({ i, value: parseJsonLenient(text) });
    } catch (e) {
      out.problems.push({ at: `script[${i}]`, path: '(json)', message: `not JSON: ${(e as Error).message.slice(0, 120)}` });
    }
  });
  // @id references may cross scripts of one page.
  const byId = graphIds(parsed.map((p) => p.value));
  for (const { i, value } of parsed) walkJsonLd(value, `script[${i}]`, 'json-ld', out, byId);
  return capped(out);
}

/** A site given as a host name ("politifact.com") or a URL. */
const siteUrl = (s: string | undefined) => (s ? (/^https?:\/\//i.test(s) ? s : `https://${s.replace(/^\/+/, '')}`) : undefined);

/** One `claims[].claimReview[]` of the Fact Check Tools API, as the schema.org ClaimReview it came from. */
function fromFactCheckTools(claim: Json, review: Json): Json {
  const publisher = isObj(review.publisher) ? review.publisher : {};
  const out: Json = {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: review.url,
    headline: review.title,
    datePublished: review.reviewDate,
    inLanguage: review.languageCode,
    author: { '@type': 'Organization', name: publisher.name ?? publisher.site, url: siteUrl(str(publisher.site)) },
    reviewRating: { '@type': 'Rating', alternateName: review.textualRating },
    claimReviewed: claim.text,
    itemReviewed: {
      '@type': 'Claim',
      ...(str(claim.claimant) ? { author: { '@type': 'Person', name: claim.claimant } } : {}),
      ...(str(claim.claimDate) ? { datePublished: claim.claimDate } : {}),
    },
  };
  return out;
}

/** A review without an `@type` (some exports drop it) recognised by its fields. */
function guessType(o: Json): string | undefined {
  if (o.mediaAuthenticityCategory !== undefined) return 'MediaReview';
  if (o.claimReviewed !== undefined || o.reviewRating !== undefined) return 'ClaimReview';
  return undefined;
}

/** Any parsed JSON document in one of the four shapes. */
export function recordsFromJson(doc: unknown): Records {
  const out: Records = { records: [], problems: [] };
  // Fact Check Tools API: {claims: [{text, claimant, claimDate, claimReview: [...]}], nextPageToken}.
  if (isObj(doc) && Array.isArray(doc.claims)) {
    doc.claims.forEach((claim, i) => {
      if (!isObj(claim)) return void out.problems.push({ at: `claims[${i}]`, path: '', message: 'not an object' });
      const reviews = many(claim.claimReview);
      if (!reviews.length) out.problems.push({ at: `claims[${i}]`, path: 'claimReview', message: 'no review' });
      reviews.forEach((r, j) => {
        if (isObj(r)) add(out, { at: `claims[${i}].claimReview[${j}]`, shape: 'fact-check-tools', review: fromFactCheckTools(claim, r) });
        else out.problems.push({ at: `claims[${i}].claimReview[${j}]`, path: '', message: 'not an object' });
      });
    });
    return capped(out);
  }
  // schema.org DataFeed: {dataFeedElement: [{@type: DataFeedItem, item: review | [review…] | null}]}.
  if (isObj(doc) && (Array.isArray(doc.dataFeedElement) || typesOf(doc).includes('DataFeed'))) {
    many(doc.dataFeedElement).forEach((el, i) => {
      const at = `dataFeedElement[${i}]`;
      const items = isObj(el) && 'item' in el ? many(el.item) : isReview(el) ? [el] : [];
      if (!items.length) return void out.problems.push({ at, path: 'item', message: 'empty DataFeedItem (no review)' });
      items.forEach((item, j) => {
        const before = found(out);
        walkJsonLd(item, `${at}.item[${j}]`, 'data-feed', out, graphIds(item));
        if (found(out) === before) out.problems.push({ at: `${at}.item[${j}]`, path: '@type', message: 'not a ClaimReview or MediaReview' });
      });
    });
    return capped(out);
  }
  // Fact-Check Insights JSON: reviews in an array (or in the arrays of a wrapper object), each a
  // schema.org object, some without @type.
  const lists: [string, unknown[]][] = Array.isArray(doc)
    ? [['', doc]]
    : isObj(doc) && !isReview(doc) && !doc['@graph']
      ? Object.entries(doc).filter((e): e is [string, unknown[]] => Array.isArray(e[1]))
      : [];
  const insights = lists.some(([, l]) => l.some((x) => isObj(x) && !x['@context'] && guessType(x)) || l.some((x) => isObj(x) && str(x.id) && isReview(x)));
  if (lists.length && (insights || lists.some(([, l]) => l.some(isReview)))) {
    for (const [key, list] of lists) {
      list.forEach((x, i) => {
        const at = `${key}[${i}]`;
        const type = isObj(x) && !x['@type'] ? guessType(x) : undefined;
        const value = type ? { ...(x as Json), '@type': type } : x;
        const before = found(out);
        walkJsonLd(value, at, insights ? 'fact-check-insights' : 'json-ld', out, graphIds(value));
        if (found(out) === before) out.problems.push({ at, path: '@type', message: 'not a ClaimReview or MediaReview' });
      });
    }
    return capped(out);
  }
  walkJsonLd(doc, '', 'json-ld', out, graphIds(doc));
  if (!found(out)) out.problems.push({ at: '', path: '@type', message: 'no ClaimReview or MediaReview found' });
  return capped(out);
}

/** Sets `path` (dots, numeric parts for arrays: `a.0.b` or `a[0].b`) in `target`. */
function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let node: Json | unknown[] = target;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    const last = i === parts.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
    const slot = Array.isArray(node) ? Number(key) : key;
    if (Array.isArray(node) && (!Number.isInteger(slot) || (slot as number) > 1000)) return;
    const container = node as Record<string | number, unknown>;
    if (last) container[slot] = value;
    else {
      if (typeof container[slot] !== 'object' || container[slot] === null) container[slot] = nextIsIndex ? [] : {};
      node = container[slot] as Json | unknown[];
    }
  }
}

/** Fact-Check Insights CSV: a header of JSON paths, one review a row; cells may hold JSON. */
export function recordsFromCsv(text: string): Records {
  const out: Records = { records: [], problems: [] };
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    out.problems.push({ at: 'csv', path: '', message: (e as Error).message.slice(0, 200) });
    return out;
  }
  const [header, ...body] = rows;
  if (!header) return out;
  body.forEach((row, i) => {
    const at = `row ${i + 2}`; // line numbers as a spreadsheet shows them (the header is row 1)
    const obj: Json = {};
    header.forEach((key, c) => {
      const cell = row[c]?.trim();
      if (!cell || !key.trim()) return;
      let value: unknown = cell;
      if (/^[[{]/.test(cell)) {
        try {
          value = JSON.parse(cell);
        } catch {
          /* text that starts with a bracket */
        }
      }
      setPath(obj, key.trim(), value);
    });
    if (!obj['@type']) {
      const t = guessType(obj);
      if (t) obj['@type'] = t;
    }
    if (isReview(obj)) add(out, { at, shape: 'fact-check-insights', review: obj });
    else out.problems.push({ at, path: '@type', message: 'not a ClaimReview or MediaReview' });
  });
  return capped(out);
}

/** A file's text: JSON (any of the shapes), JSON Lines (one review or DataFeed item a line), or CSV. */
export function recordsFromText(text: string, name = ''): Records {
  const t = text.replace(/^\uFEFF/, '');
  if (/\.csv$/i.test(name) || (!/^\s*[[{]/.test(t) && t.includes(','))) return recordsFromCsv(t);
  try {
    return recordsFromJson(JSON.parse(t));
  } catch (e) {
    // JSON Lines
    const lines = t.split(/\r?\n/);
    if (lines.filter((l) => l.trim()).length > 1 && /^\s*\{/.test(t)) {
      const out: Records = { records: [], problems: [] };
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          return void out.problems.push({ at: `line ${i + 1}`, path: '(json)', message: (err as Error).message.slice(0, 120) });
        }
        const sub = recordsFromJson(value);
        for (const r of sub.records) add(out, { ...r, at: `line ${i + 1}${r.at ? `.${r.at}` : ''}` });
        for (const p of sub.problems) out.problems.push({ ...p, at: `line ${i + 1}${p.at ? `.${p.at}` : ''}` });
      });
      return capped(out);
    }
    return { records: [], problems: [{ at: '', path: '(json)', message: `not JSON or CSV: ${(e as Error).message.slice(0, 120)}` }] };
  }
}
