// The background's bounded fetch against a real local HTTP server that misbehaves: no answer, a
// slow drip, a body cut off, a body over the cap (declared or not), redirects, server errors.
// The timeouts run on a clock the test moves (never wall time): a loaded machine changes nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetError, fetchLimited, postJson, type NetClock } from '../../../src/background/net';

/** A clock that moves only when told to; `armed` counts the timers set so far. */
function manualClock() {
  let now = 0;
  const timers: { due: number; fn: () => void; live: boolean }[] = [];
  const clock = {
    armed: 0,
    after(ms: number, fn: () => void) {
      clock.armed++;
      const t = { due: now + ms, fn, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    advance(ms: number) {
      now += ms;
      for (const t of [...timers].sort((a, b) => a.due - b.due)) {
        if (t.live && t.due <= now) {
          t.live = false;
          t.fn();
        }
      }
    },
    get pending() {
      return timers.filter((t) => t.live).length;
    },
  } satisfies NetClock & Record<string, unknown>;
  return clock;
}
let clock: ReturnType<typeof manualClock>;
/** Requests the server has received, by path. */
const received: string[] = [];

let server: http.Server;
let base = '';
const sockets = new Set<import('node:net').Socket>();
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/ok': (_q, res) => res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end('{"ok":true}'),
  '/hang': () => {}, // accepts, never answers
  '/drip': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write('x'), 50); // a byte every 50 ms, forever
    res.on('close', () => clearInterval(t));
  },
  '/stall': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"partial":'); // then nothing
  },
  '/cut': (req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('x'.repeat(400));
    setTimeout(() => req.socket.destroy(), 20);
  },
  '/big-declared': (_q, res) => res.writeHead(200, { 'content-length': '10000' }).end('x'.repeat(10_000)),
  '/big-chunked': (_q, res) => {
    res.writeHead(200);
    for (let i = 0; i < 10; i++) res.write('x'.repeat(1000));
    res.end();
  },
  '/redirect-away': (_q, res) => res.writeHead(302, { location: 'http://localhost:1/elsewhere' }).end(),
  '/redirect-home': (_q, res) => res.writeHead(302, { location: '/ok' }).end(),
  '/503': (_q, res) => res.writeHead(503).end('busy'),
  // A conditional GET (RFC 9110 §13.1.2): 304 with no ETag of its own when If-None-Match names the current one.
  '/etag': (q, res) => (q.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : res.writeHead(200, { etag: '"v1"' }).end('fresh')),
  '/etag-new': (_q, res) => res.writeHead(304, { etag: '"v2"' }).end(),
  '/exact': (_q, res) => res.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000)),
  '/short': (_q, res) => res.writeHead(200, { 'content-length': '400' }).end('s'.repeat(400)),
  '/untyped': (_q, res) => res.writeHead(200).end('x'),
  // Ten writes far enough apart to reach the reader as separate chunks.
  '/chunks': (_q, res) => {
    res.writeHead(200);
    let i = 0;
    const next = () => (i < 10 ? (res.write(String.fromCharCode(97 + i).repeat(100)), i++, setTimeout(next, 5)) : res.end());
    next();
  },
  '/answer': (_q, res) => res.writeHead(429, { 'retry-after': '120' }).end('y'.repeat(1000)),
  '/answer-huge': (_q, res) => res.writeHead(200).end('z'.repeat(70_000)),
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  clock = manualClock();
  received.length = 0;
});

const here = (u: string) => u.startsWith(base);
const get = (p: string, over: Partial<Parameters<typeof fetchLimited>[1]> = {}) =>
  fetchLimited(`${base}${p}`, { maxBytes: 5000, allowUrl: here, timeoutMs: 3000, idleMs: 1500, clock, ...over });
const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(NetError);
  return (e as NetError).message;
};

describe('fetchLimited', () => {
  it('reads a good answer, with its ETag', async () => {
    const r = await get('/ok');
    expect(r.status).toBe(200);
    if (r.status === 200) expect(new TextDecoder().decode(r.bytes)).toBe('{"ok":true}');
    expect(r.etag).toBe('"v1"');
  });

  it('gives up on a server that never answers (idle timeout)', async () => {
    const r = failure(get('/hang'));
    await vi.waitFor(() => expect(received).toContain('/hang'));
    clock.advance(1499);
    expect(clock.pending, 'not yet: 1 ms short').toBe(2);
    clock.advance(1);
    expect(await r).toMatch(/no answer from/);
  });

  it('gives up on a body that stops coming (idle timeout while reading)', async () => {
    const r = failure(get('/stall'));
    // The idle timer is set again on the answer and on its first bytes: 2 at the start + 2.
    await vi.waitFor(() => expect(clock.armed).toBeGreaterThanOrEqual(4));
    clock.advance(1500);
    expect(await r).toMatch(/stopped sending/);
  });

  it('gives up on a slow drip that would hold the connection forever (total deadline)', async () => {
    const r = failure(get('/drip', { maxBytes: 1_000_000, timeoutMs: 1000 }));
    await vi.waitFor(() => expect(clock.armed).toBeGreaterThanOrEqual(5)); // bytes keep coming: the idle timer keeps being reset
    clock.advance(1000); // before any idle timer is due
    expect(await r).toMatch(/timed out/);
  });

  it('reports a body cut off mid-way', async () => {
    expect(await failure(get('/cut'))).toMatch(/broke after|could not fetch/);
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    expect(await failure(get('/big-declared', { maxBytes: 1000 }))).toMatch(/10000 bytes, more than the limit of 1000/);
    expect(await failure(get('/big-chunked', { maxBytes: 1000 }))).toMatch(/more than the limit of 1000 bytes/);
  });

  it('does not follow a redirect when told not to, and refuses one to another host', async () => {
    expect(await failure(get('/redirect-home', { redirect: 'error' }))).toMatch(/could not fetch/);
    expect(await failure(get('/redirect-away'))).toMatch(/refused a redirect|could not fetch/);
    expect((await get('/redirect-home')).status).toBe(200); // a redirect to an acceptable URL is fine when allowed
  });

  it('reports server errors with their status, and refuses hosts it is not allowed', async () => {
    const e = await get('/503').catch((x: NetError) => x);
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).status).toBe(503);
    expect(await failure(fetchLimited('http://10.0.0.1/x', { maxBytes: 10, allowUrl: here }))).toMatch(/refused/);
  });

  it('clears its timers when done', async () => {
    await get('/ok');
    expect(clock.pending).toBe(0);
  });

  it('asks with If-None-Match; a 304 keeps the ETag asked with when it sends none, and takes its own when it does', async () => {
    expect(await get('/etag', { etag: '"v1"' })).toEqual({ status: 304, etag: '"v1"' });
    expect(await get('/etag-new', { etag: '"v1"' })).toEqual({ status: 304, etag: '"v2"' });
    const fresh = await get('/etag');
    expect(fresh.status === 200 && [new TextDecoder().decode(fresh.bytes), fresh.etag]).toEqual(['fresh', '"v1"']);
  });

  it('a body exactly at the cap is read, declared or streamed; one byte less of cap refuses it', async () => {
    const r = await get('/exact', { maxBytes: 1000 });
    expect(r.status === 200 && r.bytes.length).toBe(1000);
    expect(await failure(get('/exact', { maxBytes: 999 }))).toBe(`${base}/exact is 1000 bytes, more than the limit of 999`);
  });

  it('the content type as sent, or empty when none is', async () => {
    expect((await get('/ok')).status === 200 && ((await get('/ok')) as { contentType: string }).contentType).toBe('application/json');
    expect(((await get('/untyped')) as { contentType: string }).contentType).toBe('');
  });

  it('a body in many chunks comes back whole and in order', async () => {
    const r = await get('/chunks');
    expect(r.status === 200 && new TextDecoder().decode(r.bytes)).toBe('abcdefghij'.split('').map((c) => c.repeat(100)).join(''));
  });

  it('a known size (expectBytes, the cap itself): the whole body, or a shorter one at its own length', async () => {
    const whole = await get('/exact', { maxBytes: 1000, expectBytes: 1000 });
    expect(whole.status === 200 && new TextDecoder().decode(whole.bytes)).toBe('x'.repeat(1000));
    const short = await get('/short', { maxBytes: 1000, expectBytes: 1000 });
    expect(short.status === 200 && [short.bytes.length, new TextDecoder().decode(short.bytes)]).toEqual([400, 's'.repeat(400)]);
  });

  it('an answer with no body stream is capped too', async () => {
    const answer = (n: number) => ({ url: `${base}/nobody`, status: 200, ok: true, headers: new Headers(), body: null, arrayBuffer: async () => new Uint8Array(n).fill(7).buffer });
    vi.stubGlobal('fetch', async () => answer(2000));
    try {
      expect(await failure(get('/nobody', { maxBytes: 1000 }))).toBe(`${base}/nobody is more than the limit of 1000 bytes`);
      const r = await get('/nobody', { maxBytes: 2000 });
      expect(r.status === 200 && [r.bytes.length, r.bytes[1999]]).toEqual([2000, 7]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('says why a fetch failed: a redirect is named as the likely cause only when redirects are refused', async () => {
    const e = await fetchLimited(`${base}/redirect-home`, { maxBytes: 10, allowUrl: here, redirect: 'error', clock }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).name).toBe('NetError');
    expect((e as NetError).message).toMatch(new RegExp(`^could not fetch ${base}/redirect-home \\(a redirect, a network error or an unreachable host\\): `));
    const dead = await failure(fetchLimited('http://127.0.0.1:1/x', { maxBytes: 10, allowUrl: () => true, clock }));
    expect(dead).toMatch(/^could not fetch http:\/\/127\.0\.0\.1:1\/x: /);
    expect(dead).not.toMatch(/a redirect/);
  });

  it('refuses a redirect that ends where it may not fetch, naming both addresses', async () => {
    expect(await failure(get('/redirect-home', { allowUrl: (u) => here(u) && !u.endsWith('/ok') }))).toBe(`refused a redirect from ${base}/redirect-home to ${base}/ok`);
  });
});

describe('postJson', () => {
  it('gives up on a desk that never answers, after its timeout on the given clock', async () => {
    const r = postJson(`${base}/hang`, '{}', { timeoutMs: 20_000, clock }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(received).toContain('/hang'));
    clock.advance(20_000);
    const e = await r;
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).message).toBe(`no answer from ${base}/hang within 20 s`);
  });

  it('gives the status, Retry-After and the first 300 characters of the answer, and clears its timer', async () => {
    expect(await postJson(`${base}/answer`, '{}', { timeoutMs: 20_000, clock })).toEqual({ status: 429, redirected: false, retryAfter: '120', text: 'y'.repeat(300) });
    expect(clock.pending).toBe(0);
  });

  it('an answer over 64 KiB is not read (its status still counts)', async () => {
    expect(await postJson(`${base}/answer-huge`, '{}', { timeoutMs: 20_000, clock })).toEqual({ status: 200, redirected: false, retryAfter: null, text: '' });
  });

  it('a dead network is a NetError naming the address', async () => {
    const e = await postJson('http://127.0.0.1:1/reports', '{}', { timeoutMs: 20_000, clock }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).message).toMatch(/^network error reaching http:\/\/127\.0\.0\.1:1\/reports: /);
  });
});
