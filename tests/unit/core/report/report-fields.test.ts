// The report format's field rules one by one, as docs/report-format.md states them: createdAt an
// ISO 8601 UTC time (whole seconds, optional milliseconds) that is a real date; post.url a post's
// canonical address https://x.com/<handle>/status/<id> on X's hosts; short texts on one line without
// control characters; the limits (post text 2,000, note 1,000, contact 200, 8 media, quality 0–100,
// distance 0–256, 32 KiB); the error names the field at fault.
import { describe, expect, it } from 'vitest';
import {
  REPORT_LIMITS,
  ReportError,
  buildReport,
  choicesSchema,
  cleanText,
  parseDraft,
  parseReport,
  recipientSchema,
  reportText,
  type Report,
} from '../../../../src/core/report';
import * as v from 'valibot';
import { HASH, choices, draft } from './fixtures';

const sent = (): Report => JSON.parse(reportText(buildReport(draft(), choices())));
/** parseReport on the sent report changed one way: the error text, or 'ok'. */
function check(change: (r: Report) => void, opts = {}): string {
  const r = sent();
  change(r);
  try {
    parseReport(r, opts);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ReportError);
    return (e as Error).message;
  }
}

describe('createdAt: an ISO 8601 UTC time that is a real date', () => {
  it.each([
    ['2026-11-24T00:12:00Z', 'ok'],
    ['2026-11-24T00:12:00.000Z', 'ok'],
    ['2026-11-24T00:12:00.0Z', 'createdAt: must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'],
    ['2026-11-24T00:12:00+01:00', 'createdAt: must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'],
    [' 2026-11-24T00:12:00Z', 'createdAt: must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'],
    ['2026-11-24T00:12:00Z ', 'createdAt: must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'],
    ['2026-11-24 00:12:00Z', 'createdAt: must be an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'],
    ['2026-13-01T00:00:00Z', 'createdAt: not a real date'],
    ['2026-02-30T00:00:00Z', 'createdAt: not a real date'],
    ['2026-11-24T24:00:00Z', 'createdAt: not a real date'],
  ])('%s → %s', (createdAt, expected) => {
    expect(check((r) => (r.createdAt = createdAt))).toBe(expected);
  });
});

describe('post.url: a post on X', () => {
  const NOT_X = 'post.url: must be an address on X (https://x.com/…)';
  const NOT_POST = 'post.url: must be a post’s address: https://x.com/<handle>/status/<id>';
  it.each([
    ['https://x.com/newsdesk_fx/status/1861000000000000001', 'ok'],
    ['https://twitter.com/newsdesk_fx/status/1861000000000000001', 'ok'],
    ['https://mobile.x.com/newsdesk_fx/status/1861000000000000001', 'ok'],
    [`https://x.com/${'a'.repeat(50)}/status/1`, 'ok'],
    [`https://x.com/newsdesk_fx/status/${'1'.repeat(25)}`, 'ok'],
    [`https://x.com/${'a'.repeat(51)}/status/1`, NOT_POST],
    [`https://x.com/newsdesk_fx/status/${'1'.repeat(26)}`, NOT_POST],
    ['https://x.com/newsdesk_fx', NOT_POST],
    ['https://x.com/newsdesk_fx/status/1861000000000000001/photo/1', NOT_POST],
    ['https://x.com/news-desk/status/1', NOT_POST],
    ['https://x.com//status/1', NOT_POST],
    ['https://x.com/newsdesk_fx/status/', NOT_POST],
    ['https://evil.example/newsdesk_fx/status/1', NOT_X],
    ['http://x.com/newsdesk_fx/status/1', NOT_X],
    ['https://x.com:8443/newsdesk_fx/status/1', NOT_X],
    ['https://user@x.com/newsdesk_fx/status/1', NOT_X],
  ])('%s → %s', (url, expected) => {
    expect(check((r) => (r.post.url = url))).toBe(expected);
  });
  it('2,048 characters at most', () => {
    // 14 + 2,025 + 9 = 2,048 characters; one more is refused
    expect(check((r) => (r.post.url = `https://x.com/${'a'.repeat(2025)}/status/1`))).toBe(NOT_POST);
    expect(check((r) => (r.post.url = `https://x.com/${'a'.repeat(2026)}/status/1`))).toBe('post.url: Invalid length: Expected <=2048 but received 2049');
  });
  it('a test host (loopback) is any page there, when the receiver is told so', () => {
    expect(check((r) => (r.post.url = 'http://127.0.0.1:4000/timeline.html'))).toBe(NOT_X);
    expect(check((r) => (r.post.url = 'http://127.0.0.1:4000/timeline.html'), { testHosts: ['127.0.0.1'] })).toBe('ok');
  });
  it('is kept in its normalised form', () => {
    expect(parseReport({ ...sent(), post: { ...sent().post, url: 'HTTPS://X.COM/newsdesk_fx/status/1' } }).post.url).toBe('https://x.com/newsdesk_fx/status/1');
  });
});

describe('the other fields', () => {
  it('postId is digits, 1 to 25', () => {
    expect(check((r) => (r.post.postId = '1'.repeat(25)))).toBe('ok');
    expect(check((r) => (r.post.postId = '1'.repeat(26)))).toBe('post.postId: must be the numeric post id');
    expect(check((r) => (r.post.postId = '12a'))).toBe('post.postId: must be the numeric post id');
    expect(check((r) => (r.post.postId = 'a12'))).toBe('post.postId: must be the numeric post id');
  });
  it('short texts: one line, no control characters, not empty, their length', () => {
    expect(check((r) => (r.client.version = 'v'.repeat(40)))).toBe('ok');
    expect(check((r) => (r.client.version = 'v'.repeat(41)))).toMatch(/^client\.version: /);
    expect(check((r) => (r.client.version = ''))).toMatch(/^client\.version: /);
    expect(check((r) => (r.post.author = 'news\u0007desk'))).toBe('post.author: must not contain control characters');
    expect(check((r) => (r.post.author = 'news\u009bdesk'))).toBe('post.author: must not contain control characters');
    expect(check((r) => (r.post.author = 'news\u007fdesk'))).toBe('post.author: must not contain control characters');
    for (const sep of ['\t', '\n', '\r', '\u2028', '\u2029']) expect(check((r) => (r.post.author = `news${sep}desk`))).toBe('post.author: must be one line');
    expect(check((r) => (r.post.lang = null))).toBe('ok');
    expect(check((r) => (r.client.locale = 'x'.repeat(36)))).toMatch(/^client\.locale: /);
  });
  it('free text keeps its line breaks and tabs, refuses other control characters, and has its limit', () => {
    expect(check((r) => (r.post.text = 'line one\nline two\r\n\tend'))).toBe('ok');
    expect(check((r) => (r.post.text = 'x\u0000'))).toBe('post.text: must not contain control characters');
    expect(check((r) => (r.post.text = 't'.repeat(2000)))).toBe('ok');
    expect(check((r) => (r.post.text = 't'.repeat(2001)))).toMatch(/^post\.text: /);
    expect(check((r) => (r.note = 'n'.repeat(1000)))).toBe('ok');
    expect(check((r) => (r.note = 'n'.repeat(1001)))).toMatch(/^note: /);
    expect(check((r) => (r.contact = 'c'.repeat(200)))).toBe('ok');
    expect(check((r) => (r.contact = 'c'.repeat(201)))).toMatch(/^contact: /);
  });
  it('media: the PDQ hash and its quality 0 to 100, on X\'s media hosts, 8 at most', () => {
    expect(check((r) => (r.media[0]!.pdq!.quality = 0))).toBe('ok');
    expect(check((r) => (r.media[0]!.pdq!.quality = 100))).toBe('ok');
    expect(check((r) => (r.media[0]!.pdq!.quality = 101))).toMatch(/^media\.0\.pdq\.quality: /);
    expect(check((r) => (r.media[0]!.pdq!.quality = -1))).toMatch(/^media\.0\.pdq\.quality: /);
    expect(check((r) => (r.media[0]!.pdq!.quality = 50.5))).toMatch(/^media\.0\.pdq\.quality: /);
    expect(check((r) => (r.media[0]!.pdq!.value = HASH.toUpperCase()))).toBe('ok');
    expect(check((r) => (r.media[0]!.pdq!.value = HASH.slice(1)))).toBe('media.0.pdq.value: not a 64-hex-digit hash');
    expect(check((r) => (r.media[0]!.pdq = null))).toBe('ok');
    expect(check((r) => (r.media[0]!.url = 'https://video.twimg.com/ext_tw_video/1/pu/vid/a.mp4'))).toBe('ok');
    expect(check((r) => (r.media[0]!.url = 'https://pbs.twimg.com.evil.example/media/a.jpg'))).toBe('media.0.url: must be on X’s media hosts (https://pbs.twimg.com/…)');
    expect(check((r) => ((r.media[0] as { type: string }).type = 'audio'))).toMatch(/^media\.0\.type: /);
    expect(check((r) => (r.media = Array(8).fill(r.media[0])))).toBe('ok');
    expect(check((r) => (r.media = Array(9).fill(r.media[0])))).toMatch(/^media: /);
  });
  it('a wrong match names its entry: distance 0 to 256, a https feed', () => {
    const wrong = (m: Partial<NonNullable<Report['match']>>) => (r: Report) => {
      r.kind = 'wrong-match';
      r.reason = 'not-the-same-media';
      r.match = { feedUrl: 'https://feeds.example.org/index.json', feedId: null, entryId: 'e1', distance: 12, variant: 'original', ...m };
    };
    expect(check(wrong({}))).toBe('ok');
    expect(check(wrong({ distance: 256 }))).toBe('ok');
    expect(check(wrong({ distance: 257 }))).toMatch(/^match\.distance: /);
    expect(check(wrong({ feedUrl: 'http://feeds.example.org/index.json' }))).toBe('match.feedUrl: must be an https URL');
    expect(check(wrong({ entryId: '' }))).toMatch(/^match\.entryId: /);
    // a tip's reason on a wrong match
    expect(check((r) => (wrong({})(r), (r.reason = 'ai-generated')))).toBe('reason does not fit the kind of report');
    // a tip that names a match
    expect(check((r) => (wrong({})(r), (r.kind = 'tip'), (r.reason = 'other')))).toBe('a wrong-match report names the match, a tip does not');
  });
  it('the recipient: https endpoint, feed fields null for the reader\'s own address', () => {
    expect(check((r) => (r.recipient = { endpoint: 'https://desk.example/reports', feedUrl: null, feedId: null }))).toBe('ok');
    expect(check((r) => (r.recipient.endpoint = 'http://desk.example/reports'))).toBe('recipient.endpoint: must be an https URL');
    expect(v.parse(recipientSchema(), { endpoint: 'https://DESK.example/r', feedUrl: null, feedId: null }).endpoint).toBe('https://desk.example/r');
    expect(v.safeParse(recipientSchema(), { endpoint: 'http://127.0.0.1:8787/r', feedUrl: null, feedId: null }).success).toBe(false);
    expect(v.safeParse(recipientSchema({ testHosts: ['127.0.0.1'] }), { endpoint: 'http://127.0.0.1:8787/r', feedUrl: null, feedId: null }).success).toBe(true);
  });
  it('the reader\'s choices: a known reason, note and contact within their limits', () => {
    const ok = { recipient: choices().recipient, reason: 'other', includeText: true, note: 'n'.repeat(1000), contact: 'c'.repeat(200) };
    expect(v.safeParse(choicesSchema(), ok).success).toBe(true);
    expect(v.safeParse(choicesSchema(), { ...ok, note: 'n'.repeat(1001) }).success).toBe(false);
    expect(v.safeParse(choicesSchema(), { ...ok, contact: 'c'.repeat(201) }).success).toBe(false);
    expect(v.safeParse(choicesSchema(), { ...ok, reason: 'spam' }).success).toBe(false);
  });
  it('a draft may hold the page\'s text up to twice the limit (cleaned and cut when the report is built)', () => {
    expect(parseDraft({ ...draft(), post: { ...draft().post, text: 't'.repeat(4000) } }).post.text).toHaveLength(4000);
    expect(() => parseDraft({ ...draft(), post: { ...draft().post, text: 't'.repeat(4001) } })).toThrow(/^post\.text: /);
    expect(() => parseDraft({ ...draft(), post: { ...draft().post, author: '' } })).toThrow(/^post\.author: /);
  });
});

describe('ReportError', () => {
  it('names the field in front of the message, and keeps it apart', () => {
    const e = new ReportError('must be one line', 'post.author');
    expect(e.name).toBe('ReportError');
    expect(e.message).toBe('post.author: must be one line');
    expect(e.path).toBe('post.author');
    expect(new ReportError('too big').message).toBe('too big');
    try {
      parseReport({ ...sent(), reportId: 'x' });
    } catch (err) {
      expect((err as ReportError).path).toBe('reportId');
    }
    expect(() => parseReport({ ...sent(), reportId: '6F1C2A4E-8B3D-4C5E-9F60-1A2B3C4D5E6F' })).toThrow('reportId: must be a UUID v4 (lower case)');
    expect(() => parseReport({ ...sent(), reportId: '6f1c2a4e-8b3d-1c5e-9f60-1a2b3c4d5e6f' })).toThrow('reportId: must be a UUID v4 (lower case)');
  });
});

describe('cleanText and buildReport\'s text', () => {
  it('removes control characters but tabs and line breaks, trims, empty is null, cut to the limit', () => {
    expect(cleanText(' a\u0000b\u001fc\u007fd\u0085e\u009ff\tg\nh\ri ', 100)).toBe('abcdef\tg\nh\ri');
    expect(cleanText(' \u0007 ', 100)).toBeNull();
    expect(cleanText('abcdef', 4)).toBe('abcd');
  });
  it('the post text is cleaned and cut to 2,000 characters; no text stays null', () => {
    const long = buildReport(draft({ post: { ...draft().post, text: ` ${'t'.repeat(2500)} ` } }), choices());
    expect(long.post.text).toBe('t'.repeat(2000));
    expect(buildReport(draft({ post: { ...draft().post, text: null } }), choices()).post.text).toBeNull();
    expect(buildReport(draft({ media: [{ ...draft().media[0]!, pdq: null }] }), choices()).media[0]!.pdq).toBeNull();
  });
  it('the size limit is 32 KiB of UTF-8: at the limit it is built, one byte more it is not', () => {
    // Inflate with media addresses, then fill to the byte with the note (a null note becomes "…": n + 2 − 4 bytes).
    const big = draft({ media: Array.from({ length: 7 }, (_, i) => ({ type: 'photo' as const, url: `https://pbs.twimg.com/media/${'A'.repeat(4320)}${i}`, quoted: false, pdq: null })) });
    const base = new TextEncoder().encode(reportText(buildReport(big, choices()))).byteLength;
    const n = REPORT_LIMITS.maxReportBytes - base + 2;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(REPORT_LIMITS.maxNote);
    expect(new TextEncoder().encode(reportText(buildReport(big, choices({ note: 'n'.repeat(n) })))).byteLength).toBe(32 * 1024);
    expect(() => buildReport(big, choices({ note: 'n'.repeat(n + 1) }))).toThrow(`the report is ${32 * 1024 + 1} bytes, more than ${32 * 1024}`);
  });
});

describe('the report run\'s survivors', () => {
  it('the report id is a whole UUID, the post path a whole /<handle>/status/<id>, the wrong reason named', () => {
    const id = '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f';
    expect(check((r) => (r.reportId = `${id}0`))).toBe('reportId: must be a UUID v4 (lower case)');
    expect(check((r) => (r.reportId = `0${id}`))).toBe('reportId: must be a UUID v4 (lower case)');
    expect(check((r) => (r.post.url = 'https://x.com/i/web/status/1'))).toBe('post.url: must be a post’s address: https://x.com/<handle>/status/<id>');
    expect(() => buildReport(draft(), choices({ reason: 'not-the-same-media' }))).toThrow('reason: not a reason for a tip report');
  });
});
