/**
 * X's hosts, without build-time facts (src/shared/x.ts re-exports them; the desk's server, a node
 * runtime without the extension's build defines, reads them from here to fetch thumbnails only
 * from X's media hosts).
 */
/** Where the X web app runs (content script matches in manifest.json say the same). */
export const X_PAGE_HOSTS: readonly string[] = ['x.com', 'twitter.com', 'mobile.x.com', 'mobile.twitter.com'];
/** Where X serves media: images on pbs, video files on video. */
export const X_MEDIA_HOSTS: readonly string[] = ['pbs.twimg.com', 'video.twimg.com'];
