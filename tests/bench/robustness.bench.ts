/**
 * Robustness baseline: how plain PDQ at the default rule (distance ≤ 31, query quality ≥ 50) fares
 * on re-shares, on the corpus made by ../shared/bench/make-corpus.sh (originals + re-share variants).
 * Per transform: recall plain and with the dihedral hashes, median distance; the false-match rate
 * over all pairs of distinct originals; client time per image. Side by side with the reference
 * implementation's figures on the same kind of corpus (../shared/docs/pdq.md §3).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeFile } from '../../src/cli/decode';
import { hammingDistance, type Hash256 } from '../../src/core/hash256';
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY, pdqHashDihedral } from '../../src/core/pdq';
import { percentile } from './lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, process.env.BENCH_CORPUS ?? '.bench-corpus');

/** The reference C++ PDQ on a 54-photo corpus from the same script (pdq.md §3): recall at ≤ 31. */
const REFERENCE: Record<string, [string, string]> = {
  q50: ['100%', '100%'], q30: ['100%', '100%'], resize50: ['100%', '100%'], resize25: ['100%', '100%'],
  screenshot_png: ['100%', '100%'], gray: ['98%', '98%'], brightcontrast: ['85%', '85%'], caption: ['37%', '37%'],
  crop90: ['0%', '0%'], crop75: ['0%', '0%'], letterbox: ['0%', '0%'], rot3: ['0%', '0%'], flip: ['0%', '98%'], tweetshot: ['0%', '0%'],
};

export default async function run(): Promise<string> {
  const manifest = path.join(CORPUS, 'manifest.csv');
  if (!fs.existsSync(manifest)) {
    const how = `bash ../shared/bench/make-corpus.sh ${path.relative(ROOT, CORPUS)} 60   (needs: apt-get install -y imagemagick plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers)`;
    console.error(`\n!! robustness bench NOT RUN: no corpus at ${CORPUS}. Make one with:\n   ${how}\n`);
    return `## Robustness (plain PDQ baseline)\n\nNot run: no corpus at ${CORPUS}. Make one with \`${how}\`.`;
  }
  const hashes = new Map<string, { hashes: Hash256[]; quality: number }>();
  const times: number[] = [];
  const hash = async (rel: string) => {
    const t = performance.now();
    const r = pdqHashDihedral(await decodeFile(path.join(CORPUS, rel)));
    times.push(performance.now() - t);
    hashes.set(rel, r);
    return r;
  };
  const originals = fs.readdirSync(path.join(CORPUS, 'orig')).filter((f) => f.endsWith('.jpg')).sort();
  for (const f of originals) await hash(`orig/${f}`);
  const rows = fs.readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const perTransform = new Map<string, { plain: number; dihedral: number; total: number; lowQuality: number; distances: number[] }>();
  for (const [variant, id, transform] of rows) {
    const orig = hashes.get(`orig/${id}.jpg`);
    if (!orig || !fs.existsSync(path.join(CORPUS, variant!))) continue;
    const v = await hash(variant!);
    const t = perTransform.get(transform!) ?? { plain: 0, dihedral: 0, total: 0, lowQuality: 0, distances: [] };
    const plain = hammingDistance(v.hashes[0]!, orig.hashes[0]!);
    const dihedral = Math.min(...orig.hashes.map((h) => hammingDistance(v.hashes[0]!, h)));
    const trusted = v.quality >= PDQ_MIN_QUALITY;
    t.total++;
    if (!trusted) t.lowQuality++;
    if (trusted && plain <= PDQ_MATCH_DISTANCE) t.plain++;
    if (trusted && dihedral <= PDQ_MATCH_DISTANCE) t.dihedral++;
    t.distances.push(plain);
    perTransform.set(transform!, t);
  }
  // False matches: every pair of distinct originals, plain and with the dihedral hashes.
  const origHashes = originals.map((f) => hashes.get(`orig/${f}`)!);
  const pairDistances: number[] = [];
  let falsePlain = 0;
  let falseDihedral = 0;
  let pairs = 0;
  for (let i = 0; i < origHashes.length; i++) {
    for (let j = i + 1; j < origHashes.length; j++) {
      const d = hammingDistance(origHashes[i]!.hashes[0]!, origHashes[j]!.hashes[0]!);
      const dd = Math.min(...origHashes[j]!.hashes.map((h) => hammingDistance(origHashes[i]!.hashes[0]!, h)));
      pairDistances.push(d);
      pairs++;
      if (d <= PDQ_MATCH_DISTANCE) falsePlain++;
      if (dd <= PDQ_MATCH_DISTANCE) falseDihedral++;
    }
  }
  pairDistances.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const pct = (x: number, n: number) => `${((100 * x) / Math.max(1, n)).toFixed(0)}%`;
  const order = Object.keys(REFERENCE);
  const lines = [...perTransform.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([t, s]) => {
      const dist = s.distances.sort((a, b) => a - b);
      const ref = REFERENCE[t] ?? ['—', '—'];
      return `| ${t} | ${s.total} | ${pct(s.plain, s.total)} (${percentile(dist, 50)}) | ${pct(s.dihedral, s.total)} | ${ref[0]} | ${ref[1]} |${s.lowQuality ? ` ${s.lowQuality} below quality 50` : ''}`;
    });
  console.log(lines.join('\n'));
  return `## Robustness (plain PDQ baseline)

Corpus: ${originals.length} photos from Debian wallpaper packages with their re-share variants (\`../shared/bench/make-corpus.sh\`).
Rule: distance ≤ ${PDQ_MATCH_DISTANCE} and query quality ≥ ${PDQ_MIN_QUALITY}. The reference columns are the C++ reference's figures on a
54-photo corpus from the same script (../shared/docs/pdq.md §3), for comparison.

| transform | variants | ours plain (median distance) | ours dihedral-min | reference plain | reference dihedral |
| --- | --- | --- | --- | --- | --- |
${lines.join('\n')}

False matches over all ${pairs} pairs of distinct originals: plain ${falsePlain} (${((100 * falsePlain) / Math.max(1, pairs)).toFixed(2)}%),
with the dihedral hashes ${falseDihedral}. Distance between distinct originals: min ${pairDistances[0]}, 1st percentile
${percentile(pairDistances, 1)}, median ${percentile(pairDistances, 50)} (reference: 106 / 110 / 128).

Client time per image (decode with sharp + the 8 dihedral hashes): median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms.`;
}
