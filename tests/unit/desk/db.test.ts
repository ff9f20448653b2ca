// The desk's migrations on both databases it runs on: embedded PGlite and a real Postgres 15 server
// (started here with initdb/pg_ctl). From empty to the latest, step by step with data kept, twice
// (idempotent), and refusing a database newer than the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, openPostgres, schemaVersion, type Db } from '../../../src/desk/server/db';
import { MIGRATIONS } from '../../../src/desk/server/migrations';
import { startPgServer, type PgServer } from './pg-server';

const LATEST = MIGRATIONS.at(-1)!.version;

async function checkMigrations(db: Db) {
  expect(await schemaVersion(db)).toBe(0);
  expect(await migrate(db, MIGRATIONS, 1)).toEqual([1]);
  // Data written at version 1 survives the later steps.
  await db.query(`insert into reports (id, kind, reason, created_at, received_at, post_url, post_id, author, sha256, body)
    values ('86bed75f-8c04-4eda-bd18-df5918aee668', 'tip', 'other', now(), now(), 'https://x.com/a/status/1', '1', 'a', 'x', '{}')`);
  expect(await migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
  expect(await schemaVersion(db)).toBe(LATEST);
  expect(await migrate(db)).toEqual([]); // nothing left to do
  const [r] = await db.query<{ n: number }>('select count(*)::int as n from reports');
  expect(r!.n).toBe(1);
  const tables = await db.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`);
  expect(tables.map((t) => t.t)).toEqual(['accounts', 'audit_log', 'clusters', 'entries', 'publishes', 'report_clusters', 'report_media', 'reports', 'schema_migrations', 'sessions', 'settings']);
  // A database from a newer desk is refused rather than half-used.
  await db.query(`insert into schema_migrations (version, name) values ($1, 'from the future')`, [LATEST + 1]);
  await expect(migrate(db)).rejects.toThrow(/newer than this desk/);
}

describe('migrations on PGlite', () => {
  it('go from empty to the latest, keep data, and refuse a newer database', async () => {
    const db = await openPglite(null);
    try {
      await checkMigrations(db);
    } finally {
      await db.close();
    }
  });
});

describe('migrations on a Postgres server', () => {
  let server: PgServer | { skip: string };
  beforeAll(async () => {
    server = await startPgServer();
    if ('skip' in server) console.warn(`skipped: ${server.skip}`);
  }, 120_000);
  afterAll(() => {
    if (server && 'stop' in server) server.stop();
  });
  it('go from empty to the latest, keep data, and refuse a newer database', async (ctx) => {
    if ('skip' in server) return ctx.skip();
    const db = await openPostgres(server.url);
    try {
      await checkMigrations(db);
    } finally {
      await db.close();
    }
  });
});
