/**
 * The desk's schema, as numbered migrations (./db.ts applies them). Never edit a released step:
 * add the next one. One SQL dialect for PGlite and a Postgres server (15 and later).
 */
export interface Migration {
  version: number;
  name: string;
  sql: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'reports and clusters',
    sql: [
      `create table reports (
        id uuid primary key,
        kind text not null check (kind in ('tip', 'wrong-match')),
        reason text not null,
        created_at timestamptz not null,
        received_at timestamptz not null,
        post_url text not null,
        post_id text not null,
        author text not null,
        sha256 text not null,
        body jsonb not null
      )`,
      `create index reports_received on reports (received_at)`,
      `create table clusters (
        id bigserial primary key,
        key text unique,
        pdq text,
        state text not null default 'open' check (state in ('open', 'dismissed', 'covered', 'drafted')),
        covered_by text,
        report_count int not null default 0,
        first_at timestamptz not null,
        last_at timestamptz not null,
        thumb_url text
      )`,
      `create index clusters_queue on clusters (state, report_count desc, last_at desc)`,
      `create table report_media (
        report_id uuid not null references reports (id) on delete cascade,
        idx int not null,
        url text not null,
        type text not null,
        pdq text,
        quality int,
        cluster_id bigint references clusters (id),
        primary key (report_id, idx)
      )`,
      `create index report_media_cluster on report_media (cluster_id)`,
      `create table report_clusters (
        report_id uuid not null references reports (id) on delete cascade,
        cluster_id bigint not null references clusters (id),
        primary key (cluster_id, report_id)
      )`,
    ],
  },
  {
    version: 2,
    name: 'accounts, sessions, audit log',
    sql: [
      `create table accounts (
        id bigserial primary key,
        username text not null unique,
        password_hash text not null,
        role text not null check (role in ('reviewer', 'publisher', 'admin')),
        must_change_password boolean not null default false,
        disabled boolean not null default false,
        created_at timestamptz not null default now()
      )`,
      `create table sessions (
        token_hash text primary key,
        account_id bigint not null references accounts (id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null
      )`,
      `create table audit_log (
        id bigserial primary key,
        at timestamptz not null,
        account_id bigint references accounts (id),
        username text not null,
        action text not null,
        target text,
        detail jsonb not null default '{}'::jsonb
      )`,
    ],
  },
  {
    version: 3,
    name: 'entries, publishes, settings',
    sql: [
      `create table entries (
        id text primary key,
        state text not null default 'draft' check (state in ('draft', 'ready', 'published')),
        record jsonb not null,
        entry jsonb not null,
        cluster_id bigint references clusters (id),
        published_rev int,
        updated_at timestamptz not null,
        updated_by text not null
      )`,
      `create table publishes (
        seq int primary key,
        at timestamptz not null,
        username text not null,
        entry_count int not null,
        changed int not null
      )`,
      `create table settings (key text primary key, value jsonb not null)`,
    ],
  },
];
