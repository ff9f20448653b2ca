import { describe, expect, it } from 'vitest';
import {
  FeedError,
  LIMITS,
  PAYLOAD_TYPES,
  applyDelta,
  buildDelta,
  buildIndex,
  checkIndexAgainstState,
  computeStateHash,
  openEnvelope,
  parseDelta,
  parseIndex,
  parseSnapshot,
  publicKeyFromBase64,
  publicKeyToBase64,
  signEnvelope,
  signFile,
  type FeedEntry,
} from '../../../../src/core/feed';
import { META, NOW, entry, keys, otherKeys, snapshotOf, feedErrorCode } from './fixtures';

const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const open = (bytes: Uint8Array, type: keyof typeof PAYLOAD_TYPES = 'snapshot', pub = keys.publicKey) =>
  openEnvelope(bytes, [pub], PAYLOAD_TYPES[type], LIMITS.maxSnapshotBytes).payload;

const code = feedErrorCode;

describe('signed snapshot', () => {
  it('round-trips: build → sign → open → parse gives the entries back', () => {
    const snap = snapshotOf([entry('b'), entry('a')]);
    const file = signFile('snapshots/1.json', snap, 'snapshot', keys.secretKey);
    const parsed = parseSnapshot(open(file.bytes));
    expect(parsed.entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(parsed.entries[0]).toEqual(entry('a'));
    expect(parsed.stateHash).toBe(computeStateHash([entry('a'), entry('b')]));
    expect(JSON.stringify(parseSnapshot(enc(parsed)))).toBe(JSON.stringify(parsed)); // format(parse(x)) is stable
  });

  it('refuses any change to the payload, a swapped key, or a swapped payload type', () => {
    const file = signFile('s.json', snapshotOf([entry('a')]), 'snapshot', keys.secretKey).bytes;
    const env = JSON.parse(new TextDecoder().decode(file));
    const payload = Buffer.from(env.payload, 'base64');
    for (const at of [0, 10, Math.floor(payload.length / 2), payload.length - 2]) {
      const tampered = Buffer.from(payload);
      tampered[at] = tampered[at]! ^ 1;
      expect(code(() => open(enc({ ...env, payload: tampered.toString('base64') })))).toBe('bad-signature');
    }
    expect(code(() => open(file, 'snapshot', otherKeys.publicKey))).toBe('bad-signature');
    const sig = Buffer.from(env.signatures[0].sig, 'base64');
    sig[5] = sig[5]! ^ 0x80;
    expect(code(() => open(enc({ ...env, signatures: [{ ...env.signatures[0], sig: sig.toString('base64') }] })))).toBe('bad-signature');
    // Signed as a delta, served as a snapshot: the type is signed too, and checked.
    const asDelta = signEnvelope(enc(snapshotOf([entry('a')])), PAYLOAD_TYPES.delta, keys.secretKey);
    expect(code(() => open(asDelta, 'snapshot'))).toBe('wrong-payload-type');
    expect(code(() => open(enc({ ...env, payloadType: PAYLOAD_TYPES.delta }), 'delta'))).toBe('bad-signature');
  });

  it('checks size before anything else, and the envelope shape', () => {
    const big = new Uint8Array(LIMITS.maxIndexBytes + 1);
    expect(code(() => openEnvelope(big, [keys.publicKey], PAYLOAD_TYPES.index, LIMITS.maxIndexBytes))).toBe('too-large');
    expect(code(() => open(new TextEncoder().encode('{"payload":')))).toBe('not-json');
    expect(code(() => open(enc({ payload: 'x' })))).toBe('bad-envelope');
    expect(code(() => open(enc({ payloadType: 'x', payload: '!!', signatures: [] })))).toBe('bad-envelope');
  });

  it('public keys travel as base64 and are checked', () => {
    expect(publicKeyFromBase64(publicKeyToBase64(keys.publicKey))).toEqual(keys.publicKey);
    expect(code(() => publicKeyFromBase64('AAAA'))).toBe('bad-key');
    expect(code(() => publicKeyFromBase64('not base64!'))).toBe('bad-key');
  });
});

describe('schema and limits', () => {
  const good = () => JSON.parse(JSON.stringify(snapshotOf([entry('a'), entry('b')])));
  const parse = (x: unknown) => code(() => parseSnapshot(enc(x)));
  const mutate = (f: (s: ReturnType<typeof good>) => void) => {
    const s = good();
    f(s);
    return parse(s);
  };

  it.each([
    ['truncated JSON', () => code(() => parseSnapshot(enc(good()).subarray(0, 100))), 'not-json'],
    ['wrong type', () => mutate((s) => (s.entries[0].rev = '2')), 'schema @entries.0.rev'],
    ['http fact-check link', () => mutate((s) => (s.entries[1].factCheck.url = 'http://factcheck.example.org/x')), 'schema @entries.1.factCheck.url'],
    ['javascript: link', () => mutate((s) => (s.entries[0].originalContext.links = ['javascript:alert(1)'])), 'schema @entries.0.originalContext.links.0'],
    ['short PDQ hash', () => mutate((s) => (s.entries[0].media[0].hashes[0].value = 'abc')), 'schema @entries.0.media.0.hashes.0'],
    ['quality 101', () => mutate((s) => (s.entries[0].media[0].hashes[0].quality = 101)), 'schema @entries.0.media.0.hashes.0'],
    ['duplicate ids', () => mutate((s) => (s.entries[1].id = 'a')), 'duplicate-id @entries[1].id'],
    ['entry count mismatch', () => mutate((s) => (s.entryCount = 3)), 'schema @entryCount'],
    ['over-long rating', () => mutate((s) => (s.entries[0].verdict.textualRating.en = 'x'.repeat(81))), 'schema @entries.0.verdict.textualRating.en'],
    ['unknown verdict', () => mutate((s) => (s.entries[0].verdict.label = 'fake-news')), 'schema @entries.0.verdict.label'],
    ['expiry before generation', () => mutate((s) => (s.expiresAt = '2020-01-01T00:00:00Z')), 'schema @snapshot.expiresAt'],
    ['format version 2', () => mutate((s) => (s.formatVersion = 2)), 'unsupported-version'],
    ['no media', () => mutate((s) => (s.entries[0].media = [])), 'schema @entries.0.media'],
  ])('refuses %s, naming the field', (_name, run, expected) => {
    expect(run()).toBe(expected);
  });

  it('ignores unknown fields and hash algorithms it does not implement', () => {
    const s = good();
    s.entries[0].futureField = { anything: true };
    s.entries[0].media[0].hashes.push({ alg: 'vpdq', value: 'whatever' });
    const parsed = parseSnapshot(enc(s));
    expect(parsed.entries[0]).not.toHaveProperty('futureField');
    expect(parsed.entries[0]!.media[0]!.hashes.map((h) => h.alg)).toEqual(['pdq']);
  });

  it('allows loopback http only when told (test builds)', () => {
    const s = good();
    s.entries[0].factCheck.url = 'http://127.0.0.1:8080/check';
    expect(code(() => parseSnapshot(enc(s)))).toMatch(/^schema/);
    expect(code(() => parseSnapshot(enc(s), { testHosts: ['127.0.0.1'] }))).toBe('accepted');
  });

  it('caps the number of entries', () => {
    // Empty objects: the count is refused before any entry is validated (an entry would fail at entries.0).
    const s = good() as unknown as { entries: unknown[]; entryCount: number };
    s.entries = Array.from({ length: LIMITS.maxEntries + 1 }, () => ({}));
    s.entryCount = s.entries.length;
    expect(parse(s as never)).toMatch(/^schema @entries$/);
  });
});

describe('sync decisions', () => {
  const snapFile = signFile('snapshots/5.json', snapshotOf([entry('a')], 5), 'snapshot', keys.secretKey);
  const deltaFile = (from: number) => ({ fromSeq: from, toSeq: from + 1, file: { path: `deltas/${from}.json`, bytes: new Uint8Array(10) } });
  const index = (seq: number, deltas: number[] = [], now = NOW) =>
    parseIndex(enc(buildIndex(META, { seq, epoch: 1, file: { ...snapFile } }, deltas.map(deltaFile), now)));
  const held = (seq: number | null) => ({ feedId: META.id, epoch: 1, seq });

  it('takes the snapshot first, then nothing, the delta chain, or the snapshot when the chain has a gap', () => {
    expect(checkIndexAgainstState(index(5), null, NOW)).toBe('snapshot');
    expect(checkIndexAgainstState(index(5), held(5), NOW)).toBe('unchanged');
    const plan = checkIndexAgainstState(index(7, [5, 6]), held(5), NOW);
    expect(plan).toEqual({ deltas: [expect.objectContaining({ fromSeq: 5, toSeq: 6 }), expect.objectContaining({ fromSeq: 6, toSeq: 7 })] });
    expect(checkIndexAgainstState(index(7, [6]), held(5), NOW)).toBe('snapshot');
  });

  it('refuses rollback, another feed, another epoch, a huge jump, and an expired index', () => {
    expect(code(() => checkIndexAgainstState(index(4), held(5), NOW))).toBe('rollback');
    expect(code(() => checkIndexAgainstState(index(6), { ...held(5), feedId: 'https://other.example/feed' }, NOW))).toBe('wrong-feed');
    expect(code(() => checkIndexAgainstState(index(6), { ...held(5), epoch: 2 }, NOW))).toBe('epoch');
    expect(code(() => checkIndexAgainstState(index(5 + LIMITS.maxSeqJump + 1), held(5), NOW))).toBe('fast-forward');
    expect(code(() => checkIndexAgainstState(index(6), held(5), new Date(NOW.getTime() + 3 * 86_400_000)))).toBe('expired');
  });

  it('applies a delta to a copy: removals, then upserts with growing revs, checked by the state hash', () => {
    const before = [entry('a'), entry('b'), entry('c')];
    const after = [entry('a'), entry('b', 2), entry('d')];
    const delta = parseDelta(enc(buildDelta(META.id, before, after, 5, 1, NOW)));
    expect(delta.remove).toEqual([{ id: 'c', rev: 1 }]);
    expect(delta.upsert.map((e) => `${e.id}@${e.rev}`)).toEqual(['b@2', 'd@1']);
    const current = new Map(before.map((e): [string, FeedEntry] => [e.id, e]));
    const next = applyDelta(current, delta);
    expect([...next.keys()].sort()).toEqual(['a', 'b', 'd']);
    expect(next.get('b')!.rev).toBe(2);
    expect(current.size).toBe(3); // the input is untouched
    expect(current.get('b')!.rev).toBe(1);
    // Against the wrong base: the state hash does not match.
    expect(code(() => applyDelta(new Map([...current, ['z', entry('z')]]), delta))).toBe('state-hash');
    // A rev that does not grow.
    const stale = { ...delta, upsert: [entry('b', 1)] };
    expect(code(() => applyDelta(current, stale))).toBe('stale-rev @upsert[0].rev');
  });

  it('a delta must go from one sequence to the next', () => {
    const d = buildDelta(META.id, [], [entry('a')], 5, 1, NOW);
    expect(code(() => parseDelta(enc({ ...d, toSeq: 7 })))).toBe('delta-gap @toSeq');
  });
});

describe('fuzz: random mutations of a valid signed snapshot', () => {
  // Not in the feed mutation parts' runs (AD_FEED_QUICK=1, TESTING.md fifth session): 6 s a run
  // uninstrumented, repeated for every surviving schema mutant, and it asks only "a FeedError".
  it.skipIf(process.env.AD_FEED_QUICK === '1')('each is accepted as valid or refused with a FeedError, never another exception', () => {
    const seed = Number(process.env.FEED_FUZZ_SEED ?? 7);
    let a = seed;
    const rand = () => {
      a = (a * 1103515245 + 12345) >>> 0;
      return a / 2 ** 32;
    };
    console.log(`feed fuzz seed ${seed} (FEED_FUZZ_SEED to change)`);
    const good = signFile('s.json', snapshotOf([entry('a'), entry('b', 3)]), 'snapshot', keys.secretKey).bytes;
    const payload = open(good);
    const outcomes = new Map<string, number>();
    const tally = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    for (let i = 0; i < 600; i++) {
      const kind = i % 4;
      let bytes: Uint8Array;
      let signed = true;
      if (kind === 0) {
        // bytes of the envelope flipped or cut
        bytes = good.slice(0, rand() < 0.3 ? Math.floor(rand() * good.length) : good.length);
        for (let k = 0; k < 1 + rand() * 4; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        signed = false;
      } else {
        // JSON-level changes to the payload, re-signed (a signed feed can still be wrong)
        const obj = JSON.parse(new TextDecoder().decode(payload));
        const e = obj.entries[Math.floor(rand() * obj.entries.length)];
        const choices = [
          () => delete e.factCheck,
          () => (e.media[0].hashes[0].value = rand() < 0.5 ? 'zz' : 12),
          () => (e.claim.text = { en: 'x'.repeat(Math.floor(rand() * 2000)) }),
          () => (e.id = rand() < 0.5 ? 'UPPER' : null),
          () => (obj.entries = rand() < 0.5 ? {} : [e, e]),
          () => (e.verdict.textualRating = []),
          () => (obj.stateHash = 'sha256:' + '0'.repeat(64)),
          () => (e.media[0].frames.items[0].t = -1),
          () => (obj.feed = null),
          () => (e.factCheck.url = 'data:text/html,<script>alert(1)</script>'),
        ];
        choices[Math.floor(rand() * choices.length)]!();
        bytes = signEnvelope(enc(obj), PAYLOAD_TYPES.snapshot, keys.secretKey);
      }
      try {
        parseSnapshot(open(bytes));
        tally('accepted');
      } catch (err) {
        if (!(err instanceof FeedError)) throw new Error(`mutation ${i} (seed ${seed}) threw ${String(err)}`);
        tally(err.code);
      }
      void signed;
    }
    console.log('fuzz outcomes:', Object.fromEntries(outcomes));
    const refused = 600 - (outcomes.get('accepted') ?? 0);
    expect(refused).toBeGreaterThan(300);
    expect(outcomes.get('schema') ?? 0).toBeGreaterThan(50);
  });
});
