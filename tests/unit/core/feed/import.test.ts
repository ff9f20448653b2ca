import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../../../src/core/feed';
import { mediaRefs, normalise, recordsFromJsonLdScripts, recordsFromText } from '../../../../src/core/feed/import';

const FIX = path.resolve(__dirname, '../../../fixtures/records');
const read = (name: string) => recordsFromText(fs.readFileSync(path.join(FIX, name), 'utf8'), name);

describe('import: the real MediaReview shape', () => {
  it('accepts a schema.org MediaReview with no reviewRating: verdict from the category, claim from interpretedAsClaim', () => {
    const { records, problems } = read('mediareview-schemaorg.json');
    expect(problems).toEqual([]);
    expect(records).toHaveLength(1);
    const n = normalise(records[0]!);
    expect(n.problems).toEqual([]);
    expect(n.entry!.verdict).toEqual({ label: 'missing-context', category: 'DecontextualizedContent', textualRating: { en: 'Missing Context' } });
    expect(n.entry!.claim.text).toEqual({ en: "Video shows this week's flooding in Miami" });
    expect(n.entry!.originalContext!.description).toEqual({ en: 'The video shows flooding in Houston after Hurricane Harvey in August 2017.' });
    expect(n.media.map((m) => [m.via, m.type ?? null, m.sha256 ?? null])).toEqual([
      ['contentUrl', 'video', null],
      ['archivedAt', 'video', null],
      ['contentUrl', 'image', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
      ['originalMediaLink', null, null],
    ]);
    expect(n.media[2]!.path).toBe('itemReviewed.mediaItemAppearance[1].contentUrl');
  });

  it('reads OriginalMediaContent as authentic (label accurate: the matcher shows no notice for it)', () => {
    const n = normalise(read('mediareview-original.json').records[0]!);
    expect(n.entry!.verdict.label).toBe('accurate');
    expect(n.entry!.verdict.textualRating).toEqual({ en: 'Original' });
    expect(n.media).toEqual([{ url: 'https://pbs.twimg.com/media/ExampleQuake.jpg', via: 'contentUrl', path: 'itemReviewed.mediaItemAppearance[0].contentUrl', type: 'image' }]);
  });

  it('maps all six categories, whatever their spelling', () => {
    const cats = { OriginalMediaContent: 'accurate', DecontextualizedContent: 'missing-context', EditedOrCroppedContent: 'altered', TransformedContent: 'altered', StagedContent: 'staged', SatireOrParodyContent: 'satire' };
    for (const [cat, label] of Object.entries(cats)) {
      for (const spelled of [cat, `https://schema.org/${cat}`, `schema:${cat}`, { '@id': `http://schema.org/${cat}` }]) {
        const rec = { ...JSON.parse(fs.readFileSync(path.join(FIX, 'mediareview-schemaorg.json'), 'utf8')), mediaAuthenticityCategory: spelled };
        const { entry } = normalise({ at: '', shape: 'json-ld', review: rec });
        expect(entry?.verdict.label, `${JSON.stringify(spelled)}`).toBe(label);
      }
    }
  });
});

describe('import: the four source shapes', () => {
  it('DataFeed (Data Commons): items in arrays, a null item and a bad record reported by index and field', () => {
    const { records, problems } = read('datacommons-feed.json');
    expect(records.map((r) => [r.at, r.shape])).toEqual([
      ['dataFeedElement[0].item[0]', 'data-feed'],
      ['dataFeedElement[2].item[0]', 'data-feed'],
      ['dataFeedElement[2].item[1]', 'data-feed'],
    ]);
    expect(problems).toEqual([{ at: 'dataFeedElement[1]', path: 'item', message: 'empty DataFeedItem (no review)' }]);
    const [ca, hi, bad] = records.map((r) => normalise(r));
    expect(ca!.entry!.verdict).toMatchObject({ label: 'false', textualRating: { ca: 'Fals' } });
    expect(ca!.entry!.factCheck).toMatchObject({ inLanguage: 'ca', publisher: { name: 'Verificat Example' } });
    expect(ca!.media).toEqual([{ url: 'https://x.com/usuari/status/1858000000000000001', via: 'appearance', path: 'itemReviewed.appearance[0]' }]);
    expect(hi!.entry!.verdict).toMatchObject({ label: 'misleading', textualRating: { hi: 'भ्रामक' } });
    expect(hi!.media[0]!.via).toBe('firstAppearance');
    expect(bad!.entry).toBeNull();
    expect(bad!.problems.map((p) => p.path).sort()).toEqual(['datePublished', 'reviewRating.alternateName']);
  });

  it('Fact Check Tools claims:search: each claimReview becomes a ClaimReview, rating text and language as published', () => {
    const { records, problems } = read('factchecktools-claims-search.json');
    expect(problems).toEqual([]);
    expect(records.map((r) => r.at)).toEqual(['claims[0].claimReview[0]', 'claims[0].claimReview[1]', 'claims[1].claimReview[0]']);
    // Mapped back to schema.org as the API reference documents (textualRating = reviewRating.alternateName, …).
    expect(records[0]!.review).toMatchObject({
      '@type': 'ClaimReview', url: 'https://factcheck.afp.com/doc.afp.com.example1', headline: 'Video of Putin and Kim is from 2019 summit in Vladivostok',
      datePublished: '2022-10-08T10:21:00Z', inLanguage: 'en', author: { name: 'AFP Fact Check', url: 'https://factcheck.afp.com' },
      reviewRating: { alternateName: 'Missing context' }, claimReviewed: 'Photo shows Kim Jong-un arriving in Moscow today',
      itemReviewed: { author: { name: 'Social media users' }, datePublished: '2022-10-06T00:00:00Z' },
    });
    // Missing context needs the original context: the API answer has none, so it is reported, not invented.
    expect(normalise(records[0]!).problems.map((p) => p.path)).toEqual(['originalMediaContextDescription']);
    expect(normalise(records[1]!).problems.map((p) => p.path)).toEqual(['originalMediaContextDescription']);
    const es = normalise(records[2]!).entry!;
    expect(es.verdict).toEqual({ label: 'false', textualRating: { es: 'Bulo' } });
    expect(es.claim).toMatchObject({ text: { es: 'Esta foto muestra la DANA de esta semana' }, claimDate: '2026-11-01T00:00:00Z' });
    expect(es.factCheck).toMatchObject({ headline: { es: 'La foto de la inundación es de 2019' }, publisher: { name: 'Maldita.es Example', url: 'https://maldita.example.es' } });
  });

  it('Fact-Check Insights JSON: ClaimReview and MediaReview, an untyped record recognised, a non-review reported', () => {
    const { records, problems } = read('insights.json');
    expect(records.map((r) => [r.at, r.shape, r.review['@type']])).toEqual([
      ['[0]', 'fact-check-insights', 'ClaimReview'],
      ['[1]', 'fact-check-insights', 'MediaReview'],
      ['[2]', 'fact-check-insights', 'ClaimReview'],
    ]);
    expect(problems).toEqual([{ at: '[3]', path: '@type', message: 'not a ClaimReview or MediaReview' }]);
    const fullFact = normalise(records[0]!);
    // A rating that is a sentence: kept as published, the label a guess (sent to review by harvest).
    expect(fullFact.entry!.verdict.textualRating).toEqual({ en: 'This photo was taken in 2019.' });
    expect(fullFact.verdictKnown).toBe(false);
    const pesa = normalise(records[1]!);
    expect(pesa.entry!.verdict).toMatchObject({ label: 'altered', category: 'EditedOrCroppedContent', textualRating: { sw: 'Edited' } });
    expect(pesa.entry!.claim.text).toEqual({ sw: 'Picha inaonyesha umati mkubwa kwenye mkutano' });
    expect(pesa.media.map((m) => m.via)).toEqual(['contentUrl', 'originalMediaLink']);
  });

  it('Fact-Check Insights CSV: dot-path columns rebuilt, quoted commas kept, bad rows by spreadsheet row number', () => {
    const { records, problems } = read('insights.csv');
    expect(problems).toEqual([]);
    expect(records.map((r) => r.at)).toEqual(['row 2', 'row 3', 'row 4']);
    const [cheq, facta, broken] = records.map((r) => normalise(r));
    expect(cheq!.entry!.claim.text).toEqual({ es: 'Foto muestra la marcha de ayer, en Buenos Aires' });
    expect(cheq!.entry!.verdict).toMatchObject({ label: 'false', textualRating: { es: 'Falso' } });
    expect(cheq!.media).toEqual([{ url: 'https://x.com/usuario/status/1775000000000000000', via: 'appearance', path: 'itemReviewed.appearance[0]' }]);
    expect(facta!.entry!.verdict).toMatchObject({ label: 'missing-context', textualRating: { it: 'Missing Context' } });
    expect(facta!.entry!.originalContext!.description).toEqual({ it: 'Il video è stato girato a Napoli nel 2020, non a Roma.' });
    expect(facta!.media).toEqual([{ url: 'https://facta.example.it/media/scontri.mp4', via: 'contentUrl', path: 'itemReviewed.mediaItemAppearance[0].contentUrl', type: 'video' }]);
    expect(broken!.entry).toBeNull();
    expect(broken!.problems.map((p) => p.path).sort()).toEqual(['author.name', 'claimReviewed']);
  });

  it('page JSON-LD: several scripts, @graph with @id references across scripts, arrays, a broken script reported', () => {
    const org = { '@context': 'https://schema.org', '@graph': [{ '@type': 'Organization', '@id': 'https://site.example/#org', name: 'Site Example', url: 'https://site.example/' }] };
    const review = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', '@id': 'https://site.example/a/#webpage' },
        { '@type': 'ClaimReview', '@id': 'https://site.example/a/#claimreview', url: 'https://site.example/a/', author: { '@id': 'https://site.example/#org' }, datePublished: '2024-01-02', claimReviewed: 'x', reviewRating: { '@type': 'Rating', alternateName: 'Falso' }, inLanguage: 'pt-BR' },
      ],
    };
    const arr = [{ '@type': 'BreadcrumbList' }, { '@type': ['ClaimReview'], url: 'https://site.example/b/', author: 'Site Example', datePublished: '2024-01-03', claimReviewed: 'y', reviewRating: { alternateName: 'Fake' } }];
    const { records, problems } = recordsFromJsonLdScripts([JSON.stringify(org), JSON.stringify(review), `<!--${JSON.stringify(arr)}-->`, '{ "@type": "ClaimReview", ']);
    expect(records.map((r) => r.at)).toEqual(['script[1].@graph[1]', 'script[2][1]']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.at).toBe('script[3]');
    expect(normalise(records[0]!).entry!.factCheck.publisher).toEqual({ name: 'Site Example', url: 'https://site.example/' });
    expect(normalise(records[0]!).entry!.factCheck.inLanguage).toBe('pt-BR');
    expect(normalise(records[1]!).entry!.verdict.label).toBe('false');
  });

  it('a raw line break inside a JSON-LD string (common on real pages) is read', () => {
    const { records } = recordsFromJsonLdScripts(['{"@type":"ClaimReview","claimReviewed":"line one\nline two","url":"https://a.example/"}']);
    expect(records).toHaveLength(1);
  });

  it('mediaRefs ignores non-http URLs and duplicates', () => {
    expect(mediaRefs({ itemReviewed: { mediaItemAppearance: [{ contentUrl: 'javascript:alert(1)' }, { contentUrl: 'https://a.example/1.jpg' }, { contentUrl: 'https://a.example/1.jpg' }] } })).toHaveLength(1);
  });
});

describe('verdicts in many languages', () => {
  // Ratings as these publishers print them (their rating scales, as listed on their methodology pages).
  const cases: [string, string][] = [
    ['Pants on Fire!', 'false'], ['Mostly False', 'misleading'], ['Half True', 'misleading'], ['Four Pinocchios', 'false'],
    ['Miscaptioned', 'missing-context'], ['Correct Attribution', 'accurate'], ['Labeled Satire', 'satire'], ['Not true', 'false'],
    ['Faux', 'false'], ['Trompeur', 'misleading'], ['Sorti de son contexte', 'missing-context'], ['Bulo', 'false'],
    ['Engañoso', 'misleading'], ['Falso', 'false'], ['Fora de contexto', 'missing-context'], ['Montagem', 'altered'],
    ['Falsch', 'false'], ['Fehlender Kontext', 'missing-context'], ['Irreführend', 'misleading'], ['Fuorviante', 'misleading'],
    ['Onwaar', 'false'], ['Fałsz', 'false'], ['Yanlış', 'false'], ['Hoaks', 'false'], ['Фейк', 'false'],
    ['Маніпуляція', 'altered'], ['مضلل', 'misleading'], ['زائف', 'false'], ['फर्जी', 'false'], ['Altered photo', 'altered'],
    ['Sin pruebas', 'unproven'], ['Satire', 'satire'], ['True', 'accurate'], ['Verdadero', 'accurate'],
  ];
  it.each(cases)('%s → %s', (rating, label) => {
    expect(verdictOf(undefined, rating)).toEqual({ label, known: true });
  });
  it('an unreadable rating is a guess, marked unknown', () => {
    expect(verdictOf(undefined, 'This photo was taken in 2019.')).toEqual({ label: 'misleading', known: false });
  });
});
