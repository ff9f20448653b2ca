// keygen → build → verify → build --base (delta) round trip, on the PDQ reference images, and the
// errors a publisher meets (a missing file, an invalid record) with nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { BINARY_PAYLOAD_TYPES, LIMITS, PAYLOAD_TYPES, openEnvelope, parseBinaryDelta, parseBinarySnapshot, parseDelta, parseSnapshot, publicKeyFromBase64 } from '../../../src/core/feed';
import { hammingDistance, hashFromHex } from '../../../src/core/hash256';

const VECTORS = path.resolve(import.meta.dirname, '../../vectors/pdq/images');
let dir: string;

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const review = (id: string, image: string, rating = 'Missing context') => ({
  '@type': 'MediaReview',
  id,
  url: `https://factcheck.example.org/${id}`,
  datePublished: '2024-03-01',
  author: { '@type': 'Organization', name: 'Example Checks' },
  mediaAuthenticityCategory: 'DecontextualizedContent',
  originalMediaContextDescription: 'Taken in 2012 on another bridge.',
  reviewRating: { alternateName: rating },
  claimReviewed: 'Photo shows the bridge collapse this morning',
  media: [image],
});
const feed = { id: 'https://feeds.example.org/checks/', name: { en: 'Example Checks' }, publisher: { name: 'Example Checks' } };
const write = (name: string, reviews: unknown[]) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify({ feed, reviews }));
  return p;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-feed-cli-'));
  for (const f of ['bridge-mods-aaa-orig.jpg', 'labelme-subset-q0122.jpg', 'labelme-subset-q0003.jpg']) fs.copyFileSync(path.join(VECTORS, f), path.join(dir, f));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('publisher CLI: keygen, build, verify', () => {
  it('goes from reviews and images to a signed feed, then to the next sequence with a delta', async () => {
    const keygen = await run('keygen', '--out', path.join(dir, 'keys'));
    expect(keygen.code).toBe(0);
    const secret = path.join(dir, 'keys/feed-key.secret');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    const pub = fs.readFileSync(path.join(dir, 'keys/feed-key.pub'), 'utf8').trim();
    expect(publicKeyFromBase64(pub)).toHaveLength(32);
    expect((await run('keygen', '--out', path.join(dir, 'keys'))).code).toBe(2); // never overwrites a key

    const v1 = await run('build', '--input', write('r1.json', [review('bridge', 'bridge-mods-aaa-orig.jpg')]), '--key', secret, '--out', path.join(dir, 'v1'));
    expect(v1.code, v1.err.join('\n')).toBe(0);
    const verified = await run('verify', '--pub', pub, path.join(dir, 'v1'));
    const snap = parseSnapshot(openEnvelope(fs.readFileSync(path.join(dir, 'v1/snapshots/1.json')), [publicKeyFromBase64(pub)], PAYLOAD_TYPES.snapshot, LIMITS.maxSnapshotBytes).payload);
    const [reference, ...variants] = snap.entries[0]!.media[0]!.hashes;
    expect(reference).toEqual({ alg: 'pdq', value: 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22', quality: 100, role: 'original' });
    // Then the hash of the canonical pixels (what the extension hashes), then the re-share variants,
    // made from the canonical pixels too (docs/matching.md).
    expect(variants[0]).toMatchObject({ alg: 'pdq', role: 'variant', variant: 'canonical', canon: 1 });
    expect(hammingDistance(hashFromHex(variants[0]!.value), hashFromHex(reference!.value))).toBeLessThanOrEqual(31);
    expect(variants.length).toBeGreaterThanOrEqual(9);
    expect(variants.slice(1).every((h) => h.role === 'variant' && h.canon === 1 && /^(crop|crop-tl|crop-tr|crop-bl|crop-br|cut-top|cut-bottom|mid):-?[0-9.]+$|^(picture|half-top|half-bottom|half-left|half-right)$/.test(h.variant!))).toBe(true);
    expect(variants.map((h) => h.variant)).toEqual(expect.arrayContaining(['crop:0.9', 'crop:0.75', 'crop-tl:0.9', 'crop-br:0.8', 'half-top', 'half-right', 'cut-bottom:0.125']));
    expect(verified.out[0]).toMatch(new RegExp(`^OK https://feeds\\.example\\.org/checks/: epoch 1, seq 1, 1 entries, ${1 + variants.length} hashes`));

    const r2 = write('r2.json', [review('bridge', 'bridge-mods-aaa-orig.jpg', 'Out of context'), review('street', 'labelme-subset-q0122.jpg')]);
    const v2 = await run('build', '--input', r2, '--key', secret, '--out', path.join(dir, 'v2'), '--base', path.join(dir, 'v1'), '--plain');
    expect(v2.code, v2.err.join('\n')).toBe(0);
    // --plain: the reference hash and the canonical one of each image only.
    expect((await run('verify', '--pub', path.join(dir, 'keys/feed-key.pub'), path.join(dir, 'v2', 'index.json'))).out[0]).toMatch(/seq 2, 2 entries, 4 hashes, 1 deltas/);
    const delta = parseDelta(openEnvelope(fs.readFileSync(path.join(dir, 'v2/deltas/1-2.json')), [publicKeyFromBase64(pub)], PAYLOAD_TYPES.delta, LIMITS.maxDeltaBytes).payload);
    expect(delta.upsert.map((e) => `${e.id}@${e.rev}`).sort()).toEqual(['bridge@2', 'street@1']); // the changed record got a new rev

    // Tampering is caught by verify.
    const f = path.join(dir, 'v2/snapshots/2.json');
    const bytes = fs.readFileSync(f);
    bytes[200] = bytes[200]! ^ 1;
    fs.writeFileSync(f, bytes);
    const bad = await run('verify', '--pub', pub, path.join(dir, 'v2'));
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/^INVALID: snapshots\/2\.json does not match the size and SHA-256 the index gives/);
  });

  it('--binary writes the binary form beside the JSON one (index.binary), the same entries; --base adds a binary delta; verify checks both', async () => {
    const secret = path.join(dir, 'keys/feed-key.secret');
    const pub = fs.readFileSync(path.join(dir, 'keys/feed-key.pub'), 'utf8').trim();
    const keysOf = [publicKeyFromBase64(pub)];
    const b1 = await run('build', '--binary', '--plain', '--input', write('b1.json', [review('bridge', 'bridge-mods-aaa-orig.jpg')]), '--key', secret, '--out', path.join(dir, 'b1'));
    expect(b1.code, b1.err.join('\n')).toBe(0);
    const open = (p: string, type: string) => openEnvelope(fs.readFileSync(path.join(dir, p)), keysOf, type, LIMITS.maxBinarySnapshotBytes).payload;
    const json = parseSnapshot(open('b1/snapshots/1.json', PAYLOAD_TYPES.snapshot));
    expect(parseBinarySnapshot(open('b1/snapshots/1.adfb', BINARY_PAYLOAD_TYPES.snapshot))).toEqual(json);
    const ok1 = await run('verify', '--pub', pub, path.join(dir, 'b1'));
    expect(ok1.code, ok1.err.join('\n')).toBe(0);
    expect(ok1.out[0]).toMatch(/seq 1, 1 entries, 2 hashes, 0 deltas \(binary form: snapshots\/1\.adfb, 0 deltas\)/);

    const b2 = await run('build', '--binary', '--plain', '--input', write('b2.json', [review('bridge', 'bridge-mods-aaa-orig.jpg'), review('street', 'labelme-subset-q0122.jpg')]), '--key', secret, '--out', path.join(dir, 'b2'), '--base', path.join(dir, 'b1'));
    expect(b2.code, b2.err.join('\n')).toBe(0);
    const delta = parseBinaryDelta(open('b2/deltas/1-2.adfb', BINARY_PAYLOAD_TYPES.delta));
    expect(delta).toEqual(parseDelta(open('b2/deltas/1-2.json', PAYLOAD_TYPES.delta)));
    expect(delta.upsert.map((e) => e.id)).toEqual(['street']);
    expect((await run('verify', '--pub', pub, path.join(dir, 'b2'))).out[0]).toMatch(/seq 2, 2 entries, 4 hashes, 1 deltas \(binary form: snapshots\/2\.adfb, 1 deltas\)/);

    // A JSON snapshot that disagrees with the binary one: readers of this version are fine, older ones are warned about.
    fs.copyFileSync(path.join(dir, 'b1/snapshots/1.json'), path.join(dir, 'b2/snapshots/2.json'));
    const warned = await run('verify', '--pub', pub, path.join(dir, 'b2'));
    expect(warned.code).toBe(0);
    expect(warned.err.join('\n')).toMatch(/WARNING: snapshots\/2\.json: .*readers older than the binary form/);
    // A broken binary snapshot: INVALID (it is what readers of this version fetch).
    const f = path.join(dir, 'b2/snapshots/2.adfb');
    const bytes = fs.readFileSync(f);
    bytes[300] = bytes[300]! ^ 1;
    fs.writeFileSync(f, bytes);
    const bad = await run('verify', '--pub', pub, path.join(dir, 'b2'));
    expect(bad.code).toBe(1);
    expect(bad.err.at(-1)).toMatch(/^INVALID: snapshots\/2\.adfb does not match the size and SHA-256/);
  });

  it('reports bad records by index and field and writes nothing; --skip-invalid builds from the rest', async () => {
    const secret = path.join(dir, 'keys/feed-key.secret');
    const input = write('bad.json', [review('ok', 'labelme-subset-q0122.jpg'), review('gone', 'no-such-file.jpg'), { ...review('flat', 'labelme-subset-q0003.jpg') }, { '@type': 'MediaReview', media: ['x.jpg'] }]);
    const out = path.join(dir, 'bad-out');
    const r = await run('build', '--input', input, '--key', secret, '--out', out);
    expect(r.code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    const problems = r.err.filter((l) => l.startsWith('record'));
    expect(problems).toContain('record 1: media[0]: no-such-file.jpg: no such file');
    expect(problems.some((l) => /^record 2: media\[0\]: labelme-subset-q0003\.jpg has PDQ quality 3/.test(l))).toBe(true);
    expect(problems.some((l) => l.startsWith('record 3: url: missing'))).toBe(true);
    const skipped = await run('build', '--input', input, '--key', secret, '--out', out, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.out[0]).toMatch(/seq 1, 1 entries/);
  });
});
