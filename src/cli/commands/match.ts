/**
 * `match --feed DIR [--level strict|standard|loose] [--pub KEY] FILE…`: would this feed catch it?
 * Each image is decoded at full size and hashed from its canonical pixels with the extension's own
 * probes, then looked up in an index of the feed's entries under the extension's rule
 * (src/core/match: canonicalPixels, queryProbes, entryRows, lookupProbes), so the answer is the
 * one a reader's browser gives for the same pixels. One line per file:
 * `file,entry-id,distance,level,view` for the best match, or `file,-,best-distance,level,-`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PAYLOAD_TYPES, openEnvelope, parseIndex, parseSnapshot, publicKeyFromBase64, type FeedEntry } from '../../core/feed';
import { MatchRowsBuilder, closestDistance, groupedRows, lookupProbes, queryProbes, type StoredRows, type Strictness } from '../../core/match';
import { canonicalPixels } from '../../core/pdq';
import type { Command } from '../command';
import { decodeFull } from '../decode';
import { readRegularFile } from '../files';

const HELP = `usage: already-debunked match --feed DIR [--level strict|standard|loose] [--pub KEY] FILE...

Looks each image up in the feed in DIR (a folder written by build) exactly as the extension would,
at the reader's strictness (default: standard). Prints one line per file:
  file,entry-id,distance,level,view     when an entry matches (the best one)
  file,-,best-distance,level,-          when none does (the closest distance the level compares)
  --pub KEY   check the feed's signatures with this public key (base64, or a file holding it)
Videos are not matched by this command yet (images only).`;

const LEVELS: readonly Strictness[] = ['strict', 'standard', 'loose'];
const VIDEO = /\.(mp4|mov|webm|mkv|m4v|avi|ts)$/i;

/** The feed's active entries, as the extension indexes them (withdrawn and 'accurate' entries are never matched). */
async function loadEntries(dir: string, pub: string | undefined, testHosts: string[]): Promise<{ entries: FeedEntry[]; verified: boolean }> {
  const keys = pub ? [publicKeyFromBase64(fs.existsSync(pub) ? fs.readFileSync(pub, 'utf8') : pub)] : null;
  // Regular files only, within the feed format's limits (src/cli/files.ts).
  const open = async (file: string, type: string, max: number): Promise<Uint8Array> => {
    const bytes = Buffer.from(await readRegularFile(file, max));
    if (keys) return openEnvelope(bytes, keys, type, max).payload;
    const env = JSON.parse(bytes.toString('utf8')) as { payloadType?: unknown; payload?: unknown };
    if (env.payloadType !== type || typeof env.payload !== 'string') throw new Error(`${file}: not a ${type} envelope`);
    return Buffer.from(env.payload, 'base64');
  };
  const indexFile = path.join(dir, 'index.json');
  const index = parseIndex(await open(indexFile, PAYLOAD_TYPES.index, LIMITS.maxIndexBytes), { testHosts });
  const snap = parseSnapshot(await open(path.join(dir, index.snapshot.path), PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes), { testHosts });
  return { entries: snap.entries.filter((e) => e.status === 'active' && e.verdict.label !== 'accurate'), verified: Boolean(keys) };
}

/** The feed's rows in one index, built as the background builds its own (src/background/matcher.ts). */
export function feedRows(entries: readonly FeedEntry[]): StoredRows {
  const rows = new MatchRowsBuilder();
  entries.forEach((entry, e) => rows.addEntry(entry, e));
  const built = rows.build();
  return groupedRows(built.index, built.kinds, built.rowKind, built.rowEntry);
}

export const matchCommand: Command = {
  name: 'match',
  summary: 'would this feed catch it? look images up in a feed as the extension does',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        feed: { type: 'string' },
        level: { type: 'string', default: 'standard' },
        pub: { type: 'string' },
        'allow-loopback': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
    if (values.help) return (io.out(HELP), 0);
    const level = values.level as Strictness;
    if (!values.feed || !positionals.length || !LEVELS.includes(level)) return (io.err(HELP), 2);
    let entries: FeedEntry[];
    try {
      const loaded = await loadEntries(values.feed, values.pub, values['allow-loopback'] ? ['127.0.0.1', 'localhost'] : []);
      entries = loaded.entries;
      if (!loaded.verified) io.err(`note: ${values.feed}: signatures not checked (pass --pub KEY to check them)`);
    } catch (e) {
      io.err(`${values.feed}: cannot read the feed: ${(e as Error).message}`);
      return 1;
    }
    const rows = feedRows(entries);
    let failed = 0;
    for (const file of positionals) {
      try {
        if (VIDEO.test(file)) throw new Error('videos are not matched by this command yet (images only)');
        const probes = queryProbes(canonicalPixels(await decodeFull(file)));
        const [best] = lookupProbes(probes, rows, level);
        io.out(best ? `${file},${entries[best.entry]!.id},${best.distance},${level},${best.view}` : `${file},-,${closestDistance(probes, rows, level)},${level},-`);
      } catch (e) {
        failed++;
        io.err(`${file}: ${(e as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  },
};
