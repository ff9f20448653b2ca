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
});
