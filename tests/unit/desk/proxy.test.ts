// Behind a reverse proxy (--trust-proxy), the desk's per-address limit counts readers by the
// address the proxy saw (the right-most X-Forwarded-For hop that is not a named proxy); a header a
// client writes itself cannot buy it a fresh budget, and without --trust-proxy the header is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Db } from '../../../src/desk/server/db';
import { report, startTestDesk, uuid, type TestDesk } from './helpers';

let db: Db;
let behindProxy: TestDesk;
let direct: TestDesk;
beforeAll(async () => {
  db = await openPglite(null);
  behindProxy = await startTestDesk(db, { trustProxy: ['loopback'], limits: { perAddressPerMinute: 2, perHour: 1000 } });
  direct = await startTestDesk(db, { limits: { perAddressPerMinute: 2, perHour: 1000 } });
}, 180_000);
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
  await db?.close();
});

const send = async (desk: TestDesk, forwardedFor: string) => (await desk.post('/reports', report({ reportId: uuid() }), { 'x-forwarded-for': forwardedFor })).status;

describe('the client address behind a trusted proxy', () => {
  it('counts each reader the proxy names on its own; a forged left-most hop changes nothing', async () => {
    expect([await send(behindProxy, '203.0.113.1'), await send(behindProxy, '203.0.113.1'), await send(behindProxy, '203.0.113.1')]).toEqual([201, 201, 429]);
    expect(await send(behindProxy, '203.0.113.2')).toBe(201);
    // The reader at .1 prepends an address of its choice; the proxy appends the one it saw.
    expect(await send(behindProxy, '198.51.100.7, 203.0.113.1')).toBe(429);
  });

  it('ignores X-Forwarded-For when no proxy is named: every request is the socket’s address', async () => {
    expect([await send(direct, '203.0.113.1'), await send(direct, '203.0.113.2'), await send(direct, '203.0.113.3')]).toEqual([201, 201, 429]);
  });
});
