/**
 * The reader's reports, exported: JSON (every report exactly as sent, with its delivery status)
 * and CSV (one row per report, for a spreadsheet). Pure.
 */
import type { Report } from './format';

export type DeliveryStatus = 'queued' | 'delivered' | 'rejected';

/** A report in the outbox, as the pages list and export it. */
export interface ReportRow {
  report: Report;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  nextTryAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export const REPORTS_EXPORT_FORMAT = 'already-debunked/reports-export';

export function reportsToJson(rows: readonly ReportRow[], exportedAt: string): string {
  return JSON.stringify(
    {
      format: REPORTS_EXPORT_FORMAT,
      formatVersion: 1,
      exportedAt,
      reports: rows.map((r) => ({
        status: r.status,
        attempts: r.attempts,
        lastAttemptAt: r.lastAttemptAt,
        deliveredAt: r.deliveredAt,
        lastError: r.lastError,
        report: r.report,
      })),
    },
    null,
    2,
  );
}

export const CSV_COLUMNS = [
  'reportId',
  'createdAt',
  'kind',
  'status',
  'deliveredAt',
  'attempts',
  'lastError',
  'endpoint',
  'postUrl',
  'author',
  'postText',
  'reason',
  'note',
  'contact',
  'matchEntryId',
  'mediaUrls',
  'pdqHashes',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. A field that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe: post texts and notes come from strangers.
 */
export function csvField(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function reportsToCsv(rows: readonly ReportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const { report: r, ...d } of rows) {
    const cells: (string | number | null)[] = [
      r.reportId,
      r.createdAt,
      r.kind,
      d.status,
      d.deliveredAt,
      d.attempts,
      d.lastError,
      r.recipient.endpoint,
      r.post.url,
      r.post.author,
      r.post.text,
      r.reason,
      r.note,
      r.contact,
      r.match?.entryId ?? null,
      r.media.map((m) => m.url).join(' '),
      r.media.map((m) => m.pdq?.value ?? '').join(' '),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
