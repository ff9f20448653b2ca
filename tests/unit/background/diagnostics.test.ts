// Markup diagnostics in the background: the content script's report is validated (selector names
// from the X module only, counts as integers), kept for a week for this version, and is part of the
// popup's status.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const stored = new Map<string, unknown>();
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string) => (stored.has(key) ? { [key]: stored.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => stored.set(k, structuredClone(v))),
      },
    },
  },
}));
const { recordMarkup, lastMarkup } = await import('../../../src/background/diagnostics');
const { parseMessage } = await import('../../../src/shared/message-schemas');
const { BUILD } = await import('../../../src/shared/build');

const sample = { posts: 12, media: 9, mediaInPosts: 9, boxed: 0, cardsInPosts: 0, cardsBoxed: 0, actionBars: 12, texts: 12 };

describe('markup diagnostics', () => {
  beforeEach(() => stored.clear());

  it('accepts a report naming the X module’s selectors, and nothing else', () => {
    expect(parseMessage({ type: 'cs/markup-report', payload: { silent: ['mediaBox'], sample } })).toMatchObject({ ok: true });
    for (const payload of [
      { silent: ['img.css-9pa8cd'], sample },
      { silent: [], sample },
      { silent: ['mediaBox'], sample: { ...sample, posts: -1 } },
      { silent: ['mediaBox'], sample: { ...sample, extra: 1 } },
      { silent: ['mediaBox'] },
    ]) {
      expect(parseMessage({ type: 'cs/markup-report', payload }), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    }
  });

  it('keeps the last report for a week, for this version only', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    expect(await lastMarkup(at)).toBeNull();
    await recordMarkup({ silent: ['mediaBox'], sample }, at);
    expect(await lastMarkup(new Date('2026-12-02T10:00:00Z'))).toEqual({ at: at.toISOString(), version: BUILD.version, silent: ['mediaBox'], sample });
    expect(await lastMarkup(new Date('2026-12-08T09:59:59.999Z'))).not.toBeNull();
    expect(await lastMarkup(new Date('2026-12-08T10:00:00Z')), 'a week exactly: gone').toBeNull();
    expect(await lastMarkup(new Date('2026-12-08T10:00:01Z'))).toBeNull();
    stored.set('markupDiagnostic', { ...(stored.get('markupDiagnostic') as object), version: '0.0.1-old' });
    expect(await lastMarkup(new Date('2026-12-02T10:00:00Z'))).toBeNull(); // an update is expected to fix it
  });
});
