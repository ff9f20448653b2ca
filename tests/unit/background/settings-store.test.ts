// The reader's settings in storage.local (src/background/settings-store.ts), as its doc comment
// promises: nothing stored gives this build's defaults; an older schema is migrated (1 → 2 adds the
// display mode 'blur', 2 → 3 the standard strictness, no language, no own report address:
// src/shared/settings.ts migrateSettings); anything invalid is reported and replaced by the
// defaults rather than crashing; only valid settings are ever written.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const local = new Map<string, unknown>();
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async (key: string) => (local.has(key) ? { [key]: structuredClone(local.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, structuredClone(v))),
      },
    },
  },
}));
const { loadSettings, saveSettings, ensureSettings, updateSettings } = await import('../../../src/background/settings-store');

const KEY = 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const FEED = { name: 'Ay', url: 'https://a.example/index.json', publicKey: KEY, enabled: true };
const DEFAULTS = { schemaVersion: 3, enabled: true, displayMode: 'blur', subscriptions: [], matchStrictness: 'standard', language: null, reportEndpoint: null };

beforeEach(() => local.clear());

describe('settings in storage.local', () => {
  it('nothing stored: this build’s defaults (no default feeds in the unit-test build)', async () => {
    expect(await loadSettings()).toEqual(DEFAULTS);
    expect(local.size, 'reading writes nothing').toBe(0);
  });

  it('schema 1 is brought up to 3 step by step', async () => {
    local.set('settings', { schemaVersion: 1, enabled: false, subscriptions: [FEED] });
    expect(await loadSettings()).toEqual({ ...DEFAULTS, enabled: false, subscriptions: [FEED] });
  });

  it('invalid settings (hand-edited, a newer version) are reported and the defaults used', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const bad of [{ ...DEFAULTS, displayMode: 'loud' }, { ...DEFAULTS, schemaVersion: 9 }, 'settings', { ...DEFAULTS, subscriptions: [FEED, FEED] }]) {
      local.set('settings', bad);
      expect(await loadSettings(), JSON.stringify(bad)).toEqual(DEFAULTS);
    }
    const warned = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(warned).toHaveLength(4);
    expect(new Set(warned)).toEqual(new Set(['[already-debunked] stored settings are invalid, using defaults:']));
  });

  it('ensureSettings (on install) writes what is valid: the defaults, or the migrated settings', async () => {
    expect(await ensureSettings()).toEqual(DEFAULTS);
    expect(local.get('settings')).toEqual(DEFAULTS);
    local.set('settings', { schemaVersion: 2, enabled: true, displayMode: 'banner', subscriptions: [FEED] });
    await ensureSettings();
    expect(local.get('settings')).toEqual({ ...DEFAULTS, displayMode: 'banner', subscriptions: [FEED] });
  });

  it('saveSettings refuses invalid settings and writes nothing; updateSettings applies a change to what is stored', async () => {
    await expect(saveSettings({ ...DEFAULTS, displayMode: 'loud' } as never)).rejects.toThrow();
    expect(local.has('settings')).toBe(false);
    expect(await saveSettings({ ...DEFAULTS, subscriptions: [{ ...FEED, name: '  Ay  ' }] } as never)).toEqual({ ...DEFAULTS, subscriptions: [FEED] });
    const after = await updateSettings((s) => ({ ...s, matchStrictness: 'strict' }));
    expect(after).toEqual({ ...DEFAULTS, subscriptions: [FEED], matchStrictness: 'strict' });
    expect(local.get('settings')).toEqual(after);
  });
});
