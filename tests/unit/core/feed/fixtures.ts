// Test helpers: a realistic entry (the seed case) and a small signed feed.
import { FeedError, buildSnapshot, generateKeyPair, type FeedEntry, type FeedMeta } from '../../../../src/core/feed';

export const META: FeedMeta = {
  id: 'https://feeds.example.org/afp-media/v1',
  name: { en: 'AFP Fact Check: recycled media' },
  publisher: { name: 'AFP Fact Check', url: 'https://factcheck.example.org/' },
  reportEndpoint: 'https://feeds.example.org/afp-media/reports',
};

export function entry(id: string, rev = 1, hash = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f'): FeedEntry {
  return {
    id,
    rev,
    status: 'active',
    verdict: { label: 'missing-context', category: 'DecontextualizedContent', textualRating: { en: 'Missing context', fr: 'Hors contexte' } },
    claim: { text: { en: 'Video shows Putin welcoming Kim Jong-un in Moscow on 30 September 2022.' }, claimant: 'Social media users' },
    originalContext: {
      description: { en: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok, Russia.' },
      date: '2019-04-25',
      location: 'Vladivostok, Russia',
    },
    factCheck: {
      url: `https://factcheck.example.org/${id}`,
      headline: { en: 'Video of Putin and Kim is from the 2019 Vladivostok summit' },
      inLanguage: 'en',
      datePublished: '2022-10-08',
      publisher: { name: 'AFP Fact Check', url: 'https://factcheck.example.org/' },
    },
    media: [{ type: 'video', hashes: [{ alg: 'pdq', value: hash, quality: 93, role: 'poster' }], frames: { alg: 'pdq', items: [{ t: 0, value: hash, quality: 95 }] } }],
  };
}

export const NOW = new Date('2026-11-24T00:00:00Z');
export const keys = generateKeyPair();
export const otherKeys = generateKeyPair();
export const snapshotOf = (entries: FeedEntry[], seq = 1) => buildSnapshot(META, entries, seq, 1, NOW);

/** What a feed check gives: the FeedError's code (and path), or 'accepted'. */
export function feedErrorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FeedError) return `${e.code}${e.path ? ` @${e.path}` : ''}`;
    throw e;
  }
  return 'accepted';
}

/**
 * Google's ClaimReview markup example (developers.google.com/search/docs/appearance/structured-data/factcheck),
 * as published, with the review's own date; `over` replaces or adds fields.
 */
export const googleClaimReview = (over: Record<string, unknown> = {}) => ({
  '@context': 'https://schema.org',
  '@type': 'ClaimReview',
  url: 'https://example.com/news/science/worldisflat.html',
  claimReviewed: 'The world is flat',
  datePublished: '2016-06-22',
  itemReviewed: {
    '@type': 'Claim',
    author: { '@type': 'Organization', name: 'Square World Society', sameAs: 'https://example.flatworlders.com/we-know-that-the-world-is-flat' },
    datePublished: '2016-06-20',
    appearance: { '@type': 'OpinionNewsArticle', url: 'https://example.com/news/a122121', headline: 'Square Earth - Flat earthers for the Internet age', datePublished: '2016-06-22' },
  },
  author: { '@type': 'Organization', name: 'Example.com science watch' },
  reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'False' },
  ...over,
});

/** The head (a snapshot without `entries`) of docs/feed-format.md's binary known-answer example. */
export const specExampleHead = (entryCount = 1) => ({
  format: 'already-debunked/snapshot',
  formatVersion: 1,
  feed: { id: 'f', name: { en: 'F' }, publisher: { name: 'P' } },
  epoch: 1,
  seq: 1,
  generatedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-02-01T00:00:00.000Z',
  entryCount,
  stateHash: 'sha256:' + '0'.repeat(64),
});
