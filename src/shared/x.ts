/**
 * Everything this project knows about X/Twitter's addresses and markup lives in this one module,
 * so that when X changes, one file changes. (Selectors and post classification join it with the
 * content issue.) Both the content script and the background use it: the background to check
 * that a sender is an X tab and that a media URL is on X's media hosts before fetching it.
 *
 * Test builds (IS_TEST_BUILD) treat loopback pages as X and loopback media as X media, so the
 * end-to-end tests exercise these same rules against fixture pages served on loopback.
 */
import { X_MEDIA_HOSTS, X_PAGE_HOSTS } from '../core/url';
import { BUILD } from './build';

// X's hosts are declared with the URL rules in core (reports check them too).
export { X_MEDIA_HOSTS, X_PAGE_HOSTS };

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function isTestUrl(u: URL): boolean {
  return u.protocol === 'http:' && BUILD.testHosts.includes(u.hostname);
}

/** A page of the X web app (or, in test builds, a loopback fixture page). */
export function isXPageUrl(raw: string): boolean {
  const u = parse(raw);
  if (!u) return false;
  if (isTestUrl(u)) return true;
  return u.protocol === 'https:' && X_PAGE_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
}

/** A file on X's media hosts (or, in test builds, a loopback media server). */
export function isXMediaUrl(raw: string): boolean {
  const u = parse(raw);
  if (!u || u.username || u.password) return false;
  if (isTestUrl(u)) return true;
  return u.protocol === 'https:' && X_MEDIA_HOSTS.includes(u.hostname) && (u.port === '' || u.port === '443');
}

/**
 * X shows this image instead of age-restricted media to unverified viewers (since 2025-08);
 * hashing it would "match" everywhere it appears.
 */
const AGE_RESTRICTED_PLACEHOLDER = '/media/GxJIrSUagAAK-ZP';

/** Media we hash: photos, video and GIF posters, link-card images. Not avatars, emoji, placeholders. */
export function isHashableMediaUrl(raw: string): boolean {
  if (!isXMediaUrl(raw)) return false;
  const path = new URL(raw).pathname;
  if (path.startsWith(AGE_RESTRICTED_PLACEHOLDER)) return false;
  return /^\/(media|amplify_video_thumb|ext_tw_video_thumb|tweet_video_thumb|card_img)\//.test(path);
}

/**
 * One key per upload, whatever size variant is displayed: host + path without the query and
 * without the legacy `:large` suffix (`pbs.twimg.com/media/GZA6uwubAAA0-Wm`).
 */
export function mediaKey(raw: string): string {
  const u = new URL(raw);
  return `${u.host}${u.pathname.replace(/:[a-z0-9]+$/i, '').replace(/\.(jpg|jpeg|png|webp)$/i, '')}`;
}

/**
 * The variant we fetch for hashing: `name=small` (≤ 680 px: plenty for PDQ's 64x64, and the
 * smallest download) where X offers size variants; other media as displayed.
 */
export function preferredVariant(raw: string): string {
  const u = new URL(raw);
  if (/^\/(media|card_img)\//.test(u.pathname) && !/:[a-z]+$/.test(u.pathname)) {
    u.searchParams.set('name', 'small');
  }
  return u.href;
}

// ---------------------------------------------------------------------------------------------
// Markup. X's stable layer is its data-testid names and its CDN URL shapes (../shared/docs/x-dom.md
// §1.5, §1.12); hashed class names, nth-child chains and UI text (localised) are never used.

export const SELECTORS = {
  /** A post: `article` in timelines, `div` in the media viewer. */
  post: 'article[data-testid="tweet"], div[data-testid="tweet"]',
  /** The box a photo, a video or a GIF sits in (videos and GIFs are inside tweetPhoto too), and a
   * picture in the media viewer (/photo/N). */
  mediaBox: '[data-testid="tweetPhoto"], [data-testid="swipe-to-dismiss"]',
  /** A link card's image box. */
  cardBox: '[data-testid="card.layoutLarge.media"], [data-testid="card.layoutSmall.media"]',
  /** A quoted post: the role=link box inside the outer post. */
  quote: 'div[role="link"]',
  /** A post's action bar (reply, repost, like, views, bookmark, share): x-dom.md §2.3. */
  actionBar: 'div[role="group"]',
  /** A post's text (also inside a quoted post's box). */
  postText: '[data-testid="tweetText"]',
} as const;

export type MediaKind = 'photo' | 'video' | 'gif' | 'card';

export interface FoundMedia {
  /** The media URL as displayed (photo src, video or GIF poster, card image). */
  url: string;
  /** Where a notice goes: the element that frames this one media item. */
  box: HTMLElement;
  kind: MediaKind;
  /** Inside a quoted post (the notice belongs to the quoted media, not the outer post). */
  quoted: boolean;
}

/** Every hashable media item under `root`, one per box (X repeats a poster as an overlay image). */
export function findMedia(root: ParentNode): FoundMedia[] {
  const found = new Map<HTMLElement, FoundMedia>();
  for (const el of root.querySelectorAll<HTMLImageElement | HTMLVideoElement>('img[src], video[poster]')) {
    // Attributes resolved against the page, rather than the src/poster properties or instanceof
    // checks, which differ across content-script worlds and DOM implementations.
    const raw = el.getAttribute(el.tagName === 'VIDEO' ? 'poster' : 'src') ?? '';
    let url: string;
    try {
      url = new URL(raw, el.ownerDocument.baseURI).href;
    } catch {
      continue;
    }
    if (!isHashableMediaUrl(url)) continue;
    const box = el.closest<HTMLElement>(`${SELECTORS.mediaBox}, ${SELECTORS.cardBox}`);
    if (!box || found.has(box)) continue;
    const video = box.querySelector('video');
    const path = new URL(url).pathname;
    // A player anywhere in the box makes it a video or GIF (ads put one in a card), whatever the box.
    const kind: MediaKind =
      path.startsWith('/tweet_video_thumb/') || /\/tweet_video\//.test(video?.src ?? '')
        ? 'gif'
        : video || /_video_thumb\//.test(path)
          ? 'video'
          : box.matches(SELECTORS.cardBox)
            ? 'card'
            : 'photo';
    const post = box.closest(SELECTORS.post);
    const quote = box.closest(SELECTORS.quote);
    found.set(box, { url, box, kind, quoted: !!quote && !!post && post.contains(quote) && quote !== post });
  }
  return [...found.values()];
}

const STATUS_PATH = /^\/([A-Za-z0-9_]{1,20})\/status\/(\d{1,25})(?:\/(?:photo|video)\/\d)?\/?$/;

/** Author handle and post id from a status link (`/<handle>/status/<id>[/photo/N]`), strictly. */
export function parseStatusPath(href: string): { author: string; id: string } | null {
  let pathname: string;
  try {
    pathname = new URL(href, 'https://x.com').pathname;
  } catch {
    return null;
  }
  const m = STATUS_PATH.exec(pathname);
  return m ? { author: m[1]!, id: m[2]! } : null;
}

/** The post element a media box belongs to (the outer post for quoted media). */
export function postElementOf(box: Element): Element | null {
  // In the media viewer the picture and the post's wrapper are side by side in one dialog.
  return box.closest(SELECTORS.post) ?? box.closest('[role="dialog"]')?.querySelector(SELECTORS.post) ?? null;
}

/**
 * The post a media box belongs to: for quoted media the quoted post (its photo link is the only
 * place its id appears; a quoted video has none), otherwise the outer post, whose permalink is the
 * status link around its <time> (absent on ads: then the analytics link).
 */
export function postOf(box: Element): { author: string; id: string } | null {
  const post = postElementOf(box);
  if (!post) return null;
  const quote = box.closest(SELECTORS.quote);
  if (quote && post.contains(quote) && quote !== post) {
    const own = box.closest('a[href*="/status/"]') ?? quote.querySelector('a[href*="/status/"]');
    return own ? parseStatusPath(own.getAttribute('href') ?? '') : null;
  }
  return postOfPost(post);
}

// ---------------------------------------------------------------------------------------------
// Reports: what a report says about a post, and where the report control goes.

/** Match patterns of X's pages (and, in test builds, of the loopback test pages), e.g. for menus. */
export function xPagePatterns(): string[] {
  return [...X_PAGE_HOSTS.map((h) => `https://${h}/*`), ...BUILD.testHosts.map((h) => `http://${h}/*`)];
}

/** The canonical address of a post, whatever page it was seen on. */
export function postUrl(author: string, id: string): string {
  return `https://x.com/${author}/status/${id}`;
}

/** Whether a URL is a canonical post address as postUrl makes it. */
export function isCanonicalPostUrl(raw: string): boolean {
  const u = parse(raw);
  if (!u || u.protocol !== 'https:' || u.host !== 'x.com' || u.search || u.hash) return false;
  const p = parseStatusPath(u.pathname);
  return !!p && postUrl(p.author, p.id) === raw;
}

/** A post's own action bar (not a quoted post's), where the report control goes; null if none. */
export function actionBarOf(post: Element): HTMLElement | null {
  return [...post.querySelectorAll<HTMLElement>(SELECTORS.actionBar)].find((g) => !g.closest(SELECTORS.quote) && postElementOf(g) === post) ?? null;
}

/** The media box an element (e.g. the target of a right-click) is in, as findMedia describes it. */
export function mediaItemAt(el: Element): FoundMedia | null {
  const box = el.closest(`${SELECTORS.mediaBox}, ${SELECTORS.cardBox}`);
  if (!box) return null;
  return findMedia(box.parentElement ?? box).find((m) => m.box === box) ?? null;
}

/** A media item whose displayed URL (or, for a video, its poster) is `src`, anywhere under `root`. */
export function mediaItemBySrc(root: ParentNode, src: string): FoundMedia | null {
  return findMedia(root).find((m) => m.url === src || [...m.box.querySelectorAll('video')].some((v) => v.currentSrc === src || v.src === src)) ?? null;
}

export interface ReportSubject {
  author: string;
  id: string;
  text: string | null;
  lang: string | null;
  /** The media the reader sees in it (a quoted post's too, marked quoted). */
  media: FoundMedia[];
}

/**
 * What a report is about: for quoted media the quoted post (its text and media), otherwise the
 * post around `el` (its text, its media and its quoted post's media). Null when the post has no
 * permalink we can parse.
 */
export function reportSubject(el: Element): ReportSubject | null {
  const post = postElementOf(el);
  if (!post) return null;
  const quote = el.closest(SELECTORS.quote);
  const scope = quote && post.contains(quote) && quote !== post ? quote : post;
  const media = findMedia(scope);
  const ids = scope === post ? postOfPost(post) : media[0] ? postOf(media[0].box) : null;
  // A quoted video carries no id of its own: then the report is about the post that shows it.
  if (!ids) return scope === post ? null : reportSubject(post);
  const textEl = [...scope.querySelectorAll(SELECTORS.postText)].find((t) => scope !== post || !t.closest(SELECTORS.quote));
  const text = textEl?.textContent?.trim() || null;
  return { ...ids, text, lang: textEl?.getAttribute('lang') || null, media: scope === quote ? media.map((m) => ({ ...m, quoted: false })) : media };
}

/** Author and id of a post element, from its permalink. */
function postOfPost(post: Element): { author: string; id: string } | null {
  const permalink = [...post.querySelectorAll('a[href*="/status/"]')].find((a) => a.querySelector('time') && !a.closest(SELECTORS.quote));
  const analytics = post.querySelector('a[href$="/analytics"]');
  const href = permalink?.getAttribute('href') ?? analytics?.getAttribute('href')?.replace(/\/analytics$/, '');
  return href ? parseStatusPath(href) : null;
}
