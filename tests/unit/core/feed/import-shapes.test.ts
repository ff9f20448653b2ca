/**
 * The importer's shape detection and problem reports, one shape at a time (src/core/feed/import).
 * Records are written the way their publishers write them: Google's ClaimReview markup example
 * (developers.google.com/search/docs/appearance/structured-data/factcheck), schema.org's
 * MediaReview / DataFeed, the Fact Check Tools API's `claims:search` answer (its REST reference:
 * `claims[].claimReview[]` of `{publisher {name, site}, url, title, reviewDate, textualRating,
 * languageCode}`; `site` is a host name such as "politifact.com"), Yoast-style `@graph` pages,
 * CSV as RFC 4180 writes it (CRLF, quoted fields, `""` inside quotes, line breaks in quotes) and
 * JSON Lines (jsonlines.org: one JSON value a line). Every expected value is written by hand from
 * those shapes and docs/harvest.md ("a bad record is never dropped silently": where, field, problem).
 */
import { describe, expect, it } from 'vitest';
import { mediaRefs, normalise, parseJsonLenient, recordsFromCsv, recordsFromJson, recordsFromJsonLdScripts, recordsFromText } from '../../../../src/core/feed/import';
import { googleClaimReview } from './fixtures';

const claimReview = googleClaimReview;

/** A MediaReview as schema.org's examples write it (no reviewRating: the category is the verdict). */
const mediaReview = (over: Record<string, unknown> = {}) => ({
  '@context': 'https://schema.org',
  '@type': 'MediaReview',
  url: 'https://factcheck.example.org/video-2017',
  datePublished: '2024-05-02',
  author: { '@type': 'Organization', name: 'Example Fact Check' },
  mediaAuthenticityCategory: 'DecontextualizedContent',
  originalMediaContextDescription: 'Filmed in Houston in August 2017.',
  itemReviewed: {
    '@type': 'MediaReviewItem',
    interpretedAsClaim: { '@type': 'Claim', description: "Video shows this week's flooding in Miami" },
    mediaItemAppearance: [{ '@type': 'VideoObjectSnapshot', contentUrl: 'https://x.com/someone/status/1790000000000000000' }],
  },
  ...over,
});

const NOT_A_REVIEW = 'not a ClaimReview or MediaReview';
const NONE_FOUND = { at: '', path: '@type', message: 'no ClaimReview or MediaReview found' };

describe('parseJsonLenient: JSON-LD as pages wrap it', () => {
  it('reads a script wrapped in an HTML comment, with the page\'s indentation around it', () => {
    expect(parseJsonLenient('\n    <!-- {"@type": "ClaimReview", "url": "https://a.example/"} -->\n  ')).toEqual({ '@type': 'ClaimReview', url: 'https://a.example/' });
  });
  it('leaves comment and CDATA markers inside strings alone (only the wrapping ones go)', () => {
    expect(parseJsonLenient('{"a":"<!--b-->"}')).toEqual({ a: '<!--b-->' });
    expect(parseJsonLenient('{"a":"//<![CDATA[x//]]>"}')).toEqual({ a: '//<![CDATA[x//]]>' });
    expect(parseJsonLenient('{"a":"x;y"};')).toEqual({ a: 'x;y' });
  });
  it('reads a CDATA-wrapped script, with or without spaces after the slashes', () => {
    expect(parseJsonLenient('//<![CDATA[\n{"a":1}\n//]]>')).toEqual({ a: 1 });
    expect(parseJsonLenient('  //  <![CDATA[ {"a":2} //  ]]>  ')).toEqual({ a: 2 });
  });
  it('drops a trailing semicolon (a script written as a statement)', () => {
    expect(parseJsonLenient('{"a":1};')).toEqual({ a: 1 });
    expect(parseJsonLenient('[1,2] ;')).toEqual([1, 2]);
  });
  it('reads raw line breaks inside strings as one space each run', () => {
    expect(parseJsonLenient('{"claimReviewed":"line one\r\nline two\tend"}')).toEqual({ claimReviewed: 'line one line two end' });
  });
  it('still refuses what is not JSON', () => {
    expect(() => parseJsonLenient('{"@type": "ClaimReview", ')).toThrow(SyntaxError);
    expect(() => parseJsonLenient('<!-- not json -->')).toThrow(SyntaxError);
  });
});

describe('page JSON-LD: where reviews sit in a page', () => {
  it('reports a script that is not JSON by its index, and reads the others', () => {
    const { records, problems } = recordsFromJsonLdScripts(['{"@type": "ClaimReview",', JSON.stringify(claimReview())]);
    expect(records.map((r) => [r.at, r.shape])).toEqual([['script[1]', 'json-ld']]);
    expect(problems).toEqual([{ at: 'script[0]', path: '(json)', message: expect.stringMatching(/^not JSON: \S/) }]);
  });

  it('finds reviews under mainEntity, hasPart, review and an ItemList\'s items', () => {
    const page = { '@context': 'https://schema.org', '@type': 'WebPage', mainEntity: claimReview({ url: 'https://a.example/1' }) };
    const article = { '@type': 'NewsArticle', hasPart: [claimReview({ url: 'https://a.example/2' })], review: claimReview({ url: 'https://a.example/3' }) };
    const list = { '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', position: 1, item: claimReview({ url: 'https://a.example/4' }) }] };
    const { records, problems } = recordsFromJsonLdScripts([JSON.stringify(page), JSON.stringify(article), JSON.stringify(list)]);
    expect(records.map((r) => [r.at, r.review.url])).toEqual([
      ['script[0].mainEntity', 'https://a.example/1'],
      ['script[1].hasPart[0]', 'https://a.example/2'],
      ['script[1].review', 'https://a.example/3'],
      ['script[2].itemListElement[0].item', 'https://a.example/4'],
    ]);
    expect(problems).toEqual([]);
  });

  it('a linked MediaReview is a record of its own, taking what it leaves out from the ClaimReview around it', () => {
    const inner = { '@type': 'MediaReview', mediaAuthenticityCategory: 'EditedOrCroppedContent', itemReviewed: { '@type': 'MediaReviewItem' } };
    const own = { '@type': 'MediaReview', url: 'https://b.example/own', author: { '@type': 'Organization', name: 'Other desk' }, mediaAuthenticityCategory: 'StagedContent' };
    const outer = claimReview({ inLanguage: 'en', headline: 'The world is not flat', publisher: { '@type': 'Organization', name: 'Example.com' }, associatedMediaReview: [{ '@type': 'ImageObject', contentUrl: 'https://a.example/x.jpg' }, inner, own] });
    const { records } = recordsFromJsonLdScripts([JSON.stringify(outer)]);
    expect(records.map((r) => r.at)).toEqual(['script[0]', 'script[0].associatedMediaReview[1]', 'script[0].associatedMediaReview[2]']);
    expect(records[1]!.review).toEqual({
      ...inner,
      url: 'https://example.com/news/science/worldisflat.html',
      author: { '@type': 'Organization', name: 'Example.com science watch' },
      publisher: { '@type': 'Organization', name: 'Example.com' },
      datePublished: '2016-06-22',
      inLanguage: 'en',
      headline: 'The world is not flat',
    });
    // What the linked review says itself is kept.
    expect(records[2]!.review).toMatchObject({ url: 'https://b.example/own', author: { name: 'Other desk' }, datePublished: '2016-06-22' });
  });

  it('a MediaReview\'s associatedClaimReview (one object, not a list) is read too', () => {
    const mr = mediaReview({ associatedClaimReview: { '@type': 'ClaimReview', claimReviewed: 'Video shows Miami this week', reviewRating: { '@type': 'Rating', alternateName: 'Missing context' } } });
    const { records } = recordsFromJsonLdScripts([JSON.stringify(mr)]);
    expect(records.map((r) => [r.at, r.review['@type'], r.review.url])).toEqual([
      ['script[0]', 'MediaReview', 'https://factcheck.example.org/video-2017'],
      ['script[0].associatedClaimReview[0]', 'ClaimReview', 'https://factcheck.example.org/video-2017'],
    ]);
  });

  it('resolves @id references (Yoast-style graph), a node used twice both times, a cycle cut at the review', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', '@id': 'https://site.example/a/#webpage', url: 'https://site.example/a/', mainEntity: { '@id': 'https://site.example/a/#claimreview' } },
        {
          '@type': 'ClaimReview',
          '@id': 'https://site.example/a/#claimreview',
          url: 'https://site.example/a/',
          claimReviewed: 'x',
          mainEntityOfPage: { '@id': 'https://site.example/a/#webpage' },
          author: { '@id': 'https://site.example/#org' },
          publisher: { '@id': 'https://site.example/#org' },
          // a node with its own fields beside @id is not a reference; an unknown @id stays as written
          sourceOrganization: { '@id': 'https://site.example/#org', name: 'Local name' },
          isPartOf: { '@id': 'https://elsewhere.example/#site' },
        },
        { '@type': 'Organization', '@id': 'https://site.example/#org', name: 'Site Example', url: 'https://site.example/' },
      ],
    };
    const { records, problems } = recordsFromJsonLdScripts([JSON.stringify(graph)]);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.at)).toEqual(['script[0].@graph[1]']);
    const org = { '@type': 'Organization', '@id': 'https://site.example/#org', name: 'Site Example', url: 'https://site.example/' };
    expect(records[0]!.review).toEqual({
      '@type': 'ClaimReview',
      '@id': 'https://site.example/a/#claimreview',
      url: 'https://site.example/a/',
      claimReviewed: 'x',
      mainEntityOfPage: { '@type': 'WebPage', '@id': 'https://site.example/a/#webpage', url: 'https://site.example/a/', mainEntity: { '@id': 'https://site.example/a/#claimreview' } },
      author: org,
      publisher: org,
      sourceOrganization: { '@id': 'https://site.example/#org', name: 'Local name' },
      isPartOf: { '@id': 'https://elsewhere.example/#site' },
    });
  });

  it('resolves references down to 12 levels into a review, not deeper (the depth limit)', () => {
    const nested = (levels: number) => {
      let v: unknown = { '@id': '#org' };
      for (let i = 0; i < levels; i++) v = { about: v };
      return v;
    };
    const org = { '@type': 'Organization', '@id': '#org', name: 'Org' };
    const at = (v: unknown, levels: number) => {
      for (let i = 0; i < levels; i++) v = (v as { about: unknown }).about;
      return v;
    };
    const { records } = recordsFromJsonLdScripts([JSON.stringify({ '@graph': [org, claimReview({ about: nested(11) }), claimReview({ about: nested(12) })] })]);
    expect(at(records[0]!.review, 12)).toEqual(org);
    expect(at(records[1]!.review, 13)).toEqual({ '@id': '#org' });
  });

  it('finds a review 12 levels down, not 13', () => {
    const wrap = (levels: number) => {
      let v: unknown = claimReview();
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(recordsFromJsonLdScripts([JSON.stringify(wrap(12))]).records.map((r) => r.at)).toEqual([`script[0]${'[0]'.repeat(12)}`]);
    expect(recordsFromJsonLdScripts([JSON.stringify(wrap(13))]).records).toEqual([]);
  });
});

describe('Fact Check Tools claims:search', () => {
  const api = {
    claims: [
      {
        text: 'Photo shows the flood in Valencia this week',
        claimant: 'Viral post',
        claimDate: '2024-11-01T00:00:00Z',
        claimReview: [{ publisher: { name: 'PolitiFact', site: 'politifact.com' }, url: 'https://www.politifact.com/factchecks/2024/nov/02/x/', title: 'Photo is from 2019', reviewDate: '2024-11-02T10:00:00Z', textualRating: 'False', languageCode: 'en' }],
      },
      'not a claim',
      { text: 'A claim nobody reviewed', claimReview: [] },
      {
        text: 'Video shows the summit',
        claimant: '   ',
        claimReview: [null, { publisher: { site: 'https://www.snopes.com' }, url: 'https://www.snopes.com/fact-check/x/', title: 'Miscaptioned', reviewDate: '2024-01-01T00:00:00Z', textualRating: 'Miscaptioned', languageCode: 'en' }],
      },
      { text: 'One review, not a list', claimReview: { publisher: { name: 'Full Fact', site: 'fullfact.org' }, url: 'https://fullfact.org/online/x/', textualRating: 'Incorrect', languageCode: 'en' } },
    ],
    nextPageToken: 'CAo',
  };

  it('maps each claimReview back to schema.org and reports each bad claim by index and field', () => {
    const { records, problems } = recordsFromJson(api);
    expect(records.map((r) => [r.at, r.shape])).toEqual([
      ['claims[0].claimReview[0]', 'fact-check-tools'],
      ['claims[3].claimReview[1]', 'fact-check-tools'],
      ['claims[4].claimReview[0]', 'fact-check-tools'],
    ]);
    expect(problems).toEqual([
      { at: 'claims[1]', path: '', message: 'not an object' },
      { at: 'claims[2]', path: 'claimReview', message: 'no review' },
      { at: 'claims[3].claimReview[0]', path: '', message: 'not an object' },
    ]);
    expect(records[0]!.review).toEqual({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: 'https://www.politifact.com/factchecks/2024/nov/02/x/',
      headline: 'Photo is from 2019',
      datePublished: '2024-11-02T10:00:00Z',
      inLanguage: 'en',
      author: { '@type': 'Organization', name: 'PolitiFact', url: 'https://politifact.com' },
      reviewRating: { '@type': 'Rating', alternateName: 'False' },
      claimReviewed: 'Photo shows the flood in Valencia this week',
      itemReviewed: { '@type': 'Claim', author: { '@type': 'Person', name: 'Viral post' }, datePublished: '2024-11-01T00:00:00Z' },
    });
    // No publisher name: the site names it; a site given as a URL is kept; a blank claimant and no date: no author, no date.
    expect(records[1]!.review.author).toEqual({ '@type': 'Organization', name: 'https://www.snopes.com', url: 'https://www.snopes.com' });
    expect(records[1]!.review.itemReviewed).toEqual({ '@type': 'Claim' });
    expect(records[2]!.review).toMatchObject({ author: { name: 'Full Fact', url: 'https://fullfact.org' }, claimReviewed: 'One review, not a list' });
  });

  it('a claim with no claimReview field at all is reported', () => {
    expect(recordsFromJson({ claims: [{ text: 'x' }] }).problems).toEqual([{ at: 'claims[0]', path: 'claimReview', message: 'no review' }]);
  });

  it('an empty answer (no claims found) has neither records nor problems', () => {
    expect(recordsFromJson({ claims: [] })).toEqual({ records: [], problems: [] });
  });
});

describe('DataFeed', () => {
  it('items as one object, a bare review as an element, empty and non-review items reported', () => {
    const feed = {
      '@context': 'http://schema.org',
      '@type': 'DataFeed',
      dataFeedElement: [
        { '@type': 'DataFeedItem', item: claimReview({ url: 'https://a.example/0' }) },
        claimReview({ url: 'https://a.example/1' }),
        { '@type': 'DataFeedItem', dateCreated: '2026-11-18T10:00:00.000Z' },
        'https://a.example/not-an-item',
        { '@type': 'DataFeedItem', item: [{ '@type': 'Organization', name: 'x' }, mediaReview({ url: 'https://a.example/4' })] },
      ],
    };
    const { records, problems } = recordsFromJson(feed);
    expect(records.map((r) => [r.at, r.shape, r.review.url])).toEqual([
      ['dataFeedElement[0].item[0]', 'data-feed', 'https://a.example/0'],
      ['dataFeedElement[1].item[0]', 'data-feed', 'https://a.example/1'],
      ['dataFeedElement[4].item[1]', 'data-feed', 'https://a.example/4'],
    ]);
    expect(problems).toEqual([
      { at: 'dataFeedElement[2]', path: 'item', message: 'empty DataFeedItem (no review)' },
      { at: 'dataFeedElement[3]', path: 'item', message: 'empty DataFeedItem (no review)' },
      { at: 'dataFeedElement[4].item[0]', path: '@type', message: NOT_A_REVIEW },
    ]);
  });

  it('is recognised by its @type (prefixed) when dataFeedElement is a single item', () => {
    const { records, problems } = recordsFromJson({ '@context': 'http://schema.org', '@type': 'schema:DataFeed', dataFeedElement: { '@type': 'DataFeedItem', item: claimReview() } });
    expect(records.map((r) => [r.at, r.shape])).toEqual([['dataFeedElement[0].item[0]', 'data-feed']]);
    expect(problems).toEqual([]);
  });

  it('is recognised by its dataFeedElement list when @type is missing', () => {
    const { records } = recordsFromJson({ dataFeedElement: [{ item: claimReview() }] });
    expect(records.map((r) => [r.at, r.shape])).toEqual([['dataFeedElement[0].item[0]', 'data-feed']]);
  });

  it('an item holding a graph has its references resolved within the item', () => {
    const item = { '@graph': [{ '@type': 'Organization', '@id': '#org', name: 'Graph Org' }, claimReview({ author: { '@id': '#org' } })] };
    const { records } = recordsFromJson({ '@type': 'DataFeed', dataFeedElement: [{ '@type': 'DataFeedItem', item }] });
    expect(records.map((r) => r.at)).toEqual(['dataFeedElement[0].item[0].@graph[1]']);
    expect(records[0]!.review.author).toEqual({ '@type': 'Organization', '@id': '#org', name: 'Graph Org' });
  });
});

describe('Fact-Check Insights JSON and plain JSON-LD arrays', () => {
  it('a wrapper object: each array read, untyped records typed by their fields', () => {
    const insightsRecord = { id: '6c4f3a30-2ec1-4e2e-9b57-41ad876223e5', claimReviewed: 'x', reviewRating: { alternateName: 'False' }, url: 'https://a.example/1' };
    const media = { id: '7d5e4b41-3fd2-4f3f-8c68-52be987334f6', mediaAuthenticityCategory: 'EditedOrCroppedContent', claimReviewed: 'y', url: 'https://a.example/2' };
    const { records, problems } = recordsFromJson({ count: 3, reviews: [insightsRecord, media, 'junk'], source: { name: 'Fact-Check Insights' } });
    expect(records.map((r) => [r.at, r.shape, r.review['@type']])).toEqual([
      ['reviews[0]', 'fact-check-insights', 'ClaimReview'],
      ['reviews[1]', 'fact-check-insights', 'MediaReview'],
    ]);
    expect(records[0]!.review).toEqual({ ...insightsRecord, '@type': 'ClaimReview' });
    expect(problems).toEqual([{ at: 'reviews[2]', path: '@type', message: NOT_A_REVIEW }]);
  });

  it('an array of typed reviews with Duke\'s id is an Insights export', () => {
    const { records } = recordsFromJson([{ ...claimReview(), id: '8e6f5c52-40e3-4a40-9d79-63cf098445a7' }]);
    expect(records.map((r) => [r.at, r.shape])).toEqual([['[0]', 'fact-check-insights']]);
  });

  it('an array of JSON-LD reviews (with @context, no id) is JSON-LD; an untyped one is still typed by its fields', () => {
    const untyped = { '@context': 'https://schema.org', claimReviewed: 'z', reviewRating: { '@type': 'Rating', alternateName: 'Fake' } };
    const { records, problems } = recordsFromJson([claimReview(), untyped, 42]);
    expect(records.map((r) => [r.at, r.shape, r.review['@type']])).toEqual([
      ['[0]', 'json-ld', 'ClaimReview'],
      ['[1]', 'json-ld', 'ClaimReview'],
    ]);
    expect(problems).toEqual([{ at: '[2]', path: '@type', message: NOT_A_REVIEW }]);
  });

  it('a page\'s @graph document is read as JSON-LD: the other nodes are not problems', () => {
    const doc = { '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage', '@id': '#p' }, claimReview({ author: { '@id': '#o' } }), { '@type': 'Organization', '@id': '#o', name: 'O' }] };
    const { records, problems } = recordsFromJson(doc);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.at, r.shape])).toEqual([['@graph[1]', 'json-ld']]);
    expect(records[0]!.review.author).toEqual({ '@type': 'Organization', '@id': '#o', name: 'O' });
  });

  it('a single review with a list of linked reviews is one review and its links, not a list of them', () => {
    const linked = { '@type': 'MediaReview', mediaAuthenticityCategory: 'TransformedContent' };
    const { records, problems } = recordsFromJson(claimReview({ associatedMediaReview: [linked] }));
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.at, r.shape, r.review['@type']])).toEqual([
      ['', 'json-ld', 'ClaimReview'],
      ['associatedMediaReview[0]', 'json-ld', 'MediaReview'],
    ]);
  });

  it('nothing to read is one problem for the whole document', () => {
    expect(recordsFromJson([])).toEqual({ records: [], problems: [NONE_FOUND] });
    expect(recordsFromJson([{ '@type': 'Organization', name: 'x' }])).toEqual({ records: [], problems: [NONE_FOUND] });
    expect(recordsFromJson({ '@type': 'WebPage', name: 'x' })).toEqual({ records: [], problems: [NONE_FOUND] });
    expect(recordsFromJson('a string')).toEqual({ records: [], problems: [NONE_FOUND] });
  });
});

describe('CSV (RFC 4180) exports', () => {
  const CRLF = '\r\n';
  it('rebuilds each row from its dot-path header: quotes, doubled quotes, line breaks in quotes, JSON cells, both index forms', () => {
    const csv = [
      '@type,claimReviewed,reviewRating.alternateName,itemReviewed.appearance.0.url,itemReviewed.appearance[1].url,author,url,mediaAuthenticityCategory',
      'ClaimReview,"He said ""never""",False,https://x.com/a/status/1,https://x.com/a/status/2,"{""@type"":""Organization"",""name"":""Desk""}",https://desk.example/1,',
      ',"Multi\r\nline claim",Pants on Fire!, , ,[not json, ,',
      ',,,,,,,',
      ',Video shows the flood,,,,,https://desk.example/4,DecontextualizedContent',
      '',
    ].join(CRLF);
    const { records, problems } = recordsFromText(csv);
    expect(records.map((r) => [r.at, r.shape])).toEqual([
      ['row 2', 'fact-check-insights'],
      ['row 3', 'fact-check-insights'],
      ['row 5', 'fact-check-insights'],
    ]);
    expect(records[0]!.review).toEqual({
      '@type': 'ClaimReview',
      claimReviewed: 'He said "never"',
      reviewRating: { alternateName: 'False' },
      itemReviewed: { appearance: [{ url: 'https://x.com/a/status/1' }, { url: 'https://x.com/a/status/2' }] },
      author: { '@type': 'Organization', name: 'Desk' },
      url: 'https://desk.example/1',
    });
    // Blank cells are absent, text that only starts with a bracket stays text, the type is read from the fields.
    expect(records[1]!.review).toEqual({ '@type': 'ClaimReview', claimReviewed: 'Multi\r\nline claim', reviewRating: { alternateName: 'Pants on Fire!' }, author: '[not json' });
    expect(records[2]!.review).toEqual({ '@type': 'MediaReview', claimReviewed: 'Video shows the flood', url: 'https://desk.example/4', mediaAuthenticityCategory: 'DecontextualizedContent' });
    expect(problems).toEqual([{ at: 'row 4', path: '@type', message: NOT_A_REVIEW }]);
  });

  it('array indexes: a name that is not a number and an index over 1000 are ignored, 1000 is kept', () => {
    const csv = 'claimReviewed,itemReviewed.appearance.0.url,itemReviewed.appearance.url,itemReviewed.appearance.1001.url\nx,https://x.com/a/status/1,https://x.com/a/status/9,https://x.com/a/status/1001\n';
    expect(recordsFromCsv(csv).records[0]!.review.itemReviewed).toEqual({ appearance: [{ url: 'https://x.com/a/status/1' }] });
    const kept = recordsFromCsv('claimReviewed,itemReviewed.appearance.1000.url\nx,https://x.com/a/status/1000\n').records[0]!.review.itemReviewed as { appearance: unknown[] };
    expect(kept.appearance).toHaveLength(1001);
    expect(kept.appearance[1000]).toEqual({ url: 'https://x.com/a/status/1000' });
  });

  it('a byte order mark, short rows and blank lines are read as a spreadsheet shows them', () => {
    const { records, problems } = recordsFromCsv('\uFEFFclaimReviewed,url,inLanguage\r\nA claim,https://a.example/1\r\n\r\nAnother,https://a.example/2,en\r\n');
    expect(problems).toEqual([]);
    expect(records.map((r) => r.review)).toEqual([
      { '@type': 'ClaimReview', claimReviewed: 'A claim', url: 'https://a.example/1' },
      { '@type': 'ClaimReview', claimReviewed: 'Another', url: 'https://a.example/2', inLanguage: 'en' },
    ]);
  });

  it('an unclosed quote is one problem for the file, with the parser\'s reason', () => {
    expect(recordsFromCsv('claimReviewed,url\n"unclosed,https://a.example/1\n')).toEqual({ records: [], problems: [{ at: 'csv', path: '', message: expect.stringMatching(/^Quote Not Closed/) }] });
  });

  it('an empty file or a header alone has no rows', () => {
    expect(recordsFromCsv('')).toEqual({ records: [], problems: [] });
    expect(recordsFromCsv('claimReviewed,url\r\n')).toEqual({ records: [], problems: [] });
  });
});

describe('recordsFromText: which format a file is', () => {
  const cr = JSON.stringify(claimReview());
  it('JSON with leading white space and commas is JSON, not CSV', () => {
    expect(recordsFromText(`\n  [${cr}, ${cr}]`).records.map((r) => r.at)).toEqual(['[0]', '[1]']);
  });
  it('a byte order mark before JSON is skipped', () => {
    expect(recordsFromText(`\uFEFF${cr}`).records.map((r) => [r.at, r.shape])).toEqual([['', 'json-ld']]);
  });
  it('a .csv name (any case) means CSV even without commas; .csv inside a longer name does not', () => {
    expect(recordsFromText('claimReviewed\r\nThe world is flat\r\n', 'EXPORT.CSV').records.map((r) => r.at)).toEqual(['row 2']);
    expect(recordsFromText(`[${cr}]`, 'reviews.csv.json').records.map((r) => r.at)).toEqual(['[0]']);
  });
  it('text with neither JSON nor commas is one problem', () => {
    const one = recordsFromText('hello');
    expect(one.records).toEqual([]);
    expect(one.problems).toEqual([{ at: '', path: '(json)', message: expect.stringMatching(/^not JSON or CSV: \S/) }]);
    // Two lines that do not start with "{" are not JSON Lines either.
    expect(recordsFromText('hello\nworld').problems).toEqual([{ at: '', path: '(json)', message: expect.stringMatching(/^not JSON or CSV: /) }]);
    // One broken JSON line, blank lines around it: not JSON Lines.
    expect(recordsFromText('{"@type": "ClaimReview"\n\n\n').problems).toEqual([{ at: '', path: '(json)', message: expect.stringMatching(/^not JSON or CSV: /) }]);
  });

  it('JSON Lines: one record a line, numbered as an editor numbers lines (blank lines counted, CRLF allowed)', () => {
    const badLine = '{not json';
    let reason = '';
    try {
      JSON.parse(badLine);
    } catch (e) {
      reason = (e as Error).message;
    }
    const text = ['', cr, '', JSON.stringify({ '@type': 'DataFeedItem', item: claimReview({ url: 'https://a.example/item' }) }), badLine, '{"@type":"WebPage"}', JSON.stringify({ claims: [{ text: 't' }] }), ''].join('\r\n');
    const { records, problems } = recordsFromText(text);
    expect(records.map((r) => [r.at, r.shape, r.review.url])).toEqual([
      ['line 2', 'json-ld', 'https://example.com/news/science/worldisflat.html'],
      ['line 4.item', 'json-ld', 'https://a.example/item'],
    ]);
    expect(problems).toEqual([
      { at: 'line 5', path: '(json)', message: reason },
      { at: 'line 6', path: '@type', message: 'no ClaimReview or MediaReview found' },
      { at: 'line 7.claims[0]', path: 'claimReview', message: 'no review' },
    ]);
  });
});

describe('mediaRefs: every media URL a record names', () => {
  it('reads appearances of each item in order, with where each came from', () => {
    const review = {
      '@type': 'MediaReview',
      itemReviewed: [
        {
          '@type': 'MediaReviewItem',
          mediaItemAppearance: [
            'https://pbs.twimg.com/media/A.jpg',
            {
              '@type': ['VideoObjectSnapshot'],
              contentUrl: ' https://video.example/1.mp4 ',
              archivedAt: 'https://web.archive.org/web/2024/https://video.example/1.mp4',
              embedUrl: 'https://www.youtube.com/embed/abc',
              sha256: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
            },
            { '@type': 'AudioObject', contentUrl: 'https://audio.example/1.mp3', sha256: 'abc' },
            42,
          ],
        },
        {
          '@type': 'Claim',
          appearance: [{ url: 'https://x.com/b/status/2', contentUrl: 'https://i.example/2-not.jpg' }, { contentUrl: 'https://i.example/2.jpg' }, 'https://x.com/c/status/3', { url: 'ftp://files.example/4' }],
          firstAppearance: { '@type': 'ImageObject', contentUrl: 'https://i.example/first.jpg' },
        },
      ],
      originalMediaLink: [{ '@type': 'VideoObject', contentUrl: 'https://orig.example/1.mp4', url: 'https://orig.example/page' }, { url: 'https://orig.example/page2' }, 'HTTPS://orig.example/3.jpg'],
    };
    const sha256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const m1 = 'itemReviewed[0].mediaItemAppearance[1]';
    expect(mediaRefs(review)).toEqual([
      { url: 'https://pbs.twimg.com/media/A.jpg', via: 'contentUrl', path: 'itemReviewed[0].mediaItemAppearance[0]' },
      { url: 'https://video.example/1.mp4', via: 'contentUrl', path: `${m1}.contentUrl`, sha256, type: 'video' },
      { url: 'https://web.archive.org/web/2024/https://video.example/1.mp4', via: 'archivedAt', path: `${m1}.archivedAt`, sha256, type: 'video' },
      { url: 'https://www.youtube.com/embed/abc', via: 'embedUrl', path: `${m1}.embedUrl`, sha256, type: 'video' },
      { url: 'https://audio.example/1.mp3', via: 'contentUrl', path: 'itemReviewed[0].mediaItemAppearance[2].contentUrl' },
      { url: 'https://x.com/b/status/2', via: 'appearance', path: 'itemReviewed[1].appearance[0]' },
      { url: 'https://i.example/2.jpg', via: 'appearance', path: 'itemReviewed[1].appearance[1]' },
      { url: 'https://x.com/c/status/3', via: 'appearance', path: 'itemReviewed[1].appearance[2]' },
      { url: 'https://i.example/first.jpg', via: 'firstAppearance', path: 'itemReviewed[1].firstAppearance' },
      { url: 'https://orig.example/1.mp4', via: 'originalMediaLink', path: 'originalMediaLink[0]' },
      { url: 'https://orig.example/page2', via: 'originalMediaLink', path: 'originalMediaLink[1]' },
      { url: 'HTTPS://orig.example/3.jpg', via: 'originalMediaLink', path: 'originalMediaLink[2]' },
    ]);
  });

  it('an image snapshot is an image; a string first appearance and a single item are read', () => {
    expect(mediaRefs({ itemReviewed: { mediaItemAppearance: { '@type': 'ImageObjectSnapshot', contentUrl: 'https://i.example/1.jpg' }, firstAppearance: 'https://x.com/d/status/4' } })).toEqual([
      { url: 'https://i.example/1.jpg', via: 'contentUrl', path: 'itemReviewed.mediaItemAppearance[0].contentUrl', type: 'image' },
      { url: 'https://x.com/d/status/4', via: 'firstAppearance', path: 'itemReviewed.firstAppearance' },
    ]);
    expect(mediaRefs({ itemReviewed: ['https://x.com/not-an-item'], originalMediaLink: null })).toEqual([]);
  });

  it('stops at 50 media a record', () => {
    const appearance = Array.from({ length: 60 }, (_, i) => ({ url: `https://x.com/u/status/${i}` }));
    const refs = mediaRefs({ itemReviewed: { appearance } });
    expect(refs).toHaveLength(50);
    expect(refs[49]!.url).toBe('https://x.com/u/status/49');
  });
});

describe('normalise: is the verdict read or guessed', () => {
  it('a MediaReview category is a known verdict whatever its rating text says', () => {
    const n = normalise({ at: '', shape: 'json-ld', review: mediaReview({ mediaAuthenticityCategory: 'TransformedContent', reviewRating: { '@type': 'Rating', alternateName: 'We looked at this closely.' } }) });
    expect(n.entry!.verdict.label).toBe('altered');
    expect(n.verdictKnown).toBe(true);
  });
  it('a rating a rule reads is known; a record with no entry is not', () => {
    expect(normalise({ at: '', shape: 'json-ld', review: claimReview() }).verdictKnown).toBe(true);
    const bad = normalise({ at: '', shape: 'json-ld', review: { '@type': 'ClaimReview', reviewRating: { alternateName: 'False' } } });
    expect(bad.entry).toBeNull();
    expect(bad.verdictKnown).toBe(false);
  });
});

describe('edges: nulls, references in lists, depth through keys, how a graph collects its nodes', () => {
  it('a null in a page\'s JSON-LD list is skipped, the reviews around it read', () => {
    const { records, problems } = recordsFromJsonLdScripts([JSON.stringify([null, claimReview(), 'text'])]);
    expect(records.map((r) => r.at)).toEqual(['script[0][1]']);
    expect(problems).toEqual([]);
  });

  it('references inside a list are resolved; 13 lists down they are not', () => {
    let deep: unknown = { '@id': '#org' };
    for (let i = 0; i < 12; i++) deep = [deep];
    const org = { '@type': 'Organization', '@id': '#org', name: 'Org' };
    const { records } = recordsFromJsonLdScripts([JSON.stringify({ '@graph': [org, claimReview({ author: [{ '@id': '#org' }], about: deep })] })]);
    expect(records[0]!.review.author).toEqual([org]);
    expect(records[0]!.review.about).toEqual(deep);
  });

  it('finds a review 12 levels of @graph down, not 13', () => {
    const wrap = (levels: number) => {
      let v: unknown = claimReview();
      for (let i = 0; i < levels; i++) v = { '@graph': v };
      return v;
    };
    expect(recordsFromJsonLdScripts([JSON.stringify(wrap(12))]).records.map((r) => r.at)).toEqual([`script[0]${'.@graph'.repeat(12)}`]);
    expect(recordsFromJsonLdScripts([JSON.stringify(wrap(13))]).records).toEqual([]);
  });

  it('a bare reference listed in the graph does not replace the node it points to', () => {
    const org = { '@type': 'Organization', '@id': '#org', name: 'Org' };
    const { records } = recordsFromJsonLdScripts([JSON.stringify({ '@graph': [org, claimReview({ author: { '@id': '#org' } }), { '@id': '#org' }] })]);
    expect(records[0]!.review.author).toEqual(org);
  });

  it('nodes are collected from the graphs near the top (4 levels), not from deeper ones', () => {
    const org = { '@type': 'Organization', '@id': '#org', name: 'Org' };
    const review = claimReview({ author: { '@id': '#org' } });
    // script list (0) → the script's array (1) → its object (2) → @graph (3) → the node (4): collected
    expect(recordsFromJsonLdScripts([JSON.stringify([{ '@graph': [org] }]), JSON.stringify(review)]).records[0]!.review.author).toEqual(org);
    // one list more: the node is at 5, not collected, and the reference stays as written
    expect(recordsFromJsonLdScripts([JSON.stringify([[{ '@graph': [org] }]]), JSON.stringify(review)]).records[0]!.review.author).toEqual({ '@id': '#org' });
    // the same through a graph in a graph: script (1) → @graph (2) → object (3) → @graph (4) → node (5)
    expect(recordsFromJsonLdScripts([JSON.stringify({ '@graph': [{ '@graph': [org] }] }), JSON.stringify(review)]).records[0]!.review.author).toEqual({ '@id': '#org' });
  });

  it('Fact Check Tools sites: an http address kept, a protocol-relative one and spaces mended', () => {
    const author = (site: string) =>
      recordsFromJson({ claims: [{ text: 't', claimReview: [{ publisher: { name: 'P', site }, url: 'https://p.example/1', textualRating: 'False' }] }] }).records[0]!.review.author;
    expect(author('http://www.factcheck.example')).toEqual({ '@type': 'Organization', name: 'P', url: 'http://www.factcheck.example' });
    expect(author('//fullfact.org')).toEqual({ '@type': 'Organization', name: 'P', url: 'https://fullfact.org' });
    expect(author(' africacheck.org/fr ')).toEqual({ '@type': 'Organization', name: 'P', url: 'https://africacheck.org/fr' });
    // a scheme is recognised at the start only
    expect(author('factcheck.example/go?to=https://x.example')).toEqual({ '@type': 'Organization', name: 'P', url: 'https://factcheck.example/go?to=https://x.example' });
  });
});

describe('edges: which records are reviews', () => {
  it('Insights: a record with only a rating is a ClaimReview; a typed record keeps its type; empty lists beside do not matter', () => {
    const ratingOnly = { id: '1b2c', reviewRating: { alternateName: 'False' }, url: 'https://a.example/r' };
    const mediaNoCategory = { id: '3d4e', '@type': 'MediaReview', reviewRating: { alternateName: 'Edited' }, claimReviewed: 'c', url: 'https://a.example/m' };
    const prefixed = { id: '5f6a', '@type': 'https://schema.org/ClaimReview', claimReviewed: 'd' };
    const { records, problems } = recordsFromJson({ reviews: [ratingOnly, mediaNoCategory, prefixed, null], errors: [] });
    expect(records.map((r) => [r.at, r.shape, r.review['@type']])).toEqual([
      ['reviews[0]', 'fact-check-insights', 'ClaimReview'],
      ['reviews[1]', 'fact-check-insights', 'MediaReview'],
      ['reviews[2]', 'fact-check-insights', 'https://schema.org/ClaimReview'],
    ]);
    expect(problems).toEqual([{ at: 'reviews[3]', path: '@type', message: NOT_A_REVIEW }]);
  });

  it('a wrapper of JSON-LD reviews with an empty list beside is still read', () => {
    const { records, problems } = recordsFromJson({ reviews: [claimReview()], errors: [] });
    expect(records.map((r) => [r.at, r.shape])).toEqual([['reviews[0]', 'json-ld']]);
    expect(problems).toEqual([]);
  });
});

describe('edges: CSV cells and paths', () => {
  it('cells are JSON only when they start with a bracket: numbers and quoted claims stay text', () => {
    const csv = 'claimReviewed,reviewRating.ratingValue,reviewRating.alternateName,url\r\n"""Says the photo [above] is from 2024""",1,False,https://a.example/1\r\n';
    expect(recordsFromCsv(csv).records[0]!.review).toEqual({
      '@type': 'ClaimReview',
      claimReviewed: '"Says the photo [above] is from 2024"',
      reviewRating: { ratingValue: '1', alternateName: 'False' },
      url: 'https://a.example/1',
    });
  });

  it('header names are trimmed, empty path parts skipped, a two-digit [n] index read', () => {
    const csv = 'claimReviewed, url ,reviewRating..alternateName,itemReviewed.appearance[10].url\r\nx,https://a.example/1,False,https://x.com/a/status/10\r\n';
    const review = recordsFromCsv(csv).records[0]!.review as { url: string; reviewRating: unknown; itemReviewed: { appearance: unknown[] } };
    expect(review.url).toBe('https://a.example/1');
    expect(review.reviewRating).toEqual({ alternateName: 'False' });
    expect(review.itemReviewed.appearance).toHaveLength(11);
    expect(review.itemReviewed.appearance[10]).toEqual({ url: 'https://x.com/a/status/10' });
    expect(0 in review.itemReviewed.appearance).toBe(false);
  });

  it('a field whose name ends in digits (sha256) is a field, not a list index', () => {
    const csv = '@type,mediaAuthenticityCategory,itemReviewed.mediaItemAppearance.0.sha256,itemReviewed.mediaItemAppearance.0.contentUrl\r\nMediaReview,EditedOrCroppedContent,9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,https://a.example/1.jpg\r\n';
    expect(recordsFromCsv(csv).records[0]!.review.itemReviewed).toEqual({
      mediaItemAppearance: [{ sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', contentUrl: 'https://a.example/1.jpg' }],
    });
  });

  it('a JSON cell holding null under a path is replaced by the path\'s list', () => {
    const csv = 'claimReviewed,itemReviewed,itemReviewed.appearance.0.url\r\nx,"{""@type"":""Claim"",""appearance"":null}",https://x.com/a/status/1\r\n';
    expect(recordsFromCsv(csv).records[0]!.review.itemReviewed).toEqual({ '@type': 'Claim', appearance: [{ url: 'https://x.com/a/status/1' }] });
  });

  it('a typed row keeps its type even when its fields look like another', () => {
    const csv = '@type,claimReviewed,url\r\nMediaReview,Video shows the flood,https://a.example/1\r\n';
    expect(recordsFromCsv(csv).records[0]!.review['@type']).toBe('MediaReview');
  });

  it('a parser error is cut to 200 characters (a long cell is not echoed whole)', () => {
    const { problems } = recordsFromCsv(`claimReviewed,url\r\n${'x'.repeat(300)}"y,https://a.example/1\r\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^Invalid Opening Quote/);
    expect(problems[0]!.message).toHaveLength(200);
  });
});

describe('edges: text formats', () => {
  it('JSON Lines with LF line ends and a line of spaces', () => {
    const lines = [JSON.stringify(claimReview({ url: 'https://a.example/1' })), '   ', JSON.stringify(claimReview({ url: 'https://a.example/3' }))].join('\n');
    const { records, problems } = recordsFromText(lines);
    expect(records.map((r) => [r.at, r.review.url])).toEqual([
      ['line 1', 'https://a.example/1'],
      ['line 3', 'https://a.example/3'],
    ]);
    expect(problems).toEqual([]);
  });
  it('text that does not start with "{" is not JSON Lines; nor is one broken line between lines of spaces', () => {
    expect(recordsFromText('hello\n{"@type":"ClaimReview"}').problems).toEqual([{ at: '', path: '(json)', message: expect.stringMatching(/^not JSON or CSV: /) }]);
    expect(recordsFromText('{"@type":"ClaimReview"\n   \n').problems).toEqual([{ at: '', path: '(json)', message: expect.stringMatching(/^not JSON or CSV: /) }]);
  });
  it('a zero-width no-break space inside a value is text, not a byte order mark', () => {
    const { records } = recordsFromText(JSON.stringify(claimReview({ claimReviewed: 'a\uFEFFb' })));
    expect(records[0]!.review.claimReviewed).toBe('a\uFEFFb');
  });
});

describe('edges: mediaRefs', () => {
  it('null items and appearances are skipped; http is read, other schemes and look-alikes are not; sha256 must be 64 hex digits', () => {
    const hex = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const refs = mediaRefs({
      itemReviewed: [
        null,
        {
          mediaItemAppearance: [null, { contentUrl: 'http://a.example/1.jpg', sha256: `${hex}0` }, { contentUrl: 'https://a.example/2.jpg', sha256: `sha256:${hex}` }],
          appearance: ['ftp://files.example/?u=https://a.example/4.jpg'],
        },
      ],
    });
    expect(refs).toEqual([
      { url: 'http://a.example/1.jpg', via: 'contentUrl', path: 'itemReviewed[1].mediaItemAppearance[1].contentUrl' },
      { url: 'https://a.example/2.jpg', via: 'contentUrl', path: 'itemReviewed[1].mediaItemAppearance[2].contentUrl' },
    ]);
  });
});
