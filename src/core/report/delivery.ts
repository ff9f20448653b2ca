/**
 * When to try a queued report again, and what an HTTP answer means for it. Pure: the outbox in the
 * background applies it (src/background/outbox.ts), the unit tests pin it.
 *
 * Retries back off exponentially from 30 seconds (the shortest alarm browsers honour) to at most
 * an hour, ±10 % so that many readers do not retry in step, and never sooner than a server's
 * Retry-After. Delivery is at-least-once; the report id (also sent as Idempotency-Key) lets the
 * receiver drop a copy it already has, so a report is never stored twice.
 */
export const DELIVERY = {
  firstRetryMs: 30_000,
  maxRetryMs: 60 * 60_000,
  /** A request that takes longer is abandoned and retried. */
  timeoutMs: 20_000,
  /** Retry-After beyond this is capped (a broken server must not park a report for a year). */
  maxRetryAfterMs: 24 * 60 * 60_000,
} as const;

/** Delay before the next try after `failures` consecutive failed attempts (≥ 1). */
export function retryDelayMs(failures: number, random: () => number = Math.random, retryAfterMs: number | null = null): number {
  const exp = Math.min(DELIVERY.maxRetryMs, DELIVERY.firstRetryMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exp * (0.9 + 0.2 * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, DELIVERY.maxRetryAfterMs));
}

/**
 * What an answer means:
 * - delivered: 2xx, or 409 Conflict (the receiver already holds this report id);
 * - retry: 408, 425, 429 and 5xx (the desk is busy or down), and no answer at all;
 * - rejected: any other status (the desk refuses this report: 400, 413, 415, …, or a redirect,
 *   which is not followed for a POST). Rejected reports stay in the outbox with the reason, are not
 *   retried by themselves, and the reader can retry or delete them.
 */
export type Verdict = 'delivered' | 'retry' | 'rejected';
export function verdictFor(status: number): Verdict {
  if ((status >= 200 && status < 300) || status === 409) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** Retry-After in ms (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
