/**
 * harvest: records (files or URLs, in any shape ../core/feed/import reads) and fact-check article
 * pages → media files + the reviews.json that `build` takes + a review list of what a person
 * should look at before it goes in a feed. See docs/harvest.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import {
  normalise,
  recordsFromJsonLdScripts,
  recordsFromText,
  type MediaRef,
  type NormalisedRecord,
  type RecordProblem,
  type SourceRecord,
} from '../core/feed/import';
import { Fetcher, type FetcherOptions, type FetchResult } from './fetcher';
import { extractRegion, inspectImage } from './inspect';
import { parsePage, type PageImage, type PageInfo } from './page';
import { claimIsAboutMedia, decideArticleImage, imageKey, type Decision } from './select';

export interface HarvestOptions {
  /** Record files or URLs: DataFeed, Fact-Check Insights JSON/CSV, Fact Check Tools answers, JSON-LD. */
  inputs: string[];
  /** Fact-check article URLs, read for their JSON-LD. */
  pages: string[];
  /** The `feed` object of reviews.json ({id, name, publisher, reportEndpoint?}). */
  feed: Record<string, unknown>;
  out: string;
  cacheDir?: string;
  /** Fetch each record's article page to look for its pictures (default true). */
  articlePages?: boolean;
  concurrency?: number;
  /** Keep only records by these publishers (a name, or a site's host), e.g. a desk's own in a DataFeed. */
  publishers?: string[];
  /** Keep only records published on or after this date (YYYY-MM-DD). */
  since?: string;
  fetcher?: Omit<FetcherOptions, 'cacheDir'>;
  log?: (line: string) => void;
}

export interface ReviewItem {
  record: string;
  factCheck?: string;
  media?: string;
  file?: string;
  reason: string;
}

export interface HarvestSummary {
  recordsRead: number;
  badRecords: number;
  entries: number;
  pagesFetched: number;
  mediaFetched: number;
  mediaFromCache: number;
  mediaInFeed: number;
  sentToReview: number;
  /** Post screenshots and framed pictures whose picture region went in instead. */
  peeled: number;
  skipped: Record<string, number>;
  problems: string[];
  requests: number;
}

type Source = SourceRecord & { input: string; pageLang?: string };

interface Candidate {
  url: string;
  via: MediaRef['via'] | 'article' | 'og:image';
  decision: Decision;
  sha256?: string;
  type?: 'image' | 'video';
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/avif': 'avif', 'image/tiff': 'tif', 'video/mp4': 'mp4', 'video/webm': 'webm', 'video/quicktime': 'mov', 'video/x-m4v': 'm4v' };

export async function harvest(o: HarvestOptions): Promise<HarvestSummary> {
  const log = o.log ?? (() => {});
  const fetcher = new Fetcher({ ...o.fetcher, cacheDir: o.cacheDir ?? path.join(o.out, '.cache') });
  const limit = pLimit(o.concurrency ?? 4);
  const summary: HarvestSummary = { recordsRead: 0, badRecords: 0, entries: 0, pagesFetched: 0, mediaFetched: 0, mediaFromCache: 0, mediaInFeed: 0, sentToReview: 0, peeled: 0, skipped: {}, problems: [], requests: 0 };
  const skip = (reason: string) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);
  const problem = (input: string, p: RecordProblem) => summary.problems.push(`${input}: ${p.at || '(top)'}${p.path ? `: ${p.path}` : ''}: ${p.message}`);
  const reviewList: ReviewItem[] = [];
  fs.mkdirSync(path.join(o.out, 'media'), { recursive: true });
  fs.mkdirSync(path.join(o.out, 'review'), { recursive: true });

  try {
    // 1. Records from files and URLs.
    const sources: Source[] = [];
    for (const input of o.inputs) {
      let text: string;
      if (/^https?:\/\//i.test(input)) {
        const r = await fetcher.get(input, 'records');
        if (!r.ok) {
          summary.problems.push(`${input}: ${r.reason}: ${r.detail}`);
          continue;
        }
        text = fs.readFileSync(r.file, 'utf8');
      } else text = fs.readFileSync(input, 'utf8');
      const { records, problems } = recordsFromText(text, input);
      for (const p of problems) problem(input, p);
      for (const r of records) sources.push({ ...r, input });
      log(`${input}: ${records.length} records, ${problems.length} problems`);
    }

    // 2. Article pages: those given, and each record's own (for its pictures).
    const pages = new Map<string, PageInfo | null>();
    const fetchPage = async (url: string): Promise<PageInfo | null> => {
      if (pages.has(url)) return pages.get(url)!;
      pages.set(url, null);
      const r = await fetcher.get(url, 'page');
      if (!r.ok) {
        skip(`page ${r.reason}`);
        summary.problems.push(`page ${url}: ${r.reason}: ${r.detail}`);
        return null;
      }
      summary.pagesFetched++;
      const info = parsePage(fs.readFileSync(r.file, 'utf8'), r.finalUrl);
      pages.set(url, info);
      return info;
    };
    let done = 0;
    await Promise.all(
      o.pages.map((url) =>
        limit(async () => {
          const info = await fetchPage(url);
          log(`[page ${++done}/${o.pages.length}] ${url}${info ? `: ${info.jsonLd.length} JSON-LD, ${info.images.length} images` : ': failed'}`);
          if (!info) return;
          const { records, problems } = recordsFromJsonLdScripts(info.jsonLd);
          for (const p of problems) problem(url, p);
          if (!records.length) problem(url, { at: '', path: '', message: 'no ClaimReview or MediaReview on the page' });
          for (const r of records) sources.push({ ...r, input: url, pageLang: info.lang });
        }),
      ),
    );
    summary.recordsRead = sources.length;

    // 3. Normalise; group the reviews of one fact-check (ClaimReview + MediaReview of one article).
    const groups = new Map<string, { n: NormalisedRecord; src: Source; extra: MediaRef[]; needsContext: boolean }>();
    const wanted = (o.publishers ?? []).map((p) => p.toLowerCase());
    const publisherOf = (r: Record<string, unknown>) => {
      const a = (Array.isArray(r.author) ? r.author[0] : r.author) ?? r.publisher;
      const o2 = (typeof a === 'object' && a ? a : { name: a }) as { name?: unknown; url?: unknown };
      return `${String(o2.name ?? '')} ${String(o2.url ?? '')} ${String(r.url ?? '')}`.toLowerCase();
    };
    for (const src of sources) {
      if (wanted.length && !wanted.some((w) => publisherOf(src.review).includes(w))) {
        skip('another publisher (--publisher)');
        continue;
      }
      if (o.since && typeof src.review.datePublished === 'string' && src.review.datePublished.slice(0, 10) < o.since) {
        skip('older than --since');
        continue;
      }
      const n = normalise(src, { language: src.pageLang });
      const onlyContext = !n.entry && n.problems.length > 0 && n.problems.every((p) => p.path === 'originalMediaContextDescription');
      if (!n.entry && !onlyContext) {
        summary.badRecords++;
        for (const p of n.problems) problem(src.input, { at: src.at, path: p.path, message: p.message });
        continue;
      }
      const key = n.entry?.factCheck.url ?? String(n.review.url);
      const g = groups.get(key);
      if (!g) groups.set(key, { n, src, extra: [], needsContext: onlyContext });
      else {
        // Prefer the MediaReview (its category) as the group's record; keep every media URL.
        const isMedia = n.entry?.source?.type === 'MediaReview' || (onlyContext && String(n.review['@type']).includes('MediaReview'));
        if (isMedia && !String(g.n.review['@type']).includes('MediaReview')) {
          g.extra.push(...g.n.media);
          g.n = n;
          g.src = src;
          g.needsContext = onlyContext;
        } else g.extra.push(...n.media);
      }
    }

    // Article pages of records that came from files (pages given already are cached in `pages`).
    const groupList = [...groups.values()];
    if (o.articlePages !== false) {
      done = 0;
      await Promise.all(
        groupList.map((g) =>
          limit(async () => {
            const url = g.n.entry?.factCheck.url ?? String(g.n.review.url);
            const info = await fetchPage(url);
            log(`[article ${++done}/${groupList.length}] ${url}${info ? '' : ': failed'}`);
            // The page's own JSON-LD may name the media (a MediaReview beside the feed's ClaimReview).
            if (info) for (const r of recordsFromJsonLdScripts(info.jsonLd).records) g.extra.push(...normalise(r).media);
          }),
        ),
      );
    }

    // 4. Which images each site repeats across its articles (logos, author photos, share cards),
    // remembered across runs in the cache folder, so a run that reads few articles of a site
    // still knows its chrome.
    const seenFile = path.join(o.cacheDir ?? path.join(o.out, '.cache'), 'site-images.json');
    let seen: Record<string, string[]> = {};
    try {
      seen = JSON.parse(fs.readFileSync(seenFile, 'utf8')) as Record<string, string[]>;
    } catch {
      /* first run */
    }
    for (const [url, info] of pages) {
      if (!info) continue;
      const host = new URL(url).host;
      const keys = new Set([...info.images.map((i) => imageKey(i.url)), ...(info.ogImage ? [imageKey(info.ogImage)] : [])]);
      for (const k of keys) {
        const articles = (seen[`${host} ${k}`] ??= []);
        if (!articles.includes(url) && articles.length < 20) articles.push(url);
      }
    }
    const reuse = new Map<string, Map<string, number>>();
    for (const [hk, articles] of Object.entries(seen)) {
      const [host, k] = [hk.slice(0, hk.indexOf(' ')), hk.slice(hk.indexOf(' ') + 1)];
      const m = reuse.get(host) ?? new Map<string, number>();
      reuse.set(host, m);
      m.set(k, articles.length);
    }
    if (Object.keys(seen).length <= 200_000) fs.writeFileSync(seenFile, JSON.stringify(seen));

    // 5. Per fact-check: candidates, downloads, inspection, routing.
    const out: Record<string, unknown>[] = [];
    const byHash = new Map<string, string>(); // sha256 → written file (one picture, one file)
    const ids = new Set<string>();
    done = 0;
    const results = await Promise.all(
      groupList.map((g) =>
        limit(async () => {
          const r = await harvestOne(g);
          log(`[${++done}/${groupList.length}] ${g.n.entry?.factCheck.url ?? String(g.n.review.url)}: ${r.media.length} media in feed, ${r.review} to review`);
          return r;
        }),
      ),
    );
    for (const r of results) {
      if (!r.record) continue;
      const id = String(r.record.id);
      if (ids.has(id)) {
        skip('duplicate id');
        continue;
      }
      ids.add(id);
      out.push(r.record);
    }

    async function fetchMedia(url: string): Promise<FetchResult> {
      const r = await fetcher.get(url, 'media');
      if (r.ok) {
        if (r.fromCache) summary.mediaFromCache++;
        else summary.mediaFetched++;
      }
      return r;
    }

    function keep(file: string, sha256: string, contentType: string, dir: 'media' | 'review'): string {
      const k = `${dir}:${sha256}`;
      if (byHash.has(k)) return byHash.get(k)!;
      const rel = `${dir}/${sha256.slice(0, 16)}.${EXT[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin'}`;
      fs.copyFileSync(file, path.join(o.out, rel));
      byHash.set(k, rel);
      return rel;
    }

    async function harvestOne(g: { n: NormalisedRecord; src: Source; extra: MediaRef[]; needsContext: boolean }): Promise<{ record: Record<string, unknown> | null; media: unknown[]; review: number }> {
      const { n } = g;
      const label = n.entry?.verdict.label;
      const factCheck = n.entry?.factCheck.url ?? String(n.review.url);
      const recordName = `${g.src.input}: ${g.src.at || '(top)'}`;
      const toReview = (item: Omit<ReviewItem, 'record' | 'factCheck'>) => {
        summary.sentToReview++;
        reviewList.push({ record: recordName, factCheck, ...item });
      };
      if (label === 'accurate') {
        skip('authentic in context (OriginalMediaContent or a "true" rating): no notice');
        return { record: null, media: [], review: 0 };
      }
      const category = n.entry?.verdict.category ?? String(n.review.mediaAuthenticityCategory ?? '');
      const refs = [...n.media, ...g.extra.filter((e) => !n.media.some((m) => m.url === e.url))];
      const candidates: Candidate[] = [];
      for (const ref of refs) {
        if (ref.via === 'originalMediaLink' && !/DecontextualizedContent/.test(category)) {
          skip('originalMediaLink of an edited or staged media: the authentic original is not flagged');
          continue;
        }
        candidates.push({ url: ref.url, via: ref.via, decision: { to: 'feed', reason: `named by the record (${ref.path})` }, sha256: ref.sha256, type: ref.type });
      }
      const media: { file: string; type?: 'video' }[] = [];
      let reviewed = 0;
      let explicitOk = false;

      for (const c of candidates) {
        const r = await fetchMedia(c.url);
        if (!r.ok && r.reason === 'wrong-type' && c.via !== 'contentUrl') {
          // A page (the post the claim appeared in, an archive snapshot): its share picture is
          // probably the media, but not certainly: review.
          const info = await fetchPage(c.url);
          if (info?.ogImage) {
            const m = await fetchMedia(info.ogImage);
            if (m.ok) {
              toReview({ media: info.ogImage, file: keep(m.file, m.sha256, m.contentType, 'review'), reason: `the share picture (og:image) of ${c.via} page ${c.url}` });
              reviewed++;
            } else skip(`media ${m.reason}`);
          } else skip(`${c.via} page without a picture`);
          continue;
        }
        if (!r.ok) {
          skip(`media ${r.reason}`);
          summary.problems.push(`${recordName}: ${c.url}: ${r.reason}: ${r.detail}`);
          continue;
        }
        if (c.sha256 && c.sha256 !== r.sha256) {
          toReview({ media: c.url, file: keep(r.file, r.sha256, r.contentType, 'review'), reason: 'sha256 differs from the record (the file changed since the check)' });
          reviewed++;
          continue;
        }
        const routed = await route(c, r);
        if (routed === 'feed') explicitOk = true;
      }

      // The article's own pictures, when the record names none.
      if (!explicitOk && o.articlePages !== false) {
        const info = pages.get(factCheck) ?? null;
        if (info) {
          const host = new URL(factCheck).host;
          const ctx = {
            reuse: reuse.get(host) ?? new Map(),
            claimAboutMedia: claimIsAboutMedia(Object.values(n.entry?.claim.text ?? {})[0] ?? String(n.review.claimReviewed ?? ''), Object.values(n.entry?.factCheck.headline ?? {})[0] ?? ''),
            explicitMedia: false,
          };
          const imgs: PageImage[] = [...info.images];
          if (info.ogImage && !imgs.some((i) => imageKey(i.url) === imageKey(info.ogImage!))) {
            imgs.push({ url: info.ogImage, alt: '', hints: 'og:image', chrome: false, inArticle: false, caption: '', index: imgs.length, fromNoscript: false });
          }
          for (const img of imgs) {
            const d = decideArticleImage(img, ctx);
            if (d.to === 'skip') {
              skip(d.reason);
              continue;
            }
            const r = await fetchMedia(img.url);
            if (!r.ok) {
              skip(`media ${r.reason}`);
              continue;
            }
            await route({ url: img.url, via: img.hints === 'og:image' ? 'og:image' : 'article', decision: d }, r);
          }
        }
      }

      async function route(c: Candidate, r: Extract<FetchResult, { ok: true }>): Promise<'feed' | 'review' | 'skip'> {
        if (/^video\//i.test(r.contentType)) {
          if (c.decision.to === 'feed') {
            media.push({ file: keep(r.file, r.sha256, r.contentType, 'media'), type: 'video' });
            return 'feed';
          }
          toReview({ media: c.url, file: keep(r.file, r.sha256, r.contentType, 'review'), reason: c.decision.reason });
          reviewed++;
          return 'review';
        }
        const f = await inspectImage(r.file);
        if (f.kind === 'undecodable') return (skip('undecodable image'), 'skip');
        if (f.kind === 'small') return (skip('small (under 200 px)'), 'skip');
        if (f.kind === 'banner') return (skip('banner shape (more than 3:1)'), 'skip');
        if (f.kind === 'stamped' || f.kind === 'side-by-side') {
          const file = keep(r.file, r.sha256, r.contentType, 'review');
          if (f.kind === 'side-by-side') {
            const base = path.join(o.out, file.replace(/\.\w+$/, ''));
            await extractRegion(r.file, { x: 0, y: 0, width: f.split, height: f.height }, `${base}-left.jpg`);
            await extractRegion(r.file, { x: f.split, y: 0, width: f.width - f.split, height: f.height }, `${base}-right.jpg`);
          }
          toReview({ media: c.url, file, reason: f.kind === 'stamped' ? 'carries a fact-check stamp (red mark): needs the clean picture' : 'two pictures side by side (halves saved beside it): pick the one that circulated' });
          reviewed++;
          return 'review';
        }
        if (c.decision.to === 'review') {
          toReview({ media: c.url, file: keep(r.file, r.sha256, r.contentType, 'review'), reason: c.decision.reason });
          reviewed++;
          return 'review';
        }
        if (f.kind === 'screenshot') {
          const rel = `media/${r.sha256.slice(0, 16)}-picture.jpg`;
          if (!fs.existsSync(path.join(o.out, rel))) await extractRegion(r.file, f.region, path.join(o.out, rel));
          media.push({ file: rel });
          summary.peeled++;
          return 'feed';
        }
        media.push({ file: keep(r.file, r.sha256, r.contentType, 'media') });
        return 'feed';
      }

      const unique = media.filter((m, i) => media.findIndex((x) => x.file === m.file) === i);
      if (!unique.length) {
        skip(reviewed ? 'fact-check with its media in review only' : 'fact-check without a subject picture');
        return { record: null, media: [], review: reviewed };
      }
      const needsReview = g.needsContext || !n.verdictKnown;
      if (needsReview) {
        const reason = g.needsContext
          ? 'missing context, but the record gives no original context (originalMediaContextDescription): add it'
          : `rating not understood: "${String(Object.values(n.entry!.verdict.textualRating)[0])}" (label guessed as ${n.entry!.verdict.label})`;
        for (const m of unique) {
          toReview({ media: m.file, file: m.file, reason });
          reviewed++;
        }
        return { record: null, media: [], review: reviewed };
      }
      summary.mediaInFeed += unique.length;
      const record: Record<string, unknown> = {
        ...n.review,
        ...(n.review.inLanguage ? {} : { inLanguage: n.entry!.factCheck.inLanguage }),
        id: n.entry!.id,
        media: unique.map((m) => (m.type ? { file: m.file, type: m.type } : m.file)),
      };
      return { record, media: unique, review: reviewed };
    }

    summary.entries = out.length;
    fs.writeFileSync(path.join(o.out, 'reviews.json'), `${JSON.stringify({ feed: o.feed, reviews: out }, null, 1)}\n`);
    fs.writeFileSync(path.join(o.out, 'review.json'), `${JSON.stringify(reviewList, null, 1)}\n`);
    summary.requests = fetcher.requests;
    return summary;
  } finally {
    await fetcher.close();
  }
}
