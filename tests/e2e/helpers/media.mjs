// Deterministic stand-in media for the fixture CDN: every media key renders a distinct photo-like
// scene (sky, sun, hills, buildings), with plenty of structure so its PDQ quality is high, at X's
// size variants (`name=thumb|small|medium|large|orig`) and formats (`format=jpg|png|webp`).
// `<key>~<n>` is another photo of the same scene; `<key>~dark` the same picture darkened to near
// black.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const VARIANTS = { thumb: 150, small: 680, medium: 1200, large: 2048, orig: 1600, '4096x4096': 4096 };
const cache = new Map();

/** Small seeded PRNG (mulberry32) from a string. */
function rng(key) {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An SVG scene for a key; `aspect` = height / width. The scene is drawn in a fixed 1600-wide
 * coordinate space and scaled to `outWidth`, so X's size variants of one media key are the same
 * picture at different sizes, as on X's CDN.
 */
export function sceneSvg(key, outWidth = 1200, aspect = 0.5625) {
  // `<key>~<n>`: another photo of the same scene, taken a few steps to the side: the same sky, sun,
  // hills and buildings, the buildings shifted against the hills and a person in the foreground.
  const [base, other] = key.split('~');
  const shift = other ? 0.04 * Number(other) : 0;
  const r = rng(base);
  const width = 1600;
  const h = Math.round(width * aspect);
  const hue = Math.floor(r() * 360);
  const hsl = (dh, s, l) => `hsl(${(hue + dh) % 360},${s}%,${l}%)`;
  const parts = [];
  parts.push(`<defs><linearGradient id="sky" x1="0" y1="0" x2="${r().toFixed(2)}" y2="1">
    <stop offset="0" stop-color="${hsl(0, 60, 70)}"/><stop offset="1" stop-color="${hsl(40, 50, 88)}"/></linearGradient></defs>`);
  parts.push(`<rect width="${width}" height="${h}" fill="url(#sky)"/>`);
  parts.push(`<circle cx="${Math.round(r() * width)}" cy="${Math.round(h * (0.1 + 0.3 * r()))}" r="${Math.round(h * (0.06 + 0.08 * r()))}" fill="${hsl(50, 90, 75)}"/>`);
  for (let layer = 0; layer < 3; layer++) {
    let d = `M0 ${h}`;
    const base = h * (0.45 + 0.15 * layer);
    for (let x = 0; x <= width; x += width / 8) d += ` L${Math.round(x)} ${Math.round(base - r() * h * 0.25)}`;
    d += ` L${width} ${h} Z`;
    parts.push(`<path d="${d}" fill="${hsl(120 + layer * 30, 35, 45 - layer * 10)}"/>`);
  }
  const buildings = 4 + Math.floor(r() * 6);
  for (let i = 0; i < buildings; i++) {
    const bw = width * (0.04 + 0.06 * r());
    const bh = h * (0.15 + 0.35 * r());
    const bx = ((r() + shift) % 1) * (width - bw);
    parts.push(`<rect x="${bx.toFixed(0)}" y="${(h - bh).toFixed(0)}" width="${bw.toFixed(0)}" height="${bh.toFixed(0)}" fill="${hsl(200 + i * 20, 15, 20 + r() * 40)}"/>`);
    for (let wy = h - bh + 8; wy < h - 10; wy += 16) {
      parts.push(`<rect x="${(bx + 4).toFixed(0)}" y="${wy.toFixed(0)}" width="${(bw - 8).toFixed(0)}" height="6" fill="${hsl(45, 80, 60 + r() * 30)}" opacity="0.8"/>`);
    }
  }
  if (other) {
    const px = width * (0.2 + 0.5 * ((shift * 7) % 1));
    parts.push(`<ellipse cx="${px.toFixed(0)}" cy="${(h * 0.62).toFixed(0)}" rx="${(h * 0.05).toFixed(0)}" ry="${(h * 0.07).toFixed(0)}" fill="hsl(25,45%,45%)"/>`);
    parts.push(`<rect x="${(px - h * 0.09).toFixed(0)}" y="${(h * 0.68).toFixed(0)}" width="${(h * 0.18).toFixed(0)}" height="${(h * 0.32).toFixed(0)}" rx="${(h * 0.04).toFixed(0)}" fill="hsl(220,30%,25%)"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${outWidth}" height="${Math.round(outWidth * aspect)}" viewBox="0 0 ${width} ${h}">${parts.join('')}</svg>`;
}

const FORMATS = { jpg: ['jpeg', 'image/jpeg'], jpeg: ['jpeg', 'image/jpeg'], png: ['png', 'image/png'], webp: ['webp', 'image/webp'] };

/** Image bytes for a media path on the fixture CDN, or null if the path is not a media shape. */
export async function generatedMedia(pathname, params) {
  const m = /^\/(media|card_img|amplify_video_thumb|ext_tw_video_thumb|tweet_video_thumb|profile_images)\/(.+?)(?:\.(jpg|png|webp))?$/.exec(pathname);
  if (!m) return null;
  const [, family, rest, ext] = m;
  const format = FORMATS[params.get('format') ?? ext ?? 'jpg'] ?? FORMATS.jpg;
  const name = params.get('name') ?? 'medium';
  const long = family === 'profile_images' ? 48 : (VARIANTS[name] ?? 1200);
  const aspect = family === 'profile_images' ? 1 : family === 'card_img' ? 0.5236 : 0.5625;
  const width = Math.min(long, family === 'profile_images' ? 48 : 1600);
  const cacheKey = `${family}/${rest}|${width}|${format[0]}`;
  if (!cache.has(cacheKey)) {
    // `<key>~dark`: the same picture darkened to near black (a re-share too dark for PDQ to trust).
    const dark = rest.endsWith('~dark');
    const scene = sharp(Buffer.from(sceneSvg(`${family}/${dark ? rest.slice(0, -5) : rest}`, width, aspect)));
    cache.set(cacheKey, (dark ? scene.linear(0.03, 0) : scene).toFormat(format[0], { quality: 85 }).toBuffer());
  }
  return { bytes: await cache.get(cacheKey), type: format[1] };
}

const ffmpeg = (...args) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args]);
const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-an', '-movflags', '+faststart'];

/**
 * The seed clip as the demo feed publishes it: a 6-second moving shot (a slow zoom and pan) over
 * the seed post's generated picture (the fixture CDN's KimMoscowClip), 640x360, made with ffmpeg
 * (deterministic for one ffmpeg build). Written to `dir/seed-clip.mp4`; answers the path.
 */
export async function seedClip(dir) {
  const still = path.join(dir, 'seed-still.jpg');
  fs.writeFileSync(still, (await generatedMedia('/amplify_video_thumb/1861000000000000101/img/KimMoscowClip.jpg', new URLSearchParams('name=large'))).bytes);
  const out = path.join(dir, 'seed-clip.mp4');
  ffmpeg('-loop', '1', '-i', still, '-t', '6', '-r', '25', '-vf', "scale=1280:-2,zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)+on':y='ih/2-(ih/zoom/2)':d=1:s=640x360:fps=25,setsar=1", ...H264, out);
  return out;
}

/**
 * A re-share of a clip, as people make them: `blur11` (in a 1:1 frame of its own blurred copy,
 * with a caption above), `screenrec` (a phone's screen recording of a post: dark interface, text
 * lines, the clip in the middle), `crop90` (the centre 90% of each side), re-encoded.
 */
export function reshareClip(src, kind, out) {
  const filters = {
    blur11:
      "split[a][b];[a]scale=720:720:force_original_aspect_ratio=increase,crop=720:720,boxblur=24:2[bg];[b]scale=720:-2[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,drawbox=x=0:y=40:w=iw:h=90:color=white@0.9:t=fill,setsar=1",
    screenrec:
      'scale=540:-2[v];color=c=0x15202b:s=540x1170:r=25[bg];[bg][v]overlay=0:330:shortest=1,drawbox=x=24:y=110:w=300:h=22:color=white:t=fill,drawbox=x=24:y=160:w=480:h=18:color=0xd9d9d9:t=fill,drawbox=x=24:y=190:w=380:h=18:color=0xd9d9d9:t=fill,drawbox=x=40:y=1000:w=460:h=16:color=0x8899a6:t=fill',
    crop90: 'crop=576:324,setsar=1',
  };
  ffmpeg('-i', src, '-filter_complex', filters[kind], ...H264, '-crf', '26', out);
  return out;
}
