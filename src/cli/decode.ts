/**
 * Image files → pixels for the CLI, with sharp (libvips: JPEG, PNG, WebP, GIF, TIFF, AVIF; fast,
 * maintained, prebuilt for node with no system packages). Then the reference CLI's own pre-step
 * (referenceCliResize: > 512 px → 512x512 nearest-neighbour), so our hashes of a file equal the
 * reference CLI's hashes of the same file.
 *
 * Embedded colour profiles are ignored (ignoreIcc), as by the reference CLI's decoder: applying
 * them moved pixels by up to 15 levels and hashes by 2 bits on the reference's own test images.
 * EXIF orientation is NOT applied, like the reference CLI (CImg ignores it): a publisher who wants
 * the upright picture should rotate the file itself, or rely on the dihedral hashes.
 */
import sharp from 'sharp';
import { MAX_PIXELS, referenceCliResize, type Pixels } from '../core/pdq';
import { FileError, readRegularFile } from './files';

/** Refuse decompression bombs before decoding them. */
const LIMIT_INPUT_PIXELS = MAX_PIXELS;

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export async function decodeFile(file: string): Promise<Pixels> {
  return referenceCliResize(await decodeRaw(file));
}

/**
 * The image at its own aspect ratio, scaled down (smoothly) to at most `maxSide` px: what the
 * publisher's variant hashes are made from (crops and turns of a 512x512 squash would not be what
 * re-shares are made of).
 */
export function decodeFileForVariants(file: string, maxSide = VARIANT_MAX_SIDE): Promise<Pixels> {
  return decodeRaw(file, maxSide);
}

/** Variants are made from at most this many px a side (readers see ≤ 512; turning more costs more). */
export const VARIANT_MAX_SIDE = 1024;

/** The largest image file read (a FIFO or a device is refused before anything is read). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

async function decodeRaw(file: string, maxSide?: number): Promise<Pixels> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, MAX_IMAGE_FILE_BYTES);
  } catch (e) {
    throw new DecodeError(e instanceof FileError ? e.message.replace(`${file}: `, '') : (e as Error).message);
  }
  try {
    let image = sharp(bytes, { limitInputPixels: LIMIT_INPUT_PIXELS, pages: 1, failOn: 'error', ignoreIcc: true });
    if (maxSide) image = image.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels === 2 ? 1 : info.channels; // grey + alpha: keep the grey
    const pixels =
      info.channels === 2 ? dropAlpha(data, info.width * info.height) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { data: pixels, width: info.width, height: info.height, channels: channels as 1 | 3 | 4 };
  } catch (e) {
    const message = (e as Error).message.replace(/^Input file /, '');
    throw new DecodeError(message.includes('missing') || message.includes('ENOENT') ? 'no such file' : message);
  }
}

function dropAlpha(data: Buffer, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i * 2]!;
  return out;
}
