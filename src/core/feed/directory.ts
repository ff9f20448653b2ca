/**
 * The directory of known feeds: a short signed list (publisher, languages, size, last update, the
 * feed's URL and public key) that a build ships, so a reader subscribes in one click instead of
 * pasting a URL and a key. It is a DSSE envelope like a feed file, with its own payload type, signed
 * by the directory's key (which the build trusts); a tampered or expired directory is refused as a
 * whole. A subscription made from it is then checked like any other (the feed's own signature).
 */
import * as v from 'valibot';
import { isAllowedUrl } from '../url';
import { FeedError } from './errors';
import { openEnvelope, publicKeyFromBase64, signEnvelope } from './envelope';

export const DIRECTORY_PAYLOAD_TYPE = 'application/vnd.already-debunked.directory+json';
export const DIRECTORY_LIMITS = { maxBytes: 256 * 1024, maxFeeds: 200 } as const;

const iso = v.pipe(v.string(), v.isoTimestamp());
const day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max), v.regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'no control characters'));

const directorySchema = (testHosts: readonly string[]) => {
  const url = v.pipe(v.string(), v.maxLength(2048), v.check((u) => isAllowedUrl(u, testHosts), 'an https URL'));
  return v.strictObject({
    type: v.literal('already-debunked-directory'),
    version: v.literal(1),
    issued: iso,
    expires: iso,
    feeds: v.pipe(
      v.array(
        v.strictObject({
          name: text(80),
          publisher: text(120),
          url,
          publicKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 Ed25519 public key')),
          languages: v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag'))), v.minLength(1), v.maxLength(20)),
          entries: v.pipe(v.number(), v.integer(), v.minValue(0)),
          updated: day,
          homepage: v.optional(url),
        }),
      ),
      v.maxLength(DIRECTORY_LIMITS.maxFeeds),
    ),
  });
};

export type Directory = v.InferOutput<ReturnType<typeof directorySchema>>;
export type DirectoryFeed = Directory['feeds'][number];

/** Signs a directory (the CLI's and the tests' side). */
export function signDirectory(directory: Directory, secretKey: Uint8Array): Uint8Array {
  return signEnvelope(new TextEncoder().encode(JSON.stringify(directory)), DIRECTORY_PAYLOAD_TYPE, secretKey);
}

/**
 * Verifies a signed directory with the keys the build trusts and returns it. Throws FeedError: a bad
 * signature, the wrong payload type, a malformed list (with the path), or an expired directory.
 */
export function openDirectory(bytes: Uint8Array, trustedKeys: readonly string[], now: Date, testHosts: readonly string[] = []): Directory {
  const keys = trustedKeys.map(publicKeyFromBase64);
  const { payload } = openEnvelope(bytes, keys, DIRECTORY_PAYLOAD_TYPE, DIRECTORY_LIMITS.maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw new FeedError('not-json', 'the directory is not JSON');
  }
  const parsed = v.safeParse(directorySchema(testHosts), raw);
  if (!parsed.success) {
    const issue = parsed.issues[0]!;
    throw new FeedError('schema', issue.message, v.getDotPath(issue) ?? '(root)');
  }
  const dir = parsed.output;
  if (Date.parse(dir.expires) <= now.getTime()) throw new FeedError('expired', `the directory expired on ${dir.expires}`);
  if (Date.parse(dir.issued) > now.getTime() + 24 * 3600_000) throw new FeedError('schema', 'issued in the future', 'issued');
  const urls = new Set<string>();
  for (const [i, f] of dir.feeds.entries()) {
    if (urls.has(f.url)) throw new FeedError('duplicate-id', `the feed ${f.url} is listed twice`, `feeds.${i}.url`);
    urls.add(f.url);
  }
  return dir;
}
