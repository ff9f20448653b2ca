/**
 * Where the reader's time goes (`npm run bench probe-cost`): each step of queryProbes on the same
 * decoded pixels, against plain PDQ (8 dihedral hashes), over re-shares of the tuning corpus; each
 * picture timed REPEAT times, steps interleaved, the median per picture kept (a loaded machine's
 * preemptions fall out), then the median and p95 over pictures. Ratios are the figures to trust.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { captionCuts, crop, estimateTurn, findPicture, halfRect, HALVES, lumaOf, midRect, MID_CUT, queryProbes, unturn, TURN_SHARE } from '../../src/core/match';
import { canonicalPixels, pdqHash, pdqHashDihedral, type Pixels } from '../../src/core/pdq';
import { percentile } from './lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, process.env.BENCH_CORPUS ?? '.bench-corpus');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const EVERY = Number(process.env.BENCH_EVERY ?? 20);

async function decode(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file, { ignoreIcc: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return canonicalPixels({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 });
}
const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

export default async function run(): Promise<string> {
  const lines = fs.readFileSync(path.join(CORPUS, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).filter((_, i) => i % EVERY === 0);
  const steps: Record<string, () => (px: Pixels) => unknown> = {
    'plain: 8 dihedral hashes': () => (px) => pdqHashDihedral(px),
    'ours: queryProbes, all of it': () => (px) => queryProbes(px),
    'picture finder (edges)': () => (px) => findPicture(px),
    'picture finder (inner)': () => (px) => findPicture(px, { frames: 'inner' }),
    'caption bands': () => (px) => captionCuts(px),
    'luma at half size': () => (px) => lumaOf(px, { x: 0, y: 0, width: px.width, height: px.height }),
    'four halves (hashes)': () => (px) => {
      const small = lumaOf(px, { x: 0, y: 0, width: px.width, height: px.height });
      for (const h of HALVES) pdqHash(crop(small, halfRect(small.width, small.height, h)));
    },
    'middle band (hash)': () => (px) => {
      const small = lumaOf(px, { x: 0, y: 0, width: px.width, height: px.height });
      pdqHash(crop(small, midRect(small.width, small.height, MID_CUT)));
    },
    'turn estimate': () => (px) => estimateTurn(px),
    'turn back + hash (when found)': () => (px) => {
      const a = estimateTurn(px);
      if (a !== null) pdqHash(unturn(px, a, TURN_SHARE));
    },
  };
  const per: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  for (const l of lines) {
    const px = await decode(path.join(CORPUS, l.split(',')[0]!));
    const runs: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
    for (let r = 0; r < REPEAT; r++) for (const [k, make] of Object.entries(steps)) runs[k]!.push(time(() => make()(px)));
    for (const k of Object.keys(steps)) per[k]!.push(percentile(runs[k]!.sort((a, b) => a - b), 50));
  }
  const plain = per['plain: 8 dihedral hashes']!.sort((a, b) => a - b);
  const rows = Object.entries(per).map(([k, v]) => {
    v.sort((a, b) => a - b);
    return `| ${k} | ${percentile(v, 50).toFixed(2)} | ${percentile(v, 95).toFixed(2)} | ${(percentile(v, 50) / percentile(plain, 50)).toFixed(2)}× | ${(percentile(v, 95) / percentile(plain, 95)).toFixed(2)}× |`;
  });
  const report = `## Where the reader's time goes (probe-cost)

${lines.length} re-shares of the tuning corpus (every ${EVERY}th line of its manifest), canonical pixels; each step timed ${REPEAT} times
per picture, interleaved, the median per picture kept; then median and p95 over pictures (ms). Ratios to plain PDQ.

| step | median ms | p95 ms | median / plain | p95 / plain p95 |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`;
  console.log(report);
  return report;
}
