// The background's bounded fetch against a real local HTTP server that misbehaves: no answer, a
// slow drip, a body cut off, a body over the cap (declared or not), redirects, server errors.
// (Clocks here are the test build's, 10x faster than in store builds.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetError, fetchLimited } from '../../../src/background/net';

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
};

beforeAll(async () => {
  server = http.createServer((req, res) => (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const here = (u: string) => u.startsWith(base);
const get = (p: string, over: Partial<Parameters<typeof fetchLimited>[1]> = {}) =>
  fetchLimited(`${base}${p}`, { maxBytes: 5000, allowUrl: here, timeoutMs: 3000, idleMs: 1500, ...over });
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
    expect(await failure(get('/hang'))).toMatch(/no answer from/);
  });

  it('gives up on a body that stops coming (idle timeout while reading)', async () => {
    expect(await failure(get('/stall'))).toMatch(/stopped sending/);
  });

  it('gives up on a slow drip that would hold the connection forever (total deadline)', async () => {
    expect(await failure(get('/drip', { maxBytes: 1_000_000 }))).toMatch(/timed out/);
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
});
