import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, senderProblem, type Handlers } from '../../../src/background/router';

const policy = { extensionId: 'our-id', extensionOrigin: 'chrome-extension://our-id/' };
const tab = { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false } as Runtime.MessageSender['tab'];
const contentSender = (url: string): Runtime.MessageSender => ({ id: 'our-id', url, tab: { ...tab!, url } });
const pageSender: Runtime.MessageSender = { id: 'our-id', url: 'chrome-extension://our-id/popup/index.html' };

async function notUsed(): Promise<never> {
  throw new Error('not used in these tests');
}

function handlers(): Handlers {
  return {
    'cs/hello': vi.fn(async () => ({ enabled: true, version: '1.2.3', protocol: 1, displayMode: 'blur' as const, locale: 'en' as const, messages: null })),
    'ui/get-status': vi.fn(async () => {
      throw new Error('storage exploded');
    }),
    'ui/set-enabled': vi.fn(async ({ enabled }) => ({ enabled })),
    'cs/match-media': vi.fn(notUsed),
    'cs/match-hashes': vi.fn(notUsed),
    'cs/match-frame': vi.fn(notUsed),
    'ui/set-display-mode': vi.fn(notUsed),
    'ui/sync-now': vi.fn(notUsed),
    'ui/add-feed': vi.fn(notUsed),
    'ui/remove-feed': vi.fn(notUsed),
    'ui/set-feed-enabled': vi.fn(notUsed),
    'cs/prepare-report': vi.fn(notUsed),
    'cs/submit-report': vi.fn(notUsed),
    'cs/notice-shown': vi.fn(notUsed),
    'cs/open-options': vi.fn(notUsed),
    'cs/markup-report': vi.fn(notUsed),
    'ui/update-settings': vi.fn(notUsed),
    'ui/import-settings': vi.fn(notUsed),
    'ui/clear-caches': vi.fn(notUsed),
    'ui/get-reports': vi.fn(notUsed),
    'ui/delete-reports': vi.fn(notUsed),
    'ui/get-history': vi.fn(),
  'ui/get-directory': vi.fn(),
  'ui/clear-history': vi.fn(),
  'ui/retry-reports': vi.fn(notUsed),
  };
}

describe('senderProblem', () => {
  it('lets content-script messages come only from a tab on an X page (or a test host in test builds)', () => {
    expect(senderProblem('cs/hello', contentSender('https://x.com/home'), policy)).toBeNull();
    expect(senderProblem('cs/hello', contentSender('https://mobile.twitter.com/a/status/1'), policy)).toBeNull();
    expect(senderProblem('cs/hello', contentSender('http://127.0.0.1:8080/home'), policy)).toBeNull(); // vitest = test build
    expect(senderProblem('cs/hello', contentSender('https://evil.example/x.com'), policy)).toMatch(/X page/);
    expect(senderProblem('cs/hello', contentSender('https://x.com.evil.example/'), policy)).toMatch(/X page/);
    expect(senderProblem('cs/hello', contentSender('http://x.com/home'), policy)).toMatch(/X page/);
    expect(senderProblem('cs/hello', { id: 'our-id', url: 'https://x.com/home' }, policy)).toMatch(/tab/);
  });

  it('a content script sender without a URL of its own is judged by its tab’s; with neither, refused', () => {
    const noUrl: Runtime.MessageSender = { ...contentSender('https://x.com/home'), url: undefined };
    expect(senderProblem('cs/hello', noUrl, policy)).toBeNull();
    expect(senderProblem('cs/hello', { id: 'our-id', tab: { ...tab! } }, policy)).toBe('cs/hello must come from an X page');
  });

  it('lets ui messages come only from our own extension pages', () => {
    expect(senderProblem('ui/get-status', pageSender, policy)).toBeNull();
    expect(senderProblem('ui/get-status', { ...pageSender, tab }, policy)).toBeNull(); // popup opened as a tab
    expect(senderProblem('ui/get-status', contentSender('https://x.com/home'), policy)).toMatch(/own pages/);
    expect(senderProblem('ui/get-status', { id: 'our-id', url: 'chrome-extension://other-id/popup/index.html' }, policy)).toMatch(/own pages/);
  });

  it('refuses every message from another extension', () => {
    expect(senderProblem('ui/get-status', { ...pageSender, id: 'other-id' }, policy)).toMatch(/another extension/);
    expect(senderProblem('cs/hello', { ...contentSender('https://x.com/'), id: 'other-id' }, policy)).toMatch(/another extension/);
  });
});

describe('router', () => {
  it('dispatches a valid message from an allowed sender and wraps the answer', async () => {
    const h = handlers();
    const route = createRouter(h, policy);
    const reply = await route({ type: 'ui/set-enabled', payload: { enabled: false } }, pageSender);
    expect(reply).toEqual({ ok: true, value: { enabled: false } });
    expect(h['ui/set-enabled']).toHaveBeenCalledWith({ enabled: false }, pageSender);
  });

  it('answers unknown, malformed and forbidden messages with errors and never calls a handler', async () => {
    const h = handlers();
    const route = createRouter(h, policy);
    expect(await route({ type: 'ui/nope' }, pageSender)).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
    expect(await route(undefined, pageSender)).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(await route({ type: 'cs/hello', payload: {} }, contentSender('https://x.com/'))).toMatchObject({
      ok: false,
      error: { code: 'bad-payload' },
    });
    expect(await route({ type: 'ui/set-enabled', payload: { enabled: true } }, contentSender('https://x.com/'))).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(h['cs/hello']).not.toHaveBeenCalled();
    expect(h['ui/set-enabled']).not.toHaveBeenCalled();
  });

  it('turns a failing handler into an internal error answer', async () => {
    const route = createRouter(handlers(), policy);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await route({ type: 'ui/get-status', payload: {} }, pageSender)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'storage exploded' },
    });
  });
});
