/**
 * The reports outbox: a report is stored in IndexedDB first, then POSTed to its endpoint; until
 * delivered it stays queued and is retried with backoff (src/core/report/delivery.ts) from an
 * alarm, which survives worker shutdowns and browser restarts. Nothing is lost on a dead network,
 * a 5xx, a timeout or a closed browser; a full disk refuses the report before it is queued, and
 * the reader is told (the dialog keeps what they wrote).
 *
 * Never sent twice: one pass at a time (passes are chained), each attempt is recorded before the
 * request goes out, a report deleted meanwhile is neither sent nor written back, and the report id goes along
 * as Idempotency-Key, so a receiver drops the copy of an attempt whose answer was lost.
 */
import { DELIVERY, parseRetryAfter, retryDelayMs, verdictFor, type Report, type ReportRow } from '../core/report';
import type { AdDB, OutboxRecord } from './db';
import { NetError, postJson, type PostResult } from './net';
import { testPoint } from './test-points';

export const OUTBOX_ALARM = 'report-outbox';
/** While the reader has not allowed sending (Firefox's data consent), look again this often. */
const CONSENT_RECHECK_MS = 60 * 60_000;
export const CONSENT_WAIT_MESSAGE = 'waiting for your permission to send reports';

export class OutboxFullError extends Error {
  override name = 'OutboxFullError';
}

export interface OutboxDeps {
  db: AdDB;
  now: () => number;
  random?: () => number;
  /** Sends one report; default: postJson with the Idempotency-Key header. */
  post?: (endpoint: string, body: string, reportId: string) => Promise<PostResult>;
  /** Whether the reader allows reports to be transmitted (Firefox's data consent); default yes. */
  mayTransmit?: () => Promise<boolean>;
  /** Arms (a time in ms) or clears (null) the outbox alarm. */
  arm?: (when: number | null) => Promise<void>;
}

/** A full disk, as IndexedDB reports it (a DOMException, which is an Error, named QuotaExceededError). */
function isQuotaError(e: unknown): boolean {
  return e instanceof Error && e.name === 'QuotaExceededError';
}

/**
 * Queues a report (its exact text). The same report id twice is answered with the record already
 * queued, never a second copy. Throws OutboxFullError when the disk is full.
 */
export async function enqueue(
  db: AdDB,
  report: { reportId: string; body: string; endpoint: string; createdAt: string },
  now: number,
): Promise<{ record: OutboxRecord; duplicate: boolean }> {
  const record: OutboxRecord = {
    ...report,
    status: 'queued',
    attempts: 0,
    lastAttemptAt: null,
    nextTryAt: new Date(now).toISOString(),
    lastError: null,
    deliveredAt: null,
  };
  try {
    const tx = db.transaction('outbox', 'readwrite');
    const existing = await tx.store.get(report.reportId);
    if (existing) {
      await tx.done;
      return { record: existing, duplicate: true };
    }
    await Promise.all([tx.store.add(record), tx.done]);
    return { record, duplicate: false };
  } catch (e) {
    if (isQuotaError(e)) throw new OutboxFullError('not enough disk space to keep the report: free some space and send it again');
    throw e;
  }
}

export const defaultPost = (endpoint: string, body: string, reportId: string) =>
  postJson(endpoint, body, { headers: { 'idempotency-key': reportId }, timeoutMs: DELIVERY.timeoutMs });

/** Writes an updated record unless the reader deleted it meanwhile. */
async function update(db: AdDB, next: OutboxRecord): Promise<boolean> {
  const tx = db.transaction('outbox', 'readwrite');
  if (!(await tx.store.get(next.reportId))) {
    await tx.done;
    return false;
  }
  await Promise.all([tx.store.put(next), tx.done]);
  return true;
}

/** One attempt at one queued report; null when the reader deleted it before it went out. */
async function attempt(rec: OutboxRecord, deps: OutboxDeps): Promise<OutboxRecord | null> {
  const random = deps.random ?? Math.random;
  const now = deps.now();
  const attempts = rec.attempts + 1;
  // Recorded before the request: if the worker dies during it, the report is still queued and due
  // again after the backoff (a receiver that did get it drops the copy by its id).
  const tried: OutboxRecord = { ...rec, attempts, lastAttemptAt: new Date(now).toISOString(), nextTryAt: new Date(now + retryDelayMs(attempts, random)).toISOString() };
  // The due list was read at the start of the pass; the reader may have deleted this report since
  // (while an earlier one was in flight). The write below re-reads it: gone means never sent.
  const stillThere = await update(deps.db, tried).catch((e: unknown) => {
    console.warn('[already-debunked] could not record a delivery attempt:', e);
    return true; // a full disk: the report is still there, send it anyway
  });
  if (!stillThere) return null;
  let next: OutboxRecord;
  try {
    const res = await (deps.post ?? defaultPost)(rec.endpoint, rec.body, rec.reportId);
    await testPoint('report-sent-not-recorded'); // the desk has it; we do not know yet
    const verdict = res.redirected ? 'rejected' : verdictFor(res.status);
    const said = res.text.trim().replace(/\s+/g, ' ').slice(0, 200);
    const error = res.redirected ? 'the address answers with a redirect; a report is only sent where you saw' : `HTTP ${res.status}${said ? `: ${said}` : ''}`;
    if (verdict === 'delivered') {
      next = { ...tried, status: 'delivered', nextTryAt: null, lastError: null, deliveredAt: new Date(deps.now()).toISOString() };
    } else if (verdict === 'rejected') {
      next = { ...tried, status: 'rejected', nextTryAt: null, lastError: error };
    } else {
      const wait = retryDelayMs(attempts, random, parseRetryAfter(res.retryAfter, now));
      next = { ...tried, lastError: error, nextTryAt: new Date(now + wait).toISOString() };
    }
  } catch (e) {
    next = { ...tried, lastError: e instanceof NetError ? e.message : String(e) };
  }
  // If this write fails (full disk), the record says "queued, attempted": it is tried again.
  await update(deps.db, next).catch((e: unknown) => console.warn('[already-debunked] could not record a delivery result:', e));
  return next;
}

async function deliverDue(deps: OutboxDeps, force: boolean): Promise<void> {
  const now = deps.now();
  const due = (await deps.db.getAllFromIndex('outbox', 'byCreated')).filter(
    (r) => r.status === 'queued' && (force || !r.nextTryAt || Date.parse(r.nextTryAt) <= now),
  );
  if (due.length && deps.mayTransmit && !(await deps.mayTransmit())) {
    for (const r of due) {
      await update(deps.db, { ...r, lastError: CONSENT_WAIT_MESSAGE, nextTryAt: new Date(now + CONSENT_RECHECK_MS).toISOString() });
    }
  } else {
    for (const r of due) await attempt(r, deps);
  }
  await scheduleOutbox(deps);
}

/** The last pass queued per database: the next one starts after it. */
const chains = new WeakMap<AdDB, Promise<void>>();

/**
 * Sends every queued report that is due (all queued ones when forced), then re-arms the alarm for
 * the next one. Passes run one after another, never side by side: a report is never in flight
 * twice. (Every request has a timeout, so a pass always ends.)
 */
export function flushOutbox(deps: OutboxDeps, { force = false } = {}): Promise<void> {
  const pass = (chains.get(deps.db) ?? Promise.resolve()).then(() => deliverDue(deps, force));
  chains.set(deps.db, pass.catch(() => undefined));
  return pass;
}

/** Arms the alarm for the earliest queued report, or clears it when nothing is queued. */
export async function scheduleOutbox(deps: Pick<OutboxDeps, 'db' | 'now' | 'arm'>): Promise<void> {
  if (!deps.arm) return;
  const queued = (await deps.db.getAll('outbox')).filter((r) => r.status === 'queued');
  if (!queued.length) return deps.arm(null);
  const earliest = Math.min(...queued.map((r) => (r.nextTryAt ? Date.parse(r.nextTryAt) : deps.now())));
  await deps.arm(Math.max(earliest, deps.now() + 1000));
}

/** The reader's reports, newest first, as the pages list and export them. */
export async function listReports(db: AdDB, limit = Infinity): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for (let c = await db.transaction('outbox').store.index('byCreated').openCursor(null, 'prev'); c && rows.length < limit; c = await c.continue()) {
    const r = c.value;
    let report: Report;
    try {
      report = JSON.parse(r.body) as Report; // written by this extension from a validated report
    } catch {
      continue;
    }
    rows.push({ report, status: r.status, attempts: r.attempts, lastAttemptAt: r.lastAttemptAt, nextTryAt: r.nextTryAt, lastError: r.lastError, deliveredAt: r.deliveredAt });
  }
  return rows;
}

export async function deleteReports(db: AdDB, ids: readonly string[]): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

/** The reader asks to try again now: a rejected report is queued again, a queued one made due. */
export async function requeue(db: AdDB, ids: readonly string[] | null, now: number): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  const all = ids ? await Promise.all(ids.map((id) => tx.store.get(id))) : await tx.store.getAll();
  for (const r of all) {
    if (!r || r.status === 'delivered') continue;
    await tx.store.put({ ...r, status: 'queued', nextTryAt: new Date(now).toISOString() });
  }
  await tx.done;
}
