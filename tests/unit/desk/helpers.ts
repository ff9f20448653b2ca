// A desk on a given database, listening on a random loopback port, with a fixed clock, and a small
// HTTP client that keeps its session cookie and CSRF token like the web app does.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../../src/core/feed';
import { migrate, type Db } from '../../../src/desk/server/db';
import { publishFeed, type FeedConfig } from '../../../src/desk/server/feed';
import { createDesk, listen, type DeskOptions, type RunningDesk } from '../../../src/desk/server/server';

export const NOW = new Date('2026-12-01T20:00:00.000Z');

/** A report exactly as docs/report-format.md shows it (with a full hash), changed by `over`. */
export function report(over: Record<string, unknown> = {}, media: Record<string, unknown>[] | null = null): Record<string, unknown> {
  return {
    format: 'already-debunked/report',
    formatVersion: 1,
    reportId: '86bed75f-8c04-4eda-bd18-df5918aee668',
    kind: 'tip',
    createdAt: '2026-12-01T19:24:31.000Z',
    client: { name: 'already-debunked', version: '0.1.0', locale: 'fr' },
    recipient: { endpoint: 'https://feeds.example.org/checks/reports', feedUrl: 'https://feeds.example.org/checks/v1/index.json', feedId: 'https://feeds.example.org/checks/v1' },
    post: { url: 'https://x.com/newsdesk_fx/status/1861000000000000001', postId: '1861000000000000001', author: 'newsdesk_fx', text: 'Kim arrives in Moscow today for talks with Putin. Historic scenes.', lang: 'en' },
    media: media ?? [
      { type: 'video', url: 'https://pbs.twimg.com/amplify_video_thumb/1861000000000000101/img/KimMoscowClip.jpg', quoted: false, pdq: { value: '378c57bbd7100e71f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d', quality: 100 } },
    ],
    match: null,
    reason: 'recycled-out-of-context',
    note: 'Same clip as the 2019 summit.',
    contact: null,
    ...over,
  };
}

/** A fresh UUID v4 for each report of a test. */
export const uuid = (): string => randomUUID();

export interface TestDesk extends RunningDesk {
  feed: FeedConfig;
  responses: string[];
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function startTestDesk(db: Db, opts: Partial<DeskOptions> = {}): Promise<TestDesk> {
  await migrate(db);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-desk-feed-'));
  const feed: FeedConfig = {
    meta: { id: 'https://desk.example.org/feed/', name: { en: 'Desk checks' }, publisher: { name: 'Desk Checks', url: 'https://desk.example.org/' }, reportEndpoint: 'https://desk.example.org/reports' },
    dir,
    secretKey: generateKeyPair().secretKey,
    testHosts: [],
  };
  publishFeed(feed, [], NOW);
  const desk = await createDesk({ db, feed, appDir: null, now: () => NOW, ...opts });
  const running = await listen(desk.app, '127.0.0.1', 0);
  const responses: string[] = [];
  return {
    ...running,
    feed,
    responses,
    async post(pathname, body, headers = {}) {
      const res = await fetch(`${running.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      responses.push(await res.clone().text());
      return res;
    },
  };
}

/** A logged-in user of a desk: cookie and CSRF token kept, every answer's text recorded. */
export class Client {
  cookie = '';
  csrf = '';
  setCookie = '';
  constructor(
    readonly desk: TestDesk,
    readonly origin: string | null = null,
  ) {}

  async login(username: string, password: string): Promise<Response> {
    const res = await this.call('POST', '/api/login', { username, password });
    if (res.ok) {
      this.setCookie = res.headers.get('set-cookie') ?? '';
      this.cookie = this.setCookie.split(';')[0]!;
      this.csrf = ((await res.clone().json()) as { csrf: string }).csrf;
    }
    return res;
  }

  async call(method: string, pathname: string, body?: unknown, opts: { csrf?: string | null; origin?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (opts.origin ?? this.origin) headers.origin = (opts.origin ?? this.origin)!;
    const res = await fetch(`${this.desk.url}${pathname}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    this.desk.responses.push(await res.clone().text());
    return res;
  }

  async json<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown): Promise<T> {
    const res = await this.call(method, pathname, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
