/**
 * Lookups: media hashes → the feed entries they match, as the notice shows them.
 *
 * The match index (src/core/index) covers every PDQ hash (images, posters, keyframes, and the
 * publisher's re-share variants, each row with its kind) of every active entry of every enabled
 * feed. It is rebuilt from the stored entries only when a sync or a subscription change
 * invalidated it, then persisted in IndexedDB, so a service worker that wakes up cold loads a
 * ready index (one ArrayBuffer) instead of re-reading the feeds. A lookup pairs the picture's
 * probes with the rows under the match rule (src/core/match, docs/matching.md).
 */
import { hashToWords32, hashFromHex, type Hash256 } from '../core/hash256';
import { PdqIndex } from '../core/index';
import { decide, findPairs, matchRule, type Probe, type StoredRows } from '../core/match';
import { DIHEDRAL_NAMES, PDQ_MIN_QUALITY } from '../core/pdq';
import type { FeedEntry } from '../core/feed';
import type { MatchView } from '../shared/messages';
import type { Settings } from '../shared/settings';
import { openDatabase, type IndexRecord } from './db';
import { recordStorageEvent } from './health';
import { testPoint } from './test-points';

interface Loaded {
  index: PdqIndex;
  record: IndexRecord;
}

let loaded: Promise<Loaded> | null = null;

/** Forget the in-memory index (after a sync or a subscription change: its IndexedDB copy was dropped too). */
export function invalidateMatcher(): void {
  loaded = null;
}

async function build(settings: Settings): Promise<IndexRecord> {
  const db = await openDatabase();
  const enabled = new Set(settings.subscriptions.filter((s) => s.enabled).map((s) => s.url));
  const hashes: number[] = [];
  const rowEntry: number[] = [];
  const rowMedia: number[] = [];
  const rowKind: number[] = [];
  const kinds: string[] = ['original'];
  const entryKeys: [string, string][] = [];
  const lanes = new Uint32Array(8);
  const add = (hex: string, entry: number, media: number, kind = 'original') => {
    hashToWords32(hashFromHex(hex), lanes);
    hashes.push(...lanes);
    rowEntry.push(entry);
    rowMedia.push(media);
    let k = kinds.indexOf(kind);
    if (k < 0) k = kinds.push(kind) - 1;
    rowKind.push(k);
  };
  for (let c = await db.transaction('entries').store.openCursor(); c; c = await c.continue()) {
    const { feedUrl, entry } = c.value;
    if (!enabled.has(feedUrl) || entry.status !== 'active' || entry.verdict.label === 'accurate') continue;
    const ordinal = entryKeys.push([feedUrl, entry.id]) - 1;
    entry.media.forEach((m, mi) => {
      // A variant without a name (another tool's) is matched as the image itself, as before.
      for (const h of m.hashes) if (h.quality >= PDQ_MIN_QUALITY) add(h.value, ordinal, mi, h.role === 'variant' && h.variant ? h.variant : 'original');
      for (const f of m.frames?.items ?? []) {
        if (f.quality >= PDQ_MIN_QUALITY) add(f.value, ordinal, mi);
        for (const v of f.variants ?? []) if (v.quality >= PDQ_MIN_QUALITY) add(v.value, ordinal, mi, v.variant);
      }
    });
  }
  const index = PdqIndex.build(Uint32Array.from(hashes), Uint32Array.from(rowEntry, (_, i) => i));
  const record: IndexRecord = {
    key: 'current',
    buffer: index.serialize(),
    rowEntry: Uint32Array.from(rowEntry),
    rowMedia: Uint16Array.from(rowMedia),
    rowKind: Uint8Array.from(rowKind),
    kinds,
    entryKeys,
    builtFrom: Object.fromEntries([...enabled].map((u) => [u, ''])),
    builtAt: new Date().toISOString(),
  };
  await testPoint('index-built-not-saved');
  try {
    await db.put('matchIndex', record);
  } catch (e) {
    // It still serves from memory; a full disk is worth telling the reader about.
    console.warn('[already-debunked] could not persist the match index:', e);
    if ((e as Error).name === 'QuotaExceededError') await recordStorageEvent({ kind: 'index-not-saved', detail: null, reportsKept: null });
  }
  return record;
}

/** Why a stored index record cannot be used as it is (damaged, or from another version), or null. */
function damage(record: IndexRecord, index: PdqIndex): string | null {
  const { rowEntry, rowMedia, rowKind, kinds, entryKeys } = record;
  if (!(rowEntry instanceof Uint32Array) || !(rowMedia instanceof Uint16Array) || !(rowKind instanceof Uint8Array) || !Array.isArray(kinds) || !Array.isArray(entryKeys)) {
    return 'its tables are missing';
  }
  if (rowEntry.length !== index.size || rowMedia.length !== index.size || rowKind.length !== index.size) return `its tables have ${rowEntry.length} rows for ${index.size} hashes`;
  if (rowKind.some((k) => k >= kinds.length)) return 'it names hash kinds it does not list';
  if (rowEntry.some((e) => e >= entryKeys.length)) return 'it names entries it does not list';
  return null;
}

async function load(settings: Settings): Promise<Loaded> {
  const db = await openDatabase();
  let record = await db.get('matchIndex', 'current');
  let index: PdqIndex | null = null;
  if (record) {
    let problem: string | null;
    try {
      index = PdqIndex.deserialize(record.buffer);
      problem = damage(record, index);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    if (problem) {
      console.warn('[already-debunked] stored match index unusable, rebuilding:', problem);
      await recordStorageEvent({ kind: 'index-rebuilt', detail: problem, reportsKept: null });
      index = null;
    }
  }
  if (!record || !index) {
    record = await build(settings);
    index = PdqIndex.deserialize(record.buffer);
  }
  return { index, record };
}

function getLoaded(settings: Settings): Promise<Loaded> {
  loaded ??= load(settings).catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

/** Picks the text in the reader's language, else English, else the first one given. */
export function localize(text: Record<string, string> | undefined, languages: readonly string[]): { text: string; lang: string } | null {
  if (!text) return null;
  const keys = Object.keys(text);
  for (const want of [...languages, 'en']) {
    const base = want.toLowerCase().split('-')[0];
    const k = keys.find((x) => x.toLowerCase() === want.toLowerCase()) ?? keys.find((x) => x.toLowerCase().split('-')[0] === base);
    if (k) return { text: text[k]!, lang: k };
  }
  return keys[0] ? { text: text[keys[0]]!, lang: keys[0] } : null;
}

export function toMatchView(entry: FeedEntry, feedUrl: string, feedName: string, distance: number, variant: string, languages: readonly string[]): MatchView {
  const rating = localize(entry.verdict.textualRating, languages)!;
  const claim = localize(entry.claim.text, languages);
  const context = localize(entry.originalContext?.description, languages);
  const headline = localize(entry.factCheck.headline, languages);
  return {
    feedUrl,
    feedName,
    entryId: entry.id,
    label: entry.verdict.label,
    rating: rating.text,
    claim: claim?.text ?? null,
    originalContext: entry.originalContext
      ? { description: context?.text ?? null, date: entry.originalContext.date ?? null, location: entry.originalContext.location ?? null }
      : null,
    headline: headline?.text ?? null,
    factCheckUrl: entry.factCheck.url,
    publisherName: entry.factCheck.publisher.name,
    datePublished: entry.factCheck.datePublished,
    lang: context?.lang ?? rating.lang,
    distance,
    variant,
  };
}

/**
 * The entries matching a picture, best first. `hashes` are its 8 dihedral hashes (original first),
 * `probes` the other views of it that the extension hashed (src/core/match queryProbes: the
 * picture inside a frame, caption cuts, the centre). A view below the quality threshold (flat,
 * text-only) never matches.
 */
export async function matchHashes(hashes: Hash256[], quality: number, settings: Settings, languages: readonly string[], probes: readonly Probe[] = []): Promise<MatchView[]> {
  if (!settings.enabled) return [];
  const all: Probe[] = [{ probe: 'full', hashes, quality }, ...probes];
  if (all.every((p) => p.quality < PDQ_MIN_QUALITY)) return [];
  const { index, record } = await getLoaded(settings);
  const kindOf = (row: number) => record.kinds[record.rowKind[row]!] ?? 'original';
  const rows: StoredRows = { query: (h, d) => index.query(h, d), entryOf: (row) => record.rowEntry[row]!, kindOf };
  const rule = matchRule(settings.matchStrictness);
  const best = decide(findPairs(all, rows, rule), rule);
  if (!best.size) return [];
  const db = await openDatabase();
  const names = new Map(settings.subscriptions.map((s) => [s.url, s.name]));
  const views: MatchView[] = [];
  for (const [ordinal, { distance, pair }] of [...best].sort((a, b) => a[1].distance - b[1].distance)) {
    const [feedUrl, id] = record.entryKeys[ordinal]!;
    const stored = await db.get('entries', [feedUrl, id]);
    if (!stored) continue; // removed since the index was built
    views.push(toMatchView(stored.entry, feedUrl, names.get(feedUrl) ?? feedUrl, distance, viewName(pair, kindOf), languages));
  }
  return views;
}

/** Which view matched, for the notice: a dihedral name, or the variant or probe that met. */
function viewName(pair: string, kindOf: (row: number) => string): string {
  const [probe, rest] = pair.split('/') as [string, string];
  const [dihedral, row] = rest.split('|').map(Number) as [number, number];
  const kind = kindOf(row);
  if (kind !== 'original') return kind;
  return probe === 'full' ? (DIHEDRAL_NAMES[dihedral] ?? 'original') : probe;
}
