// Test helpers: a realistic entry (the seed case) and a small signed feed.
import { buildSnapshot, generateKeyPair, type FeedEntry, type FeedMeta } from '../../../../src/core/feed';

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
