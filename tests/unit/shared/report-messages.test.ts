// The reporting messages: their request schemas, and the background → content-script direction
// (bg/…), which a content script accepts only from its own extension's background.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildReport } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

type Listener = (raw: unknown, sender: { id?: string; tab?: object }) => Promise<unknown> | undefined;
let listener: Listener | null = null;
const sendMessage = vi.fn();
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: { id: 'our-id', onMessage: { addListener: (l: Listener) => (listener = l) } },
    tabs: { sendMessage: (...a: unknown[]) => sendMessage(...a) },
  },
}));
const { parseMessage } = await import('../../../src/shared/message-schemas');
const { listenToBackground, sendToTab, MessageError } = await import('../../../src/shared/messaging');

describe('reporting request schemas', () => {
  const prepare = {
    kind: 'tip',
    post: { author: 'newsdesk_fx', postId: '1861000000000000001', text: 'Kim arrives', lang: 'en' },
    media: [{ type: 'video', url: 'https://pbs.twimg.com/amplify_video_thumb/1/img/a.jpg', quoted: false }],
    match: null,
  };
  it('accepts a prepare request and a submission of a prepared draft with the reader’s choices', () => {
    expect(parseMessage({ type: 'cs/prepare-report', payload: prepare }).ok).toBe(true);
    expect(parseMessage({ type: 'cs/submit-report', payload: { draft: draft(), choices: choices() } }).ok).toBe(true);
  });
  it('refuses what does not fit: too much text or media, a draft that is not one, unknown fields', () => {
    const bad = (type: string, payload: unknown) => parseMessage({ type, payload });
    expect(bad('cs/prepare-report', { ...prepare, post: { ...prepare.post, text: 'x'.repeat(2001) } }).ok).toBe(false);
    expect(bad('cs/prepare-report', { ...prepare, media: Array(9).fill(prepare.media[0]) }).ok).toBe(false);
    expect(bad('cs/prepare-report', { ...prepare, kind: 'praise' }).ok).toBe(false);
    expect(bad('cs/submit-report', { draft: { ...draft(), reportId: 'x' }, choices: choices() }).ok).toBe(false);
    expect(bad('cs/submit-report', { draft: draft(), choices: { ...choices(), note: 'n'.repeat(1001) } }).ok).toBe(false);
    expect(bad('cs/submit-report', { draft: buildReport(draft(), choices()), choices: choices() }).ok).toBe(false); // a report is not a draft
    expect(bad('ui/update-settings', { patch: { matchStrictness: 'medium' } }).ok).toBe(false);
    expect(bad('ui/update-settings', { patch: { enabled: false } }).ok).toBe(false); // not through this message
    expect(bad('ui/update-settings', { patch: { language: 'ar', reportEndpoint: null } }).ok).toBe(true);
    expect(bad('ui/delete-reports', { ids: 'all' }).ok).toBe(false);
    expect(bad('ui/retry-reports', { ids: null }).ok).toBe(true);
  });
});

describe('background → content script', () => {
  const open = vi.fn(async ({ srcUrl }: { srcUrl: string | null }) => ({ opened: srcUrl !== null }));
  beforeEach(() => {
    open.mockClear();
    listenToBackground({ 'bg/open-report': open }, { 'bg/open-report': (p): p is { srcUrl: string | null } => typeof p === 'object' && p !== null && 'srcUrl' in p });
  });
  const deliver = (raw: unknown, sender: { id?: string; tab?: object }) => listener!(raw, sender);

  it('answers its own background', async () => {
    expect(await deliver({ type: 'bg/open-report', payload: { srcUrl: 'https://pbs.twimg.com/media/A' } }, { id: 'our-id' })).toEqual({ ok: true, value: { opened: true } });
    expect(open).toHaveBeenCalledTimes(1);
  });
  it('refuses another extension, another content script (a tab), unknown types and bad payloads', async () => {
    const msg = { type: 'bg/open-report', payload: { srcUrl: null } };
    expect(await deliver(msg, { id: 'other-extension' })).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await deliver(msg, { id: 'our-id', tab: { id: 3 } })).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await deliver({ type: 'bg/nope', payload: {} }, { id: 'our-id' })).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
    expect(await deliver({ type: 'bg/open-report', payload: 'x' }, { id: 'our-id' })).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    expect(open).not.toHaveBeenCalled();
  });
  it('leaves other messages alone (no answer: not for this listener)', () => {
    expect(deliver({ type: 'cs/hello', payload: {} }, { id: 'our-id' })).toBeUndefined();
    expect(deliver('hello', { id: 'our-id' })).toBeUndefined();
  });
  it('the background side is typed and unwraps the answer', async () => {
    sendMessage.mockResolvedValueOnce({ ok: true, value: { opened: true } });
    expect(await sendToTab(7, 0, 'bg/open-report', { srcUrl: null })).toEqual({ opened: true });
    expect(sendMessage).toHaveBeenCalledWith(7, { type: 'bg/open-report', payload: { srcUrl: null } }, { frameId: 0 });
    sendMessage.mockResolvedValueOnce({ ok: false, error: { code: 'internal', message: 'boom' } });
    await expect(sendToTab(7, undefined, 'bg/open-report', { srcUrl: null })).rejects.toThrow(MessageError);
  });
});
