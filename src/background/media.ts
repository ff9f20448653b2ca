/**
 * Media → PDQ hashes, in the background (the page's media is cross-origin: a content script can
 * neither read X's <img> pixels nor fetch them; the background can, with its host permission).
 *
 * Security: only URLs on X's media hosts (and loopback in test builds) are fetched, whatever the
 * message says. Privacy: the request goes to X's CDN only, without cookies or referrer.
 * Each picture is hashed as src/core/match queryProbes says (the 8 dihedral hashes, and the
 * picture inside borders or a card, caption cuts, the centre), for the match rule's pairs.
 * Work is done once per media key: the same upload seen again (reposted, quoted, scrolled past
 * twice, at another `name=` size) is answered from the cache in IndexedDB.
 */
import { CANONICAL_VERSION, canonicalPixels, type Pixels } from '../core/pdq';
import type { Hash256 } from '../core/hash256';
import { probeFromHex, probeToHex, queryProbes, type Probe } from '../core/match';
import { isXMediaUrl, mediaKey, preferredVariant } from '../shared/x';
import { openDatabase, type MediaCacheRecord } from './db';
import { fetchLimited, unscaledClock } from './net';
import { mark } from './trace';

/**
 * The browser decodes at the file's own size and core's canonicalPixels scales it (the CLI does
 * the same after its own decode, so both hash the same pixels: docs/matching.md). Only a picture
 * larger than this (X serves at most 4096 px a side) is first scaled by the browser, to bound memory.
 */
export const DECODE_MAX_PIXELS = 4096 * 4096;
const MAX_MEDIA_BYTES = 12 * 1024 * 1024;
const CACHE_MAX_ENTRIES = 5000;

export interface MediaHashes {
  /** The 8 dihedral hashes, reference order (original first). */
  hashes: Hash256[];
  quality: number;
  /** The other views of the picture hashed for matching (src/core/match queryProbes). */
  probes: Probe[];
}

export class MediaError extends Error {
  override name = 'MediaError';
}

/**
 * Decodes image bytes with the browser (createImageBitmap, at full size) into RGBA pixels, then
 * into the canonical pixels every matching hash is made from (core canonicalPixels).
 */
export async function decodeImage(bytes: Uint8Array, type: string): Promise<Pixels> {
  let bitmap: ImageBitmap;
  try {
    // No colour-profile conversion: the reference PDQ hashes the file's pixel values as stored.
    const probe = await createImageBitmap(new Blob([bytes as BlobPart], { type }), { colorSpaceConversion: 'none' });
    const scale = Math.min(1, Math.sqrt(DECODE_MAX_PIXELS / (probe.width * probe.height)));
    if (scale < 1) {
      const width = Math.max(1, Math.floor(probe.width * scale));
      const height = Math.max(1, Math.floor(probe.height * scale));
      bitmap = await createImageBitmap(probe, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high', colorSpaceConversion: 'none' });
      probe.close();
    } else {
      bitmap = probe;
    }
  } catch (e) {
    throw new MediaError(`not a decodable image: ${(e as Error).message}`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new MediaError('no 2d canvas');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return canonicalPixels({ data, width, height, channels: 4 });
}

export async function hashPixels(px: Pixels): Promise<MediaHashes> {
  const [full, ...probes] = queryProbes(px);
  return { hashes: full!.hashes, quality: full!.quality, probes };
}

/**
 * At most this many media are fetched and decoded at once, whatever the number of tabs and
 * messages asking: each decode holds a bitmap and its pixels, so this bounds the worker's memory.
 */
export const MAX_CONCURRENT_MEDIA = 4;
const slots = { free: MAX_CONCURRENT_MEDIA, waiting: [] as (() => void)[] };
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((r) => slots.waiting.push(r));
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}
/** Media being hashed now, by key: a second request for it (another tab, a repost) shares the work. */
const inFlight = new Map<string, Promise<MediaHashes>>();

/** Fetches, decodes and hashes one media URL; cached by media key, each key worked on once at a time. */
export async function hashMediaUrl(url: string): Promise<MediaHashes> {
  if (!isXMediaUrl(url)) throw new MediaError(`refused: ${url.slice(0, 100)} is not on X's media hosts`);
  const key = mediaKey(url);
  let pending = inFlight.get(key);
  if (!pending) {
    pending = (async () => {
      const db = await openDatabase();
      mark('media:db-open');
      const cached = await db.get('mediaCache', key);
      if (cached?.probes && cached.canon === CANONICAL_VERSION) {
        const [full, ...probes] = [{ probe: 'full' as const, hashes: cached.hashes, quality: cached.quality }, ...cached.probes].map(probeFromHex);
        return { hashes: full!.hashes, quality: full!.quality, probes };
      }
      return inSlot(() => fetchAndHash(url, key));
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function fetchAndHash(url: string, key: string): Promise<MediaHashes> {
  // Real clocks even in test builds: only the feed fault tests need fast ones, and the end-to-end
  // tests on a loaded machine must not see a 1.5 s idle timeout fail a local image.
  const res = await fetchLimited(preferredVariant(url), { maxBytes: MAX_MEDIA_BYTES, allowUrl: isXMediaUrl, clock: unscaledClock });
  if (res.status !== 200) throw new MediaError('unexpected 304');
  const px = await decodeImage(res.bytes, res.contentType);
  const result = await hashPixels(px);
  const [full, ...probes] = [{ probe: 'full' as const, hashes: result.hashes, quality: result.quality }, ...result.probes].map(probeToHex);
  const record: MediaCacheRecord = { key, hashes: full!.hashes, quality: full!.quality, probes, canon: CANONICAL_VERSION, at: Date.now() };
  const db = await openDatabase();
  await db.put('mediaCache', record).catch((e: unknown) => console.warn('[already-debunked] media cache write failed:', e));
  void trimCache();
  return result;
}

let trimming = false;
/** Keeps the media cache bounded: drops the oldest records beyond CACHE_MAX_ENTRIES. */
async function trimCache(): Promise<void> {
  if (trimming) return;
  trimming = true;
  try {
    const db = await openDatabase();
    const count = await db.count('mediaCache');
    if (count <= CACHE_MAX_ENTRIES) return;
    const tx = db.transaction('mediaCache', 'readwrite');
    let excess = count - Math.floor(CACHE_MAX_ENTRIES * 0.9);
    for (let c = await tx.store.index('byAge').openCursor(); c && excess > 0; c = await c.continue()) {
      await c.delete();
      excess--;
    }
    await tx.done;
  } finally {
    trimming = false;
  }
}
