// The reports export (JSON and RFC 4180 CSV, docs/report-format.md) and the delivery rules'
// boundaries, each row and answer written out by hand.
import { describe, expect, it } from 'vitest';
import { buildReport, csvField, entryClusterKey, parseRetryAfter, reportsToCsv, reportsToJson, urlClusterKey, verdictFor, type ReportRow } from '../../../../src/core/report';
import { HASH, choices, draft } from './fixtures';

const wrongMatch = () =>
  buildReport(
    draft({
      kind: 'wrong-match',
      media: [
        { type: 'photo', url: 'https://pbs.twimg.com/media/A.jpg', quoted: false, pdq: { value: HASH, quality: 90 } },
        { type: 'photo', url: 'https://pbs.twimg.com/media/B.jpg', quoted: true, pdq: null },
      ],
      match: { feedUrl: 'https://feeds.example.org/index.json', feedId: null, entryId: 'kim-2019', distance: 12, variant: 'original' },
    }),
    choices({ reason: 'not-the-same-media', includeText: false, note: '-not the same', contact: 'me@example.org' }),
  );

const rejected = (): ReportRow => ({
  report: wrongMatch(),
  status: 'rejected',
  attempts: 3,
  lastAttemptAt: '2026-11-24T00:15:00.000Z',
  nextTryAt: null,
  lastError: 'HTTP 400: {"error": "bad, very bad"}',
  deliveredAt: null,
});

describe('reportsToCsv', () => {
  it('one row per report, every column in the header\'s order, RFC 4180 quoting, CRLF after each line', () => {
    const csv = reportsToCsv([rejected()]);
    expect(csv).toBe(
      'reportId,createdAt,kind,status,deliveredAt,attempts,lastError,endpoint,postUrl,author,postText,reason,note,contact,matchEntryId,mediaUrls,pdqHashes\r\n' +
        [
          '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f',
          '2026-11-24T00:12:00.000Z',
          'wrong-match',
          'rejected',
          '',
          '3',
          '"HTTP 400: {""error"": ""bad, very bad""}"',
          'https://feeds.example.org/reports',
          'https://x.com/newsdesk_fx/status/1861000000000000001',
          'newsdesk_fx',
          '',
          'not-the-same-media',
          "'-not the same",
          'me@example.org',
          'kim-2019',
          'https://pbs.twimg.com/media/A.jpg https://pbs.twimg.com/media/B.jpg',
          `${HASH} `,
        ].join(',') +
        '\r\n',
    );
  });

  it('no reports: the header alone; a tip has no match entry', () => {
    expect(reportsToCsv([])).toBe('reportId,createdAt,kind,status,deliveredAt,attempts,lastError,endpoint,postUrl,author,postText,reason,note,contact,matchEntryId,mediaUrls,pdqHashes\r\n');
    const tip: ReportRow = { ...rejected(), lastError: null, report: buildReport(draft(), choices()) };
    const cells = reportsToCsv([tip]).split('\r\n')[1]!.split(',');
    expect(cells[14]).toBe('');
    expect(cells[15]).toBe('https://pbs.twimg.com/amplify_video_thumb/1/img/a.jpg');
  });

  it('defuses every formula start: = + - @ tab and carriage return', () => {
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('line\rbreak')).toBe('"line\rbreak"');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField(0)).toBe('0');
    expect(csvField('')).toBe('');
  });
});

describe('reportsToJson', () => {
  it('the export document: format, version, time, and each report with its delivery fields', () => {
    const r = rejected();
    expect(JSON.parse(reportsToJson([r], '2026-11-25T00:00:00.000Z'))).toEqual({
      format: 'already-debunked/reports-export',
      formatVersion: 1,
      exportedAt: '2026-11-25T00:00:00.000Z',
      reports: [{ status: 'rejected', attempts: 3, lastAttemptAt: '2026-11-24T00:15:00.000Z', deliveredAt: null, lastError: 'HTTP 400: {"error": "bad, very bad"}', report: JSON.parse(JSON.stringify(r.report)) }],
    });
  });
  it('is pretty-printed with two spaces (readable as exported)', () => {
    expect(reportsToJson([], '2026-11-25T00:00:00.000Z')).toBe('{\n  "format": "already-debunked/reports-export",\n  "formatVersion": 1,\n  "exportedAt": "2026-11-25T00:00:00.000Z",\n  "reports": []\n}');
  });
});

describe('delivery boundaries', () => {
  it('the edges of 2xx and 5xx', () => {
    expect([199, 200, 299, 300, 399, 407, 409, 410, 424, 426, 428, 430, 499, 500, 599].map(verdictFor)).toEqual([
      'rejected', 'delivered', 'delivered', 'rejected', 'rejected', 'rejected', 'delivered', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'retry', 'retry',
    ]);
  });
  it('Retry-After: spaces around seconds, a date already past is now, empty is none', () => {
    const now = Date.parse('2026-11-24T00:00:00Z');
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Mon, 23 Nov 2026 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('120 s', now)).toBeNull();
  });
});

describe('the report run\'s survivors', () => {
  it('Retry-After with letters before the seconds is not a number of seconds', () => {
    expect(parseRetryAfter('x120', Date.parse('2026-11-24T00:00:00Z'))).toBeNull();
  });
  it('cluster keys: a disputed entry by its feed id (else the feed URL), a media item by its address', () => {
    expect(entryClusterKey({ feedId: null, feedUrl: 'https://f.example/v1/index.json', entryId: 'kim' })).toBe('entry:https://f.example/v1/index.json#kim');
    expect(entryClusterKey({ feedId: 'https://f.example/v1', feedUrl: 'https://f.example/v1/index.json', entryId: 'kim' })).toBe('entry:https://f.example/v1#kim');
    expect(urlClusterKey('https://pbs.twimg.com/media/A.jpg')).toBe('url:https://pbs.twimg.com/media/A.jpg');
  });
});
