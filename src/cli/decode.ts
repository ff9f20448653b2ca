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
import { MAX_PIXELS, canonicalPixels, referenceCliResize, type Pixels } from '../core/pdq';
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
 * The image at full size, as stored (no resize by libvips): what the matching hashes are made from,
 * through core's canonicalPixels, exactly as the extension makes them from the browser's decode
 * (src/core/match publishHashes, docs/matching.md).
 */
export function decodeFull(file: string): Promise<Pixels> {
  return decodeRaw(file);
}

/** The canonical pixels of a file (core canonicalPixels of its full-size decode): what the extension would hash. */
export async function decodeCanonical(file: string): Promise<Pixels> {
  return canonicalPixels(await decodeRaw(file));
}

/** The largest image file read (a FIFO or a device is refused before anything is read). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

async function decodeRaw(file: string): Promise<Pixels> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, MAX_IMAGE_FILE_BYTES);
  } catch (e) {
    throw new DecodeError(e instanceof FileError ? e.message.replace(`${file}: `, '') : (e as Error).message);
  }
  try {
    // sequentialRead: the image is read once, top to bottom, into raw pixels — libvips need not keep
    // it for random access (less memory, and faster; the pixels are the same).
    const image = sharp(bytes, { limitInputPixels: LIMIT_INPUT_PIXELS, pages: 1, failOn: 'error', ignoreIcc: true, sequentialRead: true });
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
