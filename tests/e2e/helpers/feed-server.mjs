// The local demo feed, as a fact-checker would publish it: tests/fixtures/feeds/demo/reviews.json
// (MediaReview / ClaimReview records) + media files, built and signed with the project's own CLI
// (`already-debunked build`), served on http://127.0.0.1:47110/feed/ — the URL the test builds are
// subscribed to (tests/fixtures/feeds/test-default-feeds.json). The media files are the fixture
// CDN's generated pictures, so the feed's hashes are of the very media the fixture pages show, and
// the seed clip made from the seed picture (media.mjs seedClip).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedMedia, seedClip } from './media.mjs';
import { whenPortFree } from './ports.mjs';
import { importSource } from './source.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEMO = path.join(ROOT, 'tests/fixtures/feeds/demo');
export const FEED_PORT = 47110;
/** How many entries the demo feed has (tests/fixtures/feeds/demo/reviews.json). */
export const DEMO_ENTRY_COUNT = JSON.parse(fs.readFileSync(path.join(DEMO, 'reviews.json'), 'utf8')).reviews.length;
export const KEY = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/feeds/test-feed-key.json'), 'utf8'));

/** Which fixture-CDN picture each demo media file is (path, query). */
const MEDIA_FILES = {
  'media/kim-moscow-poster.jpg': ['/amplify_video_thumb/1861000000000000101/img/KimMoscowClip.jpg', ''],
  'media/grid-photo-3.jpg': ['/media/GfxGridPhoto003', 'format=jpg&name=large'],
  'media/quoted-photo.jpg': ['/media/GfxQuotedPhoto1', 'format=png&name=orig'],
  'media/card-image.jpg': ['/card_img/1861000000000000601/CardLargeImg01', 'format=jpg&name=large'],
  'media/gif-thumb.jpg': ['/tweet_video_thumb/GfxGifThumb0001.jpg', ''],
};

async function cli(args) {
  const module = await importSource(path.join(ROOT, 'src/cli/main.ts'));
  const out = [];
  const code = await module.main(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
  if (code !== 0) throw new Error(`already-debunked ${args[0]} failed:\n${out.join('\n')}`);
  return out;
}

/** `binary`: the feed is also built in the binary form (`build --binary`), which current readers fetch. */
export async function startFeedServer({ port = FEED_PORT, binary = false } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-feed-'));
  fs.writeFileSync(path.join(work, 'key.secret'), KEY.secretKey);
  fs.mkdirSync(path.join(work, 'media'));
  for (const [file, [p, q]] of Object.entries(MEDIA_FILES)) {
    fs.writeFileSync(path.join(work, file), (await generatedMedia(p, new URLSearchParams(q))).bytes);
  }
  // The seed clip itself (a moving shot over the seed picture, ffmpeg): its keyframes go in the feed.
  fs.renameSync(await seedClip(path.join(work, 'media')), path.join(work, 'media/kim-moscow-clip.mp4'));
  let version = 0;
  let current = null;
  const requests = [];
  const overrides = new Map(); // path → status code or bytes, to simulate a broken server

  /** Builds a new sequence from these reviews (default: the demo's), with a delta from the last. */
  async function publish(reviews) {
    const doc = JSON.parse(fs.readFileSync(path.join(DEMO, 'reviews.json'), 'utf8'));
    if (reviews) doc.reviews = reviews(doc.reviews);
    const input = path.join(work, `reviews-${version + 1}.json`);
    fs.writeFileSync(input, JSON.stringify(doc));
    const out = path.join(work, `out-${version + 1}`);
    await cli(['build', '--allow-loopback', '--input', input, '--key', path.join(work, 'key.secret'), '--out', out, ...(current ? ['--base', current] : []), ...(binary ? ['--binary'] : [])]);
    version++;
    current = out;
    overrides.clear();
    return version;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://feed.local');
    requests.push({ path: url.pathname, cookie: req.headers.cookie ?? null, ifNoneMatch: req.headers['if-none-match'] ?? null });
    const rel = url.pathname.replace(/^\/feed\//, '');
    const override = overrides.get(rel);
    if (typeof override === 'number') return void res.writeHead(override).end();
    if (typeof override === 'function') return void override(req, res, current && fs.existsSync(path.join(current, rel)) ? fs.readFileSync(path.join(current, rel)) : null);
    const file = current && path.join(current, rel);
    if (!override && (!file || !file.startsWith(current) || !fs.existsSync(file) || fs.statSync(file).isDirectory())) return void res.writeHead(404).end();
    const bytes = override ?? fs.readFileSync(file);
    const etag = `"${version}-${rel}-${bytes.length}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' }).end(bytes);
  });
  await whenPortFree(port, () =>
    new Promise((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`feed server cannot listen on 127.0.0.1:${port} (${e.code}): the test builds are subscribed to this port`)));
      server.listen(port, '127.0.0.1', resolve);
    }),
  );
  await publish();
  return {
    url: `http://127.0.0.1:${port}/feed/index.json`,
    requests,
    publish,
    /** The folder the feed is built in (its reviews-N.json): media a test publishes go inside it. */
    workDir: work,
    /**
     * Serve this status code, these bytes, or what `(req, res, realBytes) => …` does at a feed
     * path instead of the real file (a broken or hostile server). `publish` clears them.
     */
    override: (rel, value) => overrides.set(rel, value),
    clearOverrides: () => overrides.clear(),
    currentFile: (rel) => fs.readFileSync(path.join(current, rel)),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => {
          fs.rmSync(work, { recursive: true, force: true });
          r();
        });
      }),
  };
}
