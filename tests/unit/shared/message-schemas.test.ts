import { describe, expect, it } from 'vitest';
import { parseMessage, requestSchemas } from '../../../src/shared/message-schemas';
import { senderKindOf, type MessageType } from '../../../src/shared/messages';

describe('parseMessage', () => {
  it('accepts each declared message with a valid payload', () => {
    expect(parseMessage({ type: 'cs/hello', payload: { protocol: 1, page: 'https://x.com/home' } })).toEqual({
      ok: true,
      type: 'cs/hello',
      payload: { protocol: 1, page: 'https://x.com/home' },
    });
    expect(parseMessage({ type: 'ui/get-status', payload: {} })).toMatchObject({ ok: true, type: 'ui/get-status' });
    expect(parseMessage({ type: 'ui/get-status' })).toMatchObject({ ok: true }); // payload may be omitted when empty
    expect(parseMessage({ type: 'ui/set-enabled', payload: { enabled: false } })).toMatchObject({ ok: true, payload: { enabled: false } });
  });

  it.each([
    [null, 'bad-message'],
    ['cs/hello', 'bad-message'],
    [[{ type: 'cs/hello' }], 'bad-message'],
    [{ payload: {} }, 'bad-message'],
    [{ type: 42 }, 'bad-message'],
    [{ type: 'cs/nope', payload: {} }, 'unknown-type'],
    [{ type: 'toString', payload: {} }, 'unknown-type'], // inherited names are not message types
    [{ type: '__proto__', payload: {} }, 'unknown-type'],
    [{ type: 'ui/set-enabled', payload: { enabled: 'true' } }, 'bad-payload'],
    [{ type: 'ui/set-enabled', payload: {} }, 'bad-payload'],
    [{ type: 'ui/set-enabled', payload: { enabled: true, extra: 1 } }, 'bad-payload'],
    [{ type: 'cs/hello', payload: { protocol: 1.5, page: 'x' } }, 'bad-payload'],
    [{ type: 'cs/hello', payload: { protocol: 1, page: 'x'.repeat(5000) } }, 'bad-payload'],
  ])('answers %j with %s, never a throw', (raw, code) => {
    const r = parseMessage(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(5);
    }
  });

  it('names the offending field of a bad payload', () => {
    const r = parseMessage({ type: 'ui/set-enabled', payload: { enabled: 'yes' } });
    expect(!r.ok && r.error.message).toMatch(/^ui\/set-enabled: enabled: /);
  });

  it('derives the sender kind from the direction prefix of every declared type', () => {
    for (const type of Object.keys(requestSchemas) as MessageType[]) {
      expect(type).toMatch(/^(cs|ui)\//);
      expect(senderKindOf(type)).toBe(type.startsWith('cs/') ? 'content-script' : 'extension-page');
    }
  });
});

describe('cs/match-frame: the probes a played frame carries', () => {
  // Every probe the extension makes of a picture (src/core/match queryProbes) must pass the
  // message schema: a name the schema does not know silently drops the frame, and no video
  // re-share ever gets its notice (the merge of the halves and the turn probe did exactly that).
  it('accepts every probe queryProbes makes of a turned photo in a white frame, and refuses an unknown probe name', async () => {
    const { default: sharp } = await import('sharp');
    const { queryProbes, probeToHex } = await import('../../../src/core/match');
    const { canonicalPixels } = await import('../../../src/core/pdq');
    const { data, info } = await sharp('tests/fixtures/turns/turned-5-white.jpg').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const probes = queryProbes(canonicalPixels({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } as never)).map(probeToHex);
    const [full, ...rest] = probes;
    expect(rest.map((p) => p.probe)).toEqual(expect.arrayContaining(['half-top', 'half-bottom', 'half-left', 'half-right', expect.stringMatching(/^mid:0\.\d+$/), 'turn']));
    const payload = { hashes: full!.hashes, quality: full!.quality, probes: rest };
    expect(parseMessage({ type: 'cs/match-frame', payload })).toMatchObject({ ok: true });
    const unknown = { ...payload, probes: [{ ...rest[0]!, probe: 'rotate:3' }] };
    expect(parseMessage({ type: 'cs/match-frame', payload: unknown })).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
  });
});
