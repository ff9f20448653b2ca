// A draft and choices for the report tests.
import type { ReportChoices, ReportDraft } from '../../../../src/core/report';

export const HASH = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
export const draft = (over: Partial<ReportDraft> = {}): ReportDraft => ({
  reportId: '6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f',
  kind: 'tip',
  createdAt: '2026-11-24T00:12:00.000Z',
  client: { name: 'already-debunked', version: '0.1.0', locale: 'fr' },
  post: { url: 'https://x.com/newsdesk_fx/status/1861000000000000001', postId: '1861000000000000001', author: 'newsdesk_fx', text: 'Kim arrives in Moscow today', lang: 'en' },
  media: [{ type: 'video', url: 'https://pbs.twimg.com/amplify_video_thumb/1/img/a.jpg', quoted: false, pdq: { value: HASH, quality: 94 } }],
  match: null,
  ...over,
});
export const choices = (over: Partial<ReportChoices> = {}): ReportChoices => ({
  recipient: { endpoint: 'https://feeds.example.org/reports', feedUrl: 'https://feeds.example.org/index.json', feedId: 'https://feeds.example.org/' },
  reason: 'recycled-out-of-context',
  includeText: true,
  note: '',
  contact: '',
  ...over,
});
