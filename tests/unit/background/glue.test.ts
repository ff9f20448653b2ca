// Small background parts that only the e2e tests drove (the glue mutation group): the notice
// history in storage.local, the session rule that strips Origin from report POSTs, and the context
// menu entry. The browser is replaced by a recorder; expected values come from the modules' stated
// contracts (their header comments, docs/privacy) and the calls a test makes, not from the code.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
const calls: { api: string; args: unknown[] }[] = [];
let dnrFails = 0;
let sendFails = false;

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
        remove: async (key: string) => void local.delete(key),
      },
    },
    declarativeNetRequest: {
      updateSessionRules: async (...args: unknown[]) => {
        calls.push({ api: 'updateSessionRules', args });
        if (dnrFails > 0) {
          dnrFails--;
          throw new Error('no permission');
        }
      },
    },
    contextMenus: {
      removeAll: async () => void calls.push({ api: 'removeAll', args: [] }),
      create: (...args: unknown[]) => void calls.push({ api: 'create', args }),
    },
    tabs: {
      sendMessage: async (...args: unknown[]) => {
        calls.push({ api: 'sendMessage', args });
        if (sendFails) throw new Error('no content script');
        return { ok: true, value: { opened: true } };
      },
    },
    i18n: { getMessage: () => '', getUILanguage: () => 'en' },
    runtime: { getURL: (p: string) => `chrome-extension://id/${p}` },
  },
}));

const { getHistory, recordNotice, clearHistory } = await import('../../../src/background/history');
const { REPORT_MENU_ID, onMenuClick, setUpMenu } = await import('../../../src/background/menu');

const DAY = 86_400_000;
const T = Date.parse('2026-11-24T10:00:00Z');
const notice = (n: number) => ({ post: `https://x.com/a/status/${n}`, media: `https://pbs.twimg.com/media/M${n}.jpg`, feedUrl: 'https://f.example/index.json', feedName: 'F', entryId: `e${n}`, label: 'false' as const, headline: null, factCheckUrl: 'https://f.example/c', at: 0 });

beforeEach(() => {
  local.clear();
  calls.length = 0;
  dnrFails = 0;
  sendFails = false;
});

describe('the notice history (kept in storage.local, never sent)', () => {
  it('newest first, a burst written one after another without losing a row', async () => {
    const all = await Promise.all([recordNotice(notice(1), T), recordNotice(notice(2), T + 1), recordNotice(notice(3), T + 2)]);
    expect(all.map((l) => l.length)).toEqual([1, 2, 3]);
    const items = await getHistory(T + 3);
    expect(items.map((h) => h.entryId)).toEqual(['e3', 'e2', 'e1']);
    expect(items[0]).toEqual({ ...notice(3), at: T + 2 });
    expect(local.get('noticeHistory')).toEqual(items);
  });
  it('rows older than 30 days are not read back', async () => {
    await recordNotice(notice(1), T);
    expect(await getHistory(T + 30 * DAY)).toHaveLength(1);
    expect(await getHistory(T + 30 * DAY + 1)).toEqual([]);
  });
  it('clearing empties it, after the writes before it, and the next notice starts a new list', async () => {
    const [, cleared] = await Promise.all([recordNotice(notice(1), T), clearHistory()]);
    expect(cleared).toEqual([]);
    expect(local.has('noticeHistory')).toBe(false);
    expect(await getHistory(T)).toEqual([]);
    expect((await recordNotice(notice(2), T)).map((h) => h.entryId)).toEqual(['e2']);
  });
  it('a failed write does not stop the next one', async () => {
    const spy = vi.spyOn((await import('webextension-polyfill')).default.storage.local, 'set').mockRejectedValueOnce(new Error('quota'));
    await expect(recordNotice(notice(1), T)).rejects.toThrow('quota');
    spy.mockRestore();
    expect((await recordNotice(notice(2), T)).map((h) => h.entryId)).toEqual(['e2']);
  });
});

describe('the Origin rule: report POSTs from the extension carry no per-installation Origin', () => {
  it('one session rule, installed once: remove the Origin header of POSTs made outside any tab', async () => {
    vi.resetModules();
    const { ensureOriginRule: ensure } = await import('../../../src/background/origin-rule');
    await Promise.all([ensure(), ensure()]);
    await ensure();
    expect(calls).toEqual([
      {
        api: 'updateSessionRules',
        args: [
          {
            removeRuleIds: [1],
            addRules: [
              {
                id: 1,
                priority: 1,
                action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
                condition: { requestMethods: ['post'], tabIds: [-1], resourceTypes: ['xmlhttprequest'] },
              },
            ],
          },
        ],
      },
    ]);
  });
  it('a failed install is tried again at the next report, and does not stop the report', async () => {
    vi.resetModules();
    const { ensureOriginRule: ensure } = await import('../../../src/background/origin-rule');
    dnrFails = 1;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(ensure()).resolves.toBeUndefined();
    await ensure();
    await ensure();
    expect(calls.map((c) => c.api)).toEqual(['updateSessionRules', 'updateSessionRules']);
    warn.mockRestore();
  });
});

describe('the context menu entry', () => {
  it('re-created (the old one removed first) on pictures and videos of X pages only', async () => {
    await setUpMenu();
    expect(calls.map((c) => c.api)).toEqual(['removeAll', 'create']);
    const [props] = calls[1]!.args as [{ id: string; contexts: string[]; documentUrlPatterns: string[] }];
    expect(props.id).toBe('report-to-fact-checkers');
    expect(props.contexts).toEqual(['image', 'video']);
    expect(props.documentUrlPatterns).toContain('https://x.com/*');
    expect(props.documentUrlPatterns.every((p) => p.startsWith('https://') || p.startsWith('http://127.0.0.1') || p.startsWith('http://localhost'))).toBe(true);
  });
  it('a click asks that tab’s frame to open the report dialog for the media clicked; another entry, or no tab, does nothing', async () => {
    onMenuClick({ menuItemId: REPORT_MENU_ID, frameId: 3, srcUrl: 'https://pbs.twimg.com/media/A.jpg', editable: false, modifiers: [] }, { id: 7 } as never);
    onMenuClick({ menuItemId: REPORT_MENU_ID, editable: false, modifiers: [] }, { id: 8 } as never);
    onMenuClick({ menuItemId: 'other', frameId: 0, editable: false, modifiers: [] }, { id: 7 } as never);
    onMenuClick({ menuItemId: REPORT_MENU_ID, frameId: 0, editable: false, modifiers: [] }, undefined);
    onMenuClick({ menuItemId: REPORT_MENU_ID, frameId: 0, editable: false, modifiers: [] }, {} as never);
    await Promise.resolve();
    expect(calls).toEqual([
      { api: 'sendMessage', args: [7, { type: 'bg/open-report', payload: { srcUrl: 'https://pbs.twimg.com/media/A.jpg' } }, { frameId: 3 }] },
      { api: 'sendMessage', args: [8, { type: 'bg/open-report', payload: { srcUrl: null } }, {}] },
    ]);
  });
  it('a tab that cannot open the dialog is logged, not thrown', async () => {
    sendFails = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    onMenuClick({ menuItemId: REPORT_MENU_ID, frameId: 0, editable: false, modifiers: [] }, { id: 7 } as never);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1));
    warn.mockRestore();
  });
});
