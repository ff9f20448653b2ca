/**
 * Why the robustness bench's misses miss (issue 14): `npm run bench misses`. Measures, on the
 * tuning corpus (tests/bench/make-corpus.sh) and the own-edge-colour corpus
 * (tests/bench/own-colour-sources.sh), the cause of each edit still under its goal:
 *
 *  - off-centre crops: the distance from the crop's `full` probe to the nearest stored crop of its
 *    own picture, by where the crop was taken (crops made in memory from the decoded original:
 *    no JPEG re-encode), and what more stored crops would win (edge-anchored crops; a dense grid);
 *  - text and stickers over the picture: per half, how much of it the edit changed and how far
 *    its hash moved, and what a stored middle band (top and bottom cut) would win for meme text;
 *  - frames of the picture's own edge colour: what the picture finder cut, against the picture's
 *    true rectangle (known from how make-corpus.sh made each re-share).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeFull } from '../../src/cli/decode';
import { hammingDistance, type Hash256 } from '../../src/core/hash256';
import { crop, findPicture, halfRect, HALVES, publishHashes, queryProbes, type Rect } from '../../src/core/match';
import { PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY, canonicalPixels, pdqHash, type Pixels } from '../../src/core/pdq';
import { percentile } from './lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, process.env.BENCH_CORPUS ?? '.bench-corpus');
const OWN = path.resolve(ROOT, process.env.BENCH_CORPUS3 ?? '.bench-corpus3');
/** Every N-th original of the tuning corpus (the crop grid hashes ~100 crops per picture). */
const EVERY = Math.max(1, Number(process.env.BENCH_EVERY ?? 4));

async function raw(image: ReturnType<typeof sharp>): Promise<Pixels> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 3 };
}
const decode = async (file: string) => canonicalPixels(await raw(sharp(file, { ignoreIcc: true })));
const med = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const pct = (x: number, n: number) => `${n ? ((100 * x) / n).toFixed(0) : '–'}%`;
const ids = (dir: string) => fs.readdirSync(path.join(dir, 'orig')).filter((f) => f.endsWith('.jpg')).sort().map((f) => f.slice(0, -4));

/** The rectangle keeping `share` of each side at (fx, fy): 0 = left/top, 1 = right/bottom, of the slack. */
function at(w: number, h: number, share: number, fx: number, fy: number): Rect {
  const cw = Math.round(w * share);
  const ch = Math.round(h * share);
  return { x: Math.round((w - cw) * fx), y: Math.round((h - ch) * fy), width: cw, height: ch };
}
const minTo = (h: Hash256, list: Hash256[]) => Math.min(256, ...list.map((s) => hammingDistance(h, s)));

async function offCentre(): Promise<string> {
  const names = ids(CORPUS).filter((_, i) => i % EVERY === 0);
  const POS = [0, 0.25, 0.5, 0.75, 1];
  const grid = new Map<string, number[]>();
  // Random crops (share 80–90%, any position), against three stored sets.
  const sets = { now: [] as number[], edges: [] as number[], grid5: [] as number[], dense: [] as number[] };
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let pictures = 0;
  for (const id of names) {
    const px = canonicalPixels(await decodeFull(path.join(CORPUS, 'orig', `${id}.jpg`)));
    if (pdqHash(px).quality < PDQ_MIN_QUALITY) continue;
    pictures++;
    const stored = publishHashes(px).filter((h) => h.kind.startsWith('crop')).map((h) => h.hash);
    const hashOf = (r: Rect) => pdqHash(crop(px, r)).hash;
    for (const fy of POS) {
      for (const fx of POS) {
        const k = `${fx},${fy}`;
        grid.set(k, [...(grid.get(k) ?? []), minTo(hashOf(at(px.width, px.height, 0.88, fx, fy)), stored)]);
      }
    }
    // Candidate extra rows: crops anchored at the middle of each edge (3 shares x 4 edges = 12 rows),
    // or a grid of 5x5 positions at 3 shares (75 rows).
    const edges = [0.9, 0.85, 0.8].flatMap((s) => [[0.5, 0], [0.5, 1], [0, 0.5], [1, 0.5]].map(([fx, fy]) => hashOf(at(px.width, px.height, s, fx!, fy!))));
    const grid5 = [0.9, 0.85, 0.8].flatMap((s) => POS.flatMap((fy) => POS.map((fx) => hashOf(at(px.width, px.height, s, fx, fy)))));
    // And a dense one: 5 shares 2.5% apart x 7x7 positions (245 rows).
    const P7 = [0, 1, 2, 3, 4, 5, 6].map((i) => i / 6);
    const dense = [0.9, 0.875, 0.85, 0.825, 0.8].flatMap((s) => P7.flatMap((fy) => P7.map((fx) => hashOf(at(px.width, px.height, s, fx, fy)))));
    for (let i = 0; i < 6; i++) {
      const s = 0.8 + 0.1 * rnd();
      const q = hashOf(at(px.width, px.height, s, rnd(), rnd()));
      sets.now.push(minTo(q, stored));
      sets.edges.push(minTo(q, [...stored, ...edges]));
      sets.grid5.push(minTo(q, [...stored, ...grid5]));
      sets.dense.push(minTo(q, [...stored, ...dense]));
    }
  }
  const cell = (fx: number, fy: number) => {
    const d = grid.get(`${fx},${fy}`)!;
    return `${med(d)} (${pct(d.filter((x) => x <= PDQ_MATCH_DISTANCE).length, d.length)})`;
  };
  const within = (d: number[]) => `${pct(d.filter((x) => x <= PDQ_MATCH_DISTANCE).length, d.length)} (median ${med(d)})`;
  return `### Off-centre crops: distance to the nearest stored crop, by position

${pictures} originals of the tuning corpus (every ${EVERY}th), canonical pixels, crops made in memory (no re-encode).
A crop keeping 88% of each side, taken at a fraction of the slack from the left (columns) and the top (rows):
median distance of its \`full\` probe to the nearest stored crop of its own picture (share within ${PDQ_MATCH_DISTANCE}).

| from top \\ from left | ${POS.join(' | ')} |
| --- | ${POS.map(() => '---').join(' | ')} |
${POS.map((fy) => `| ${fy} | ${POS.map((fx) => cell(fx, fy)).join(' | ')} |`).join('\n')}

Random crops (share 80–90%, any position; ${sets.now.length}): within ${PDQ_MATCH_DISTANCE} of the stored crops as published now
(4 centred + 12 corner rows) ${within(sets.now)}; with 12 more rows anchored at the middle of each edge ${within(sets.edges)};
with a 5x5 grid of positions at 90/85/80% (75 rows, ~59 more) ${within(sets.grid5)}; with 7x7 positions at 90, 87.5, 85, 82.5
and 80% (245 rows) ${within(sets.dense)}.`;
}

/** Luma of a pixel of canonical pixels. */
const lumaAt = (p: Pixels, i: number) => (p.channels === 1 ? p.data[i]! : 0.299 * p.data[i * 3]! + 0.587 * p.data[i * 3 + 1]! + 0.114 * p.data[i * 3 + 2]!);

async function overThePicture(): Promise<string> {
  const manifest = fs.readFileSync(path.join(CORPUS, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const out: string[] = [];
  for (const edit of ['meme', 'watermark', 'sticker']) {
    const list = manifest.filter(([, , t]) => t === edit);
    const perHalf = Object.fromEntries(HALVES.map((h) => [h, { changed: [] as number[], bits: [] as number[], ok: 0, lowQ: 0 }]));
    let clean2 = 0;
    let full = 0;
    const mid = { b125: 0, b18: 0, b25: 0 };
    let n = 0;
    const causes = { halvesTouched: 0, cleanHalfTooFar: 0, lowQualityHalf: 0 };
    for (const [v, id] of list) {
      const o = canonicalPixels(await decodeFull(path.join(CORPUS, 'orig', `${id}.jpg`)));
      if (pdqHash(o).quality < PDQ_MIN_QUALITY) continue;
      const q = await decode(path.join(CORPUS, v!));
      if (q.width !== o.width || q.height !== o.height) continue;
      n++;
      const stored = new Map(publishHashes(o).map((h) => [h.kind, h] as const));
      const probes = new Map(queryProbes(q).map((p) => [p.probe, p] as const));
      if (hammingDistance(probes.get('full')!.hashes[0]!, stored.get('canonical')!.hash) <= PDQ_MATCH_DISTANCE) full++;
      let good = 0;
      let touched = 0;
      for (const h of HALVES) {
        const r = halfRect(o.width, o.height, h);
        let changed = 0;
        for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (Math.abs(lumaAt(o, y * o.width + x) - lumaAt(q, y * o.width + x)) > 32) changed++;
        const share = changed / (r.width * r.height);
        const s = stored.get(`half-${h}`);
        const p = probes.get(`half-${h}`)!;
        const bits = s ? hammingDistance(p.hashes[0]!, s.hash) : 256;
        const rec = perHalf[h]!;
        rec.changed.push(100 * share);
        rec.bits.push(bits);
        if (!s || p.quality < PDQ_MIN_QUALITY) rec.lowQ++;
        else if (bits <= PDQ_MATCH_DISTANCE) rec.ok++;
        if (s && p.quality >= PDQ_MIN_QUALITY && bits <= PDQ_MATCH_DISTANCE) good++;
        if (share > 0.005) touched++;
        if (share <= 0.005 && bits > PDQ_MATCH_DISTANCE && s) causes.cleanHalfTooFar++;
        if (share <= 0.005 && (!s || p.quality < PDQ_MIN_QUALITY)) causes.lowQualityHalf++;
      }
      if (good >= 2) clean2++;
      if (touched >= 3) causes.halvesTouched++;
      // A stored middle band: the picture without its top and bottom b (both cut at once).
      for (const [k, b] of [['b125', 0.125], ['b18', 0.18], ['b25', 0.25]] as const) {
        const r = { x: 0, y: Math.round(o.height * b), width: o.width, height: o.height - 2 * Math.round(o.height * b) };
        if (hammingDistance(pdqHash(crop(o, r)).hash, pdqHash(crop(q, r)).hash) <= PDQ_MATCH_DISTANCE) mid[k]++;
      }
    }
    out.push(`#### ${edit} (${n} re-shares)

| half | share of its pixels changed (median) | bits moved (median) | within ${PDQ_MATCH_DISTANCE} | quality < 50 |
| --- | --- | --- | --- | --- |
${HALVES.map((h) => `| ${h} | ${med(perHalf[h]!.changed).toFixed(1)}% | ${med(perHalf[h]!.bits)} | ${pct(perHalf[h]!.ok, n)} | ${perHalf[h]!.lowQ} |`).join('\n')}

Whole picture within ${PDQ_MATCH_DISTANCE}: ${pct(full, n)}; two halves within ${PDQ_MATCH_DISTANCE} (what the rule asks of halves): ${pct(clean2, n)}.
The edit touches (> 0.5% of pixels changed) three or four halves in ${causes.halvesTouched} of ${n}; an untouched half is still
more than ${PDQ_MATCH_DISTANCE} bits away ${causes.cleanHalfTooFar} times, or too flat to hash (quality < 50) ${causes.lowQualityHalf} times.
A stored middle band (top and bottom cut alike, compared with the same cut of the query) within ${PDQ_MATCH_DISTANCE}:
cut 12.5% ${pct(mid.b125, n)}, 18% ${pct(mid.b18, n)}, 25% ${pct(mid.b25, n)}.`);
  }
  return `### Text and stickers over the picture: what each half sees

Every re-share of the tuning corpus with the edit (query decoded as the extension decodes; stored halves as published).
Changed: luma differs by more than 32 levels from the original at canonical size.

${out.join('\n\n')}`;
}

/** The picture's true rectangle in a re-share made by make-corpus.sh, in the re-share's own pixels. */
function truth(transform: string, W: number, H: number): Rect | null {
  const pt = Math.floor(H / 24) + 6;
  switch (transform) {
    case 'border': {
      const b = Math.floor((Math.max(W, H) * 6) / 100);
      return { x: b, y: b, width: W, height: H };
    }
    case 'pillarbox':
      return { x: Math.floor(Math.floor((W * 30) / 100) / 2), y: 0, width: W, height: H };
    case 'letterbox':
      return { x: 0, y: Math.floor(Math.floor((H * 16) / 100) / 2), width: W, height: H };
    case 'tweetshot': {
      const iw = Math.floor((W * 7) / 10);
      return { x: Math.floor((W - iw) / 2), y: 2 * pt + 70, width: iw, height: Math.round((H * iw) / W) };
    }
    case 'tweetshot_dark': {
      const p2 = Math.floor(H / 22) + 6;
      const iw = Math.floor((W * 9) / 10);
      return { x: Math.floor((W - iw) / 2), y: 2 * p2 + 70, width: iw, height: Math.round((H * iw) / W) };
    }
    default:
      return null;
  }
}

async function ownColour(dir: string, title: string): Promise<string> {
  if (!fs.existsSync(path.join(dir, 'manifest.csv'))) return `### Frames of the picture's own colour (${title})\n\nNot run: no corpus at ${dir}.`;
  const manifest = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const rows: string[] = [];
  for (const t of ['border', 'pillarbox', 'letterbox', 'tweetshot', 'tweetshot_dark']) {
    const c = { n: 0, exact: 0, nothing: 0, inside: 0, outside: 0, mixed: 0, insideMatched: 0 };
    const worst: number[] = [];
    for (const [v, id] of manifest.filter(([, , x]) => x === t)) {
      const orig = await sharp(path.join(dir, 'orig', `${id}.jpg`)).metadata();
      const q = await decode(path.join(dir, v!));
      const meta = await sharp(path.join(dir, v!)).metadata();
      const tr = truth(t, orig.width!, orig.height!);
      if (!tr) continue;
      const f = q.width / meta.width!;
      const want = { x: tr.x * f, y: tr.y * f, width: tr.width * f, height: tr.height * f };
      const got = findPicture(q);
      c.n++;
      if (!got) {
        c.nothing++;
        continue;
      }
      const r = got.rect;
      // Per side: + = the finder stopped outside the picture (left frame in), − = it cut into the picture.
      const err = [r.x - want.x, r.y - want.y, want.x + want.width - (r.x + r.width), want.y + want.height - (r.y + r.height)];
      const tol = 1.5;
      worst.push(Math.max(...err.map(Math.abs)));
      if (err.every((e) => Math.abs(e) <= tol)) c.exact++;
      else if (err.every((e) => e >= -tol)) c.inside++;
      else if (err.every((e) => e <= tol)) c.outside++;
      else c.mixed++;
    }
    rows.push(`| ${t} | ${c.n} | ${c.exact} | ${c.inside} | ${c.outside} | ${c.mixed} | ${c.nothing} | ${worst.length ? med(worst).toFixed(1) : '–'} |`);
  }
  return `### Frames of the picture's own colour: what the picture finder cuts (${title})

Every re-share with a frame; the picture's true rectangle from how make-corpus.sh made it, in canonical pixels;
\`findPicture\` (the \`picture\` probe; the \`inner\` reading can differ), within 1.5 px on every side = exact.

| re-share | n | exact | cut into the picture | left frame in | both | found nothing | median worst side error (px) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
}

export default async function run(): Promise<string> {
  if (!fs.existsSync(path.join(CORPUS, 'manifest.csv'))) return `## Why the misses miss\n\nNot run: no corpus at ${CORPUS}.`;
  const parts = [await offCentre(), await overThePicture(), await ownColour(CORPUS, 'tuning corpus'), await ownColour(OWN, 'own-edge-colour corpus')];
  const report = `## Why the misses miss (issue 14)\n\n${parts.join('\n\n')}`;
  console.log(report);
  return report;
}
