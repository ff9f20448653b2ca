/**
 * Who gets into the desk: accounts with a role, argon2id password hashes (@node-rs/argon2, OWASP's
 * parameters: 19 MiB, 2 passes), sessions as random tokens in a Secure HttpOnly SameSite=Strict
 * cookie (only their SHA-256 is stored), a CSRF token per session that every mutating request
 * must echo in a header, failed logins limited per address and per account (rate-limiter-flexible),
 * and the audit log.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ROLE_RANK, type DeskRole, type SessionInfo } from '../../shared/desk-api';
import type { Db, Queryable } from './db';

/** Sent as `__Host-desk-session` (the prefix binds it to this host, Secure, Path=/). */
export const SESSION_COOKIE = 'desk-session';
export const SESSION_HOURS = 12;
/** Algorithm.Argon2id (a const enum the module cannot export under verbatimModuleSyntax). */
const ARGON2ID = 2 as Algorithm;
const ARGON = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Verified when the user name is unknown, so that an unknown name costs the same time. */
let dummyHash: Promise<string> | null = null;

export const hashPassword = (password: string) => hash(password, ARGON);

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Session extends SessionInfo {
  accountId: number;
}

export async function createAccount(db: Queryable, username: string, password: string, role: DeskRole, mustChange = false): Promise<number> {
  const [r] = await db.query<{ id: string | number }>(
    'insert into accounts (username, password_hash, role, must_change_password) values ($1, $2, $3, $4) returning id',
    [username.toLowerCase(), await hashPassword(password), role, mustChange],
  );
  return Number(r!.id);
}

/** On a desk without accounts: an `admin` with a one-time password, to be changed at first login. */
export async function ensureFirstAdmin(db: Db): Promise<string | null> {
  const [n] = await db.query<{ n: number }>('select count(*)::int as n from accounts');
  if (n!.n > 0) return null;
  const password = randomToken(18);
  await createAccount(db, 'admin', password, 'admin', true);
  return password;
}

export async function audit(db: Queryable, who: { accountId: number | null; username: string }, action: string, target: string | null, detail: object, now: Date): Promise<void> {
  await db.query('insert into audit_log (at, account_id, username, action, target, detail) values ($1, $2, $3, $4, $5, $6)', [
    now.toISOString(),
    who.accountId,
    who.username,
    action,
    target,
    JSON.stringify(detail),
  ]);
}

export type LoginResult = { ok: true; token: string; session: Session } | { ok: false; status: 401 | 429; retryAfter?: number };

export class Auth {
  /** Failed logins per address and account name: 5 per 15 minutes. */
  private readonly perAccount = new RateLimiterMemory({ points: 5, duration: 15 * 60 });
  /** Failed logins per address, whatever the name: 30 per hour. */
  private readonly perAddress = new RateLimiterMemory({ points: 30, duration: 3600 });

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const name = username.toLowerCase();
    const key = `${address}|${name}`;
    const [a, b] = await Promise.all([this.perAccount.get(key), this.perAddress.get(address)]);
    const blocked = (a && a.consumedPoints >= 5 ? a : null) ?? (b && b.consumedPoints >= 30 ? b : null);
    if (blocked) return { ok: false, status: 429, retryAfter: Math.ceil(blocked.msBeforeNext / 1000) };
    const [acc] = await this.db.query<{ id: string | number; password_hash: string; role: DeskRole; must_change_password: boolean; disabled: boolean }>(
      'select id, password_hash, role, must_change_password, disabled from accounts where username = $1',
      [name],
    );
    dummyHash ??= hashPassword(randomToken());
    const good = acc ? await verify(acc.password_hash, password).catch(() => false) : (await verify(await dummyHash, password).catch(() => false)) && false;
    if (!acc || !good || acc.disabled) {
      await Promise.all([this.perAccount.penalty(key, 1), this.perAddress.penalty(address, 1)]);
      await audit(this.db, { accountId: acc ? Number(acc.id) : null, username: name }, 'login-failed', null, { address }, this.now());
      return { ok: false, status: 401 };
    }
    await this.perAccount.delete(key);
    const token = randomToken();
    const csrf = randomToken();
    const now = this.now();
    await this.db.query('insert into sessions (token_hash, account_id, csrf_token, created_at, expires_at) values ($1, $2, $3, $4, $5)', [
      sha256(token),
      acc.id,
      csrf,
      now.toISOString(),
      new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    ]);
    await audit(this.db, { accountId: Number(acc.id), username: name }, 'login', null, { address }, now);
    return { ok: true, token, session: { accountId: Number(acc.id), username: name, role: acc.role, csrf, mustChangePassword: acc.must_change_password } };
  }

  async session(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const [s] = await this.db.query<{ account_id: string | number; username: string; role: DeskRole; csrf_token: string; must_change_password: boolean; expires_at: Date | string; disabled: boolean }>(
      `select s.account_id, a.username, a.role, s.csrf_token, a.must_change_password, s.expires_at, a.disabled
       from sessions s join accounts a on a.id = s.account_id where s.token_hash = $1`,
      [sha256(token)],
    );
    if (!s || s.disabled || new Date(s.expires_at).getTime() <= this.now().getTime()) return null;
    return { accountId: Number(s.account_id), username: s.username, role: s.role, csrf: s.csrf_token, mustChangePassword: s.must_change_password };
  }

  async logout(token: string): Promise<void> {
    await this.db.query('delete from sessions where token_hash = $1', [sha256(token)]);
  }

  async changePassword(session: Session, current: string, next: string): Promise<boolean> {
    const [acc] = await this.db.query<{ password_hash: string }>('select password_hash from accounts where id = $1', [session.accountId]);
    if (!acc || !(await verify(acc.password_hash, current).catch(() => false))) return false;
    await this.db.query('update accounts set password_hash = $2, must_change_password = false where id = $1', [session.accountId, await hashPassword(next)]);
    await audit(this.db, session, 'password-changed', session.username, {}, this.now());
    return true;
  }
}

export function allows(role: DeskRole, needed: DeskRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}
