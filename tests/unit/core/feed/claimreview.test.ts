import { describe, expect, it } from 'vitest';
import { fromReview, idFromUrl, labelFrom, parseEntry } from '../../../../src/core/feed';

// Realistic records, as fact-checkers publish them (illustrative URLs).
const MEDIA_REVIEW = {
  '@context': 'https://schema.org',
  '@type': 'MediaReview',
  url: 'https://factcheck.example.org/doc.afp.com.32KL7XQ',
  datePublished: '2022-10-08',
  dateModified: '2022-10-10T08:00:00+02:00',
  inLanguage: 'en',
  headline: 'Video of Putin and Kim is from the 2019 Vladivostok summit, not a 2022 Moscow meeting',
  author: { '@type': 'Organization', name: 'AFP Fact Check', url: 'https://factcheck.example.org/' },
  mediaAuthenticityCategory: 'https://schema.org/DecontextualizedContent',
  originalMediaContextDescription: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok, Russia.',
  originalMediaLink: 'https://video.example.org/watch?v=vladivostok2019',
  reviewRating: { '@type': 'Rating', alternateName: 'Missing context' },
  claimReviewed: 'Video shows Kim Jong-un arriving in Moscow today',
  itemReviewed: {
    '@type': 'MediaReviewItem',
    mediaItemAppearance: [{ '@type': 'VideoObject', contentUrl: 'https://x.com/someone/status/1575000000000000000' }],
  },
};

const CLAIM_REVIEW_GRAPH = {
  '@context': 'https://schema.org',
  '@graph': [
    { '@type': 'WebPage', url: 'https://verif.example.fr/' },
    {
      '@type': ['ClaimReview'],
      url: 'https://verif.example.fr/2023/photo-inondation',
      datePublished: '2023-05-02',
      inLanguage: { '@type': 'Language', alternateName: 'fr' },
      author: [{ '@type': 'Organization', name: 'Vérif Example' }],
      claimReviewed: 'Cette photo montre les inondations de 2023',
      reviewRating: { '@type': 'Rating', ratingValue: 1, alternateName: 'Faux' },
      itemReviewed: { '@type': 'Claim', author: { '@type': 'Person', name: 'Un compte viral' }, datePublished: '2023-05-01', appearance: [{ url: 'https://x.com/a/status/1' }] },
    },
  ],
};

describe('ClaimReview / MediaReview import', () => {
  it('maps a MediaReview (the seed case) with its original context', () => {
    const { entry, problems } = fromReview(MEDIA_REVIEW);
    expect(problems).toEqual([]);
    expect(entry).toMatchObject({
      id: 'factcheck.example.org-doc.afp.com.32kl7xq',
      rev: 1,
      status: 'active',
      verdict: { label: 'missing-context', category: 'DecontextualizedContent', textualRating: { en: 'Missing context' } },
      claim: { text: { en: 'Video shows Kim Jong-un arriving in Moscow today' }, appearances: [{ url: 'https://x.com/someone/status/1575000000000000000' }] },
      originalContext: {
        description: { en: 'Filmed on 25 April 2019 at the Putin–Kim summit in Vladivostok, Russia.' },
        links: ['https://video.example.org/watch?v=vladivostok2019'],
      },
      factCheck: { url: MEDIA_REVIEW.url, inLanguage: 'en', datePublished: '2022-10-08', publisher: { name: 'AFP Fact Check', url: 'https://factcheck.example.org/' } },
      source: { type: 'MediaReview' },
    });
    // With media hashes added, it is a valid feed entry.
    const withMedia = { ...entry!, media: [{ type: 'video', hashes: [{ alg: 'pdq', value: 'a'.repeat(64), quality: 90 }] }] };
    expect(parseEntry(withMedia).id).toBe(entry!.id);
  });

  it('finds a ClaimReview inside @graph, reads arrays and language objects, and normalises a French rating', () => {
    const { entry, problems } = fromReview(CLAIM_REVIEW_GRAPH);
    expect(problems).toEqual([]);
    expect(entry!.verdict).toEqual({ label: 'false', textualRating: { fr: 'Faux' } });
    expect(entry!.claim).toMatchObject({ claimant: 'Un compte viral', claimDate: '2023-05-01' });
    expect(entry!.factCheck.publisher).toEqual({ name: 'Vérif Example' });
  });

  it('reports every missing field by path, and asks for the original context of a missing-context verdict', () => {
    const { entry, problems } = fromReview({ '@type': 'MediaReview', mediaAuthenticityCategory: 'DecontextualizedContent' });
    expect(entry).toBeNull();
    // A MediaReview's verdict is its category (no reviewRating needed); its claim is itemReviewed.interpretedAsClaim.
    expect(problems.map((p) => p.path)).toEqual(['url', 'itemReviewed.interpretedAsClaim', 'author.name', 'datePublished', 'originalMediaContextDescription']);
    expect(fromReview({ '@type': 'ClaimReview' }).problems.map((p) => p.path)).toEqual(['url', 'reviewRating.alternateName', 'claimReviewed', 'author.name', 'datePublished']);
    expect(fromReview({ '@type': 'Recipe' }).problems[0]!.path).toBe('@type');
    expect(fromReview({ ...MEDIA_REVIEW, mediaAuthenticityCategory: 'SortOfTrue' }).problems[0]!.path).toBe('mediaAuthenticityCategory');
  });

  it.each([
    ['Missing context', 'missing-context'],
    ['Hors contexte', 'missing-context'],
    ['Fuera de contexto', 'missing-context'],
    ['Partly false', 'misleading'],
    ['Engañoso', 'misleading'],
    ['Falso', 'false'],
    ['Falsch', 'false'],
    ['Manipulated', 'altered'],
    ['Satire', 'satire'],
    ['Unproven', 'unproven'],
    ['True', 'accurate'],
    ['Something else entirely', 'misleading'],
  ])('rating %j → %s', (rating, label) => {
    expect(labelFrom(undefined, rating)).toBe(label);
  });

  it('the MediaReview category wins over the rating text', () => {
    expect(labelFrom('EditedOrCroppedContent', 'False')).toBe('altered');
  });

  it('derives stable ids from fact-check URLs', () => {
    expect(idFromUrl('https://www.Example.org/Fact-Checks/2022/10/photo?x=1')).toBe('example.org-fact-checks-2022-10-photo');
  });
});
