/**
 * Starting a desk: the database (PGlite under DATA/db, or DATABASE_URL), the feed key (DATA/feed-key.secret,
 * made on first start, readable by its owner only, never served), the feed's description (kept in
 * the database's settings), the feed folder (DATA/feed, with an empty first sequence so readers can
 * subscribe at once), the first admin, and the HTTP server.
 */
import fs from 'node:fs';
import { Hono } from 'hono';
import path from 'node:path';
import { fromBase64, generateKeyPair, publicKeyFromSecret, publicKeyToBase64, toBase64, type FeedMeta } from '../../core/feed';
import { ensureFirstAdmin } from './auth';
import { openDb, type Db } from './db';
import { publishFeed } from './feed';
import { createDesk, listen, type IntakeLimits, type PictureHasher, type RunningDesk } from './server';

export interface StartOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  host: string;
  port: number;
  /** Where readers reach this desk (its feed at /feed/, reports at /reports); default http://host:port. */
  publicUrl?: string | undefined;
  keyFile?: string | undefined;
  feed?: Partial<Pick<FeedMeta, 'id' | 'name' | 'publisher' | 'reportEndpoint' | 'defaultLanguage'>>;
  appDir: string | null;
  testHosts?: readonly string[];
  limits?: Partial<IntakeLimits>;
  log?: (line: string) => void;
  now?: () => Date;
  /** The publisher's hashes of a picture's bytes (re-share variants included): see DeskOptions. */
  pictureHashes?: PictureHasher;
  /** Reverse proxies whose X-Forwarded-For is believed: see DeskOptions. */
  trustProxy?: readonly string[];
}

export interface StartedDesk extends RunningDesk {
  db: Db;
  publicKey: string;
  /** The first admin's one-time password, on the first start only. */
  adminPassword: string | null;
  feedUrl: string;
}

function loadKey(file: string): Uint8Array {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${toBase64(generateKeyPair().secretKey)}\n`, { mode: 0o600 });
  }
  const key = fromBase64(fs.readFileSync(file, 'utf8').trim());
  if (key.length !== 32) throw new Error(`${file} does not hold an Ed25519 secret key (base64, 32 bytes)`);
  return key;
}

export async function startDesk(o: StartOptions): Promise<StartedDesk> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const secretKey = loadKey(o.keyFile ?? path.join(o.dataDir, 'feed-key.secret'));
  const db = await openDb({ dataDir: path.join(o.dataDir, 'db'), databaseUrl: o.databaseUrl });
  try {
    // The port may be 0 (any free one): listen first (answering 503 until ready), then the URLs are known.
    const holder: { app: Awaited<ReturnType<typeof createDesk>>['app'] | null } = { app: null };
    const shell = new Hono();
    shell.all('*', (c) => (holder.app ? holder.app.fetch(c.req.raw, c.env) : c.text('starting', 503)));
    const running = await listen(shell as never, o.host, o.port);
    const base = (o.publicUrl ?? running.url).replace(/\/$/, '');
    const [saved] = await db.query<{ value: FeedMeta | string }>(`select value from settings where key = 'feed'`);
    const held = saved ? ((typeof saved.value === 'string' ? JSON.parse(saved.value) : saved.value) as FeedMeta) : null;
    const meta: FeedMeta = {
      id: o.feed?.id ?? held?.id ?? `${base}/feed/`,
      name: o.feed?.name ?? held?.name ?? { en: 'Fact-checks' },
      publisher: o.feed?.publisher ?? held?.publisher ?? { name: 'Fact-checking desk' },
      reportEndpoint: o.feed?.reportEndpoint ?? held?.reportEndpoint ?? `${base}/reports`,
      ...((o.feed?.defaultLanguage ?? held?.defaultLanguage) ? { defaultLanguage: (o.feed?.defaultLanguage ?? held?.defaultLanguage)! } : {}),
    };
    await db.query(`insert into settings (key, value) values ('feed', $1) on conflict (key) do update set value = excluded.value`, [JSON.stringify(meta)]);
    const feed = { meta, dir: path.join(o.dataDir, 'feed'), secretKey, testHosts: o.testHosts ?? [] };
    if (!fs.existsSync(path.join(feed.dir, 'index.json'))) publishFeed(feed, [], (o.now ?? (() => new Date()))());
    const desk = await createDesk({ db, feed, appDir: o.appDir, testHosts: o.testHosts ?? [], limits: o.limits, log: o.log, now: o.now, ...(o.pictureHashes ? { pictureHashes: o.pictureHashes } : {}), ...(o.trustProxy ? { trustProxy: o.trustProxy } : {}) });
    holder.app = desk.app;
    const adminPassword = await ensureFirstAdmin(db);
    return {
      ...running,
      db,
      publicKey: publicKeyToBase64(publicKeyFromSecret(secretKey)),
      adminPassword,
      feedUrl: `${base}/feed/index.json`,
      close: async () => {
        await running.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
