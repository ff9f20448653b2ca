// The CLI's inputs (issue 13, break 6, and build's and keygen's weaker checks): a FIFO given as a
// file is refused at once instead of hanging the tool; ffmpeg is bounded in time and killed with
// its process group (also when the CLI is stopped), leaving no temporary frame folder; build reads
// media only inside the folder of reviews.json and says the same whether or not a file exists
// outside; keygen never overwrites a public key and never writes through a symbolic link.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBounded } from '../../../src/cli/child';
import { main } from '../../../src/cli/main';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}
const fifo = (name: string) => {
  const p = path.join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '');
  } catch {
    return false;
  }
};
/** Waits for the process to be gone: up to a generous deadline (the kernel reaps it), not a count of polls. */
async function gone(pid: number) {
  for (const end = Date.now() + 60_000; Date.now() < end && alive(pid); ) await new Promise((r) => setTimeout(r, 25));
  return !alive(pid);
}
const review = (media: string[]) => ({
  feed: { id: 'https://feeds.example.org/checks/', name: { en: 'Example Checks' }, publisher: { name: 'Example Checks' } },
  reviews: [
    {
      '@type': 'MediaReview',
      id: 'bridge',
      url: 'https://factcheck.example.org/bridge',
      datePublished: '2024-03-01',
      author: { '@type': 'Organization', name: 'Example Checks' },
      mediaAuthenticityCategory: 'DecontextualizedContent',
      originalMediaContextDescription: 'Taken in 2012 on another bridge.',
      reviewRating: { alternateName: 'Missing context' },
      claimReviewed: 'Photo shows the bridge collapse this morning',
      media,
    },
  ],
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-inputs-'));
  fs.mkdirSync(path.join(dir, 'desk'));
  // A noisy test image (PDQ quality well above 50), inside and outside the desk's folder.
  const noise = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(path.join(dir, 'desk', 'photo.png'));
  fs.copyFileSync(path.join(dir, 'desk', 'photo.png'), path.join(dir, 'outside.png'));
  expect((await run('keygen', '--out', path.join(dir, 'keys'))).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FIFOs are refused, not waited on', () => {
  it('verify: a FIFO as index.json', async () => {
    const feed = path.join(dir, 'feed-fifo');
    fs.mkdirSync(feed);
    execFileSync('mkfifo', [path.join(feed, 'index.json')]);
    const pub = fs.readFileSync(path.join(dir, 'keys/feed-key.pub'), 'utf8').trim();
    const r = await run('verify', '--pub', pub, feed);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/index\.json: not a regular file/);
  });

  it('hash: a FIFO as a .jpg', async () => {
    const r = await run('hash', fifo('pipe.jpg'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/pipe\.jpg: not a regular file/);
  });

  it('build: a FIFO as an .mp4, and as reviews.json', async () => {
    fifo('desk/clip.mp4');
    fs.writeFileSync(path.join(dir, 'desk/reviews.json'), JSON.stringify(review(['clip.mp4'])));
    const r = await run('build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-fifo'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/clip\.mp4: .*not a regular file/);
    const r2 = await run('build', '--input', fifo('reviews-pipe.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-fifo'));
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/not a regular file/);
  });
});

describe('build reads media only inside the folder of reviews.json', () => {
  it('refuses ../ and absolute paths the same way whether or not the file exists', async () => {
    const messages: string[] = [];
    for (const m of ['../outside.png', '../missing.png', path.join(dir, 'outside.png'), path.join(dir, 'missing.png'), 'sub/../../outside.png']) {
      fs.writeFileSync(path.join(dir, 'desk/reviews.json'), JSON.stringify(review([m])));
      const r = await run('build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-x'));
      expect(r.code).toBe(1);
      messages.push(r.err.split('\n').find((l) => l.startsWith('record 0'))!.replace(JSON.stringify(m), 'M').replaceAll(m, 'M'));
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/is not inside the folder of REVIEWS\.json/);
    expect(fs.existsSync(path.join(dir, 'out-x'))).toBe(false);
  });

  it('refuses a symbolic link inside the folder that leads out of it, and builds from a file inside', async () => {
    fs.symlinkSync(path.join(dir, 'outside.png'), path.join(dir, 'desk/link.png'));
    fs.writeFileSync(path.join(dir, 'desk/reviews.json'), JSON.stringify(review(['link.png'])));
    const r = await run('build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-link'));
    expect(r.err).toMatch(/is not inside the folder/);
    fs.writeFileSync(path.join(dir, 'desk/reviews.json'), JSON.stringify(review(['photo.png'])));
    const ok = await run('build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-ok'), '--plain');
    expect(ok.code, ok.err).toBe(0);
    const pub = fs.readFileSync(path.join(dir, 'keys/feed-key.pub'), 'utf8').trim();
    expect((await run('verify', '--pub', pub, path.join(dir, 'out-ok'))).code).toBe(0);
    // A validity readers would refuse is refused at build time, not discovered by readers.
    const long = await run('build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-long'), '--plain', '--valid-days', '400');
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/--valid-days must be .* at most 366/);
    expect(fs.existsSync(path.join(dir, 'out-long'))).toBe(false);
  });
});

describe('keygen', () => {
  it('never overwrites an existing public key', async () => {
    const out = path.join(dir, 'k-pub');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'feed-key.pub'), 'the published key\n');
    const r = await run('keygen', '--out', out);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(out, 'feed-key.pub'), 'utf8')).toBe('the published key\n');
    expect(fs.existsSync(path.join(out, 'feed-key.secret'))).toBe(false);
  });

  it('never writes the secret key through a (dangling) symbolic link', async () => {
    const out = path.join(dir, 'k-link');
    fs.mkdirSync(out);
    const target = path.join(dir, 'stolen.secret');
    fs.symlinkSync(target, path.join(out, 'feed-key.secret'));
    const r = await run('keygen', '--out', out);
    expect(r.code).toBe(2);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('external processes', () => {
  it('a child past its time limit is killed with its process group, even if it ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const started = Date.now();
    const failure = await runBounded('sh', ['-c', `trap '' TERM INT; sleep 300 & echo $! > ${pidFile}; wait`], { timeoutMs: 500 }).catch((e: Error) => e);
    expect(String(failure)).toMatch(/took longer than/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await gone(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('keeps only the end of a flood of output', async () => {
    const text = await runBounded('sh', ['-c', 'head -c 3000000 /dev/zero | tr "\\0" a >&2; echo END >&2'], { timeoutMs: 60_000, maxOutputBytes: 1000 });
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.trim().endsWith('END')).toBe(true);
  });

  it('SIGTERM to the CLI kills ffmpeg (which ignores it) and removes the frame folder', async () => {
    const bin = path.join(dir, 'fake-bin');
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(bin);
    fs.mkdirSync(tmp);
    const pidFile = path.join(dir, 'ffmpeg.pid');
    // A stand-in ffmpeg that ignores SIGTERM and SIGINT and never ends, as the did (and
    // ffprobe alike: the tool probes a video's size first, with the same bounded runner).
    for (const tool of ['ffmpeg', 'ffprobe']) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\ntrap '' TERM INT\necho $$ > ${pidFile}\nexec sleep 300\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'desk/clip2.mp4'), 'not really a video');
    fs.writeFileSync(path.join(dir, 'desk/reviews.json'), JSON.stringify(review(['clip2.mp4'])));
    const cli = spawn(process.execPath, [path.join(ROOT, 'bin/already-debunked.mjs'), 'build', '--input', path.join(dir, 'desk/reviews.json'), '--key', path.join(dir, 'keys/feed-key.secret'), '--out', path.join(dir, 'out-term')], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => cli.on('exit', (_code, signal) => r(signal)));
    let early = false;
    void exited.then(() => (early = true));
    // ffmpeg (or ffprobe) is running — or the tool ended before it started one, which fails here.
    while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').trim()) {
      expect(early, 'the tool ended before it ran ffmpeg').toBe(false);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('ad-frames-'))).toHaveLength(1);
    cli.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(await gone(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('ad-frames-'))).toEqual([]);
  }, 120_000);
});
