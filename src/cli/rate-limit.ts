/**
 * The receiver's rate limit: a token bucket per client address and one for everyone (the global
 * cap), with bounded memory that a flood cannot turn into a reset.
 *
 * Why a flood cannot reset an address: the global bucket is checked first, and a request it refuses
 * touches nothing; an address's bucket is only created for a request the global bucket admits, so
 * at most `globalRate` buckets are created per `globalPerSeconds` (plus one burst). The table (an
 * LRU, lru-cache) holds that many buckets for a whole refill period (`perSeconds`), so a bucket is
 * only ever evicted after it has gone unused long enough to be full again — evicting it gives the
 * address nothing time had not already given it.
 */
import { LRUCache } from 'lru-cache';

export interface LimiterOptions {
  /** Requests per address per `perSeconds`. */
  rate: number;
  perSeconds: number;
  /** Requests from all addresses together per `globalPerSeconds`. */
  globalRate: number;
  globalPerSeconds: number;
  /** Milliseconds; injected in tests. */
  now?: () => number;
}

export type LimitVerdict = { ok: true } | { ok: false; scope: 'address' | 'global'; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

function refill(b: Bucket, now: number, capacity: number, perMs: number): void {
  b.tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.at) * perMs);
  b.at = now;
}

/** Buckets the table must hold so that an evicted one is always full again (see above). */
export function tableSize(o: Pick<LimiterOptions, 'perSeconds' | 'globalRate' | 'globalPerSeconds'>): number {
  return o.globalRate + Math.ceil((o.globalRate * o.perSeconds) / o.globalPerSeconds) + 1;
}

export function createLimiter(o: LimiterOptions) {
  const now = o.now ?? Date.now;
  const perMs = o.rate / (o.perSeconds * 1000);
  const globalPerMs = o.globalRate / (o.globalPerSeconds * 1000);
  const global: Bucket = { tokens: o.globalRate, at: now() };
  const table = new LRUCache<string, Bucket>({ max: tableSize(o) });
  const wait = (tokens: number, rateMs: number) => Math.max(1, Math.ceil((1 - tokens) / rateMs / 1000));
  return {
    check(address: string): LimitVerdict {
      const t = now();
      refill(global, t, o.globalRate, globalPerMs);
      if (global.tokens < 1) return { ok: false, scope: 'global', retryAfterSeconds: wait(global.tokens, globalPerMs) };
      let b = table.get(address);
      if (b) refill(b, t, o.rate, perMs);
      else table.set(address, (b = { tokens: o.rate, at: t }));
      if (b.tokens < 1) return { ok: false, scope: 'address', retryAfterSeconds: wait(b.tokens, perMs) };
      b.tokens -= 1;
      global.tokens -= 1;
      return { ok: true };
    },
    get size() {
      return table.size;
    },
    get capacity() {
      return table.max;
    },
  };
}
