/**
 * The desk's HTTP server (hono on node): the report intake at POST /reports (docs/report-format.md:
 * the same answers as the reference receiver), the feed it publishes at /feed/, the web app at /,
 * and the app's API at /api/ (src/shared/desk-api.ts) behind a session, a role and a CSRF token.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { PdqIndex } from '../../core/index';
import { hashFromHex } from '../../core/hash256';
import { matchRule } from '../../core/match/rule';
import { ReportError, parseReport, REPORT_LIMITS, type Report } from '../../core/report';
import type { FeedEntry } from '../../core/feed';
import {
  DESK_CSRF_HEADER,
  accountRequest,
  correctRequest,
  coveredRequest,
  dismissRequest,
  draftRequest,
  loginRequest,
  parseRequest,
  passwordRequest,
  type ClusterDetail,
  type ClusterKind,
  type ClusterReport,
  type ClusterSummary,
  type Coverage,
  type DeskRole,
  type DraftFields,
  type EntrySummary,
  type SessionInfo,
} from '../../shared/desk-api';
import { Auth, SESSION_COOKIE, SESSION_HOURS, allows, audit, createAccount, sameToken, type Session } from './auth';
import type { Db } from './db';
import { entryFromRecord, largestSize, mediaFromHashes, publishFeed, recordFromFields, type FeedConfig, type MediaHash } from './feed';
import { ReportStore } from './store';
import { ThumbError, Thumbs } from './thumbs';

export interface IntakeLimits {
  /** Largest request body (413 above). */
  maxBytes: number;
  /** Reports per address per minute (429 above, with Retry-After). */
  perAddressPerMinute: number;
  /** New reports per hour from everyone (429 above): a flood cannot fill the disk. */
  perHour: number;
}

export const DEFAULT_LIMITS: IntakeLimits = { maxBytes: 64 * 1024, perAddressPerMinute: 30, perHour: 20_000 };

export interface DeskOptions {
  db: Db;
  feed: FeedConfig;
  /** Built web app (index.html + assets); null: / explains how to build it. */
  appDir: string | null;
  testHosts?: readonly string[];
  limits?: Partial<IntakeLimits>;
  now?: () => Date;
  /** Cookies are Secure (and __Host-); tests over plain http on loopback keep that: browsers treat loopback as secure. */
  log?: (line: string) => void;
  fetchFn?: typeof fetch;
  /**
   * The reverse proxies in front of the desk (addresses, CIDR ranges, or proxy-addr's names
   * loopback / linklocal / uniquelocal): the client's address is then the right-most
   * X-Forwarded-For hop that is not one of them. Without it X-Forwarded-For is ignored.
   */
  trustProxy?: readonly string[];
  /**
   * The publisher's hashes of a picture's bytes, as `build` computes them for a file (the
   * reference hash, the canonical one and the re-share variants). Injected by the node composition
   * root (src/cli); without it an entry carries only the hashes readers reported.
   */
  pictureHashes?: PictureHasher;
}

/** Turns a picture's encoded bytes into feed hash objects; throws on media it cannot decode. */
export type PictureHasher = (bytes: Uint8Array) => Promise<MediaHash[]>;

type Env = { Variables: { session: Session } };

const json = (c: Context, status: number, body: object, headers: Record<string, string> = {}) => {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  c.header('cache-control', 'no-store');
  return c.json(body, status as 200);
};

const iso = (d: unknown) => new Date(d as string).toISOString();

export interface Desk {
  app: Hono<Env>;
  store: ReportStore;
}

export async function createDesk(opts: DeskOptions): Promise<Desk> {
  const { db } = opts;
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  const testHosts = opts.testHosts ?? [];
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const store = new ReportStore(db);
  await store.load();
  const auth = new Auth(db, now);
  const thumbs = new Thumbs(testHosts, opts.fetchFn);
  const perAddress = new RateLimiterMemory({ points: limits.perAddressPerMinute, duration: 60 });
  const perHour = new RateLimiterMemory({ points: limits.perHour, duration: 3600 });
  const rule = matchRule('standard');

  const app = new Hono<Env>();
  // The client's address (per-address limits, login throttling): the socket's, or behind the
  // named proxies, proxy-addr's reading of X-Forwarded-For (what a client sends itself is ignored).
  const trust = proxyaddr.compile([...(opts.trustProxy ?? [])]);
  const addressOf = (c: Context) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming?.socket) {
      try {
        return proxyaddr(incoming, trust);
      } catch {
        /* a malformed header: the socket's address below */
      }
    }
    return getConnInfo(c).remote.address ?? '?';
  };

  // ---- report intake (open to readers, bounded) ----
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, idempotency-key',
    'access-control-max-age': '86400',
    vary: 'origin',
  };
  app.options('/reports', (c) => {
    for (const [k, v] of Object.entries(cors)) c.header(k, v);
    return c.body(null, 204);
  });
  app.all('/reports', async (c) => {
    const answer = (status: number, body: object, headers: Record<string, string> = {}) => json(c, status, body, { ...cors, ...headers });
    if (c.req.method !== 'POST') return answer(405, { error: 'POST a report here' }, { allow: 'POST, OPTIONS' });
    try {
      await perAddress.consume(addressOf(c));
    } catch (e) {
      if (e instanceof RateLimiterRes) return answer(429, { error: 'too many reports from this address' }, { 'retry-after': String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))) });
      throw e;
    }
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return answer(415, { error: 'send JSON (content-type: application/json)' });
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > limits.maxBytes) return answer(413, { error: `report larger than ${limits.maxBytes} bytes` }, { connection: 'close' });
    const body = await readLimited(c.req.raw, limits.maxBytes);
    if (!body) return answer(413, { error: `report larger than ${limits.maxBytes} bytes` }, { connection: 'close' });
    let report: Report;
    try {
      report = parseReport(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)), { testHosts });
    } catch (e) {
      return answer(400, { error: `not a valid report: ${e instanceof ReportError ? e.message : 'not JSON'}` });
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined && key !== report.reportId) return answer(400, { error: 'Idempotency-Key differs from the reportId' });
    // The hourly budget is spent by valid reports only, so garbage cannot crowd them out.
    try {
      await perHour.consume('all');
    } catch (e) {
      if (e instanceof RateLimiterRes) return answer(429, { error: 'the desk receives too many reports right now' }, { 'retry-after': String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))) });
      throw e;
    }
    let stored;
    try {
      stored = await store.receive(report, createHash('sha256').update(body).digest('hex'), now());
    } catch (e) {
      log(`error: could not store ${report.reportId}: ${(e as Error).message}`);
      return answer(503, { error: 'the desk cannot store reports right now' }, { 'retry-after': '60' });
    }
    if (stored === 'duplicate') {
      await perHour.reward('all', 1);
      return answer(200, { status: 'duplicate', reportId: report.reportId });
    }
    log(`stored ${report.reportId} ${report.kind} ${report.reason} ${report.post.url}`);
    return answer(201, { status: 'stored', reportId: report.reportId });
  });

  // ---- the published feed ----
  app.get('/feed/*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname.slice('/feed/'.length));
    if (!/^(index\.json|snapshots\/\d+\.json|deltas\/\d+-\d+\.json)$/.test(rel)) return json(c, 404, { error: 'not found' });
    const file = path.join(opts.feed.dir, rel);
    if (!fs.existsSync(file)) return json(c, 404, { error: 'not found' });
    c.header('content-type', 'application/json');
    c.header('cache-control', rel === 'index.json' ? 'no-cache' : 'public, max-age=31536000, immutable');
    c.header('access-control-allow-origin', '*');
    return c.body(fs.readFileSync(file));
  });

  // ---- the web app ----
  const appHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'"], styleSrc: ["'self'"], scriptSrc: ["'self'"], connectSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"], baseUri: ["'none'"] },
    referrerPolicy: 'no-referrer',
  });
  app.use('/api/*', appHeaders);
  app.get('/', appHeaders, (c) => serveApp(c, 'index.html'));
  app.get('/assets/*', appHeaders, (c) => serveApp(c, new URL(c.req.url).pathname.slice(1)));
  function serveApp(c: Context, rel: string) {
    if (!opts.appDir || !fs.existsSync(path.join(opts.appDir, 'index.html'))) return c.text('The desk app is not built: run `npm run build:desk`.', 503);
    if (!/^(index\.html|assets\/[A-Za-z0-9._-]+)$/.test(rel)) return c.text('not found', 404);
    const file = path.join(opts.appDir, rel);
    if (!fs.existsSync(file)) return c.text('not found', 404);
    const type = rel.endsWith('.js') ? 'text/javascript' : rel.endsWith('.css') ? 'text/css' : rel.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream';
    c.header('content-type', type);
    c.header('cache-control', rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable');
    return c.body(fs.readFileSync(file));
  }

  // ---- the API: sessions ----
  const body = async (c: Context): Promise<unknown> => {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return undefined;
    const raw = await readLimited(c.req.raw, 256 * 1024);
    if (!raw) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return undefined;
    }
  };
  /** A request from another site: its Origin (browsers send one on every POST) is not ours. */
  const foreign = (c: Context) => {
    const origin = c.req.header('origin');
    if (!origin) return false;
    const host = c.req.header('host');
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  };

  app.post('/api/login', async (c) => {
    if (foreign(c)) return json(c, 403, { error: 'cross-site request refused' });
    const p = parseRequest(loginRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    const r = await auth.login(p.value.username, p.value.password, addressOf(c));
    if (!r.ok) {
      if (r.status === 429) return json(c, 429, { error: 'too many failed logins: wait and try again' }, { 'retry-after': String(r.retryAfter ?? 900) });
      return json(c, 401, { error: 'wrong user name or password' });
    }
    setCookie(c, SESSION_COOKIE, r.token, { path: '/', httpOnly: true, secure: true, sameSite: 'Strict', maxAge: SESSION_HOURS * 3600, prefix: 'host' });
    return json(c, 200, publicInfo(r.session));
  });

  const session: MiddlewareHandler<Env> = async (c, next) => {
    const s = await auth.session(getCookie(c, SESSION_COOKIE, 'host'));
    if (!s) return json(c, 401, { error: 'log in first' });
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const token = c.req.header(DESK_CSRF_HEADER) ?? '';
      if (foreign(c) || !sameToken(token, s.csrf)) return json(c, 403, { error: 'missing or wrong CSRF token' });
    }
    c.set('session', s);
    await next();
  };
  const role = (needed: DeskRole): MiddlewareHandler<Env> => async (c, next) => {
    const s = c.get('session');
    if (s.mustChangePassword) return json(c, 403, { error: 'choose a new password first' });
    if (!allows(s.role, needed)) return json(c, 403, { error: `this needs the ${needed} role` });
    await next();
  };
  const who = (c: Context<Env>) => c.get('session');

  app.get('/api/session', session, (c) => {
    return json(c, 200, publicInfo(who(c)));
  });
  app.post('/api/logout', session, async (c) => {
    await auth.logout(getCookie(c, SESSION_COOKIE, 'host')!);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
    return json(c, 200, { status: 'logged out' });
  });
  app.post('/api/password', session, async (c) => {
    const p = parseRequest(passwordRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    if (!(await auth.changePassword(who(c), p.value.current, p.value.next))) return json(c, 403, { error: 'the current password is wrong' });
    return json(c, 200, { status: 'changed' });
  });
  app.post('/api/accounts', session, role('admin'), async (c) => {
    const p = parseRequest(accountRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    const [exists] = await db.query('select 1 from accounts where username = $1', [p.value.username.toLowerCase()]);
    if (exists) return json(c, 409, { error: 'that user name is taken' });
    await createAccount(db, p.value.username, p.value.password, p.value.role, true);
    await audit(db, who(c), 'account-created', p.value.username.toLowerCase(), { role: p.value.role }, now());
    return json(c, 201, { status: 'created' });
  });
  app.get('/api/audit', session, role('admin'), async (c) => {
    const rows = await db.query<{ at: Date; username: string; action: string; target: string | null; detail: unknown }>('select at, username, action, target, detail from audit_log order by id desc limit 200');
    return json(c, 200, { events: rows.map((r) => ({ ...r, at: iso(r.at) })) });
  });

  // ---- the API: the queue ----
  let coverageIndex: { index: PdqIndex; ids: string[]; rows: EntryRow[] } | null = null;
  const invalidate = () => (coverageIndex = null);
  async function coverage(): Promise<NonNullable<typeof coverageIndex>> {
    if (coverageIndex) return coverageIndex;
    const rows = await entryRows();
    const hashes: string[] = [];
    const owner: number[] = [];
    rows.forEach((r, i) => {
      for (const m of r.entry.media) {
        for (const h of m.hashes) {
          hashes.push(h.value);
          owner.push(i);
        }
      }
    });
    coverageIndex = { index: PdqIndex.fromHashes(hashes.map(hashFromHex), owner), ids: rows.map((r) => r.id), rows };
    return coverageIndex;
  }
  async function summarize(r: ClusterRow): Promise<ClusterSummary> {
    const kind: ClusterKind = r.key === null ? 'picture' : r.key.startsWith('entry:') ? 'entry' : r.key.startsWith('url:') ? 'address' : 'post';
    const entryId = kind === 'entry' ? entryOfKey(r.key!) : null;
    const cov = await coverage();
    let found: Coverage | null = null;
    if (kind === 'picture' && r.pdq) {
      const best = cov.index.query(hashFromHex(r.pdq), rule.acceptDistance)[0];
      if (best) found = coverageOf(cov.rows[best.id]!, best.distance);
    } else if (entryId) {
      const row = cov.rows.find((e) => e.id === entryId);
      if (row) found = coverageOf(row, null);
    }
    return {
      id: Number(r.id),
      kind,
      entryId,
      state: r.state,
      coveredBy: r.covered_by,
      reportCount: r.report_count,
      firstAt: iso(r.first_at),
      lastAt: iso(r.last_at),
      hasThumb: !!r.thumb_url,
      mediaUrl: r.thumb_url,
      coverage: found,
    };
  }
  /** An entry cluster's entry id, when it disputes an entry of this desk's feed. */
  const entryOfKey = (key: string) => {
    const m = /^entry:(.*)#([^#]+)$/.exec(key);
    return m && (m[1] === opts.feed.meta.id || m[1] === `${opts.feed.meta.id.replace(/\/$/, '')}/index.json`) ? m[2]! : m ? m[2]! : null;
  };

  app.get('/api/queue', session, role('reviewer'), async (c) => {
    const state = c.req.query('state') ?? 'open';
    if (!['open', 'dismissed', 'covered', 'drafted'].includes(state)) return json(c, 400, { error: 'state: open, dismissed, covered or drafted' });
    const rows = await db.query<ClusterRow>('select * from clusters where state = $1 order by report_count desc, last_at desc, id limit 100', [state]);
    const [counts] = await db.query<{ open: number; all: number }>(`select count(*) filter (where state = 'open')::int as open, count(*)::int as all from clusters`);
    return json(c, 200, { clusters: await Promise.all(rows.map(summarize)), open: counts!.open, total: counts!.all });
  });

  async function clusterRow(id: string): Promise<ClusterRow | null> {
    if (!/^\d{1,15}$/.test(id)) return null;
    const [r] = await db.query<ClusterRow>('select * from clusters where id = $1', [Number(id)]);
    return r ?? null;
  }
  async function clusterHashes(id: number): Promise<{ value: string; quality: number }[]> {
    const rows = await db.query<{ pdq: string; quality: number; n: number }>(
      'select pdq, quality, count(*)::int as n from report_media where cluster_id = $1 and pdq is not null group by pdq, quality order by n desc, pdq limit 64',
      [id],
    );
    return rows.map((r) => ({ value: r.pdq, quality: r.quality }));
  }

  app.get('/api/clusters/:id', session, role('reviewer'), async (c) => {
    const r = await clusterRow(c.req.param('id'));
    if (!r) return json(c, 404, { error: 'no such cluster' });
    const reports = await db.query<{ body: Report | string; received_at: Date }>(
      'select r.body, r.received_at from report_clusters rc join reports r on r.id = rc.report_id where rc.cluster_id = $1 order by r.received_at desc limit 200',
      [Number(r.id)],
    );
    const list: ClusterReport[] = reports.map(({ body: b, received_at }) => {
      const rep = (typeof b === 'string' ? JSON.parse(b) : b) as Report;
      return {
        reportId: rep.reportId,
        kind: rep.kind,
        reason: rep.reason,
        createdAt: rep.createdAt,
        receivedAt: iso(received_at),
        postUrl: rep.post.url,
        author: rep.post.author,
        text: rep.post.text,
        note: rep.note,
        media: rep.media.map((m) => ({ url: m.url, type: m.type, pdq: m.pdq?.value ?? null, quality: m.pdq?.quality ?? null })),
      };
    });
    const summary = await summarize(r);
    const existing = summary.entryId ? (await coverage()).rows.find((e) => e.id === summary.entryId) : null;
    const claim = list.find((x) => x.text)?.text ?? '';
    const today = now().toISOString().slice(0, 10);
    const draft: DraftFields = existing?.fields ?? {
      id: `desk-${today}-${r.id}`,
      claim: claim.slice(0, 500),
      category: 'DecontextualizedContent',
      rating: 'Missing context',
      context: '',
      contextDate: '',
      contextLocation: '',
      factCheckUrl: '',
      headline: '',
      inLanguage: opts.feed.meta.defaultLanguage ?? 'en',
      datePublished: today,
    };
    const detail: ClusterDetail = { cluster: summary, reports: list, draft };
    return json(c, 200, detail);
  });

  app.get('/api/clusters/:id/thumb', session, role('reviewer'), async (c) => {
    const r = await clusterRow(c.req.param('id'));
    if (!r?.thumb_url) return json(c, 404, { error: 'no picture' });
    try {
      const t = await thumbs.get(r.thumb_url);
      c.header('content-type', t.type);
      c.header('x-content-type-options', 'nosniff');
      c.header('cache-control', 'private, max-age=3600');
      c.header('content-security-policy', "default-src 'none'; sandbox");
      return c.body(t.bytes as Uint8Array<ArrayBuffer>);
    } catch (e) {
      return json(c, 502, { error: `the picture could not be fetched: ${e instanceof ThumbError ? e.message : (e as Error).name}` });
    }
  });

  app.post('/api/clusters/:id/dismiss', session, role('reviewer'), async (c) => {
    const r = await clusterRow(c.req.param('id'));
    if (!r) return json(c, 404, { error: 'no such cluster' });
    const p = parseRequest(dismissRequest, (await body(c)) ?? {});
    if (!p.ok) return json(c, 400, { error: p.error });
    await db.transaction(async (tx) => {
      await tx.query(`update clusters set state = 'dismissed' where id = $1`, [Number(r.id)]);
      await audit(tx, who(c), 'dismiss', `cluster:${r.id}`, { note: p.value.note ?? null, reports: r.report_count }, now());
    });
    return json(c, 200, { status: 'dismissed' });
  });

  app.post('/api/clusters/:id/covered', session, role('reviewer'), async (c) => {
    const r = await clusterRow(c.req.param('id'));
    if (!r) return json(c, 404, { error: 'no such cluster' });
    const p = parseRequest(coveredRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    await db.transaction(async (tx) => {
      await tx.query(`update clusters set state = 'covered', covered_by = $2 where id = $1`, [Number(r.id), p.value.entryId]);
      await audit(tx, who(c), 'covered', `cluster:${r.id}`, { entryId: p.value.entryId }, now());
    });
    return json(c, 200, { status: 'covered' });
  });

  app.post('/api/clusters/:id/reopen', session, role('reviewer'), async (c) => {
    const r = await clusterRow(c.req.param('id'));
    if (!r) return json(c, 404, { error: 'no such cluster' });
    await db.transaction(async (tx) => {
      await tx.query(`update clusters set state = 'open', covered_by = null where id = $1`, [Number(r.id)]);
      await audit(tx, who(c), 'reopen', `cluster:${r.id}`, {}, now());
    });
    return json(c, 200, { status: 'open' });
  });

  // ---- the API: entries and publishing ----
  async function entryRows(): Promise<EntryRow[]> {
    const rows = await db.query<{ id: string; state: EntryRow['state']; record: unknown; entry: unknown; cluster_id: string | number | null; published_rev: number | null; updated_at: Date; updated_by: string }>(
      'select * from entries order by updated_at desc, id',
    );
    return rows.map((r) => {
      const record = (typeof r.record === 'string' ? JSON.parse(r.record) : r.record) as { fields: DraftFields };
      return {
        id: r.id,
        state: r.state,
        fields: record.fields,
        entry: (typeof r.entry === 'string' ? JSON.parse(r.entry) : r.entry) as FeedEntry,
        clusterId: r.cluster_id === null ? null : Number(r.cluster_id),
        publishedRev: r.published_rev,
        updatedAt: iso(r.updated_at),
        updatedBy: r.updated_by,
      };
    });
  }
  const summaryOf = (r: EntryRow): EntrySummary => ({
    id: r.id,
    state: r.state,
    status: r.entry.status,
    rev: r.entry.rev,
    publishedRev: r.publishedRev,
    claim: Object.values(r.entry.claim.text)[0] ?? '',
    clusterId: r.clusterId,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
    fields: r.fields,
  });

  app.get('/api/entries', session, role('reviewer'), async (c) => json(c, 200, { entries: (await entryRows()).map(summaryOf) }));

  /**
   * The publisher's own hashes of a cluster's picture (re-share variants included), from X's
   * largest size of it. Any failure (no hasher, a host that is not X's, a dead network, a file
   * that does not decode) leaves the entry with the reported hashes and says why.
   */
  async function publisherHashes(url: string | null): Promise<{ hashes: MediaHash[]; note: string }> {
    if (!opts.pictureHashes) return { hashes: [], note: 're-share variants: not computed (this desk has no picture hasher)' };
    if (!url) return { hashes: [], note: 're-share variants: not computed (no picture address was reported)' };
    const tries = [...new Set([largestSize(url), url])];
    let why = '';
    for (const u of tries) {
      try {
        const { bytes } = await thumbs.get(u);
        const hashes = await opts.pictureHashes(bytes);
        return { hashes, note: `re-share variants: ${hashes.length} hashes computed from the picture` };
      } catch (e) {
        why = (e as Error).message;
      }
    }
    log(`warning: re-share variants not computed for ${url}: ${why}`);
    return { hashes: [], note: `re-share variants: not computed (${why}); the entry matches the reported picture only` };
  }

  async function saveEntry(c: Context<Env>, fields: DraftFields, ready: boolean, clusterId: number | null, media: FeedEntry['media'], status: 'active' | 'withdrawn', action: string, note?: string) {
    const s = who(c);
    if (ready && !allows(s.role, 'publisher')) return json(c, 403, { error: 'marking an entry ready to publish needs the publisher role' });
    const appearances = clusterId === null ? [] : (await db.query<{ post_url: string }>('select distinct r.post_url from report_clusters rc join reports r on r.id = rc.report_id where rc.cluster_id = $1 limit 50', [clusterId])).map((x) => x.post_url);
    let entry: FeedEntry;
    try {
      entry = entryFromRecord(recordFromFields(fields, opts.feed.meta.publisher, appearances), media, status, testHosts);
    } catch (e) {
      return json(c, 400, { error: (e as Error).message });
    }
    const [held] = await db.query<{ entry: FeedEntry | string }>('select entry from entries where id = $1', [fields.id]);
    const before = held ? ((typeof held.entry === 'string' ? JSON.parse(held.entry) : held.entry) as FeedEntry) : null;
    if (action === 'draft' && before) return json(c, 409, { error: `an entry ${fields.id} exists: correct it instead` });
    entry.rev = before ? before.rev : 1; // publishing bumps the rev of a changed entry (core/feed/publish.ts)
    const record = { fields, record: recordFromFields(fields, opts.feed.meta.publisher, appearances) };
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into entries (id, state, record, entry, cluster_id, updated_at, updated_by) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (id) do update set state = excluded.state, record = excluded.record, entry = excluded.entry, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [fields.id, ready ? 'ready' : 'draft', JSON.stringify(record), JSON.stringify(entry), clusterId, now().toISOString(), s.username],
      );
      if (clusterId !== null && action === 'draft') await tx.query(`update clusters set state = 'drafted', covered_by = $2 where id = $1`, [clusterId, fields.id]);
      await audit(tx, s, action, `entry:${fields.id}`, { ready, status, clusterId }, now());
    });
    invalidate();
    return json(c, action === 'draft' ? 201 : 200, { status: ready ? 'ready' : 'draft', id: fields.id, ...(note ? { note } : {}) });
  }

  app.post('/api/entries', session, role('reviewer'), async (c) => {
    const p = parseRequest(draftRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    const cluster = p.value.clusterId === null ? null : await clusterRow(String(p.value.clusterId));
    if (!cluster) return json(c, 400, { error: 'clusterId: draft an entry from a cluster of reports' });
    const computed = await publisherHashes(cluster.thumb_url);
    const media = mediaFromHashes(await clusterHashes(Number(cluster.id)), computed.hashes);
    return saveEntry(c, p.value.fields, p.value.ready, Number(cluster.id), media, 'active', 'draft', computed.note);
  });

  async function heldEntry(id: string): Promise<EntryRow | null> {
    return (await entryRows()).find((e) => e.id === id) ?? null;
  }

  app.put('/api/entries/:id', session, role('reviewer'), async (c) => {
    const held = await heldEntry(c.req.param('id'));
    if (!held) return json(c, 404, { error: 'no such entry' });
    const p = parseRequest(correctRequest, await body(c));
    if (!p.ok) return json(c, 400, { error: p.error });
    if (p.value.fields.id !== held.id) return json(c, 400, { error: 'fields.id: an entry keeps its id' });
    if (held.state !== 'draft' && !allows(who(c).role, 'publisher')) return json(c, 403, { error: 'correcting a published entry needs the publisher role' });
    return saveEntry(c, p.value.fields, p.value.ready, held.clusterId, held.entry.media, held.entry.status, 'correct');
  });

  app.post('/api/entries/:id/withdraw', session, role('publisher'), async (c) => {
    const held = await heldEntry(c.req.param('id'));
    if (!held) return json(c, 404, { error: 'no such entry' });
    return saveEntry(c, held.fields, true, held.clusterId, held.entry.media, 'withdrawn', 'withdraw');
  });

  let publishing = false;
  app.post('/api/publish', session, role('publisher'), async (c) => {
    if (publishing) return json(c, 409, { error: 'a publish is under way' });
    publishing = true;
    try {
      const rows = (await entryRows()).filter((r) => r.state !== 'draft');
      const at = now();
      let result;
      try {
        result = publishFeed(opts.feed, rows.map((r) => structuredClone(r.entry)), at);
      } catch (e) {
        log(`error: publish failed: ${(e as Error).message}`);
        await audit(db, who(c), 'publish-failed', null, { error: (e as Error).message }, at);
        return json(c, 500, { error: `publishing failed, nothing changed for readers: ${(e as Error).message}` });
      }
      const revs = new Map(result.entries.map((e) => [e.id, e.rev]));
      const changed = rows.filter((r) => r.publishedRev !== revs.get(r.id)).length;
      await db.transaction(async (tx) => {
        for (const r of rows) {
          const rev = revs.get(r.id)!;
          await tx.query(`update entries set state = 'published', published_rev = $2, entry = jsonb_set(entry, '{rev}', to_jsonb($2::int)) where id = $1`, [r.id, rev]);
        }
        await tx.query('insert into publishes (seq, at, username, entry_count, changed) values ($1, $2, $3, $4, $5) on conflict (seq) do nothing', [result.seq, at.toISOString(), who(c).username, rows.length, changed]);
        await audit(tx, who(c), 'publish', `seq:${result.seq}`, { entries: rows.length, changed, verified: result.verified }, at);
      });
      invalidate();
      log(`published seq ${result.seq}: ${result.verified}`);
      return json(c, 200, { seq: result.seq, entries: rows.length, changed, verified: result.verified });
    } finally {
      publishing = false;
    }
  });

  app.notFound((c) => json(c, 404, { error: 'not found' }));
  app.onError((e, c) => {
    log(`error: ${c.req.method} ${new URL(c.req.url).pathname}: ${e.message}`);
    return json(c, 500, { error: 'internal error' });
  });
  return { app, store };
}

type ClusterRow = {
  id: string | number;
  key: string | null;
  pdq: string | null;
  state: ClusterSummary['state'];
  covered_by: string | null;
  report_count: number;
  first_at: Date;
  last_at: Date;
  thumb_url: string | null;
};

interface EntryRow {
  id: string;
  state: 'draft' | 'ready' | 'published';
  fields: DraftFields;
  entry: FeedEntry;
  clusterId: number | null;
  publishedRev: number | null;
  updatedAt: string;
  updatedBy: string;
}

function publicInfo(s: Session): SessionInfo {
  return { username: s.username, role: s.role, csrf: s.csrf, mustChangePassword: s.mustChangePassword };
}

function coverageOf(r: EntryRow, distance: number | null): Coverage {
  return { entryId: r.id, distance: distance ?? 0, status: r.entry.status, state: r.state };
}

/** The body, or null when it exceeds max bytes (read no further). */
async function readLimited(req: Request, max: number): Promise<Uint8Array | null> {
  const reader = req.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export interface RunningDesk {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

/** Listens on host:port (0: a free port). */
export async function listen(app: Hono<Env>, host: string, port: number): Promise<RunningDesk> {
  let server!: ServerType;
  const info = await new Promise<{ port: number }>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: host, port }, (i) => resolve(i));
    server.once('error', reject);
  });
  return {
    url: `http://${host}:${info.port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { REPORT_LIMITS };
