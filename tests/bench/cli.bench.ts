/**
 * The publisher CLI's `hash` as a user runs it — the packed package installed with npm into a
 * temporary prefix — against Meta's reference `pdq-photo-hasher` (facebook/ThreatExchange
 * pdq/cpp), on the same files, in one run: whole processes (start-up included), several rounds in
 * alternating order, images/second and the ratio. Every file's hash must be the reference's, bit
 * for bit: the bench says on how many files they agree.
 *
 * The reference is not in the repository (build it: `make pdq-photo-hasher` in pdq/cpp); give its
 * path with `npm run bench cli -- --reference PATH` (or put it on PATH). Built as its Makefile
 * builds it, CImg decodes through ImageMagick's `convert`; `--reference-native PATH` adds a build
 * with CImg's own libjpeg/libpng decoders (`-Dcimg_use_jpeg -Dcimg_use_png … -ljpeg -lpng -lz`).
 * `--reference-path DIRS` is the PATH the reference runs with (where its `convert` is found).
 * `--cli BIN` skips packing and uses an installed `already-debunked`; `--cli-before BIN` adds another
 * installed build of ours (an earlier commit packed the same way), for before/after in one run.
 *
 * Files: the PDQ vectors the reference reads (tests/vectors/pdq/images, 31) and up to 90 photos
 * from Debian's wallpaper packages scaled to ≤ 1200 px (JPEG 92, made once into
 * dist/bench/cli-corpus) — 121 when the packages are installed.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { QUICK } from './lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VECTORS = path.join(ROOT, 'tests/vectors/pdq/images');
const CORPUS = path.join(ROOT, 'dist/bench/cli-corpus');
const WALLPAPERS = ['/usr/share/backgrounds', '/usr/share/wallpapers'];
const PHOTOS = 90;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)));

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : /\.(jpe?g|png)$/i.test(d.name) ? [path.join(dir, d.name)] : []));
}

/** The vectors the reference reads (not the RGBA PNG its CImg build cannot) and the scaled photos. */
async function corpus(): Promise<string[]> {
  const vectors = fs.readdirSync(VECTORS).filter((f) => /\.(jpe?g|png)$/.test(f) && f !== 'misc-images-c.png').sort().map((f) => path.join(VECTORS, f));
  fs.mkdirSync(CORPUS, { recursive: true });
  const photos: string[] = [];
  for (const src of WALLPAPERS.flatMap(walk).sort()) {
    if (photos.length >= PHOTOS) break;
    const out = path.join(CORPUS, `${String(photos.length).padStart(3, '0')}.jpg`);
    if (!fs.existsSync(out)) {
      try {
        await sharp(src).resize(1200, 1200, { fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toFile(out);
      } catch {
        continue;
      }
    }
    photos.push(out);
  }
  return [...vectors, ...photos];
}

/** The packed package installed with npm into a temporary prefix: its `already-debunked`. */
function installPacked(): { bin: string; cleanup: () => void } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-cli-bench-'));
  const packed = execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
  const prefix = path.join(tmp, 'prefix');
  execFileSync('npm', ['i', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--silent', path.join(tmp, packed)], { stdio: 'inherit' });
  return { bin: path.join(prefix, 'bin/already-debunked'), cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a command to its end: wall time (ms), CPU time (user + system of it and its children, ms,
 * through GNU time when installed) and its stdout. On a loaded machine wall time favours a
 * process with more threads (each gets its share of the cores); CPU time does not.
 */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; cpuMs: number; out: string }> {
  const report = path.join(os.tmpdir(), `ad-cli-bench-time-${process.pid}`);
  const [file, argv] = TIME ? [TIME, ['-f', '%U %S', '-o', report, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      const ms = performance.now() - t;
      const [user, sys] = TIME ? fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN];
      resolve({ ms, cpuMs: (user! + sys!) * 1000, out });
    });
  });
}

const hashesOf = (out: string) => new Map(out.trim().split('\n').filter(Boolean).map((l) => { const [hash, quality, ...file] = l.split(','); return [file.join(','), `${hash},${quality}`] as const; }));

export default async function run(): Promise<string> {
  const reference = process.env.BENCH_REFERENCE || which('pdq-photo-hasher');
  const native = process.env.BENCH_REFERENCE_NATIVE || null;
  const refEnv = { ...process.env, PATH: process.env.BENCH_REFERENCE_PATH || process.env.PATH };
  const files = await corpus();
  const vectorCount = files.filter((f) => f.startsWith(VECTORS)).length;
  const given = process.env.BENCH_CLI;
  const installed = given ? { bin: given, cleanup: () => undefined } : installPacked();
  try {
    const contenders: { label: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [{ label: 'ours: the packed CLI, installed (`already-debunked hash`)', cmd: installed.bin, args: ['hash'] }];
    // An earlier build of ours installed the same way (`--cli-before BIN`): before/after in one run.
    if (process.env.BENCH_CLI_BEFORE) contenders.push({ label: 'ours before (`--cli-before`)', cmd: process.env.BENCH_CLI_BEFORE, args: ['hash'] });
    if (reference) contenders.push({ label: 'reference `pdq-photo-hasher` (CImg via ImageMagick convert, as its Makefile builds it)', cmd: reference, args: [], env: refEnv });
    if (native) contenders.push({ label: 'reference, CImg with its libjpeg/libpng decoders', cmd: native, args: [] });
    const times = contenders.map(() => [] as number[]);
    const cpu = contenders.map(() => [] as number[]);
    const outs: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternating order: neither side always runs first on a machine whose load changes.
      const order = contenders.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const i of order) {
        const c = contenders[i]!;
        const { ms, cpuMs, out } = await timed(c.cmd, [...c.args, ...files], c.env);
        times[i]!.push(ms);
        cpu[i]!.push(cpuMs);
        outs[i] = out;
      }
    }
    const startup: number[] = [];
    for (let r = 0; r < ROUNDS; r++) startup.push((await timed(installed.bin, ['--help'])).ms);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rate = (ms: number) => (files.length / ms) * 1000;
    const ours = hashesOf(outs[0]!);
    const rows = contenders.map((c, i) => {
      const perRound = times[i]!.map((ms, r) => `${rate(ms).toFixed(1)}${i ? ` (ours ${(times[i]![r]! / times[0]![r]!).toFixed(2)}×)` : ''}`).join('; ');
      const agree = i === 0 ? '' : (() => {
        const theirs = hashesOf(outs[i]!);
        const same = files.filter((f) => theirs.has(f) && theirs.get(f) === ours.get(f)).length;
        return `${same} of ${theirs.size} files identical (hash and quality)`;
      })();
      const cpuRate = rate(median(cpu[i]!));
      return `| ${c.label} | ${rate(median(times[i]!)).toFixed(1)} | ${perRound} | ${cpuRate.toFixed(1)}${i ? ` (ours ${(median(cpu[i]!) / median(cpu[0]!)).toFixed(2)}×)` : ''} | ${agree} |`;
    });
    const note = reference ? '' : '\n\nThe reference was not run: build pdq-photo-hasher (facebook/ThreatExchange pdq/cpp, `make pdq-photo-hasher`) and pass `--reference PATH`.';
    console.log(rows.join('\n'));
    return `## CLI hashing: the installed package vs the reference \`pdq-photo-hasher\`

\`npm run bench cli\`: ${files.length} files (${vectorCount} PDQ vectors, the rest Debian wallpaper photos scaled to ≤ 1200 px), each contender one
process over all of them (start-up included), ${ROUNDS} round(s) in alternating order; ${os.availableParallelism()} cores.

| hasher | images/s (median) | each round: images/s (ours' speed ÷ this one's: > 1, ours faster) | images per CPU-second (user + system, median) | same hashes as ours |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Our start-up alone (\`already-debunked --help\`, installed): median ${median(startup).toFixed(0)} ms.${note}`;
  } finally {
    installed.cleanup();
  }
}
