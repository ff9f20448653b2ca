// Fetching and hashing X media in the background (src/background/media.ts), which only the e2e tests
// drove: only X's media hosts, the small variant, one fetch per media key (shared by requests at
// the same time, then from the cache), at most 4 at once, the browser asked not to convert colours
// and to scale only pictures over 4096 × 4096. The network and the browser's decoder are replaced
// by recorders; the pixels they hand back are a gradient the test draws.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fetched: string[] = [];
const bitmaps: { opts: Record<string, unknown>; width: number; height: number }[] = [];
let size = { width: 96, height: 64 };
let answer: 'ok' | '304' | 'broken' = 'ok';
let gate: Promise<void> = Promise.resolve();
let running = 0;
let most = 0;

vi.mock('../../../src/background/net', async (orig) => ({
  ...(await orig<typeof import('../../../src/background/net')>()),
  fetchLimited: async (url: string, opts: { maxBytes: number; allowUrl: (u: string) => boolean }) => {
    fetched.push(url);
    expect(opts.maxBytes).toBe(12 * 1024 * 1024);
    expect(opts.allowUrl('https://evil.example/media/a.jpg')).toBe(false);
    running++;
    most = Math.max(most, running);
    await gate;
    running--;
    if (answer === '304') return { status: 304, etag: null };
    return { status: 200, bytes: new Uint8Array([1, 2, 3]), etag: null, contentType: 'image/jpeg' };
  },
}));

class Bitmap {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  close() {}
}
vi.stubGlobal('createImageBitmap', async (src: unknown, opts: Record<string, unknown>) => {
  if (answer === 'broken') throw new Error('bad JPEG');
  const width = src instanceof Bitmap ? (opts.resizeWidth as number) : size.width;
  const height = src instanceof Bitmap ? (opts.resizeHeight as number) : size.height;
  bitmaps.push({ opts, width, height });
  return new Bitmap(width, height);
});
vi.stubGlobal(
  'OffscreenCanvas',
  class {
    constructor(
      readonly width: number,
      readonly height: number,
    ) {}
    getContext() {
      // the pixels handed back stay small whatever the bitmap's size (the size is checked on the bitmaps)
      const [width, height] = [Math.min(this.width, 96), Math.min(this.height, 64)];
      return {
        drawImage: () => undefined,
        getImageData: () => {
          const data = new Uint8ClampedArray(width * height * 4);
          for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([(x * 255) / width, (y * 255) / height, ((x + y) * 7) % 256, 255], (y * width + x) * 4);
          return { data, width, height };
        },
      };
    }
  },
);

const { hashMediaUrl, MediaError, DECODE_MAX_PIXELS } = await import('../../../src/background/media');
const { openDatabase } = await import('../../../src/background/db');

let n = 0;
const photo = () => `https://pbs.twimg.com/media/P${++n}x.jpg`;

beforeEach(async () => {
  fetched.length = 0;
  bitmaps.length = 0;
  size = { width: 96, height: 64 };
  answer = 'ok';
  gate = Promise.resolve();
  running = most = 0;
  await (await openDatabase()).clear('mediaCache');
});

describe('hashMediaUrl', () => {
  it('refuses anything not on X’s media hosts, without fetching it', async () => {
    await expect(hashMediaUrl('https://evil.example/media/a.jpg')).rejects.toThrow(MediaError);
    await expect(hashMediaUrl('https://evil.example/media/a.jpg')).rejects.toThrow(/^refused: https:\/\/evil\.example\/media\/a\.jpg is not on X's media hosts$/);
    expect(fetched).toEqual([]);
  });
  it('fetches the small variant once, decodes without colour conversion, and gives 8 hashes with their quality and the other probes', async () => {
    const url = photo();
    const out = await hashMediaUrl(url);
    expect(fetched).toEqual([`${url}?name=small`]);
    expect(bitmaps).toEqual([{ opts: { colorSpaceConversion: 'none' }, width: 96, height: 64 }]);
    expect(out.hashes).toHaveLength(8);
    expect(out.quality).toBeGreaterThanOrEqual(0);
    expect(out.probes.length).toBeGreaterThan(0);
    const again = await hashMediaUrl(`${url.replace('.jpg', '')}?format=jpg&name=large`);
    expect(fetched, 'the same media key comes from the cache').toHaveLength(1);
    expect(again).toEqual(out);
  });
  it('requests for one media at the same time share one fetch; a failure is not cached', async () => {
    const url = photo();
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const both = Promise.all([hashMediaUrl(url), hashMediaUrl(url)]);
    await vi.waitFor(() => expect(fetched).toHaveLength(1));
    open();
    const [a, b] = await both;
    expect(a).toBe(b);
    answer = 'broken';
    const other = photo();
    await expect(hashMediaUrl(other)).rejects.toThrow('not a decodable image: bad JPEG');
    answer = 'ok';
    await hashMediaUrl(other);
    expect(fetched).toHaveLength(3);
  });
  it('at most 4 media are fetched and decoded at once', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const all = Promise.all(Array.from({ length: 7 }, () => hashMediaUrl(photo())));
    await vi.waitFor(() => expect(fetched).toHaveLength(4));
    // A fifth start could only come from the queue itself: give it event-loop turns, not time.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(fetched).toHaveLength(4);
    open();
    await all;
    expect(fetched).toHaveLength(7);
    expect(most).toBe(4);
  });
  it('a 304 for a media file is an error', async () => {
    answer = '304';
    await expect(hashMediaUrl(photo())).rejects.toThrow('unexpected 304');
  });
  it('only a picture over 4096 × 4096 pixels is scaled by the browser first, keeping its shape', async () => {
    expect(DECODE_MAX_PIXELS).toBe(4096 * 4096);
    size = { width: 4096, height: 4096 };
    await hashMediaUrl(photo());
    expect(bitmaps).toHaveLength(1);
    bitmaps.length = 0;
    size = { width: 8192, height: 4096 };
    await hashMediaUrl(photo());
    expect(bitmaps).toHaveLength(2);
    expect(bitmaps[1]).toEqual({ opts: { resizeWidth: 5792, resizeHeight: 2896, resizeQuality: 'high', colorSpaceConversion: 'none' }, width: 5792, height: 2896 });
  });

  it('a cached record of an older canonical form, or without probes, is hashed again and replaced', async () => {
    const db = await openDatabase();
    const url = photo();
    const key = url.slice('https://'.length, -'.jpg'.length); // host + path without the extension (src/shared/x.ts mediaKey)
    const stale = { key, hashes: Array(8).fill('0'.repeat(64)), quality: 100, at: 1 };
    await db.put('mediaCache', { ...stale, probes: [] }); // no canonical version: made before it existed
    const out = await hashMediaUrl(url);
    expect(fetched).toHaveLength(1);
    expect(out.quality).not.toBe(100);
    const stored = await db.get('mediaCache', key);
    expect(stored?.canon).toBe(1); // CANONICAL_VERSION (src/core/pdq/canonical.ts)
    expect(stored?.hashes).toHaveLength(8);
    expect(stored?.hashes[0]).not.toBe('0'.repeat(64));
    await db.put('mediaCache', { ...stale, canon: 1 } as never); // the right version, but no probes
    await hashMediaUrl(url);
    expect(fetched).toHaveLength(2);
    await hashMediaUrl(url);
    expect(fetched, 'a complete record is used').toHaveLength(2);
  });

  it('a hash from the cache is the one first computed, probes included, and keeps its time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-04-01T00:00:00Z'));
    try {
      const url = photo();
      const first = await hashMediaUrl(url);
      const stored = await (await openDatabase()).get('mediaCache', url.slice('https://'.length, -'.jpg'.length));
      expect(stored?.at).toBe(Date.parse('2026-04-01T00:00:00Z'));
      expect(stored?.probes.length).toBe(first.probes.length);
      const cached = await hashMediaUrl(url);
      expect(cached.probes.map((p) => p.probe)).toEqual(first.probes.map((p) => p.probe));
      expect(cached).toEqual(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a cache write that fails is logged; the hashes are still answered', async () => {
    const db = await openDatabase();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let out;
    try {
      out = await hashMediaUrl(photo());
    } finally {
      put.mockRestore();
    }
    const warned = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(out.hashes).toHaveLength(8);
    expect(warned).toEqual(['[already-debunked] media cache write failed:']);
    expect(await db.count('mediaCache')).toBe(0);
  });

  it('an extreme shape is scaled to at least one pixel a side', async () => {
    size = { width: 1, height: 1_000_000_000 };
    await hashMediaUrl(photo());
    expect(bitmaps[1]?.opts).toMatchObject({ resizeWidth: 1, resizeHeight: Math.floor(1e9 * Math.sqrt((4096 * 4096) / 1e9)) });
  });

  it('a failed decode is a MediaError', async () => {
    answer = 'broken';
    const e = await hashMediaUrl(photo()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MediaError);
    expect((e as Error).name).toBe('MediaError');
  });
});

describe('the media cache is bounded', () => {
  const settle = async () => {
    for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
  };
  async function fill(count: number) {
    const db = await openDatabase();
    const tx = db.transaction('mediaCache', 'readwrite');
    // at: 1..count, oldest first; the new picture is hashed now (far later)
    await Promise.all([...Array.from({ length: count }, (_, i) => tx.store.put({ key: `old/${i + 1}`, hashes: [], quality: 0, probes: [], canon: 1, at: i + 1 })), tx.done]);
  }

  it('5000 records are kept as they are', async () => {
    await fill(4999);
    await hashMediaUrl(photo()); // the 5000th
    await settle();
    expect(await (await openDatabase()).count('mediaCache')).toBe(5000);
  });

  it('beyond 5000, the oldest are dropped down to 4500 (90%), the newest kept', async () => {
    await fill(5001);
    const url = photo();
    await hashMediaUrl(url); // 5002 records
    const db = await openDatabase();
    await vi.waitFor(async () => expect(await db.count('mediaCache')).toBe(4500));
    await settle();
    expect(await db.count('mediaCache')).toBe(4500);
    const keys = new Set(await db.getAllKeys('mediaCache'));
    expect(keys.has('old/502'), 'the 502 oldest dropped').toBe(false);
    expect(keys.has('old/503')).toBe(true);
    expect(keys.has(url.slice('https://'.length, -'.jpg'.length))).toBe(true);
  });
});

