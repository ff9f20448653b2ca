/**
 * `harvest`: what fact-checkers already publish → media files + reviews.json for `build`, and a
 * review list (review.json) of what a person should look at first. See src/harvest/run.ts.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { harvest } from '../../harvest/run';
import type { Command } from '../command';

const HELP = `usage: already-debunked harvest --feed FEED.json --out DIR [--input FILE_OR_URL]... [--page URL]... [--pages FILE]
                                 [--publisher NAME_OR_HOST]... [--since YYYY-MM-DD]
                                 [--contact URL] [--rate SECONDS] [--no-article-pages] [--allow-loopback]

Reads ClaimReview / MediaReview records in any of the shapes they are published in:
  a schema.org DataFeed (e.g. the Data Commons fact-check feed), a Fact-Check Insights export
  (JSON or CSV), a Fact Check Tools API claims:search answer, or JSON-LD; and fact-check article
  pages (--page, or --pages FILE with one URL a line), read for their JSON-LD.
Fetches the media each record is about (MediaReview contentUrl, the claim's appearances, and the
article's pictures only where they are the subject; never logos, author photos or illustrations),
into DIR/media, and writes DIR/reviews.json (give it to \`build --input\`) and DIR/review.json
(pictures a person should check: stamped, side by side, uncertain, unread ratings).
A cache in DIR/.cache (or --cache DIR) makes a rerun download only what changed.

FEED.json: { "id", "name": {"en": …}, "publisher": {"name", "url"}, "reportEndpoint"? }
--publisher    keep only records by this publisher (its name or its site's host; repeatable):
               a desk's own checks out of an aggregator's DataFeed
--since        keep only records published on or after this date
--contact      a URL for site owners, sent in the User-Agent (default: the project's page)
--rate         seconds between two requests to one host (default 1)
--allow-loopback  fetch from 127.0.0.1 / localhost (tests and local demos only)`;

export const harvestCommand: Command = {
  name: 'harvest',
  summary: 'published ClaimReview/MediaReview + their media → reviews.json for build',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        feed: { type: 'string' },
        out: { type: 'string' },
        input: { type: 'string', multiple: true, default: [] },
        page: { type: 'string', multiple: true, default: [] },
        pages: { type: 'string' },
        cache: { type: 'string' },
        contact: { type: 'string' },
        rate: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '20' },
        retries: { type: 'string', default: '3' },
        'no-article-pages': { type: 'boolean', default: false },
        publisher: { type: 'string', multiple: true, default: [] },
        since: { type: 'string' },
        'allow-loopback': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return (io.out(HELP), 0);
    const pages = [...values.page!, ...(values.pages ? fs.readFileSync(values.pages, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')) : [])];
    if (!values.feed || !values.out || (!values.input!.length && !pages.length)) return (io.err(HELP), 2);
    if (values.since && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) throw new Error('--since takes a date, YYYY-MM-DD');
    const feed = JSON.parse(fs.readFileSync(values.feed, 'utf8')) as Record<string, unknown>;
    const num = (s: string, name: string) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
      return n;
    };
    const s = await harvest({
      inputs: values.input!,
      pages,
      feed,
      out: values.out,
      ...(values.cache ? { cacheDir: values.cache } : {}),
      articlePages: !values['no-article-pages'],
      publishers: values.publisher!,
      ...(values.since ? { since: values.since } : {}),
      fetcher: {
        allowLoopback: values['allow-loopback'],
        ...(values.contact ? { contact: values.contact } : {}),
        hostIntervalMs: num(values.rate!, 'rate') * 1000,
        timeoutMs: num(values.timeout!, 'timeout') * 1000,
        retries: num(values.retries!, 'retries'),
      },
      log: (line) => io.err(line),
    });
    for (const p of s.problems) io.err(p);
    io.out(`records read: ${s.recordsRead} (${s.badRecords} bad, listed above)`);
    io.out(`pages fetched: ${s.pagesFetched}; media fetched: ${s.mediaFetched} new, ${s.mediaFromCache} unchanged (cache); requests: ${s.requests}`);
    io.out(`entries written: ${s.entries} with ${s.mediaInFeed} media (${s.peeled} pictures cut out of post screenshots) → ${values.out}/reviews.json`);
    io.out(`sent to review: ${s.sentToReview} → ${values.out}/review.json`);
    const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
    io.out(`skipped: ${skipped.reduce((n, [, c]) => n + c, 0)}`);
    for (const [reason, count] of skipped) io.out(`  ${String(count).padStart(5)}  ${reason}`);
    return s.entries || s.sentToReview ? 0 : 1;
  },
};
