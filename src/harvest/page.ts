/**
 * A fact-check article page → what harvest needs from it: its JSON-LD scripts, its language, its
 * og:image, and every image with where it sits (article body or page chrome: header, nav, footer,
 * aside, ad slots, author boxes), its caption and alt text, its declared size, and its best URL
 * (the largest `srcset` candidate, lazy-loading attributes such as `data-src` / `data-lazy-src` /
 * `data-srcset`, the `<noscript>` fallback of a lazy loader, the `<img>` of a `<picture>`). htmlparser2:
 * forgiving, fast, no DOM.
 */
import { Parser } from 'htmlparser2';

export interface PageImage {
  url: string;
  alt: string;
  /** Class names and ids of the image and its ancestors, lower-cased: "logo", "avatar", … */
  hints: string;
  /** Inside header / nav / footer / aside / an ad or author box. */
  chrome: boolean;
  /** Inside article / main / the article body. */
  inArticle: boolean;
  caption: string;
  width?: number;
  height?: number;
  /** Order among the page's images (0 = first). */
  index: number;
  /** Came from a `<noscript>` fallback (a lazy loader's real image). */
  fromNoscript: boolean;
}

export interface PageInfo {
  lang?: string;
  title?: string;
  ogImage?: string;
  jsonLd: string[];
  images: PageImage[];
}

const CHROME_TAGS = new Set(['header', 'nav', 'footer', 'aside']);
const CHROME_HINT = /(^|[\s_-])(logo|brand|avatar|author|byline|bio|profile|gravatar|icon|sprite|badge|social|share|sponsor|advert|ads?|ad-slot|promo|banner|newsletter|related|widget|sidebar|footer|header|masthead|menu)([\s_-]|\d|$)/;
const ARTICLE_HINT = /(^|[\s_-])(article-body|articlebody|entry-content|post-content|story-body|article__body|content-body|single-content)([\s_-]|$)/;

/** The largest candidate of a srcset ("a.jpg 480w, b.jpg 1080w" or "a.jpg 1x, b.jpg 2x"). */
export function bestFromSrcset(srcset: string): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const part of srcset.split(/,(?=\s*\S+\s+\d|\s*[^\s,]+\s*(?:,|$))/)) {
    const [u, d] = part.trim().split(/\s+/);
    if (!u) continue;
    const size = d ? parseFloat(d) * (d.endsWith('x') ? 1000 : 1) : 1;
    if (!best || size > best.size) best = { url: u, size };
  }
  return best?.url;
}

const num = (s: string | undefined) => {
  const n = s ? parseInt(s, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

export function parsePage(html: string, baseUrl: string): PageInfo {
  const info: PageInfo = { jsonLd: [], images: [] };
  const stack: { tag: string; hints: string; chrome: boolean; article: boolean }[] = [];
  let script: string[] | null = null;
  let inTitle = false;
  let title = '';
  let noscript = 0;
  const figures: { images: PageImage[]; caption: string }[] = [];
  let inCaption = 0;
  const captionTags: string[] = [];
  /** Stack depths at which a WordPress caption box was opened. */
  const captionBoxes: number[] = [];
  let base = baseUrl;
  const resolve = (u: string | undefined) => {
    if (!u || /^data:/i.test(u.trim())) return undefined;
    try {
      return new URL(u.trim(), base).href;
    } catch {
      return undefined;
    }
  };
  const pushImage = (attrs: Record<string, string>, fromNoscript: boolean) => {
    const lazy = attrs['data-src'] ?? attrs['data-lazy-src'] ?? attrs['data-original'] ?? attrs['data-url'];
    const srcset = attrs['data-srcset'] ?? attrs['data-lazy-srcset'] ?? attrs.srcset;
    const candidates = [srcset ? bestFromSrcset(srcset) : undefined, lazy, attrs.src];
    const url = candidates.map(resolve).find((u) => u && !/\.svg(\?|$)/i.test(u));
    if (!url) return;
    const hints = `${stack.map((s) => s.hints).join(' ')} ${(attrs.class ?? '').toLowerCase()} ${(attrs.id ?? '').toLowerCase()}`.trim();
    const img: PageImage = {
      url,
      alt: (attrs.alt ?? '').trim(),
      hints,
      chrome: stack.some((s) => s.chrome) || CHROME_HINT.test(` ${(attrs.class ?? '').toLowerCase()} ${(attrs.id ?? '').toLowerCase()} `),
      inArticle: stack.some((s) => s.article),
      caption: '',
      width: num(attrs.width ?? attrs['data-width']),
      height: num(attrs.height ?? attrs['data-height']),
      index: info.images.length,
      fromNoscript,
    };
    // A lazy loader's placeholder and its <noscript> twin are one image.
    const twin = info.images.find((i) => i.url === url);
    if (twin) return;
    info.images.push(img);
    figures[figures.length - 1]?.images.push(img);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const cls = `${(attrs.class ?? '').toLowerCase()} ${(attrs.id ?? '').toLowerCase()} ${(attrs.itemprop ?? '').toLowerCase()}`.trim();
        if (name === 'html' && attrs.lang) info.lang = attrs.lang;
        if (name === 'base' && attrs.href) base = resolve(attrs.href) ?? base;
        if (name === 'title') inTitle = true;
        if (name === 'meta') {
          const prop = (attrs.property ?? attrs.name ?? '').toLowerCase();
          if ((prop === 'og:image' || prop === 'og:image:secure_url' || prop === 'twitter:image') && !info.ogImage) info.ogImage = resolve(attrs.content);
        }
        if (name === 'script' && (attrs.type ?? '').toLowerCase().trim() === 'application/ld+json') script = [];
        if (name === 'noscript') noscript++;
        // <figure>/<figcaption>, and WordPress's classic caption: <div class="wp-caption"> with a
        // <p class="wp-caption-text"> (the [caption] shortcode, common on fact-checkers' sites).
        const wpCaption = /(^|\s)wp-caption(\s|$)/.test(attrs.class ?? '');
        if (name === 'figure' || wpCaption) figures.push({ images: [], caption: '' });
        if (name === 'figcaption' || /(^|\s)wp-caption-text(\s|$)/.test(attrs.class ?? '')) {
          inCaption++;
          captionTags.push(name);
        }
        if (wpCaption) captionBoxes.push(stack.length);
        if (name === 'img') pushImage(attrs, noscript > 0);
        const void_ = ['img', 'meta', 'link', 'br', 'hr', 'input', 'source', 'base', 'wbr', 'area', 'col', 'embed', 'param', 'track'].includes(name);
        if (!void_) {
          stack.push({
            tag: name,
            hints: cls,
            chrome: CHROME_TAGS.has(name) || (CHROME_HINT.test(` ${cls} `) && !ARTICLE_HINT.test(` ${cls} `)),
            article: name === 'article' || name === 'main' || ARTICLE_HINT.test(` ${cls} `) || /articlebody/.test(cls),
          });
        }
      },
      ontext(text) {
        if (script) script.push(text);
        if (inTitle) title += text;
        if (inCaption && figures.length) figures[figures.length - 1]!.caption += text;
      },
      onclosetag(name) {
        if (name === 'script' && script) {
          info.jsonLd.push(script.join(''));
          script = null;
        }
        if (name === 'title') inTitle = false;
        if (name === 'noscript') noscript = Math.max(0, noscript - 1);
        if (captionTags.length && name === captionTags[captionTags.length - 1]) {
          captionTags.pop();
          inCaption = Math.max(0, inCaption - 1);
        }
        const closesWpBox = captionBoxes.length > 0 && name === 'div' && stack.length - 1 === captionBoxes[captionBoxes.length - 1];
        if (name === 'figure' || closesWpBox) {
          if (closesWpBox) captionBoxes.pop();
          const f = figures.pop();
          if (f) for (const img of f.images) img.caption = f.caption.replace(/\s+/g, ' ').trim();
        }
        // Pop to the matching open tag (forgiving of unclosed children).
        for (let i = stack.length - 1; i >= 0; i--) {
          if (stack[i]!.tag === name) {
            stack.length = i;
            break;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  // htmlparser2 reads <noscript> content as markup only when scripting is off: it is, here.
  info.title = title.replace(/\s+/g, ' ').trim() || undefined;
  return info;
}
