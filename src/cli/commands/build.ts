/**
 * `build --input REVIEWS.json --key SECRET --out DIR [--base PREVIOUS_DIR] [--skip-invalid]`:
 * ClaimReview / MediaReview records + media files → a signed feed (docs/feed-format.md).
 * REVIEWS.json is `{ "feed": {id, name, publisher, reportEndpoint?}, "reviews": [record…] }`; each
 * record is schema.org JSON-LD extended with "media": ["photo.jpg", "clip.mp4", {"file":
 * "poster.jpg", "type": "video", "role": "poster"}, …], paths relative to REVIEWS.json. Images are
 * hashed with the extension's own PDQ code, with the hashes of their re-share variants unless
 * --plain (../image-hashes.ts); videos are cut into keyframes with ffmpeg (./keyframes.ts).
 * Nothing is written unless every record is valid (or --skip-invalid).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BINARY_PAYLOAD_TYPES,
  LIMITS,
  PAYLOAD_TYPES,
  maxSnapshotFileBytes,
  openSnapshot,
  signBinaryFile,
  buildDelta,
  buildIndex,
  buildSnapshot,
  fromBase64,
  fromReview,
  openEnvelope,
  parseEntry,
  parseIndex,
  publicKeyFromSecret,
  signEnvelope,
  signFile,
  type BuiltFile,
  type FeedEntry,
  type FeedMeta,
} from '../../core/feed';
import type { Command } from '../command';
import { MAX_SCALE_INSTABILITY } from '../../core/match';
import { readRegularFile } from '../files';
import { imageHashes } from '../image-hashes';
import { videoKeyframes } from '../keyframes';

const LOOPBACK = ['127.0.0.1', 'localhost'];

const HELP = `usage: already-debunked build --input REVIEWS.json --key SECRET [--key SECRET2] --out DIR [--base PREVIOUS_DIR] [--skip-invalid] [--allow-loopback] [--plain]

REVIEWS.json: { "feed": { "id", "name": {"en": …}, "publisher": {"name", "url"}, "reportEndpoint"? },
                "reviews": [ ClaimReview or MediaReview JSON-LD + "media": ["file.jpg", {"file", "type", "role"}] ] }
--key: the secret key file; give it twice (old, new) while rotating keys: every file then carries
       both signatures, so readers pinned to either key verify it (docs/publishing.md).
--base: the previous build's folder; the new sequence follows it, with a delta from it.
--media-timeout: seconds ffmpeg may take per video (default 600); it is stopped after that.
Media paths are relative to REVIEWS.json and must stay inside its folder.
--plain: store only each image's reference PDQ hash and its canonical one, not the hashes of its re-share variants
         (crops, turns, caption cuts; docs/matching.md), about 12 more per image.
--binary: also write the binary form (snapshots/N.adfb, deltas/A-B.adfb; docs/feed-format.md "Binary payloads"),
          ~5× smaller, read by current readers; older readers keep to the JSON files. A JSON file over its
          limit (a snapshot over ${LIMITS.maxSnapshotBytes / 2 ** 20} MiB, a delta over ${LIMITS.maxDeltaBytes / 2 ** 20} MiB) is left out: those readers
          then refuse the feed (or fetch the snapshot), current readers read the binary form.`;

const MAX_REVIEWS_BYTES = 64 * 1024 * 1024;
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/**
 * Media paths are relative to the folder of REVIEWS.json and must stay inside it (no "..", no
 * absolute path, no symbolic link out of it). The refusal is the same whether or not such a file
 * exists, and is decided before anything outside the folder is looked at.
 */
function insideFolder(here: string) {
  const outside = (file: string) => new Error(`${JSON.stringify(file)} is not inside the folder of REVIEWS.json`);
  const within = (root: string, p: string) => {
    const rel = path.relative(root, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  let realHere: string | undefined;
  return async (file: string): Promise<string> => {
    if (typeof file !== 'string' || path.isAbsolute(file) || file.includes('\0')) throw outside(String(file));
    const resolved = path.resolve(here, file);
    if (!within(here, resolved)) throw outside(file);
    // Lexically inside; a symbolic link on the way may still lead out.
    realHere ??= await fs.promises.realpath(here);
    const real = await fs.promises.realpath(resolved).catch(() => resolved);
    if (real !== resolved && !within(realHere, real)) throw outside(file);
    return resolved;
  };
}

type MediaRef = string | { file: string; type?: 'image' | 'video' | 'gif'; role?: 'original' | 'variant' | 'poster' | 'keyframe' | 'thumbnail' };

export const buildCommand: Command = {
  name: 'build',
  summary: 'ClaimReview/MediaReview records + media → a signed feed',
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        input: { type: 'string' },
        key: { type: 'string', multiple: true },
        out: { type: 'string' },
        base: { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
        'valid-days': { type: 'string', default: '14' },
        help: { type: 'boolean', short: 'h' },
        'allow-loopback': { type: 'boolean', default: false },
        plain: { type: 'boolean', default: false },
        binary: { type: 'boolean', default: false },
        'media-timeout': { type: 'string', default: '600' },
      },
    });
    if (values.help) return (io.out(HELP), 0);
    if (!values.input || !values.key?.length || !values.out) return (io.err(HELP), 2);
    // Loopback http URLs (a local test or demo feed) are refused unless asked for, as in store builds.
    const opts = { testHosts: values['allow-loopback'] ? LOOPBACK : [] };
    const days = Number(values['valid-days']);
    if (!(days > 0 && days <= LIMITS.maxValidityDays)) throw new Error(`--valid-days must be more than 0 and at most ${LIMITS.maxValidityDays} (readers refuse longer)`);
    const mediaTimeoutMs = Number(values['media-timeout']) * 1000;
    if (!(mediaTimeoutMs > 0)) throw new Error('--media-timeout must be a number of seconds');
    if (values.key.length > 8) throw new Error('at most 8 --key');
    // Inputs are read only if they are regular files (a FIFO would hang the tool), within limits.
    const secretKeys: Uint8Array[] = [];
    for (const k of values.key) secretKeys.push(fromBase64(text(await readRegularFile(k, 4096)).trim()));
    const doc = JSON.parse(text(await readRegularFile(values.input, MAX_REVIEWS_BYTES))) as { feed?: FeedMeta; reviews?: unknown[] };
    if (!doc.feed || !Array.isArray(doc.reviews)) throw new Error('REVIEWS.json must be {"feed": {...}, "reviews": [...]}');
    const here = path.dirname(path.resolve(values.input));
    const inside = insideFolder(here);
    const entries: FeedEntry[] = [];
    const problems: string[] = [];
    for (const [i, record] of doc.reviews.entries()) {
      io.err(`[${i + 1}/${doc.reviews.length}] hashing…`);
      const { entry, problems: p } = fromReview(record);
      const media = (record as { media?: MediaRef[] }).media ?? [];
      if (!media.length) p.push({ path: 'media', message: 'lists no media files' });
      const items: FeedEntry['media'] = [];
      for (const [m, ref] of media.entries()) {
        const file = typeof ref === 'string' ? ref : ref.file;
        try {
          const where = await inside(file);
          if (/\.(mp4|mov|webm|mkv|m4v|avi|ts)$/i.test(file)) {
            const { frames, durationSec } = await videoKeyframes(where, { timeoutMs: mediaTimeoutMs, variants: !values.plain });
            const usable = frames.filter((f) => f.quality >= 50);
            if (!usable.length) p.push({ path: `media[${m}]`, message: `${file}: no frame of PDQ quality ≥ 50` });
            items.push({ type: 'video', hashes: [], frames: { alg: 'pdq', items: usable }, ...(durationSec ? { durationSec } : {}) });
            io.err(`  ${file}: ${usable.length} keyframes`);
            continue;
          }
          const type = typeof ref === 'string' ? 'image' : (ref.type ?? 'image');
          const role = typeof ref === 'string' ? 'original' : (ref.role ?? 'original');
          const { hashes, instability } = await imageHashes(where, role, { variants: !values.plain });
          const { quality } = hashes[0]!;
          if (quality < 50) p.push({ path: `media[${m}]`, message: `${file} has PDQ quality ${quality} (< 50): too flat to match safely` });
          else if (instability > MAX_SCALE_INSTABILITY) {
            io.err(`  warning: ${file}: scale-sensitive (its hash moves ${instability} bits at thumbnail size): readers who see it small may not be matched; a photo of the scene without fine stripes or texture works better`);
          }
          items.push({ type, hashes });
        } catch (e) {
          p.push({ path: `media[${m}]`, message: `${file}: ${(e as Error).message}` });
        }
      }
      if (entry && !p.length) {
        try {
          entries.push(parseEntry({ ...entry, media: items }, opts));
        } catch (e) {
          p.push({ path: '(entry)', message: (e as Error).message });
        }
      }
      for (const x of p) problems.push(`record ${i}: ${x.path}: ${x.message}`);
    }
    for (const p of problems) io.err(p);
    if (problems.length && !values['skip-invalid']) {
      io.err(`${problems.length} problem(s); nothing written (use --skip-invalid to build from the valid records)`);
      return 1;
    }
    const ids = new Set<string>();
    for (const e of entries) {
      if (ids.has(e.id)) throw new Error(`two records have the id ${e.id}`);
      ids.add(e.id);
    }

    // The previous sequence, if any.
    let seq = 1;
    let epoch = 1;
    let previous: FeedEntry[] = [];
    const deltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] = [];
    const binaryDeltas: { fromSeq: number; toSeq: number; file: BuiltFile }[] = [];
    const publicKeys = secretKeys.map(publicKeyFromSecret);
    if (values.base) {
      const index = parseIndex(openEnvelope(await readRegularFile(path.join(values.base, 'index.json'), LIMITS.maxIndexBytes), publicKeys, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes).payload, opts);
      // The previous list, from whichever form a current reader reads (the binary one when listed).
      const snapRef = index.binary?.snapshot ?? index.snapshot;
      const snap = openSnapshot(await readRegularFile(path.join(values.base, snapRef.path), maxSnapshotFileBytes()), index, { keys: publicKeys, now: new Date(), testHosts: opts.testHosts }, snapRef);
      seq = index.seq + 1;
      epoch = index.epoch;
      previous = snap.entries;
      // The deltas kept from the previous build, signed again with today's keys (the same bytes
      // unless the keys changed: Ed25519 is deterministic), so after a key rotation every file
      // verifies with every current key.
      const resign = async (d: { path: string; fromSeq: number; toSeq: number }, type: string) => {
        const { payload } = openEnvelope(await readRegularFile(path.join(values.base!, d.path), LIMITS.maxDeltaBytes), publicKeys, type, LIMITS.maxDeltaBytes);
        return { fromSeq: d.fromSeq, toSeq: d.toSeq, file: { path: d.path, bytes: signEnvelope(payload, type, secretKeys) } };
      };
      for (const d of index.deltas) deltas.push(await resign(d, PAYLOAD_TYPES.delta));
      if (values.binary) for (const d of index.binary?.deltas ?? []) binaryDeltas.push(await resign(d, BINARY_PAYLOAD_TYPES.delta));
      // A record that changed gets a new rev (publishers need not count revisions by hand).
      const old = new Map(previous.map((e) => [e.id, e]));
      for (const e of entries) {
        const before = old.get(e.id);
        if (before && JSON.stringify({ ...before, rev: 0 }) !== JSON.stringify({ ...e, rev: 0 })) e.rev = Math.max(e.rev, before.rev + 1);
        else if (before) e.rev = before.rev;
      }
    }
    const now = new Date();
    const snapshotPayload = buildSnapshot(doc.feed, entries, seq, epoch, now, days);
    const deltaPayload = values.base ? buildDelta(doc.feed.id, previous, entries, seq - 1, epoch, now, days) : null;
    const binary = values.binary ? signBinaryFile(`snapshots/${seq}.adfb`, snapshotPayload, secretKeys) : null;
    let snapshot: BuiltFile;
    try {
      snapshot = signFile(`snapshots/${seq}.json`, snapshotPayload, 'snapshot', secretKeys);
    } catch (e) {
      // Past the longest string the runtime can make (~512 MB): far over the limit in any case.
      if (!(binary && e instanceof RangeError)) throw e;
      snapshot = { path: '', bytes: new Uint8Array(LIMITS.maxSnapshotBytes + 1) };
    }
    if (binary && snapshot.bytes.length > LIMITS.maxSnapshotBytes) {
      // Too large for any reader in the JSON form: the index names the binary file in both places.
      io.err(`the JSON snapshot would be over the ${LIMITS.maxSnapshotBytes} bytes readers accept: only the binary form is written (readers older than it refuse this feed)`);
      snapshot = binary;
    }
    if (deltaPayload) {
      const json = signFile(`deltas/${seq - 1}-${seq}.json`, deltaPayload, 'delta', secretKeys);
      if (!binary || json.bytes.length <= LIMITS.maxDeltaBytes) deltas.push({ fromSeq: seq - 1, toSeq: seq, file: json });
      if (binary) binaryDeltas.push({ fromSeq: seq - 1, toSeq: seq, file: signBinaryFile(`deltas/${seq - 1}-${seq}.adfb`, deltaPayload, secretKeys) });
    }
    const keep = deltas.slice(-LIMITS.maxDeltas);
    const keepBinary = binaryDeltas.slice(-LIMITS.maxDeltas);
    const binaryForm = binary ? { snapshot: binary, deltas: keepBinary } : undefined;
    const index = signFile('index.json', buildIndex(doc.feed, { seq, epoch, file: snapshot }, keep, now, Math.min(days, 2), undefined, binaryForm), 'index', secretKeys);
    const files = new Map<string, BuiltFile>();
    for (const f of [snapshot, ...keep.map((d) => d.file), ...(binaryForm ? [binaryForm.snapshot, ...keepBinary.map((d) => d.file)] : []), index]) files.set(f.path, f);
    for (const f of files.values()) {
      fs.mkdirSync(path.join(values.out, path.dirname(f.path)), { recursive: true });
      fs.writeFileSync(path.join(values.out, f.path), f.bytes);
    }
    io.out(`wrote ${values.out}: seq ${seq}, ${entries.length} entries${values.base ? `, delta ${seq - 1}→${seq}` : ''}`);
    return 0;
  },
};
