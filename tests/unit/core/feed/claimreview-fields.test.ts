/**
 * fromReview field by field (src/core/feed/claimreview.ts): each field in the forms publishers
 * write it (schema.org ClaimReview / MediaReview, Google's ClaimReview markup example, the Duke
 * Reporters' Lab MediaReview labels), the expected entry worked out by hand from the mapping in
 * docs/feed-format.md's "Entry" table (ClaimReview column) and docs/harvest.md.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORY_TEXT, findReview, fromReview, idFromUrl, verdictOf } from '../../../../src/core/feed';
import { googleClaimReview } from './fixtures';

/** Google's ClaimReview markup example, as published. */
const GOOGLE = googleClaimReview();
const ok = (record: unknown, options = {}) => {
  const { entry, problems } = fromReview(record, options);
  expect(problems).toEqual([]);
  return entry!;
};

describe('fromReview: Google\'s ClaimReview example, field by field', () => {
  it('maps every field of the example', () => {
    expect(ok(GOOGLE)).toEqual({
      id: 'example.com-news-science-worldisflat.html',
      rev: 1,
      status: 'active',
      verdict: { label: 'false', textualRating: { en: 'False' } },
      claim: {
        text: { en: 'The world is flat' },
        claimant: 'Square World Society',
        claimDate: '2016-06-20',
        appearances: [{ url: 'https://example.com/news/a122121' }],
      },
      factCheck: {
        url: 'https://example.com/news/science/worldisflat.html',
        headline: { en: 'The world is flat' }, // no headline: the claim
        inLanguage: 'en',
        datePublished: '2016-06-22',
        publisher: { name: 'Example.com science watch' },
      },
      source: { type: 'ClaimReview', url: 'https://example.com/news/science/worldisflat.html' },
    });
  });

  it('the language: inLanguage as a tag, a Language object (alternateName, else name), the page\'s, else "en"; a name that is not a tag is not used', () => {
    const lang = (inLanguage: unknown, options = {}) => ok({ ...GOOGLE, inLanguage }, options).factCheck.inLanguage;
    expect(lang('fr')).toBe('fr');
    expect(lang(' pt-BR ')).toBe('pt-BR');
    expect(lang({ '@type': 'Language', name: 'de' })).toBe('de');
    expect(lang({ '@type': 'Language', alternateName: 'es', name: 'Spanish' })).toBe('es');
    expect(lang(['it', 'en'])).toBe('it');
    expect(lang('Français')).toBe('en');
    expect(lang('Français', { language: 'fr' })).toBe('fr');
    expect(lang(undefined, { language: 'nl' })).toBe('nl');
    expect(lang(undefined, { language: 'Dutch' })).toBe('en');
    expect(lang('e')).toBe('en');
    expect(lang('en_GB')).toBe('en');
    expect(lang('zh-Hant-TW')).toBe('zh-Hant-TW');
    // The language keys every localised text.
    const fr = ok({ ...GOOGLE, inLanguage: 'fr', headline: 'La terre est plate' });
    expect([fr.verdict.textualRating, fr.claim.text, fr.factCheck.headline]).toEqual([{ fr: 'False' }, { fr: 'The world is flat' }, { fr: 'La terre est plate' }]);
  });

  it('the publisher: author (an object, a list, a name), else publisher; its url kept when given', () => {
    const pub = (over: Record<string, unknown>) => ok({ ...GOOGLE, ...over }).factCheck.publisher;
    expect(pub({ author: { '@type': 'Organization', name: ' PolitiFact ', url: 'https://www.politifact.com/' } })).toEqual({ name: 'PolitiFact', url: 'https://www.politifact.com/' });
    expect(pub({ author: [{ '@type': 'Organization', name: 'Full Fact' }, { '@type': 'Person', name: 'A writer' }] })).toEqual({ name: 'Full Fact' });
    expect(pub({ author: ' Snopes ' })).toEqual({ name: 'Snopes' });
    expect(pub({ author: undefined, publisher: { '@type': 'Organization', name: 'AFP' } })).toEqual({ name: 'AFP' });
    expect(pub({ author: { '@type': 'Organization', url: 'https://a.example/' }, publisher: 'Reuters' })).toEqual({ name: 'Reuters' });
    expect(fromReview({ ...GOOGLE, author: '  ' }).problems).toEqual([{ path: 'author.name', message: 'missing' }]);
    expect(fromReview({ ...GOOGLE, author: 7 }).problems).toEqual([{ path: 'author.name', message: 'missing' }]);
  });

  it('dates: ISO 8601 kept as written, other forms Date reads as ISO 8601 UTC, the rest a problem', () => {
    const date = (datePublished: unknown) => ok({ ...GOOGLE, datePublished }).factCheck.datePublished;
    expect(date('2016-06-22')).toBe('2016-06-22');
    expect(date('2016-06-22T10:30:00+02:00')).toBe('2016-06-22T10:30:00+02:00');
    expect(date('2016-06-22T10:30Z')).toBe('2016-06-22T10:30Z');
    expect(date(['2016-06-22', '2017-01-01'])).toBe('2016-06-22');
    // "+0200" (no colon) is not ISO 8601 as the feed takes it: 10:30 at +02:00 is 08:30 UTC.
    expect(date('2016-06-22T10:30:00+0200')).toBe('2016-06-22T08:30:00.000Z');
    expect(date('2016-06-22T10:30:00.1234567890Z')).toBe('2016-06-22T10:30:00.123Z');
    expect(fromReview({ ...GOOGLE, datePublished: 'last Tuesday' }).problems).toEqual([{ path: 'datePublished', message: 'missing' }]);
    expect(ok({ ...GOOGLE, dateModified: '2016-06-23' }).factCheck.dateModified).toBe('2016-06-23');
    expect(ok({ ...GOOGLE, dateModified: 'soon' }).factCheck).not.toHaveProperty('dateModified');
    expect(ok({ ...GOOGLE, itemReviewed: { ...GOOGLE.itemReviewed, datePublished: 'unknown' } }).claim).not.toHaveProperty('claimDate');
  });

  it('the claim: claimReviewed, else interpretedAsClaim (on the item or an appearance), else headline or name', () => {
    const claim = (over: Record<string, unknown>) => ok({ ...GOOGLE, claimReviewed: undefined, ...over }).claim.text.en;
    expect(claim({ itemReviewed: { interpretedAsClaim: { '@type': 'Claim', description: 'Flood photo is from 2023' } } })).toBe('Flood photo is from 2023');
    expect(claim({ itemReviewed: { interpretedAsClaim: { '@type': 'Claim', name: 'Named claim' } } })).toBe('Named claim');
    expect(claim({ itemReviewed: { interpretedAsClaim: { text: 'Text wins', description: 'not this' } } })).toBe('Text wins');
    expect(claim({ itemReviewed: { interpretedAsClaim: { claimReviewed: 'As claimReviewed' } } })).toBe('As claimReviewed');
    expect(claim({ itemReviewed: { interpretedAsClaim: 'A plain string claim' } })).toBe('A plain string claim');
    expect(claim({ itemReviewed: { mediaItemAppearance: [{ contentUrl: 'https://x.com/a/status/1' }, { interpretedAsClaim: { text: 'On the second appearance' } }] } })).toBe('On the second appearance');
    expect(claim({ headline: 'Headline as the claim' })).toBe('Headline as the claim');
    expect(claim({ name: 'Name as the claim' })).toBe('Name as the claim');
    expect(ok({ ...GOOGLE, headline: undefined, name: 'The review\'s name' }).factCheck.headline).toEqual({ en: 'The review\'s name' });
  });

  it('appearances: the item\'s appearance and mediaItemAppearance URLs (url, contentUrl, embedUrl), at most 50; firstAppearance', () => {
    const item = {
      '@type': 'Claim',
      appearance: [{ url: 'https://x.com/a/status/1' }, 'https://x.com/a/status/2', { contentUrl: 'https://cdn.example/3.jpg' }, {}],
      mediaItemAppearance: [{ embedUrl: 'https://video.example/embed/4' }],
      firstAppearance: { '@type': 'SocialMediaPosting', url: 'https://x.com/a/status/0' },
    };
    const c = ok({ ...GOOGLE, itemReviewed: item }).claim;
    expect(c.appearances).toEqual(['https://x.com/a/status/1', 'https://x.com/a/status/2', 'https://cdn.example/3.jpg', 'https://video.example/embed/4'].map((url) => ({ url })));
    expect(c.firstAppearance).toEqual({ url: 'https://x.com/a/status/0' });
    const many = ok({ ...GOOGLE, itemReviewed: { appearance: Array.from({ length: 60 }, (_, i) => ({ url: `https://x.com/a/status/${i}` })) } }).claim;
    expect(many.appearances).toHaveLength(50);
    expect(many.appearances![49]).toEqual({ url: 'https://x.com/a/status/49' });
    expect(ok({ ...GOOGLE, itemReviewed: { '@type': 'Claim' } }).claim).toEqual({ text: { en: 'The world is flat' } });
  });

  it('the original context: its description, originalMediaLink (at most 10), and our extension fields date and location', () => {
    const links = Array.from({ length: 12 }, (_, i) => ({ '@type': 'VideoObject', contentUrl: `https://video.example/${i}` }));
    const e = ok({ ...GOOGLE, originalMediaLink: links, originalContext: { date: ' 2019-04-25 ', location: 'Vladivostok, Russia' } });
    expect(e.originalContext).toEqual({ date: '2019-04-25', location: 'Vladivostok, Russia', links: links.slice(0, 10).map((l) => l.contentUrl) });
    expect(ok({ ...GOOGLE, originalContext: { description: 'Filmed in 2019' } }).originalContext).toEqual({ description: { en: 'Filmed in 2019' } });
    expect(ok({ ...GOOGLE, originalContext: { date: '  ' } })).not.toHaveProperty('originalContext');
    expect(ok({ ...GOOGLE, originalContext: { location: 'Kyiv' } }).originalContext).toEqual({ location: 'Kyiv' });
    expect(ok({ ...GOOGLE, originalContext: 'not an object' })).not.toHaveProperty('originalContext');
  });

  it('our own id and rev when the record carries them; else an id from the URL and rev 1', () => {
    expect(ok({ ...GOOGLE, id: ' flat-earth-2016 ', rev: 3 })).toMatchObject({ id: 'flat-earth-2016', rev: 3 });
    expect(ok({ ...GOOGLE, rev: '3' }).rev).toBe(1);
  });
});

describe('MediaReview categories as published', () => {
  const MR = {
    '@context': 'https://schema.org',
    '@type': 'MediaReview',
    url: 'https://factcheck.example.org/video-2017',
    datePublished: '2024-05-02',
    author: { '@type': 'Organization', name: 'Example Fact Check' },
    itemReviewed: { '@type': 'MediaReviewItem', interpretedAsClaim: { '@type': 'Claim', description: 'Video shows this week\'s flood' } },
  };
  it('a name, a schema.org URL (http or https, www or not), a "schema:" name, an enumeration object', () => {
    const cat = (mediaAuthenticityCategory: unknown) => ok({ ...MR, mediaAuthenticityCategory }).verdict;
    for (const c of ['EditedOrCroppedContent', 'https://schema.org/EditedOrCroppedContent', 'http://www.schema.org/EditedOrCroppedContent', 'schema:EditedOrCroppedContent', { '@id': 'https://schema.org/EditedOrCroppedContent' }, { name: 'EditedOrCroppedContent' }, { '@value': 'EditedOrCroppedContent' }, ['EditedOrCroppedContent']]) {
      expect(cat(c), JSON.stringify(c)).toEqual({ label: 'altered', category: 'EditedOrCroppedContent', textualRating: { en: 'Edited' } });
    }
    // The Reporters' Lab label of each category when the publisher gives no rating text.
    expect(CATEGORY_TEXT).toEqual({ OriginalMediaContent: 'Original', DecontextualizedContent: 'Missing Context', EditedOrCroppedContent: 'Edited', TransformedContent: 'Transformed', StagedContent: 'Staged', SatireOrParodyContent: 'Satire/Parody' });
    expect(cat('TransformedContent')).toEqual({ label: 'altered', category: 'TransformedContent', textualRating: { en: 'Transformed' } });
    expect(cat('StagedContent')).toEqual({ label: 'staged', category: 'StagedContent', textualRating: { en: 'Staged' } });
    expect(cat('SatireOrParodyContent')).toEqual({ label: 'satire', category: 'SatireOrParodyContent', textualRating: { en: 'Satire/Parody' } });
    expect(cat('OriginalMediaContent')).toEqual({ label: 'accurate', category: 'OriginalMediaContent', textualRating: { en: 'Original' } });
    // The publisher's own rating text is kept (alternateName, else name).
    expect(ok({ ...MR, mediaAuthenticityCategory: 'StagedContent', reviewRating: { '@type': 'Rating', name: 'Staged video' } }).verdict.textualRating).toEqual({ en: 'Staged video' });
  });

  it('an unknown category is a problem naming it; no category and no rating is a problem at the category', () => {
    expect(fromReview({ ...MR, mediaAuthenticityCategory: 'https://schema.org/SortOfTrue', reviewRating: { alternateName: 'Sort of' } }).problems).toEqual([{ path: 'mediaAuthenticityCategory', message: 'unknown category SortOfTrue' }]);
    expect(fromReview(MR).problems).toEqual([{ path: 'mediaAuthenticityCategory', message: 'missing' }]);
  });
});

describe('findReview, verdictOf, idFromUrl', () => {
  it('finds a review by its @type, prefixed or a URL, in a list of types or a @graph; not a type that only ends so', () => {
    for (const t of ['ClaimReview', 'schema:ClaimReview', 'https://schema.org/MediaReview', ['Review', 'ClaimReview']]) expect(findReview({ '@type': t }), JSON.stringify(t)).not.toBeNull();
    for (const t of ['NotAClaimReview', 'ClaimReviewed', 'Review', 'claimreview']) expect(findReview({ '@type': t }), t).toBeNull();
    const review = { '@type': 'ClaimReview', url: 'https://a.example/' };
    expect(findReview({ '@graph': [{ '@type': 'WebPage' }, 'x', review] })).toBe(review);
    expect(findReview([review])).toBeNull();
    expect(findReview(null)).toBeNull();
  });

  it('verdictOf: a known category is read; a rating no rule knows is "misleading", a guess', () => {
    expect(verdictOf('StagedContent', 'False')).toEqual({ label: 'staged', known: true });
    expect(verdictOf('SortOfTrue', 'False')).toEqual({ label: 'false', known: true });
    expect(verdictOf(undefined, 'This photo was taken in 2019.')).toEqual({ label: 'misleading', known: false });
    expect(verdictOf(undefined, undefined)).toEqual({ label: 'misleading', known: false });
    // Order: "not true" is false, not accurate; "partly false" misleading, not false.
    expect(verdictOf(undefined, 'Not true')).toEqual({ label: 'false', known: true });
    expect(verdictOf(undefined, 'Partly false')).toEqual({ label: 'misleading', known: true });
    expect(verdictOf(undefined, 'Satire, not news')).toEqual({ label: 'satire', known: true });
  });

  it('idFromUrl: host without www and path, lower case, runs of other characters one "-", no "-" at the ends, 128 at most', () => {
    expect(idFromUrl('https://www.politifact.com/factchecks/2024/jan/02/viral-image/')).toBe('politifact.com-factchecks-2024-jan-02-viral-image');
    expect(idFromUrl('https://wwwx.example.org/a')).toBe('wwwx.example.org-a');
    expect(idFromUrl('https://fullfact.org/online/flood-photo-2012/#top')).toBe('fullfact.org-online-flood-photo-2012');
    expect(idFromUrl('not a url: Ünïcode!')).toBe('not-a-url-n-code');
    expect(idFromUrl('https://a.example/' + 'x'.repeat(200))).toBe(`a.example-${'x'.repeat(200)}`.slice(0, 128));
    expect(idFromUrl('!!!')).toBe('entry');
    expect(idFromUrl('--a--')).toBe('a');
  });
});

describe('fromReview: the edges the first mutation run found untested', () => {
  it('a blank url is missing; a non-review is named so', () => {
    expect(fromReview({ ...GOOGLE, url: '   ' })).toEqual({ entry: null, problems: [{ path: 'url', message: 'missing' }] });
    expect(fromReview({ '@type': 'WebPage' }).problems).toEqual([{ path: '@type', message: 'not a ClaimReview or MediaReview' }]);
  });

  it('a MediaReview\'s category wins over any rating text; a MediaReview is one by any of its types, prefixed or not', () => {
    expect(verdictOf('DecontextualizedContent', 'False')).toEqual({ label: 'missing-context', known: true });
    expect(verdictOf('SatireOrParodyContent', 'False')).toEqual({ label: 'satire', known: true });
    const mr = { ...GOOGLE, mediaAuthenticityCategory: 'EditedOrCroppedContent' };
    expect(ok({ ...mr, '@type': ['Review', 'MediaReview'] }).source!.type).toBe('MediaReview');
    expect(ok({ ...mr, '@type': 'https://schema.org/MediaReview' }).source!.type).toBe('MediaReview');
  });

  it('a missing-context verdict without the original context says what it needs', () => {
    expect(fromReview({ ...GOOGLE, reviewRating: { alternateName: 'Missing context' } }).problems).toEqual([
      { path: 'originalMediaContextDescription', message: expect.stringMatching(/original context/) },
    ]);
  });

  it('an ISO 8601 time with 2 to 9 fraction digits is kept as written', () => {
    expect(ok({ ...GOOGLE, datePublished: '2016-06-22T10:30:00.25Z' }).factCheck.datePublished).toBe('2016-06-22T10:30:00.25Z');
  });

  it('only a leading "www." leaves the id; empty and null appearances and links are skipped', () => {
    expect(idFromUrl('https://static.www.example.org/a')).toBe('static.www.example.org-a');
    const e = ok({ ...GOOGLE, claimReviewed: undefined, itemReviewed: { mediaItemAppearance: [null, { interpretedAsClaim: { text: 'After a null' } }] }, originalMediaLink: [{}, null, 'https://video.example/1'] });
    expect(e.claim.text).toEqual({ en: 'After a null' });
    expect(e.originalContext).toEqual({ links: ['https://video.example/1'] });
  });
});
