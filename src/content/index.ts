/**
 * Content script entry (one classic bundle per browser, injected into X pages): when the reader
 * has the extension on, watch the page for media, have it checked, and put a notice on matches.
 *
 * It writes nothing into the page in store builds except the notices themselves (a page must not
 * be able to tell the extension is installed otherwise). Test builds record the handshake and the
 * number of notices on <html> for the end-to-end tests.
 */
import { IS_TEST_BUILD } from '../shared/build';
import { PROTOCOL_VERSION, type FrameHitView, type MatchView } from '../shared/messages';
import { hashToHex } from '../core/hash256';
import { isXPageUrl, mediaKey, postOf, postUrl, type FoundMedia } from '../shared/x';
import { useCatalogue } from '../shared/i18n';
import { mountNotice, type MountedNotice, type NoticeInput } from './notice/mount';
import { startReporting } from './report';
import { ContentScriptContext } from './context';
import { watchMarkup } from './markup';
import { Scanner } from './scanner';
import { HOST_ATTR, followTheme } from './theme';
import { sampleSlices, watchVideo } from './video';
import { VideoEvidence } from '../core/match/video';

/** Media smaller than this (either side) get the notice's label, which opens the details panel. */
const COMPACT_BELOW = { width: 260, height: 180 };

function isSmall(box: HTMLElement): boolean {
  const r = box.getBoundingClientRect();
  return r.width < COMPACT_BELOW.width || r.height < COMPACT_BELOW.height;
}

function record(data: object): void {
  if (IS_TEST_BUILD) document.documentElement.dataset['alreadyDebunkedE2e'] = JSON.stringify(data);
}

/**
 * Runs the content script for the life of `ctx`: everything it starts (observers, timers, listeners,
 * video sampling, messages) belongs to the context and stops when the extension goes away, and what
 * it put into the page is removed then.
 */
async function start(ctx: ContentScriptContext): Promise<void> {
  if (!isXPageUrl(location.href)) return;
  let hello;
  try {
    hello = await ctx.send('cs/hello', { protocol: PROTOCOL_VERSION, page: location.href });
  } catch (e) {
    if (ctx.isInvalid) return;
    console.warn('[already-debunked] background not reachable:', e);
    record({ ready: false, error: String(e) });
    return;
  }
  record({ ready: true, ...hello, messages: undefined });
  useCatalogue(hello.locale, hello.messages);
  if (!hello.enabled || ctx.isInvalid) return;
  ctx.onInvalidated(() => {
    for (const host of document.querySelectorAll(`[${HOST_ATTR}]`)) host.remove();
    record({ ready: false, invalidated: true });
  });

  const reporting = startReporting(ctx);
  const notices = new WeakMap<HTMLElement, MountedNotice>();
  const revealed = new Set<string>(); // media the reader chose to see: the choice sticks
  const dismissed = new Set<string>(); // "this post uses it correctly"
  const watching = new WeakSet<HTMLVideoElement>();
  const displayMode = hello.displayMode;
  /**
   * Notices go on in one batch per frame, just before the browser lays the page out: first every
   * read (each box's size, whether it is positioned), then every write (the hosts). Mounting one by
   * one as answers arrive read the layout after the previous notice's write each time, a forced
   * layout of the page per notice.
   */
  const mounting = new Map<HTMLElement, { item: FoundMedia; match: MatchView; postKey: string }>();
  function mountAll(): void {
    const batch = [...mounting.values()].filter(({ item }) => item.box.isConnected);
    mounting.clear();
    const measured = batch.map((m) => ({ ...m, compact: isSmall(m.item.box), positioned: getComputedStyle(m.item.box).position !== 'static' }));
    for (const { item, match, postKey, compact, positioned } of measured) {
      if (dismissed.has(postKey)) continue;
      const key = mediaKey(item.url);
      const props: NoticeInput = {
        match,
        mode: displayMode,
        compact,
        revealed: revealed.has(key),
        onReveal: (on: boolean) => {
          if (on) revealed.add(key);
          else revealed.delete(key);
          notices.get(item.box)?.update({ ...props, revealed: on });
        },
        onCorrectUse: () => {
          dismissed.add(postKey);
          ctx.setTimeout(() => notices.get(item.box)?.unmount(), 1500);
        },
        onWrongMatch: reporting.wrongMatch(item, match),
      };
      notices.set(item.box, mountNotice(item.box, props, { positioned }));
    }
  }
  const scanner = new Scanner(document, {
    check: async (urls) => (await ctx.send('cs/match-media', { urls })).results,
    visible: (item) => reporting.visible(item),
    unmatched(item: FoundMedia) {
      // The poster did not match: the frames the reader plays still may.
      const video = item.kind === 'video' || item.kind === 'gif' ? item.box.querySelector('video') : null;
      if (!video || watching.has(video)) return;
      watching.add(video);
      // Evidence across the frames of this video (src/core/match/video.ts): one frame near enough,
      // or consecutive frames agreeing on an entry in the clip's order.
      let evidence: VideoEvidence<string> | null = null; // by the reader's level, from the first answer
      watchVideo(
        video,
        async (frame) => {
          const { hits, rule } = await ctx.send('cs/match-frame', { hashes: frame.hashes.map(hashToHex), quality: frame.quality, probes: frame.probes });
          const key = (h: FrameHitView) => `${h.match.feedUrl}|${h.match.entryId}`;
          evidence ??= new VideoEvidence<string>(rule);
          const accepted = new Set(evidence.add(frame.t, hits.map((h) => ({ entry: key(h), distance: h.distance, t: h.t, until: h.until, alike: h.alike }))));
          const matches = hits.filter((h) => accepted.has(key(h))).map((h) => h.match);
          if (matches.length && item.box.isConnected) this.show(item, matches);
          return matches.length > 0;
        },
        ctx,
      );
    },
    show(item, matches) {
      const match = matches[0]!;
      const post = postOf(item.box);
      const postKey = `${post?.id ?? location.pathname}|${mediaKey(item.url)}`;
      if (dismissed.has(postKey)) return;
      reporting.noticed(item, match);
      // X re-rendered a post that has its notice (or one is on its way): nothing to do, and no
      // layout read for it.
      const existing = notices.get(item.box);
      if (existing && existing.host.isConnected) return;
      if (!existing && !mounting.has(item.box)) {
        const shown = {
          post: post ? postUrl(post.author, post.id) : null,
          media: item.url,
          feedUrl: match.feedUrl,
          feedName: match.feedName,
          entryId: match.entryId,
          label: match.label,
          headline: match.headline ?? match.claim,
          factCheckUrl: match.factCheckUrl,
        };
        void ctx.send('cs/notice-shown', shown).catch(() => undefined);
      }
      mounting.set(item.box, { item, match, postKey });
      if (mounting.size === 1) ctx.requestAnimationFrame(mountAll);
    },
  }, ctx);

  followTheme(document, ctx); // before the first host is made: hosts take the followed theme
  scanner.start();
  // When X changes its markup: quiet for the reader, a diagnostics line in the popup, loud in the
  // test build's console.
  watchMarkup(ctx, document, (silent, sample) => {
    if (IS_TEST_BUILD) console.warn(`[already-debunked] X's markup changed: ${silent.join(', ')} never matched on ${location.pathname}`, sample);
    void ctx.send('cs/markup-report', { silent, sample }).catch(() => undefined);
  });
  // Test builds: the scroll bench and the end-to-end tests ask what the scanner holds and where the
  // check of a media URL (data-already-debunked-e2e-ask on <html>) stands; store builds drop this.
  if (IS_TEST_BUILD) {
    ctx.addEventListener(document, 'already-debunked:e2e-sizes', () => {
      const html = document.documentElement;
      const ask = html.getAttribute('data-already-debunked-e2e-ask');
      html.dataset['alreadyDebunkedScanner'] = JSON.stringify({ ...scanner.sizes(), asked: ask ? scanner.stateOf(new URL(ask, location.href).href) : null });
    });
    // The video-browser bench: each video sample's main-thread slices (ms) since the last ask.
    ctx.addEventListener(document, 'already-debunked:e2e-video-cost', () => {
      document.documentElement.dataset['alreadyDebunkedVideoCost'] = JSON.stringify(sampleSlices?.splice(0) ?? []);
    });
  }
}

void start(new ContentScriptContext());
