// The same feed synced in its JSON form and in its binary form gives the same matches through the
// extension's own matcher (fake-indexeddb). Expected matches come from the rule's definition
// (Meta's PDQ reference: a match is a distance ≤ 31 between hashes of quality ≥ 50), not from the code.
import 'fake-indexeddb/auto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { storage: { local: { get: async () => ({}), set: async () => undefined } } } }));

import { openDatabase } from '../../../src/background/db';
import { invalidateMatcher, matchHashes } from '../../../src/background/matcher';
import { syncFeed } from '../../../src/background/sync';
import { hashFromHex, type Hash256 } from '../../../src/core/hash256';
import { defaultSettings } from '../../../src/shared/settings';
import { NOW, entry } from '../core/feed/fixtures';
import { feedServer, sub } from './feed-server';

const hashOf = (name: string) => bytesToHex(sha256(new TextEncoder().encode(name)));
function flipped(hex: string, k: number): Hash256 {
  const h = hashFromHex(hex);
  for (let i = 0; i < k; i++) h[i >> 4]! ^= 1 << (i & 15);
  return h;
}
const query = (hex: string, k: number): Hash256[] => [flipped(hex, k), ...Array.from({ length: 7 }, () => flipped(hex, 256))];
const settings = { ...defaultSettings([sub]), matchStrictness: 'standard' as const };
const NAMES = ['a', 'b', 'c', 'd'];
const DISTANCES = [0, 12, 31, 32, 60];

afterEach(() => vi.unstubAllGlobals());

async function matchesAfterSync(binary: boolean): Promise<string[]> {
  const db = await openDatabase();
  const tx = db.transaction(['feeds', 'entries', 'matchIndex'], 'readwrite');
  await Promise.all([tx.objectStore('feeds').clear(), tx.objectStore('entries').clear(), tx.objectStore('matchIndex').clear(), tx.done]);
  invalidateMatcher();
  const server = feedServer({ binary });
  vi.stubGlobal('fetch', server.fetch);
  server.publish(NAMES.map((n) => entry(n, 1, hashOf(n))));
  expect((await syncFeed(sub, { db, now: () => NOW, testHosts: [], random: () => 0.5 })).outcome).toBe('updated');
  expect(server.fetch.mock.calls.map((c) => String(c[0])).some((u) => u.endsWith('.adfb'))).toBe(binary);
  const out: string[] = [];
  for (const n of NAMES) for (const k of DISTANCES) out.push(`${n}@${k}: ${(await matchHashes(query(hashOf(n), k), 100, settings, ['en'])).map((m) => m.entryId).join(',')}`);
  return out;
}

describe('JSON and binary forms of a feed', () => {
  it('give the same matches through the matcher, those the rule defines (distance ≤ 31)', async () => {
    const fromJson = await matchesAfterSync(false);
    const fromBinary = await matchesAfterSync(true);
    expect(fromBinary).toEqual(fromJson);
    expect(fromJson).toEqual(NAMES.flatMap((n) => DISTANCES.map((k) => `${n}@${k}: ${k <= 31 ? n : ''}`)));
  });
});
