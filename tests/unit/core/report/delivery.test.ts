// When to retry a report and what an answer means; the export formats.
import { describe, expect, it } from 'vitest';
import { DELIVERY, csvField, parseRetryAfter, reportsToCsv, reportsToJson, retryDelayMs, verdictFor, type ReportRow } from '../../../../src/core/report';
import { buildReport } from '../../../../src/core/report';
import { choices, draft } from './fixtures';

describe('retry backoff', () => {
  it('starts at 30 s and doubles per failure, up to an hour', () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, mid))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });
  it('jitters by ±10 % so readers do not retry in step', () => {
    expect(retryDelayMs(3, () => 0)).toBe(108_000);
    expect(retryDelayMs(3, () => 1)).toBe(132_000);
  });
  it('never retries sooner than the server’s Retry-After, capped at a day', () => {
    expect(retryDelayMs(1, () => 0.5, 600_000)).toBe(600_000);
    expect(retryDelayMs(1, () => 0.5, 10 * 24 * 3600_000)).toBe(DELIVERY.maxRetryAfterMs);
    expect(retryDelayMs(8, () => 0.5, 1000)).toBe(3_600_000);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-24T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('what an answer means', () => {
  it('2xx and 409 (already held) are delivered; 408, 425, 429, 5xx are retried; other statuses are refusals', () => {
    for (const s of [200, 201, 202, 204, 409]) expect(verdictFor(s), String(s)).toBe('delivered');
    for (const s of [408, 425, 429, 500, 502, 503, 504]) expect(verdictFor(s), String(s)).toBe('retry');
    for (const s of [0, 301, 400, 401, 403, 404, 405, 410, 413, 415, 422]) expect(verdictFor(s), String(s)).toBe('rejected');
  });
});

const row = (over: Partial<ReportRow> = {}, note = ''): ReportRow => ({
  report: buildReport(draft(), choices({ note })),
  status: 'delivered',
  attempts: 2,
  lastAttemptAt: '2026-11-24T00:13:00.000Z',
  nextTryAt: null,
  lastError: null,
  deliveredAt: '2026-11-24T00:13:01.000Z',
  ...over,
});

describe('exports', () => {
  it('JSON: every report exactly as sent, with its delivery status', () => {
    const rows = [row(), row({ status: 'queued', deliveredAt: null, lastError: 'HTTP 503', nextTryAt: '2026-11-24T00:20:00.000Z' })];
    const doc = JSON.parse(reportsToJson(rows, '2026-11-25T00:00:00.000Z'));
    expect(doc.format).toBe('already-debunked/reports-export');
    expect(doc.exportedAt).toBe('2026-11-25T00:00:00.000Z');
    expect(doc.reports).toHaveLength(2);
    expect(doc.reports[0].report).toEqual(rows[0]!.report);
    expect(doc.reports[1]).toMatchObject({ status: 'queued', lastError: 'HTTP 503', attempts: 2 });
  });

  it('CSV: a header and one row per report, RFC 4180 quoting, CRLF line ends', () => {
    const csv = reportsToCsv([row({}, 'line one\nsays "hi", twice')]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('reportId,createdAt,kind,status,deliveredAt,attempts,lastError,endpoint,postUrl,author,postText,reason,note,contact,matchEntryId,mediaUrls,pdqHashes');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"line one\nsays ""hi"", twice"');
    expect(csv).toContain(',recycled-out-of-context,');
    expect(csv).toContain(',https://x.com/newsdesk_fx/status/1861000000000000001,newsdesk_fx,Kim arrives in Moscow today,');
  });

  it('CSV: text a spreadsheet would run as a formula is defused', () => {
    expect(csvField('=HYPERLINK("https://evil.example")')).toBe(`"'=HYPERLINK(""https://evil.example"")"`);
    for (const s of ['+1', '-1', '@SUM(A1)']) expect(csvField(s)).toBe(`'${s}`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('3');
  });
});
