// What the receiver accepts and what it writes (issue 13, break 4 and the weaker checks): URLs only
// on X's hosts, stored as parsed; no control characters in text or log lines; a real createdAt;
// valid UTF-8 and no repeated keys. Expected values are the docs' (docs/report-format.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeControls, startReceiver, type Receiver, type StoredLine } from '../../../src/cli/commands/report-server';
import { parseStrictJson } from '../../../src/core/json';
import { buildReport, parseReport, reportText, type Report } from '../../../src/core/report';
import { choices, draft } from '../core/report/fixtures';

let dir: string;
let file: string;
let receiver: Receiver | undefined;
let log: string[];
const base = (): Report => buildReport(draft(), choices({ note: 'Same clip as the 2019 summit.' }));
const post = (body: string | Uint8Array) => fetch(receiver!.url, { method: 'POST', body: body as BodyInit, headers: { 'content-type': 'application/json' } });
/** A report as plain JSON, to be broken in the ways a hostile sender would. */
type Raw = { post: Record<string, unknown>; media: Record<string, unknown>[] } & Record<string, unknown>;
const withReport = (change: (r: Raw) => void) => {
  const r = JSON.parse(reportText(base())) as Raw;
  change(r);
  return JSON.stringify(r);
};
const stored = (): StoredLine[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StoredLine);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ad-input-'));
  file = path.join(dir, 'reports.jsonl');
  log = [];
  receiver = await startReceiver({ port: 0, host: '127.0.0.1', file, path: '/reports', maxBytes: 65536, rate: 100, perSeconds: 60, corsOrigin: '*', testHosts: [], log: (l) => log.push(l) });
});
afterEach(async () => {
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('receiver input', () => {
  it('refuses a post URL holding a newline and an escape sequence; no forged log line, no terminal control', async () => {
    const evil = 'https://x.com/a/status/1\nstored 00000000-0000-4000-8000-000000000000 tip other https://x.com/\u001b[2J';
    const res = await post(withReport((r) => (r.post.url = evil)));
    expect(res.status).toBe(400);
    expect(log.join('\n')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(fs.existsSync(file) ? stored() : []).toEqual([]);
  });

  it('stores and prints URLs as parsed (normalised), not as sent', async () => {
    const res = await post(
      withReport((r) => {
        r.post.url = 'HTTPS://X.COM/newsdesk_fx/status/1861000000000000001';
        r.media[0]!.url = 'https://PBS.twimg.com:443/amplify_video_thumb/1/img/a.jpg';
      }),
    );
    expect(res.status).toBe(201);
    const [line] = stored();
    expect(line!.report.post.url).toBe('https://x.com/newsdesk_fx/status/1861000000000000001');
    expect(line!.report.media[0]!.url).toBe('https://pbs.twimg.com/amplify_video_thumb/1/img/a.jpg');
    expect(log.at(-1)).toMatch(/ https:\/\/x\.com\/newsdesk_fx\/status\/1861000000000000001$/);
  });

  it.each([
    ['a post URL on another host', (r: Raw) => (r.post.url = 'https://evil.example/a/status/1'), /post\.url/],
    ['a post URL that is not a post', (r: Raw) => (r.post.url = 'https://x.com/settings'), /post\.url/],
    ['a media URL on another host', (r: Raw) => (r.media[0]!.url = 'https://evil.example/media/a.jpg'), /media\.0\.url/],
    ['createdAt "1"', (r: Raw) => (r.createdAt = '1'), /createdAt/],
    ['createdAt 30 February', (r: Raw) => (r.createdAt = '2026-02-30T00:00:00Z'), /createdAt/],
    ['a NUL in the note', (r: Raw) => (r.note = 'a\u0000b'), /note/],
    ['an ESC in the note', (r: Raw) => (r.note = 'a\u001b[2Jb'), /note/],
    ['an ESC in the contact', (r: Raw) => (r.contact = '\u001b]0;title\u0007'), /contact/],
    ['a C1 control in the post text', (r: Raw) => (r.post.text = 'a\u009bb'), /post\.text/],
  ])('refuses %s (400, naming the field)', async (_, change, field) => {
    const res = await post(withReport(change));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(field);
  });

  it('refuses invalid UTF-8 instead of replacing it', async () => {
    const text = new TextEncoder().encode(reportText(base()));
    const at = text.indexOf('S'.charCodeAt(0)); // in the note
    const bad = Uint8Array.from(text);
    bad[at] = 0xff;
    const res = await post(bad);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/UTF-8/);
  });

  it('refuses repeated keys (JSON.parse would keep the last)', async () => {
    const text = reportText(base()).replace('"reason": "recycled-out-of-context"', '"reason": "recycled-out-of-context", "reason": "other"');
    expect(() => JSON.parse(text)).not.toThrow();
    const res = await post(text);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/duplicate key "reason"/);
  });
});

describe('strict JSON and log lines', () => {
  it('finds repeated keys at any depth, and not in arrays or strings', () => {
    expect(parseStrictJson(new TextEncoder().encode('{"a":[{"b":1},{"b":2}],"c":"\\"a\\":1,\\"a\\":2","d":{"e":{"f":1}}}'))).toBeTruthy();
    expect(() => parseStrictJson(new TextEncoder().encode('{"a":{"b":{"c":1,"c":2}}}'))).toThrow(/duplicate key "c"/);
    expect(() => parseStrictJson(new TextEncoder().encode('{"a":1,"\\u0061":2}'))).toThrow(/duplicate key "a"/); // the same key, escaped
  });

  it('escapes every control character in a log line', () => {
    expect(escapeControls('stored x\nstored y\u001b[2J\u202e\u0085')).toBe('stored x\\u000astored y\\u001b[2J\\u202e\\u0085');
  });

  it('the extension never builds a report the receiver refuses: control characters typed in the note are removed', () => {
    const r = buildReport(draft(), choices({ note: 'a\u0000b\u001b[2J\u0085c' }));
    expect(r.note).toBe('ab[2Jc');
    expect(() => parseReport(JSON.parse(reportText(r)))).not.toThrow();
  });
});
