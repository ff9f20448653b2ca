// The report format: one function builds the report from the draft and the reader's choices; the
// text it gives is the preview and the request body; the receiver's schema accepts exactly that.
import { describe, expect, it } from 'vitest';
import { REPORT_LIMITS, buildReport, parseDraft, parseReport, reportText, type ReportDraft } from '../../../../src/core/report';
import { HASH, choices, draft } from './fixtures';

describe('buildReport', () => {
  it('holds the post, its media and hashes, the reason, the recipient; the reader’s note and contact only when typed', () => {
    const r = buildReport(draft(), choices());
    expect(r).toEqual({
      format: 'already-debunked/report',
      formatVersion: 1,
      reportId: '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f',
      kind: 'tip',
      createdAt: '2026-11-24T00:12:00.000Z',
      client: { name: 'already-debunked', version: '0.1.0', locale: 'fr' },
      recipient: { endpoint: 'https://feeds.example.org/reports', feedUrl: 'https://feeds.example.org/index.json', feedId: 'https://feeds.example.org/' },
      post: { url: 'https://x.com/newsdesk_fx/status/1861000000000000001', postId: '1861000000000000001', author: 'newsdesk_fx', text: 'Kim arrives in Moscow today', lang: 'en' },
      media: [{ type: 'video', url: 'https://pbs.twimg.com/amplify_video_thumb/1/img/a.jpg', quoted: false, pdq: { value: HASH, quality: 94 } }],
      match: null,
      reason: 'recycled-out-of-context',
      note: null,
      contact: null,
    });
    const typed = buildReport(draft(), choices({ note: '  seen in 2019 \u0007', contact: ' me@example.org ' }));
    expect(typed.note).toBe('seen in 2019');
    expect(typed.contact).toBe('me@example.org');
  });

  it('leaves the post text out when the reader unticks it', () => {
    expect(buildReport(draft(), choices({ includeText: false })).post.text).toBeNull();
  });

  it('is deterministic: the same draft and choices give the same text, byte for byte', () => {
    expect(reportText(buildReport(draft(), choices()))).toBe(reportText(buildReport(structuredClone(draft()), structuredClone(choices()))));
  });

  it('carries nothing it was not given (no extra fields sneak from the draft into the report)', () => {
    const sneaky = { ...draft(), cookies: 'a=b', history: ['https://x.com/'] } as unknown as ReportDraft;
    const text = reportText(buildReport(sneaky, choices()));
    expect(text).not.toMatch(/cookies|history/);
  });

  it('refuses a reason of the other kind, and a report over the size limit', () => {
    expect(() => buildReport(draft(), choices({ reason: 'not-the-same-media' }))).toThrow(/reason/);
    const wrong = draft({ kind: 'wrong-match', match: { feedUrl: 'https://feeds.example.org/index.json', feedId: null, entryId: 'e1', distance: 12, variant: 'original' } });
    expect(() => buildReport(wrong, choices())).toThrow(/reason/);
    expect(buildReport(wrong, choices({ reason: 'not-the-same-media' })).match?.entryId).toBe('e1');
    const big = draft({ media: Array.from({ length: 8 }, (_, i) => ({ type: 'photo' as const, url: `https://pbs.twimg.com/media/${'A'.repeat(4100)}${i}`, quoted: false, pdq: null })) });
    expect(() => buildReport(big, choices({ note: 'n'.repeat(REPORT_LIMITS.maxNote) }))).toThrow(/bytes/);
  });
});

describe('the receiver’s schema', () => {
  it('accepts what buildReport makes (round trip through the text)', () => {
    const r = buildReport(draft(), choices());
    expect(parseReport(JSON.parse(reportText(r)))).toEqual(r);
    const w = buildReport(draft({ kind: 'wrong-match', match: { feedUrl: 'https://feeds.example.org/index.json', feedId: null, entryId: 'e1', distance: 12, variant: 'rotate90' } }), choices({ reason: 'other' }));
    expect(parseReport(JSON.parse(reportText(w)))).toEqual(w);
  });

  it('refuses malformed reports with the field at fault', () => {
    const r = JSON.parse(reportText(buildReport(draft(), choices())));
    const bad = (f: (x: typeof r) => void) => {
      const c = structuredClone(r);
      f(c);
      return () => parseReport(c);
    };
    expect(bad((x) => (x.reportId = 'not-a-uuid'))).toThrow(/reportId/);
    expect(bad((x) => (x.formatVersion = 2))).toThrow(/formatVersion/);
    expect(bad((x) => (x.post.url = 'javascript:alert(1)'))).toThrow(/post\.url/);
    expect(bad((x) => (x.media[0].pdq.value = 'zz'))).toThrow(/media\.0\.pdq\.value/);
    expect(bad((x) => (x.reason = 'not-the-same-media'))).toThrow(/reason does not fit/);
    expect(bad((x) => (x.match = { feedUrl: 'https://f.example/', feedId: null, entryId: 'e', distance: 1, variant: 'original' }))).toThrow(/names the match/);
    expect(bad((x) => (x.extra = 1))).toThrow();
  });

  it('allows plain http only to loopback, and only when told', () => {
    const local = buildReport(draft({ media: [{ type: 'photo', url: 'http://127.0.0.1:4000/media/A', quoted: false, pdq: null }] }), choices());
    expect(() => parseReport(local)).toThrow(/media\.0\.url/);
    expect(parseReport(local, { testHosts: ['127.0.0.1'] }).media[0]!.url).toBe('http://127.0.0.1:4000/media/A');
  });

  it('checks drafts the same way (they cross the message boundary)', () => {
    expect(parseDraft(draft())).toEqual(draft());
    expect(() => parseDraft({ ...draft(), reportId: 'x' })).toThrow(/reportId/);
    expect(() => parseDraft({ ...draft(), media: Array(9).fill(draft().media[0]) })).toThrow(/media/);
  });
});
