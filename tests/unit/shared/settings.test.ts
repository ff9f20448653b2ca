import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { defaultSettings, isAllowedFeedUrl, migrateSettings, parseDefaultFeeds, settingsSchema } from '../../../src/shared/settings';

const KEY = 'MCowBQYDK2VwAyEAbWFkZS11cC1rZXktZm9yLXRlc3Q='.slice(0, 43) + '=';
const LOOPBACK = ['127.0.0.1', 'localhost'];

describe('feed URLs', () => {
  it('allows https anywhere, http only to loopback test hosts in test builds', () => {
    expect(isAllowedFeedUrl('https://feeds.example.org/afp/index.json', [])).toBe(true);
    expect(isAllowedFeedUrl('http://feeds.example.org/afp/index.json', [])).toBe(false);
    expect(isAllowedFeedUrl('http://127.0.0.1:8080/feed', [])).toBe(false);
    expect(isAllowedFeedUrl('http://127.0.0.1:8080/feed', LOOPBACK)).toBe(true);
    expect(isAllowedFeedUrl('http://localhost/feed', LOOPBACK)).toBe(true);
    expect(isAllowedFeedUrl('http://10.0.0.1/feed', LOOPBACK)).toBe(false);
    expect(isAllowedFeedUrl('https://user:pw@feeds.example.org/', [])).toBe(false);
    expect(isAllowedFeedUrl('javascript:alert(1)', LOOPBACK)).toBe(false);
    expect(isAllowedFeedUrl('file:///etc/passwd', LOOPBACK)).toBe(false);
    expect(isAllowedFeedUrl('not a url', LOOPBACK)).toBe(false);
  });
});

describe('AD_DEFAULT_FEEDS', () => {
  it('is empty when unset or blank', () => {
    expect(parseDefaultFeeds(undefined, [])).toEqual([]);
    expect(parseDefaultFeeds('  ', [])).toEqual([]);
  });

  it('parses subscriptions and fills defaults', () => {
    const feeds = parseDefaultFeeds(JSON.stringify([{ name: ' AFP ', url: 'https://f.example/i.json', publicKey: KEY }]), []);
    expect(feeds).toEqual([{ name: 'AFP', url: 'https://f.example/i.json', publicKey: KEY, enabled: true }]);
  });

  it('stops the build with a message naming the entry and field', () => {
    expect(() => parseDefaultFeeds('[{', [])).toThrow(/not valid JSON/);
    expect(() => parseDefaultFeeds(JSON.stringify([{ name: 'A', url: 'http://f.example/', publicKey: KEY }]), [])).toThrow(
      /at 0\.url: feed URL must be https/,
    );
    expect(() => parseDefaultFeeds(JSON.stringify([{ name: 'A', url: 'https://f.example/', publicKey: 'abc' }]), [])).toThrow(
      /at 0\.publicKey/,
    );
    expect(() => parseDefaultFeeds(JSON.stringify({ name: 'A' }), [])).toThrow(/AD_DEFAULT_FEEDS/);
  });
});

describe('settings', () => {
  it('defaults validate against the schema', () => {
    expect(v.safeParse(settingsSchema([]), defaultSettings([])).success).toBe(true);
  });
  it('rejects unknown fields and wrong versions', () => {
    expect(v.safeParse(settingsSchema([]), { ...defaultSettings([]), extra: 1 }).success).toBe(false);
    expect(v.safeParse(settingsSchema([]), { ...defaultSettings([]), schemaVersion: 3 }).success).toBe(false);
    expect(v.safeParse(settingsSchema([]), { ...defaultSettings([]), displayMode: 'hidden' }).success).toBe(false);
  });
});

describe('settings migrations', () => {
  it('brings version-1 settings to version 2 (display mode blur), keeping everything else', () => {
    const v1 = { schemaVersion: 1, enabled: false, subscriptions: [{ name: 'A', url: 'https://f.example/i.json', publicKey: KEY, enabled: true }] };
    const migrated = v.parse(settingsSchema([]), migrateSettings(v1));
    expect(migrated).toEqual({ ...v1, schemaVersion: 2, displayMode: 'blur' });
  });
  it('leaves current and unknown shapes to validation', () => {
    const current = defaultSettings([]);
    expect(migrateSettings(current)).toBe(current);
    expect(migrateSettings(null)).toBeNull();
  });
});
