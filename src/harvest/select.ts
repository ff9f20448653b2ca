/**
 * Which of an article's pictures is the media the fact-check is about. The rules, in order, each
 * one a reason a reviewer can check (docs/harvest.md):
 * 1. a MediaReview names its media: those files are the subject, the article's own pictures are
 *    not looked at (they are often the same picture stamped or captioned);
 * 2. page chrome is never a subject: images inside header / nav / footer / aside, or whose
 *    classes say logo, avatar, author, icon, ad, sponsor…;
 * 3. an image on several articles of the same site (≥ CHROME_REUSE) is the site's chrome: a logo,
 *    an author photo, a default share picture;
 * 4. a claim that is not about a picture (no photo/video/image word in its text, in the
 *    languages the verdict rules read) has illustrations, not subjects;
 * 5. a caption or alt crediting a photo agency or stock library ("Getty Images", "AP Photo", "file
 *    photo") marks an illustration, unless it also says the picture is the one that circulated;
 * 6. a caption, alt or file name saying the picture is the one shared / the claim / a screenshot
 *    marks the subject;
 * 7. any other picture in the article body of a picture claim is uncertain: review list.
 * Sizes and shapes are checked after download (./inspect.ts).
 */
import type { PageImage } from './page';

export const CHROME_REUSE = 3;

export type Decision = { to: 'feed' | 'review' | 'skip'; reason: string };

const MEDIA_WORDS =
  /\b(photo|picture|image|pic|video|clip|footage|meme|screenshot|foto|fotograf|imagen|imagem|immagine|vid[ée]o|v[íi]deo|bild|aufnahme|zdj[eę]ci|film|görsel|fotoğraf|gambar|rekaman)|фото|видео|відео|снимок|صورة|فيديو|मीडिया|तस्वीर|फोटो|वीडियो/i;
const STOCK_CREDIT =
  /getty ?images|\bap photo|associated press|reuters|\bafp\b(?! fact)|\bepa\b|shutterstock|istock|alamy|adobe ?stock|file (photo|picture|image)|archive (photo|picture)|photo d'archive|foto de archivo|foto d'archivio|archivbild|archivfoto|illustration|illustrative|ilustraci|ilustra[çc][ãa]o|representational|\bdpa\b|picture alliance|\bpool\b/i;
const SUBJECT_MARK =
  /screenshot|screen ?grab|captura|capture d'[ée]cran|print de tela|schermata|bildschirmfoto|zrzut ekranu|tangkapan layar|скриншот|скріншот|لقطة شاشة|स्क्रीनशॉट|viral|circulat|being shared|shared on|shared with|widely shared|the claim|claim(ed|ing)? (that|to)|misleading|false|fake|faux|falso|bulo|hoax|engañ|trompeur|compartid|partag[ée]|difundid|circula|irref[üu]hrend|falsch|the (post|tweet)|a (post|tweet)|in the post|publicaci[óo]n|publica[çc][ãa]o|publication|beitrag|geteilt|verbreitet|kursiert/i;

/** Strip query and WordPress size suffixes, so one picture at two sizes is one URL. */
export function imageKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/-\d{2,4}x\d{2,4}(?=\.\w+$)/, '').replace(/@\dx(?=\.\w+$)/, '')}`.toLowerCase();
  } catch {
    return url;
  }
}

export function claimIsAboutMedia(claim: string, headline = ''): boolean {
  return MEDIA_WORDS.test(claim) || MEDIA_WORDS.test(headline);
}

export interface ArticleContext {
  /** How many articles of this site show each image (by imageKey). */
  reuse: Map<string, number>;
  claimAboutMedia: boolean;
  /** The record names its media (MediaReview contentUrl, an appearance that is a media file). */
  explicitMedia: boolean;
}

export function decideArticleImage(img: PageImage, ctx: ArticleContext): Decision {
  const fileName = (() => {
    try {
      return decodeURIComponent(new URL(img.url).pathname.split('/').pop() ?? '');
    } catch {
      return '';
    }
  })();
  const words = `${img.caption} ${img.alt}`;
  if (ctx.explicitMedia) return { to: 'skip', reason: 'the record names its media; article pictures not used' };
  if (img.chrome) return { to: 'skip', reason: 'page chrome (header, nav, footer, aside, logo, author, ad)' };
  const reuse = ctx.reuse.get(imageKey(img.url)) ?? 0;
  if (reuse >= CHROME_REUSE) return { to: 'skip', reason: `site chrome: on ${reuse} articles of this site` };
  if ((img.width !== undefined && img.width < 120) || (img.height !== undefined && img.height < 120)) return { to: 'skip', reason: 'small (declared size)' };
  if (!ctx.claimAboutMedia) return { to: 'skip', reason: 'illustration: the claim is not about a picture' };
  const marked = SUBJECT_MARK.test(words) || /screenshot|captura|viral|claim|fake|false|faux|falso|bulo|hoax/i.test(fileName);
  if (STOCK_CREDIT.test(words) && !marked) return { to: 'skip', reason: 'stock or agency illustration (credit in caption)' };
  if (!img.inArticle) return { to: 'review', reason: 'outside the article body' };
  if (marked) return { to: 'feed', reason: 'caption marks it as the picture checked' };
  return { to: 'review', reason: 'an article picture without a caption saying it is the one checked' };
}
