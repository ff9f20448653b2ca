// @vitest-environment happy-dom
// The report dialog shows exactly the text that buildReport makes for the current choices, follows
// every change, sends only on the reader's own (trusted) action, and is keyboard-operable.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import catalogue from '../../../src/_locales/en/messages.json';
import { buildReport, reportText } from '../../../src/core/report';
import type { ReportPrepared } from '../../../src/shared/messages';
import { choices, draft } from '../core/report/fixtures';

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage: () => '', getUILanguage: () => 'en' } } }));
const { useCatalogue } = await import('../../../src/shared/i18n');
const { openDialog } = await import('../../../src/content/report/mount');
useCatalogue('en', catalogue as never);

const own = { recipient: { endpoint: 'https://desk.example.org/reports', feedUrl: null, feedId: null }, feedName: null };
const feed = { recipient: choices().recipient, feedName: 'Example Checks' };
const prepared = (over: Partial<ReportPrepared> = {}): ReportPrepared => ({ draft: draft(), recipients: [feed, own], ...over });
const tick = () => new Promise((r) => setTimeout(r, 0));

function open(p: ReportPrepared | null = prepared(), problem: string | null = null) {
  const onSubmit = vi.fn(async () => ({ reportId: draft().reportId, status: 'delivered' as const, lastError: null, duplicate: false, needsConsent: false }));
  const opener = document.body.appendChild(document.createElement('button'));
  const d = openDialog({ prepared: p, problem, onSubmit, onOpenSettings: vi.fn() }, opener, 'light');
  const host = document.querySelector<HTMLElement>('[data-already-debunked="report-dialog"]')!;
  return { d, host, root: host.shadowRoot!, onSubmit, opener };
}
const preview = (root: ShadowRoot) => root.querySelector('[data-part="preview"]')!.textContent;

describe('report dialog', () => {
  beforeEach(() => {
    document.body.replaceChildren();
    document.querySelectorAll('[data-already-debunked]').forEach((e) => e.remove());
  });

  it('is a labelled modal dialog outside the page’s tree, focused on its first field', () => {
    const { host, root } = open();
    expect(host.parentElement).toBe(document.documentElement);
    const dialog = root.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(root.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Report to fact-checkers');
    expect(root.activeElement).toBe(root.querySelector('select'));
    for (const field of root.querySelectorAll('input:not([type="radio"]):not([type="checkbox"]), textarea, select')) {
      expect(root.querySelector(`label[for="${field.id}"]`), field.outerHTML).not.toBeNull();
    }
  });

  it('previews exactly buildReport(draft, choices), and follows each choice', async () => {
    const { root } = open();
    expect(preview(root)).toBe(reportText(buildReport(draft(), choices())));
    (root.querySelector('input[value="ai-generated"]') as HTMLInputElement).click();
    const note = root.querySelector('textarea')!;
    note.value = 'Seen in 2019';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    (root.querySelector('[data-part="include-text"]') as HTMLInputElement).click();
    const select = root.querySelector('select')!;
    select.value = '1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await tick();
    const expected = reportText(buildReport(draft(), choices({ reason: 'ai-generated', note: 'Seen in 2019', includeText: false, recipient: own.recipient })));
    expect(preview(root)).toBe(expected);
    expect(JSON.parse(preview(root)!)).toMatchObject({ reason: 'ai-generated', note: 'Seen in 2019', post: { text: null }, recipient: { endpoint: 'https://desk.example.org/reports' } });
  });

  it('a wrong-match dialog offers the wrong-match reasons and names the entry', () => {
    const match = { feedUrl: 'https://feeds.example.org/index.json', feedId: null, entryId: 'demo-2022-putin-kim', distance: 12, variant: 'original' };
    const { root } = open(prepared({ draft: draft({ kind: 'wrong-match', match }) }));
    expect(root.querySelector('h2')!.textContent).toBe('Report a wrong match');
    expect([...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')].map((r) => r.value)).toEqual(['not-the-same-media', 'other']);
    expect(JSON.parse(preview(root)!)).toMatchObject({ kind: 'wrong-match', reason: 'not-the-same-media', match: { entryId: 'demo-2022-putin-kim' } });
  });

  it('a page cannot send it: an untrusted submit does nothing', async () => {
    const { root, onSubmit } = open();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    (root.querySelector('[data-part="send"]') as HTMLButtonElement).click();
    await tick();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('Escape closes it and gives focus back; Tab stays inside', async () => {
    const { root, opener } = open();
    const focusable = [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, pre[tabindex]')];
    focusable.at(-1)!.focus();
    root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true }));
    expect(root.activeElement).toBe(focusable[0]);
    root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(document.querySelector('[data-already-debunked="report-dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keys typed inside do not reach the page (X’s shortcuts)', () => {
    const { root } = open();
    const seen = vi.fn();
    document.addEventListener('keydown', seen);
    root.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', bubbles: true, composed: true }));
    document.removeEventListener('keydown', seen);
    expect(seen).not.toHaveBeenCalled();
  });

  it('says where nothing can go, and why a post could not be prepared', () => {
    let { root } = open(prepared({ recipients: [] }));
    expect(root.querySelector('[role="alert"]')!.textContent).toMatch(/None of your feeds accepts reports/);
    expect(root.querySelector('[data-part="send"]')).toBeNull();
    ({ root } = open(null, 'not a post this extension can report'));
    expect(root.querySelector('[role="alert"]')!.textContent).toBe('This post cannot be reported: not a post this extension can report');
  });
});
