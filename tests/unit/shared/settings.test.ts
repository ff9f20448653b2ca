import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { defaultSettings, isAllowedFeedUrl, migrateSettings, parseDefaultFeeds, settingsSchema, subscriptionSchema } from '../../../src/shared/settings';
import { endpointProblem, feedNameProblem, feedUrlProblem, originPattern, publicKeyProblem } from '../../../src/shared/validate';

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
    expect(v.safeParse(settingsSchema([]), { ...defaultSettings([]), schemaVersion: 4 }).success).toBe(false);
    expect(v.safeParse(settingsSchema([]), { ...defaultSettings([]), displayMode: 'hidden' }).success).toBe(false);
  });
});

describe('settings migrations', () => {
  it('brings version-1 settings to the current version step by step (display mode blur, then strictness, language, report address), keeping everything else', () => {
    const v1 = { schemaVersion: 1, enabled: false, subscriptions: [{ name: 'A', url: 'https://f.example/i.json', publicKey: KEY, enabled: true }] };
    const migrated = v.parse(settingsSchema([]), migrateSettings(v1));
    expect(migrated).toEqual({ ...v1, schemaVersion: 3, displayMode: 'blur', matchStrictness: 'standard', language: null, reportEndpoint: null });
  });
  it('brings version-2 settings to version 3: standard strictness, the browser language, no report address of its own', () => {
    const v2 = { schemaVersion: 2, enabled: true, displayMode: 'banner', subscriptions: [] };
    expect(v.parse(settingsSchema([]), migrateSettings(v2))).toEqual({ ...v2, schemaVersion: 3, matchStrictness: 'standard', language: null, reportEndpoint: null });
  });
  it('leaves current and unknown shapes to validation', () => {
    const current = defaultSettings([]);
    expect(migrateSettings(current)).toBe(current);
    expect(migrateSettings(null)).toBeNull();
  });
});

describe('settings validation (version 3)', () => {
  const valid = (over: Record<string, unknown>, hosts: string[] = []) => v.safeParse(settingsSchema(hosts), { ...defaultSettings([]), ...over }).success;
  const sub = (url: string) => ({ name: 'A', url, publicKey: KEY, enabled: true });

  it('defaults: standard strictness, the browser language, no report address of its own', () => {
    expect(defaultSettings([])).toMatchObject({ matchStrictness: 'standard', language: null, reportEndpoint: null });
  });
  it('match strictness is one of three levels', () => {
    for (const level of ['strict', 'standard', 'loose']) expect(valid({ matchStrictness: level }), level).toBe(true);
    for (const bad of ['', 'medium', 31, null]) expect(valid({ matchStrictness: bad }), String(bad)).toBe(false);
  });
  it('the language is one the extension speaks, or null', () => {
    for (const l of ['en', 'fr', 'es', 'de', 'pt', 'ar', null]) expect(valid({ language: l }), String(l)).toBe(true);
    for (const bad of ['it', 'fr-FR', 'AR', '']) expect(valid({ language: bad }), bad).toBe(false);
  });
  it('the report address is https (plain http only to loopback in test builds), or null', () => {
    expect(valid({ reportEndpoint: 'https://desk.example.org/reports' })).toBe(true);
    expect(valid({ reportEndpoint: null })).toBe(true);
    expect(valid({ reportEndpoint: 'http://desk.example.org/reports' })).toBe(false);
    expect(valid({ reportEndpoint: 'http://127.0.0.1:47111/reports' })).toBe(false);
    expect(valid({ reportEndpoint: 'http://127.0.0.1:47111/reports' }, LOOPBACK)).toBe(true);
    expect(valid({ reportEndpoint: 'mailto:desk@example.org' })).toBe(false);
    expect(valid({ reportEndpoint: 'https://user:pw@desk.example.org/' })).toBe(false);
  });
  it('the same feed cannot be subscribed twice', () => {
    expect(valid({ subscriptions: [sub('https://a.example/i.json'), sub('https://b.example/i.json')] })).toBe(true);
    expect(valid({ subscriptions: [sub('https://a.example/i.json'), sub('https://a.example/i.json')] })).toBe(false);
  });
});

describe('field checks shared with the options page', () => {
  it('name each problem with the message key shown next to the field', () => {
    expect(feedNameProblem('  AFP ')).toBeNull();
    expect(feedNameProblem('   ')).toBe('errFeedName');
    expect(feedNameProblem('x'.repeat(101))).toBe('errFeedName');
    expect(feedUrlProblem(' https://f.example/index.json ', [])).toBeNull();
    expect(feedUrlProblem('ftp://f.example/index.json', [])).toBe('errFeedUrl');
    expect(feedUrlProblem('http://127.0.0.1:47110/feed/index.json', [])).toBe('errFeedUrl');
    expect(feedUrlProblem('http://127.0.0.1:47110/feed/index.json', LOOPBACK)).toBeNull();
    expect(publicKeyProblem(KEY)).toBeNull();
    expect(publicKeyProblem(KEY.slice(1))).toBe('errPublicKey');
    expect(endpointProblem('https://desk.example.org/r', [])).toBeNull();
    expect(endpointProblem('desk.example.org/r', [])).toBe('errEndpointUrl');
  });
  it('and agree with the schema', () => {
    for (const url of ['https://f.example/i.json', 'http://f.example/i.json', 'https://u:p@f.example/', 'nope']) {
      const ok = v.safeParse(subscriptionSchema([]), { name: 'A', url, publicKey: KEY }).success;
      expect(feedUrlProblem(url, []) === null, url).toBe(ok);
    }
  });
  it('ask for a host permission without a port (a pattern matches every port)', () => {
    expect(originPattern('https://feeds.example.org/afp/index.json')).toBe('https://feeds.example.org/*');
    expect(originPattern('http://127.0.0.1:47110/feed/index.json')).toBe('http://127.0.0.1/*');
  });
});
