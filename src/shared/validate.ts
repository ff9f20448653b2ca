/**
 * Field checks shared by the settings schema (background, authoritative) and the options page
 * (a clear message next to the field before anything is sent). No schema library here, so the
 * pages can use these without bundling it. Each returns null when the value is fine, else the
 * message key that says what is wrong.
 */
import { isAllowedUrl } from '../core/url.ts';

export type FieldProblem = 'errFeedName' | 'errFeedUrl' | 'errPublicKey' | 'errEndpointUrl';

export const MAX_FEED_NAME = 100;

/** https only (no credentials, ≤ 2048 characters); plain http only to a test host (loopback, test builds only). */
export function isAllowedFeedUrl(raw: string, testHosts: readonly string[]): boolean {
  return raw.length <= 2048 && isAllowedUrl(raw, testHosts);
}

/** Ed25519 public key: 32 bytes, base64 (44 characters with padding). */
export const PUBLIC_KEY_RE = /^[A-Za-z0-9+/]{43}=$/;

export function feedNameProblem(name: string): FieldProblem | null {
  const n = name.trim();
  return n.length >= 1 && n.length <= MAX_FEED_NAME ? null : 'errFeedName';
}

export function feedUrlProblem(url: string, testHosts: readonly string[]): FieldProblem | null {
  return isAllowedFeedUrl(url.trim(), testHosts) ? null : 'errFeedUrl';
}

export function publicKeyProblem(key: string): FieldProblem | null {
  return PUBLIC_KEY_RE.test(key.trim()) ? null : 'errPublicKey';
}

/** A report endpoint follows the feed URL rule: https (loopback http in test builds). */
export function endpointProblem(url: string, testHosts: readonly string[]): FieldProblem | null {
  return isAllowedFeedUrl(url.trim(), testHosts) ? null : 'errEndpointUrl';
}

/**
 * The match pattern whose host permission a URL needs (`https://feeds.example.org/*`). Without the
 * port: a pattern's host matches every port, and Firefox refuses patterns with one.
 */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}
