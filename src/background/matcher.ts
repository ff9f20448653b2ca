/**
 * Lookups: media hashes → the feed entries they match, as the notice shows them.
 *
 * The match index (src/core/index, grouped by what the rule lets each probe meet) covers every PDQ hash (images, posters, keyframes, and the
 * publisher's re-share variants, each row with its kind) of every active entry of every enabled
 * feed. It is rebuilt from the stored entries only when a sync or a subscription change
 * invalidated it, then persisted in IndexedDB, so a service worker that wakes up cold loads a
 * ready index (one ArrayBuffer) instead of re-reading the feeds. A lookup pairs the picture's
 * probes with the rows under the match rule (src/core/match, docs/matching.md).
 */
import type { Hash256 } from '../core/hash256';
import { GROUPED_FORMAT_VERSION, GROUPED_MAGIC, GroupedIndex, INDEX_MAGIC } from '../core/index';
import { MatchRowsBuilder, groupedRows, lookupProbes, type Probe, type StoredRows } from '../core/match';
import { PDQ_MIN_QUALITY } from '../core/pdq';
import type { FeedEntry } from '../core/feed';
import type { MatchView } from '../shared/messages';
import type { Settings } from '../shared/settings';
import { listGeneration, openDatabase, storedIndex, type IndexRecord } from './db';
import { recordStorageEvent } from './health';
import { testPoint } from './test-points';
import { mark } from './trace';

interface Loaded {
  index: GroupedIndex;
  record: IndexRecord;
  rows: StoredRows;
  /** [feedUrl, entry id] of an entry ordinal (the ids are split on first use). */
  entryKey(ordinal: number): [string, string];
}

/** The entry ids of an index record (see IndexRecord), one per entry ordinal. */
const idsOf = (record: IndexRecord): string[] => (record.entryIds === '' ? [] : record.entryIds.split('\n'));

function entryKeysOf(record: IndexRecord, ids: readonly string[]): (ordinal: number) => [string, string] {
  return (ordinal) => [record.feedUrls[record.entryFeed[ordinal]!]!, ids[ordinal]!];
}

let loaded: Promise<Loaded> | null = null;

/** Forget the in-memory index (after a sync or a subscription change: its IndexedDB copy was dropped too). */
export function invalidateMatcher(): void {
  loaded = null;
}

/** Is this stored entry one a notice may be shown for? (Withdrawn, or rated accurate: never.) */
export function matchable(entry: FeedEntry): boolean {
  return entry.status === 'active' && entry.verdict.label !== 'accurate';
}

/** Entries read per request while building the index. */
export const READ_PAGE = 1000;

/** Attempts at building an index while syncs keep changing the entries under it. */
const BUILD_ATTEMPTS = 3;

/**
 * Builds the index from the stored entries of the enabled feeds and saves it, unless the entries
 * changed meanwhile (a sync committed between the read and the write: the generation moved). Then
 * `current` is false: the index is not saved, and the caller builds again.
 */
async function build(settings: Settings): Promise<{ record: IndexRecord; current: boolean }> {
  const db = await openDatabase();
  const enabled = new Set(settings.subscriptions.filter((s) => s.enabled).map((s) => s.url));
  // Rows go into growing typed arrays as the cursor reads (src/core/match/rows.ts), then into the
  // grouped index (src/core/index/grouped.ts): no per-row objects, no number arrays.
  mark('build:start');
  const rows = new MatchRowsBuilder();
  const feedUrls: string[] = [];
  const feedNo = new Map<string, number>();
  let entryFeed = new Uint16Array(1024);
  const entryIds: string[] = [];
  // The generation and the entries are read in one transaction: they describe the same list.
  const read = db.transaction(['entries', 'matchIndex']);
  const generation = await listGeneration(read.objectStore('matchIndex'));
  // Read in pages (getAll, up to READ_PAGE records a request), not one cursor step per entry: at
  // hundreds of thousands of entries the per-request cost dominated (tests/bench/feed.bench.ts).
  const entries = read.objectStore('entries');
  for (let after: IDBKeyRange | undefined; ; ) {
    const page = await entries.getAll(after, READ_PAGE);
    for (const { feedUrl, entry } of page) {
      if (!enabled.has(feedUrl) || !matchable(entry)) continue;
      let f = feedNo.get(feedUrl);
      if (f === undefined) feedNo.set(feedUrl, (f = feedUrls.push(feedUrl) - 1));
      if (entryIds.length === entryFeed.length) {
        const more = new Uint16Array(entryFeed.length * 2);
        more.set(entryFeed);
        entryFeed = more;
      }
      entryFeed[entryIds.length] = f;
      rows.addEntry(entry, entryIds.push(entry.id) - 1);
    }
    if (page.length < READ_PAGE) break;
    const last = page[page.length - 1]!;
    after = IDBKeyRange.lowerBound([last.feedUrl, last.id], true);
  }
  mark('build:entries-read', { n: entryIds.length });
  const built = rows.build();
  mark('build:index-built', { n: built.index.size });
  const record: IndexRecord = {
    key: 'current',
    buffer: built.index.serialize(),
    rowEntry: built.rowEntry,
    rowMedia: built.rowMedia,
    rowKind: built.rowKind,
    kinds: built.kinds,
    feedUrls,
    entryFeed: entryFeed.slice(0, entryIds.length),
    entryIds: entryIds.join('\n'),
    generation,
    builtAt: new Date().toISOString(),
  };
  mark('build:serialized', { n: record.buffer.byteLength });
  await testPoint('index-built-not-saved');
  try {
    // Saved only if the list it was built from is still the current one, checked in the same
    // transaction as the write (a sync's commit bumps the generation in its own).
    const tx = db.transaction('matchIndex', 'readwrite');
    if ((await listGeneration(tx.store)) !== generation) {
      await tx.done;
      return { record, current: false };
    }
    await Promise.all([tx.store.put(record), tx.done]);
    mark('build:saved');
  } catch (e) {
    // It still serves from memory; a full disk is worth telling the reader about.
    console.warn('[already-debunked] could not persist the match index:', e);
    if ((e as Error).name === 'QuotaExceededError') await recordStorageEvent({ kind: 'index-not-saved', detail: null, reportsKept: null });
  }
  return { record, current: true };
}

/** The largest value of a table (0 when empty): a plain loop, a cold start checks millions of rows. */
function largest(a: Uint8Array | Uint16Array | Uint32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

/** Why a stored index record cannot be used as it is (stale, damaged, or from another version), or null. */
function damage(record: IndexRecord, index: GroupedIndex, generation: number, ids: readonly string[]): string | null {
  const { rowEntry, rowMedia, rowKind, kinds, feedUrls, entryFeed } = record;
  if (record.generation !== generation) return `it was built from entries of generation ${String(record.generation)}, not the current ${generation}`;
  if (!(rowEntry instanceof Uint32Array) || !(rowMedia instanceof Uint16Array) || !(rowKind instanceof Uint8Array) || !Array.isArray(kinds) || !Array.isArray(feedUrls) || !(entryFeed instanceof Uint16Array) || typeof record.entryIds !== 'string') {
    return 'its tables are missing';
  }
  if (rowEntry.length !== index.size || rowMedia.length !== index.size || rowKind.length !== index.size) return `its tables have ${rowEntry.length} rows for ${index.size} hashes`;
  if (largest(rowKind) >= kinds.length && rowKind.length) return 'it names hash kinds it does not list';
  const entries = entryFeed.length;
  if (ids.length !== entries) return 'its entry ids do not match its entries';
  if (largest(entryFeed) >= feedUrls.length && entryFeed.length) return 'it names feeds it does not list';
  if (largest(rowEntry) >= entries && rowEntry.length) return 'it names entries it does not list';
  return null;
}

async function load(settings: Settings): Promise<Loaded & { current: boolean }> {
  mark('load:start');
  const db = await openDatabase();
  mark('load:db-open');
  const tx = db.transaction('matchIndex');
  const [found, generation] = await Promise.all([storedIndex(tx.store), listGeneration(tx.store)]);
  mark('load:read', { n: (found?.buffer as ArrayBuffer | undefined)?.byteLength });
  let stored = found;
  if (stored && stored.buffer instanceof ArrayBuffer && stored.buffer.byteLength >= 8) {
    const [magic, version] = new Uint32Array(stored.buffer, 0, 2);
    // The single index of an earlier version, or the grouped one of an earlier format: rebuilt in
    // the current form, nothing is wrong (a format this version does not know is reported).
    if (magic === INDEX_MAGIC || (magic === GROUPED_MAGIC && version! < GROUPED_FORMAT_VERSION)) stored = undefined;
  }
  if (stored) {
    let problem: string | null;
    let index: GroupedIndex | null = null;
    let ids: string[] = [];
    try {
      index = GroupedIndex.deserialize(stored.buffer);
      mark('load:deserialized');
      if (typeof stored.entryIds === 'string') ids = idsOf(stored);
      mark('load:ids-split', { n: ids.length });
      problem = damage(stored, index, generation, ids);
      mark('load:checked');
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    if (!problem && index) return { index, record: stored, rows: groupedRows(index, stored.kinds, stored.rowKind, stored.rowEntry), entryKey: entryKeysOf(stored, ids), current: true };
    console.warn('[already-debunked] stored match index unusable, rebuilding:', problem);
    await recordStorageEvent({ kind: 'index-rebuilt', detail: problem, reportsKept: null });
  }
  let built = await build(settings);
  for (let i = 1; i < BUILD_ATTEMPTS && !built.current; i++) built = await build(settings);
  const index = GroupedIndex.deserialize(built.record.buffer);
  const { record } = built;
  return { index, record, rows: groupedRows(index, record.kinds, record.rowKind, record.rowEntry), entryKey: entryKeysOf(record, idsOf(record)), current: built.current };
}

function getLoaded(settings: Settings): Promise<Loaded> {
  if (loaded) return loaded;
  const loading: Promise<Loaded> = load(settings).then(
    (l) => {
      // Syncs kept changing the entries under every attempt: serve this one (each hit is checked
      // against the stored entry), but do not keep it.
      if (!l.current && loaded === loading) loaded = null;
      return l;
    },
    (e: unknown) => {
      if (loaded === loading) loaded = null;
      throw e;
    },
  );
  loaded = loading;
  return loading;
}

/** The loaded index's rows and entry keys, for lookups at another distance (src/background/video-evidence.ts). */
export async function loadedRows(settings: Settings): Promise<{ rows: StoredRows; entryKey: (ordinal: number) => [string, string] }> {
  const { rows, entryKey } = await getLoaded(settings);
  return { rows, entryKey };
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
  const { rows, entryKey } = await getLoaded(settings);
  mark('lookup:index-ready');
  const found = lookupProbes(all, rows, settings.matchStrictness);
  mark('lookup:searched', { n: found.length });
  if (!found.length) return [];
  const db = await openDatabase();
  const names = new Map(settings.subscriptions.map((s) => [s.url, s.name]));
  const enabled = new Set(settings.subscriptions.filter((s) => s.enabled).map((s) => s.url));
  const views: MatchView[] = [];
  for (const { entry: ordinal, distance, view } of found) {
    const [feedUrl, id] = entryKey(ordinal);
    // Checked against what is stored now, not what the index was built from: an entry removed or
    // withdrawn since, or a feed disabled since, never produces a notice.
    const stored = await db.get('entries', [feedUrl, id]);
    if (!stored || !matchable(stored.entry) || !enabled.has(feedUrl)) continue;
    views.push(toMatchView(stored.entry, feedUrl, names.get(feedUrl) ?? feedUrl, distance, view, languages));
  }
  mark('lookup:entries-read', { n: views.length });
  return views;
}
