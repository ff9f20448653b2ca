// Only the desk gets in: no session, the wrong role, a missing or wrong CSRF token, a request from
// another site, and password guessing are all refused; cookies are __Host-, Secure, HttpOnly,
// SameSite=Strict; passwords are argon2id; the first admin must choose a new password; every
// decision is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, ensureFirstAdmin } from '../../../src/desk/server/auth';
import { openPglite, type Db } from '../../../src/desk/server/db';
import { Client, report, startTestDesk, uuid, type TestDesk } from './helpers';

let db: Db;
let desk: TestDesk;
const PW = 'correct horse battery staple';

beforeAll(async () => {
  db = await openPglite(null);
  desk = await startTestDesk(db);
  await createAccount(db, 'rita', PW, 'reviewer');
  await createAccount(db, 'paul', PW, 'publisher');
  await createAccount(db, 'ada', PW, 'admin');
}, 180_000);
afterAll(async () => {
  await desk?.close();
  await db?.close();
});

describe('desk auth', () => {
  it('refuses every API route without a session (401)', async () => {
    const anon = new Client(desk);
    for (const [m, p] of [
      ['GET', '/api/queue'],
      ['GET', '/api/clusters/1'],
      ['GET', '/api/entries'],
      ['POST', '/api/publish'],
      ['POST', '/api/clusters/1/dismiss'],
      ['GET', '/api/audit'],
    ] as const) {
      expect((await anon.call(m, p, m === 'POST' ? {} : undefined)).status, `${m} ${p}`).toBe(401);
    }
    const forged = new Client(desk);
    forged.cookie = '__Host-desk-session=forged-token';
    expect((await forged.call('GET', '/api/queue')).status).toBe(401);
  });

  it('sets a __Host- session cookie that is Secure, HttpOnly and SameSite=Strict', async () => {
    const c = new Client(desk);
    expect((await c.login('rita', PW)).status).toBe(200);
    expect(c.setCookie).toMatch(/^__Host-desk-session=[A-Za-z0-9_-]{43};/);
    for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(c.setCookie).toContain(attr);
    expect(c.setCookie).not.toMatch(/Domain=/i);
    const [h] = await db.query<{ password_hash: string }>(`select password_hash from accounts where username = 'rita'`);
    expect(h!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('refuses the wrong role (403): a reviewer cannot publish, withdraw, mark ready or read the audit log', async () => {
    const rita = new Client(desk);
    await rita.login('rita', PW);
    expect((await rita.call('GET', '/api/queue')).status).toBe(200);
    expect((await rita.call('POST', '/api/publish', {})).status).toBe(403);
    expect((await rita.call('POST', '/api/entries/x/withdraw', {})).status).toBe(403);
    expect((await rita.call('GET', '/api/audit')).status).toBe(403);
    expect((await rita.call('POST', '/api/accounts', { username: 'eve', password: 'a long password 1', role: 'admin' })).status).toBe(403);
    const paul = new Client(desk);
    await paul.login('paul', PW);
    expect((await paul.call('GET', '/api/audit')).status).toBe(403);
  });

  it('refuses a mutating request without the CSRF token, with a wrong one, or from another site (403)', async () => {
    const paul = new Client(desk);
    await paul.login('paul', PW);
    expect((await paul.call('POST', '/api/publish', {}, { csrf: null })).status).toBe(403);
    expect((await paul.call('POST', '/api/publish', {}, { csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await paul.call('POST', '/api/publish', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await new Client(desk).call('POST', '/api/login', { username: 'paul', password: PW }, { origin: 'https://evil.example' })).status).toBe(403);
    const [n] = await db.query<{ n: number }>('select count(*)::int as n from publishes');
    expect(n!.n).toBe(0); // nothing was published by the refused requests
  });

  it('limits password guessing: after 5 failures even the right password is refused (429, Retry-After)', async () => {
    const c = new Client(desk);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await c.login('ada', `guess ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const res = await c.login('ada', PW);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    expect((await c.login('nobody-here', 'x')).status).toBe(401); // an unknown name: the same answer as a wrong password
    const [f] = await db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'login-failed' and username = 'ada'`);
    expect(f!.n).toBe(5);
  });

  it('gives the first admin a one-time password that must be changed before anything else', async () => {
    const fresh = await openPglite(null);
    const d2 = await startTestDesk(fresh);
    try {
      const pw = await ensureFirstAdmin(fresh);
      expect(pw).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await ensureFirstAdmin(fresh)).toBeNull(); // only on the first start
      const a = new Client(d2);
      expect(((await (await a.login('admin', pw!)).json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
      expect((await a.call('GET', '/api/queue')).status).toBe(403);
      expect((await a.call('POST', '/api/password', { current: pw, next: 'short' })).status).toBe(400);
      expect((await a.call('POST', '/api/password', { current: pw, next: 'a new long passphrase' })).status).toBe(200);
      const b = new Client(d2);
      expect((await b.login('admin', pw!)).status).toBe(401); // the one-time password is gone
      await b.login('admin', 'a new long passphrase');
      expect((await b.call('GET', '/api/queue')).status).toBe(200);
      expect((await b.call('POST', '/api/accounts', { username: 'newbie', password: 'another long one', role: 'reviewer' })).status).toBe(201);
    } finally {
      await d2.close();
      await fresh.close();
    }
  });

  it('records decisions in the audit log with who made them', async () => {
    const id = uuid();
    await desk.post('/reports', report({ reportId: id }));
    const [c] = await db.query<{ c: string }>('select cluster_id::text as c from report_clusters where report_id = $1', [id]);
    const rita = new Client(desk);
    await rita.login('rita', PW);
    expect((await rita.call('POST', `/api/clusters/${c!.c}/dismiss`, { note: 'not media' })).status).toBe(200);
    await createAccount(db, 'root2', PW, 'admin');
    const admin = new Client(desk);
    await admin.login('root2', PW);
    const { events } = await admin.json<{ events: { username: string; action: string; target: string; detail: { note?: string } }[] }>('GET', '/api/audit');
    const dismiss = events.find((e) => e.action === 'dismiss');
    expect(dismiss).toMatchObject({ username: 'rita', target: `cluster:${c!.c}`, detail: { note: 'not media' } });
    expect(events.some((e) => e.action === 'login' && e.username === 'rita')).toBe(true);
  });
});
