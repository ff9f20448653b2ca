/**
 * Content script entry (one classic bundle per browser, injected into X pages): when the reader
 * has the extension on, watch the page for media, have it checked, and put a notice on matches.
 *
 * It writes nothing into the page in store builds except the notices themselves (a page must not
 * be able to tell the extension is installed otherwise). Test builds record the handshake and the
 * number of notices on <html> for the end-to-end tests.
 */
import { IS_TEST_BUILD } from '../shared/build';
import { PROTOCOL_VERSION } from '../shared/messages';
import { send } from '../shared/messaging';
import { hashToHex } from '../core/hash256';
import { isXPageUrl, mediaKey, postOf, postUrl, type FoundMedia } from '../shared/x';
import { useCatalogue } from '../shared/i18n';
import { mountNotice, type MountedNotice } from './notice/mount';
import { startReporting } from './report';
import { Scanner } from './scanner';
import { followTheme } from './theme';
import { watchVideo } from './video';

/** Media smaller than this (either side) get the notice's label, which opens the details panel. */
const COMPACT_BELOW = { width: 260, height: 180 };

function isSmall(box: HTMLElement): boolean {
  const r = box.getBoundingClientRect();
  return r.width < COMPACT_BELOW.width || r.height < COMPACT_BELOW.height;
}

function record(data: object): void {
  if (IS_TEST_BUILD) document.documentElement.dataset['alreadyDebunkedE2e'] = JSON.stringify(data);
}

async function start(): Promise<void> {
  if (!isXPageUrl(location.href)) return;
  let hello;
  try {
    hello = await send('cs/hello', { protocol: PROTOCOL_VERSION, page: location.href });
  } catch (e) {
    console.warn('[already-debunked] background not reachable:', e);
    record({ ready: false, error: String(e) });
    return;
  }
  record({ ready: true, ...hello, messages: undefined });
  useCatalogue(hello.locale, hello.messages);
  if (!hello.enabled) return;

  const reporting = startReporting();
  const notices = new WeakMap<HTMLElement, MountedNotice>();
  const revealed = new Set<string>(); // media the reader chose to see: the choice sticks
  const dismissed = new Set<string>(); // "this post uses it correctly"
  const watching = new WeakSet<HTMLVideoElement>();
  const scanner = new Scanner(document, {
    check: async (urls) => (await send('cs/match-media', { urls })).results,
    visible: (item) => reporting.visible(item),
    unmatched(item: FoundMedia) {
      // The poster did not match: the frames the reader plays still may.
      const video = item.kind === 'video' || item.kind === 'gif' ? item.box.querySelector('video') : null;
      if (!video || watching.has(video)) return;
      watching.add(video);
      watchVideo(video, async (frame) => {
        const { matches } = await send('cs/match-hashes', { hashes: frame.hashes.map(hashToHex), quality: frame.quality, probes: frame.probes });
        if (matches.length && item.box.isConnected) this.show(item, matches);
        return matches.length > 0;
      });
    },
    show(item, matches) {
      const match = matches[0]!;
      const post = postOf(item.box);
      const postKey = `${post?.id ?? location.pathname}|${mediaKey(item.url)}`;
      if (dismissed.has(postKey)) return;
      const props = {
        match,
        mode: hello.displayMode,
        compact: isSmall(item.box),
        revealed: revealed.has(mediaKey(item.url)),
        onReveal: (on: boolean) => {
          if (on) revealed.add(mediaKey(item.url));
          else revealed.delete(mediaKey(item.url));
          notices.get(item.box)?.update({ ...props, revealed: on });
        },
        onCorrectUse: () => {
          dismissed.add(postKey);
          setTimeout(() => notices.get(item.box)?.unmount(), 1500);
        },
        onWrongMatch: reporting.wrongMatch(item, match),
      };
      reporting.noticed(item, match);
      const existing = notices.get(item.box);
      if (existing && existing.host.isConnected) return;
      if (!existing) {
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
        void send('cs/notice-shown', shown).catch(() => undefined);
      }
      notices.set(item.box, mountNotice(item.box, props));
    },
  });
  followTheme(document); // before the first host is made: hosts take the followed theme
  scanner.start();
}

void start();
