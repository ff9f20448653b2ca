/**
 * Reading the CLI's input files safely: only regular files (a FIFO, a device or a folder given as
 * a file is refused at once instead of hanging the tool), and never more than the caller's limit.
 */
import fs from 'node:fs';

export class FileError extends Error {
  override name = 'FileError';
}

/**
 * Opens without blocking (a FIFO's open would otherwise wait for a writer forever), then checks
 * on the open descriptor — no race with a swap of the path — that it is a regular file of at most
 * `maxBytes`.
 */
export async function openRegularFile(file: string, maxBytes: number): Promise<{ handle: fs.promises.FileHandle; size: number }> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FileError(`${file}: not a regular file`);
    if (st.size > maxBytes) throw new FileError(`${file}: ${st.size} bytes, more than the limit of ${maxBytes}`);
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** The bytes of a regular file of at most `maxBytes`. Throws FileError. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(file, maxBytes);
  try {
    // Read one byte more than announced: a file that grew past the limit is still refused.
    const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let at = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
      if (at === buf.length) break;
    }
    if (at > maxBytes) throw new FileError(`${file}: more than the limit of ${maxBytes} bytes`);
    return new Uint8Array(buf.buffer, buf.byteOffset, at);
  } finally {
    await handle.close();
  }
}
