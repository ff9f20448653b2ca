/**
 * The browser's decode path against the reference: the background decodes with createImageBitmap,
 * scaled by the browser to at most 512 px on the long side, then hashes. How far are those hashes
 * from the reference CLI's (which decodes at full size, then resizes to 512x512 nearest-neighbour)?
 * Run in Debian's Chromium on the PDQ reference images.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hammingDistance, hashFromHex } from '../../src/core/hash256';
import { chromiumPath, launchChromium } from '../e2e/helpers/browsers.mjs';
import { percentile } from './lib/stats';

const VECTORS = path.resolve(import.meta.dirname, '../../../shared/pdq-vectors');

export default async function run(): Promise<string> {
  if (!chromiumPath()) return '## Browser decoding vs the reference\n\nNot run: Chromium not found.';
  const rows = fs.readFileSync(path.join(VECTORS, 'expected.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const ext = await launchChromium('test-chrome');
  try {
    const distances: number[] = [];
    const lines: string[] = [];
    for (const [hex, quality, file] of rows) {
      const bytes = [...fs.readFileSync(path.join(VECTORS, 'images', file!))];
      const type = file!.endsWith('.png') ? 'image/png' : 'image/jpeg';
      const r = (await ext.sw.evaluate(
        ([b, t]) => (globalThis as unknown as { __alreadyDebunkedTest: { hashBytes: (b: number[], t: string) => Promise<{ hash: string; quality: number }> } }).__alreadyDebunkedTest.hashBytes(b, t),
        [bytes, type] as const,
      )) as { hash: string; quality: number };
      const d = hammingDistance(hashFromHex(r.hash), hashFromHex(hex!));
      if (Number(quality || 100) >= 50) distances.push(d);
      lines.push(`| ${file} | ${d} | ${r.quality} / ${quality || '—'} |`);
    }
    distances.sort((a, b) => a - b);
    console.log(`browser vs reference: median ${percentile(distances, 50)}, max ${distances.at(-1)}`);
    return `## Browser decoding vs the reference

Chromium's \`createImageBitmap\` (scaled to ≤ 512 px, colour profiles not applied) + our PDQ, against the
reference CLI's hashes of the same files. Images of quality ≥ 50: median distance ${percentile(distances, 50)},
95th percentile ${percentile(distances, 95)}, max ${distances.at(-1)} bits (the match rule allows 31).

| file | distance | quality (browser / reference) |
| --- | --- | --- |
${lines.join('\n')}`;
  } finally {
    await ext.close();
  }
}
