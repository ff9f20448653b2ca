/**
 * The importer's limit of 200,000 reviews per input (docs/harvest.md: "A bad record is never
 * dropped silently"; the limit and its problem line are documented there). Reviews past the limit
 * are not imported, and the desk hears of it: one problem at the first review left out, saying how
 * many were left out. Before this, JSON-LD dropped them without a word, a DataFeed or an array
 * called each of them "not a ClaimReview or MediaReview", CSV, the Fact Check Tools answer and JSON
 * Lines had no limit at all. Records are Google's ClaimReview markup example (as in
 * import-shapes.test.ts); expected values from the documented rule: 200,000 kept, the rest counted.
 */
import { describe, expect, it } from 'vitest';
import { recordsFromCsv, recordsFromJson, recordsFromJsonLdScripts, recordsFromText } from '../../../../src/core/feed/import';

const LIMIT = 200_000; // docs/harvest.md
const claimReview = {
  '@context': 'https://schema.org',
  '@type': 'ClaimReview',
  url: 'https://example.com/news/science/worldisflat.html',
  claimReviewed: 'The world is flat',
  datePublished: '2016-06-22',
  author: { '@type': 'Organization', name: 'Example.com science watch' },
  reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'False' },
};
const past = (n: number) => `${n} more review${n === 1 ? '' : 's'} past the limit of 200000 per input: not imported (split the input)`;

describe('the importer\'s limit of 200,000 reviews per input', () => {
  it('an array of JSON-LD reviews: 200,000 kept, the rest one problem where they start', () => {
    const { records, problems } = recordsFromJson(Array.from({ length: LIMIT + 3 }, () => claimReview));
    expect(records).toHaveLength(LIMIT);
    expect(records.at(-1)!.at).toBe('[199999]');
    expect(problems).toEqual([{ at: '[200000]', path: '', message: past(3) }]);
  });

  it('exactly 200,000 reviews: all kept, no problem', () => {
    const { records, problems } = recordsFromJson(Array.from({ length: LIMIT }, () => claimReview));
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([]);
  });

  it('a page\'s @graph: the review past the limit is reported (it was dropped silently)', () => {
    const graph = JSON.stringify({ '@context': 'https://schema.org', '@graph': Array.from({ length: LIMIT + 1 }, () => claimReview) });
    const { records, problems } = recordsFromJsonLdScripts([graph]);
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([{ at: 'script[0].@graph[200000]', path: '', message: past(1) }]);
  });

  it('a DataFeed: the items past the limit are reviews left out, not "not a ClaimReview"', () => {
    const feed = { '@context': 'http://schema.org', '@type': 'DataFeed', dataFeedElement: Array.from({ length: LIMIT + 2 }, () => ({ '@type': 'DataFeedItem', item: claimReview })) };
    const { records, problems } = recordsFromJson(feed);
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([{ at: 'dataFeedElement[200000].item[0]', path: '', message: past(2) }]);
  });

  it('a linked review past the limit counts too', () => {
    const linked = { ...claimReview, associatedMediaReview: { '@type': 'MediaReview', mediaAuthenticityCategory: 'DecontextualizedContent' } };
    const list = [...Array.from({ length: LIMIT - 1 }, () => claimReview), linked];
    const { records, problems } = recordsFromJson(list);
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([{ at: '[199999].associatedMediaReview[0]', path: '', message: past(1) }]);
  });

  it('a Fact-Check Insights CSV export: rows past the limit reported', () => {
    const csv = ['claimReviewed,reviewRating.alternateName,url', ...Array.from({ length: LIMIT + 1 }, () => 'The world is flat,False,https://a.example/1'), ''].join('\r\n');
    const { records, problems } = recordsFromCsv(csv);
    expect(records).toHaveLength(LIMIT);
    // Row 1 is the header: the 200,001st review is row 200,002.
    expect(problems).toEqual([{ at: 'row 200002', path: '', message: past(1) }]);
  });

  it('the Fact Check Tools answer: claimReview items past the limit reported', () => {
    const review = { publisher: { name: 'PolitiFact', site: 'politifact.com' }, url: 'https://www.politifact.com/x', title: 't', reviewDate: '2024-01-02T00:00:00Z', textualRating: 'False', languageCode: 'en' };
    const claims = Array.from({ length: LIMIT / 2 }, () => ({ text: 'The world is flat', claimReview: [review, review] }));
    claims.push({ text: 'The world is flat', claimReview: [review, review, review] });
    const { records, problems } = recordsFromJson({ claims });
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([{ at: 'claims[100000].claimReview[0]', path: '', message: past(3) }]);
  });

  it('JSON Lines: the limit is the file\'s, not each line\'s', () => {
    const text = Array.from({ length: LIMIT + 2 }, () => JSON.stringify(claimReview)).join('\n');
    const { records, problems } = recordsFromText(text);
    expect(records).toHaveLength(LIMIT);
    expect(problems).toEqual([{ at: 'line 200001', path: '', message: past(2) }]);
  });
});
