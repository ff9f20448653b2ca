/**
 * Video re-shares (issue 15, docs/matching.md "Video"): does a re-shared clip get its notice, from
 * the poster or while it plays, and how soon, wherever playback starts; and never on a clip that is
 * not the published one.
 *
 * Corpus: tests/bench/make-video-corpus.sh (real camera footage from Debian packages and moving
 * shots made from real photos; 14 re-share edits of each; unrelated clips and another moment of
 * the same scene as negatives). Each original is published as the CLI publishes it
 * (src/cli/keyframes.ts: keyframes + variants); each re-share and negative is decoded at the size
 * the extension samples at (videoFrameSize), 4 frames a second, and played as the content script
 * plays it: a frame every second from a start phase of 0, ¼, ½ or ¾ s, each frame hashed with
 * queryProbes and, from the second frame on, the moving picture found in the last three frames
 * (findMovingPicture → motionProbe), looked up with findPairs + decide (standard rule). The
 * poster is the re-share's first frame, hashed the same way without motion, and held as the background holds a
 * picture's match (pictureMatchHolds).
 * Frames are decoded at the clip's own size and scaled as a canvas scales them down (area
 * averaging, resizeArea); the moving picture is cut from the clip's own pixels and scaled to the
 * frame size, as the content script draws it. Differences from the browser: the scaler is not the
 * canvas's own, and frames are taken at exact quarter seconds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { probeSize, sampleFrames, videoKeyframes, type Keyframe } from '../../src/cli/keyframes';
import { hammingDistance, hashFromHex, type Hash256 } from '../../src/core/hash256';
import { EVIDENCE_RULE, VideoEvidence, clipLooksAlike, decide, findMovingPictures, findPairs, matchRule, motionProbe, movingPictureFromVideo, movingPicturePixels, pictureMatchHolds, queryProbes, videoDecodeSize, videoFramePixels, type Probe, type Rect, type StoredMediaHashes, type StoredRows } from '../../src/core/match';
import type { Pixels } from '../../src/core/pdq';
import { percentile } from './lib/stats';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(ROOT, process.env.VIDEO_CORPUS ?? '.bench-video-corpus');
const ALL_EDITS = ['original', 'lowbitrate', 'trim', 'speed', 'framerate', 'mirror', 'crop90', 'crop80', 'blackbars', 'blur11', 'captionbar', 'captionover', 'screenrec', 'pip'];
/** `npm run bench video -- --edits crop90,crop80`: only these edits (the negatives always). */
const EDITS = process.env.BENCH_EDITS ? ALL_EDITS.filter((e) => process.env.BENCH_EDITS!.split(',').includes(e)) : ALL_EDITS;
/** `-- --variant-cover 16 --variant-frames 60`: the publisher's variant cover (src/cli/keyframes.ts VARIANT_COVER_BITS, VARIANT_FRAMES_PER_MINUTE). */
const VARIANTS = { variantCoverBits: process.env.BENCH_VARIANT_COVER ? Number(process.env.BENCH_VARIANT_COVER) : undefined, variantFramesPerMinute: process.env.BENCH_VARIANT_FRAMES ? Number(process.env.BENCH_VARIANT_FRAMES) : undefined };
const PHASES = 4; // start phases, quarter seconds
const PLAY_SEC = 14;
const WITHIN_SEC = 3;

interface Row {
  hash: Hash256;
  entry: number;
  kind: string;
  /** The keyframe's time, and up to when it stands for the clip (the next keyframe's time, or the clip's end). */
  t: number;
  until: number;
}

function storedRows(rows: Row[]): StoredRows {
  return {
    query(h, d) {
      const out = [];
      for (let i = 0; i < rows.length; i++) {
        const distance = hammingDistance(h, rows[i]!.hash);
        if (distance <= d) out.push({ id: i, distance, probe: 0 });
      }
      return out;
    },
    entryOf: (i) => rows[i]!.entry,
    kindOf: (i) => rows[i]!.kind,
  };
}

/** The clip's frames, 4 a second, at the size the content script decodes them (its own, up to VIDEO_DECODE_SIDE). */
async function frames4(file: string): Promise<Pixels[]> {
  const { width, height } = await probeSize(file);
  const out: Pixels[] = [];
  await sampleFrames(file, videoDecodeSize(width, height), PHASES, PHASES * (PLAY_SEC + 1), (_t, px) => out.push(px));
  return out;
}

/**
 * The clip's frames at its own size when that is larger than the decoded size (the content script
 * cuts the moving picture from the video itself, src/content/video.ts); null otherwise, or with
 * BENCH_CUT_FULL=0 (cut from the decoded frame, as before).
 */
async function framesFull(file: string): Promise<Pixels[] | null> {
  const { width, height } = await probeSize(file);
  const d = videoDecodeSize(width, height);
  if (process.env.BENCH_CUT_FULL === '0' || (d.width === width && d.height === height)) return null;
  const out: Pixels[] = [];
  await sampleFrames(file, { width, height }, PHASES, PHASES * (PLAY_SEC + 1), (_t, px) => out.push(px));
  return out;
}

/** The clip's first frame, decoded as frames4 decodes (the poster: X shows the first frame; the fps filter may pick another). */
function firstFrame(file: string, size: { width: number; height: number }): Pixels {
  const data = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', file, '-vf', `scale=${size.width}:${size.height}:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 26 });
  return { width: size.width, height: size.height, channels: 3, data: new Uint8Array(data) };
}

/** As the content script hashes a frame: the canonical scaler down to the frame size (videoFramePixels). */
const canonical = videoFramePixels;

/** As the content script hashes the moving picture: its rectangle of the decoded frame, made canonical. */
const inside = (native: Pixels, frame: Pixels, rect: Rect, full?: Pixels): Probe => {
  const px = full ? movingPictureFromVideo(full, frame, rect) : movingPicturePixels(native, frame, rect);
  return motionProbe(px, { x: 0, y: 0, width: px.width, height: px.height });
};

interface Outcome {
  poster: number[]; // entries accepted from the poster
  /** Per phase: seconds of playing until the true entry was accepted (null: never), and every entry accepted at any time. */
  phases: { sec: number | null; accepted: Set<number> }[];
  /** The same under the sequence rule (VideoEvidence). */
  sequence: { sec: number | null; accepted: Set<number> }[];
}

export default async function run(): Promise<string> {
  if (!fs.existsSync(CORPUS) || !fs.readdirSync(CORPUS).some((f) => f.startsWith('o-'))) {
    const how = `bash tests/bench/make-video-corpus.sh ${path.relative(ROOT, CORPUS)}   (needs: apt-get install -y ffmpeg fonts-dejavu-core)`;
    console.error(`\n!! video bench NOT RUN: no corpus at ${CORPUS}. Make one with:\n   ${how}\n`);
    return `## Video re-shares\n\nNot run: no corpus at ${CORPUS}. Make one with \`${how}\`.`;
  }
  const files = fs.readdirSync(CORPUS).sort();
  const originals = files.filter((f) => f.startsWith('o-')).map((f) => f.slice(2, -4));
  const rule = matchRule('standard');
  /** First stage of the sequence rule: the standard rule's pairs, within EVIDENCE_RULE.near. */
  const near = { ...rule, candidateDistance: EVIDENCE_RULE.near };

  // Publish.
  const rows: Row[] = [];
  let keyframes = 0;
  let variants = 0;
  let bytes = 0;
  let seconds = 0;
  const alike: boolean[] = [];
  const media: StoredMediaHashes[] = [];
  for (const [entry, id] of originals.entries()) {
    const { frames, durationSec } = await videoKeyframes(path.join(CORPUS, `o-${id}.mp4`), VARIANTS);
    alike[entry] = clipLooksAlike(frames.map((f) => ({ t: f.t, hash: hashFromHex(f.value) })), durationSec);
    media[entry] = { hashes: [], frames: { items: frames }, durationSec: durationSec ?? undefined };
    for (const [i, f] of frames.entries()) {
      const until = frames[i + 1]?.t ?? durationSec ?? f.t;
      rows.push({ hash: hashFromHex(f.value), entry, kind: 'original', t: f.t, until });
      for (const v of f.variants ?? []) rows.push({ hash: hashFromHex(v.value), entry, kind: v.variant, t: f.t, until });
      variants += f.variants?.length ?? 0;
    }
    keyframes += frames.length;
    bytes += JSON.stringify({ alg: 'pdq', items: frames satisfies Keyframe[] }).length;
    seconds += durationSec ?? 0;
    console.log(`published ${id}: ${frames.length} keyframes, ${frames.reduce((n, f) => n + (f.variants?.length ?? 0), 0)} variant hashes, ${durationSec?.toFixed(1)} s${alike[entry] ? ', looks alike throughout' : ''}`);
  }
  const rows_ = storedRows(rows);
  /** Hashing per sampled frame (ms): queryProbes, and with the moving picture found and hashed (its rescaling included). */
  const timing = { withMotion: [] as number[], without: [] as number[] };

  const play = async (file: string, withMotion: boolean, truth: number): Promise<Outcome> => {
    const native = await frames4(file);
    const full = withMotion ? await framesFull(file) : null;
    const fr = native.map(canonical);
    const lookup = (probes: Probe[]) => [...decide(findPairs(probes, rows_, rule), rule).keys()];
    // The poster as the background answers cs/match-media: the image rule, then pictureMatchHolds (holdingMatches).
    const posterProbes = native[0] ? queryProbes(canonical(firstFrame(file, native[0]))) : [];
    const poster = [...decide(findPairs(posterProbes, rows_, rule), rule)].filter(([e, m]) => pictureMatchHolds([media[e]!], posterProbes, m.distance, rule)).map(([e]) => e);
    const phases: Outcome['phases'] = [];
    const sequence: Outcome['sequence'] = [];
    for (let p = 0; p < PHASES; p++) {
      let sec: number | null = null;
      let seqSec: number | null = null;
      const accepted = new Set<number>();
      const seqAccepted = new Set<number>();
      const evidence = new VideoEvidence();
      const seen: Pixels[] = [];
      for (let k = 0; k <= PLAY_SEC; k++) {
        const px = fr[p + PHASES * k];
        if (!px) break;
        seen.push(px);
        const t0 = performance.now();
        const probes = queryProbes(px);
        const t1 = performance.now();
        if (withMotion) for (const rect of findMovingPictures(seen.slice(-3))) probes.push(inside(native[p + PHASES * k]!, px, rect, full?.[p + PHASES * k]));
        const t2 = performance.now();
        timing.without.push(t1 - t0);
        if (withMotion) timing.withMotion.push(t2 - t0);
        for (const e of lookup(probes)) {
          accepted.add(e);
          if (e === truth && sec === null) sec = k;
        }
        // Evidence across frames, as the extension weighs it: the same allowed pairs, near (≤ 40),
        // with their keyframes' times (VideoEvidence keeps each entry's nearest, as cs/match-frame answers).
        const hits = findPairs(probes, rows_, near).map((h) => ({ entry: h.entry, distance: h.distance, t: rows[Number(h.pair.split('|')[1])]!.t, until: rows[Number(h.pair.split('|')[1])]!.until, alike: alike[h.entry] }));
        for (const e of evidence.add(k, hits)) {
          seqAccepted.add(e);
          if (e === truth && seqSec === null) seqSec = k;
        }
      }
      phases.push({ sec, accepted });
      sequence.push({ sec: seqSec, accepted: seqAccepted });
    }
    return { poster, phases, sequence };
  };

  const lines: string[] = [];
  const table = async (withMotion: boolean) => {
    const out = ['| edit | caught from poster | caught while playing (every start) | within 3 s (of starts) | s until notice: median / max | false notices | evidence across frames (the extension): within 3 s, median / max, false |', '| --- | --- | --- | --- | --- | --- | --- |'];
    let falseTotal = 0;
    let seqFalseTotal = 0;
    for (const edit of EDITS) {
      let poster = 0;
      let playing = 0;
      let within = 0;
      let starts = 0;
      let falses = 0;
      const secs: number[] = [];
      let seqWithin = 0;
      let seqFalses = 0;
      const seqSecs: number[] = [];
      for (const id of originals) {
        const file = edit === 'original' ? path.join(CORPUS, `o-${id}.mp4`) : path.join(CORPUS, `r-${id}--${edit}.mp4`);
        if (!fs.existsSync(file)) continue;
        const truth = originals.indexOf(id);
        const o = await play(file, withMotion, truth);
        if (o.poster.includes(truth)) poster++;
        if (o.phases.every((ph) => ph.sec !== null)) playing++;
        for (const ph of o.phases) {
          starts++;
          if (ph.sec !== null && ph.sec <= WITHIN_SEC) within++;
          secs.push(ph.sec ?? Infinity);
          for (const e of ph.accepted) if (e !== truth) falses++;
        }
        for (const e of o.poster) if (e !== truth) falses++;
        for (const ph of o.sequence) {
          if (ph.sec !== null && ph.sec <= WITHIN_SEC) seqWithin++;
          seqSecs.push(ph.sec ?? Infinity);
          for (const e of ph.accepted) if (e !== truth) seqFalses++;
        }
      }
      seqSecs.sort((a, b) => a - b);
      falseTotal += falses;
      secs.sort((a, b) => a - b);
      const n = originals.length;
      const fmt = (x: number) => (Number.isFinite(x) ? `${x}` : 'never');
      out.push(`| ${edit} | ${poster}/${n} | ${playing}/${n} | ${Math.round((100 * within) / Math.max(1, starts))}% | ${fmt(percentile(secs, 50))} / ${fmt(secs.at(-1) ?? Infinity)} | ${falses} | ${Math.round((100 * seqWithin) / Math.max(1, starts))}%, ${fmt(percentile(seqSecs, 50))} / ${fmt(seqSecs.at(-1) ?? Infinity)}, ${seqFalses} |`);
      console.log(out.at(-1));
    }
    // Negatives: never published.
    const negatives = files.filter((f) => f.startsWith('n-'));
    const neg: string[] = [];
    for (const f of negatives) {
      const o = await play(path.join(CORPUS, f), withMotion, -1);
      const any = new Set([...o.poster, ...o.phases.flatMap((ph) => [...ph.accepted])]);
      const seqAny = new Set(o.sequence.flatMap((ph) => [...ph.accepted]));
      falseTotal += any.size;
      seqFalseTotal += seqAny.size;
      const posterOnly = o.poster.length ? ` (poster: ${o.poster.map((e) => originals[e]).join(', ')})` : '';
      neg.push(`${f.slice(2, -4)}: ${any.size ? [...any].map((e) => originals[e]).join(', ') : 'none'}${posterOnly}${seqAny.size ? ` (evidence across frames: ${[...seqAny].map((e) => originals[e]).join(', ')})` : ''}`);
    }
    out.push('', `Negatives (never published; a notice on any is false): ${neg.join('; ')}. False notices in all: **${falseTotal}** (evidence across frames: **${seqFalseTotal}**).`);
    return out.join('\n');
  };

  lines.push('## Video re-shares', '');
  lines.push(
    `Corpus: ${originals.length} originals (${originals.join(', ')}; \`mv-\` = moving shots made from real photos), ${EDITS.length - 1} edits each, ${files.filter((f) => f.startsWith('n-')).length} negatives. ` +
      `Published: ${keyframes} keyframes and ${variants} variant hashes for ${seconds.toFixed(0)} s of video: ${((bytes / Math.max(1, seconds)) * 60 / 1024).toFixed(1)} KiB of JSON per minute (before the envelope's base64).`,
    '',
    `Playing: a frame a second from ${PHASES} start phases, ${PLAY_SEC} s at most; "every start": caught from all of them.`,
    '',
    '### With the moving picture (findMovingPicture)',
    '',
    await table(true),
  );
  const ms = (a: number[]) => {
    const x = [...a].sort((p, q) => p - q);
    return `${percentile(x, 50).toFixed(1)} ms median, ${percentile(x, 95).toFixed(1)} ms p95`;
  };
  lines.push('', `Hashing per sampled frame in node, side by side on the same frames (one core, loaded machine): the frame's probes alone ${ms(timing.without)}; with the moving picture found, cut and hashed ${ms(timing.withMotion)} (the cut is rescaled in node here; the canvas does it in the browser).`);
  if (process.env.BENCH_VIDEO_BASELINE !== '0') lines.push('', '### Without it (frames hashed whole, as images)', '', await table(false));
  return lines.join('\n');
}
