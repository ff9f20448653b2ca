/**
 * The desk's database: embedded Postgres (PGlite, files under --data) by default, a Postgres server
 * when DATABASE_URL is set. One interface, the same SQL (Postgres 15 dialect, $1 parameters), the
 * same numbered migrations (./migrations.ts), applied in order under an advisory lock, each in its
 * own transaction, recorded in schema_migrations.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS, type Migration } from './migrations';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Embedded Postgres in this process; `dir` null keeps it in memory (tests). */
export async function openPglite(dir: string | null): Promise<Db> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const pg = dir ? await PGlite.create(dir) : await PGlite.create();
  const q: Queryable = {
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await pg.query<T>(sql, params as unknown[])).rows;
    },
  };
  return {
    kind: 'pglite',
    query: q.query,
    transaction: (fn) =>
      pg.transaction(async (tx) =>
        fn({
          async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<T>(sql, params as unknown[])).rows;
          },
        }),
      ),
    close: () => pg.close(),
  };
}

/** A Postgres server (DATABASE_URL): a small connection pool. */
export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined); // an idle client's error surfaces on the next query instead
  await pool.query('select 1'); // fail at start, not at the first report
  return {
    kind: 'postgres',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, params as unknown[])).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn({ query: async <T extends Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[] });
        await client.query('commit');
        return out;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export async function openDb(opts: { dataDir: string | null; databaseUrl?: string | undefined }): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/** The schema version the database is at (0: empty). */
export async function schemaVersion(db: Queryable): Promise<number> {
  const [t] = await db.query<{ exists: boolean }>(`select to_regclass('schema_migrations') is not null as exists`);
  if (!t?.exists) return 0;
  const [r] = await db.query<{ v: number | null }>('select max(version)::int as v from schema_migrations');
  return r?.v ?? 0;
}

/** Applies the migrations the database lacks, in order; refuses a database newer than this code. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo = Infinity): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7365286)'); // two desks starting at once migrate one after the other
    await tx.query('create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())');
  });
  const known = Math.max(0, ...migrations.map((m) => m.version));
  for (const m of migrations) {
    if (m.version > upTo) break;
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(7365286)');
      const [have] = await tx.query<{ n: number }>('select count(*)::int as n from schema_migrations where version = $1', [m.version]);
      if (have?.n) return false;
      for (const statement of m.sql) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  const at = await schemaVersion(db);
  if (at > known) throw new Error(`the database is at schema version ${at}, newer than this desk (${known}): upgrade the desk`);
  return applied;
}
