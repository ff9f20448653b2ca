/**
 * The reference receiver's store: a JSON-lines file (one stored report a line), written so that
 * what is acknowledged is true and what is on disk is always whole:
 *
 * - one writer at a time (a queue); each record is appended whole, then fdatasync'd, and only then
 *   does the caller answer 201;
 * - a write or sync that fails (a full disk: ENOSPC/EDQUOT) is undone by truncating the file back
 *   to its last good length, so a half line never stays and the next record starts on a clean line;
 * - at start the file is streamed in bounded chunks (never read as one string), collecting the ids
 *   held; a partial last line (a crash mid-write, never acknowledged) is cut off;
 * - the file is created 0600: it holds readers' contact details.
 *
 * The file-system calls go through `StoreFs`, so tests can make the disk full.
 */
import fs from 'node:fs';

export interface StoreHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number; mode?: number }>;
  close(): Promise<void>;
}

export interface StoreFs {
  /** Opens (creating with mode 0600) for appending. */
  openAppend(file: string): Promise<StoreHandle>;
  /** Reads the file in chunks (for the start-up scan). */
  readChunks(file: string): AsyncIterable<Uint8Array>;
}

export const nodeStoreFs: StoreFs = {
  async openAppend(file) {
    const h = await fs.promises.open(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
    return {
      write: (b, o, l) => h.write(b, o, l),
      datasync: () => h.datasync(),
      truncate: (n) => h.truncate(n),
      stat: () => h.stat(),
      close: () => h.close(),
    };
  },
  readChunks: (file) => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
};

/** A failure to store: `full` when the disk (or quota) is full. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly full: boolean,
  ) {
    super(message);
  }
}

/** Longer lines are not stored reports (the receiver refuses bodies over its limit): skipped while streaming. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
const NL = 0x0a;

export interface ScanResult {
  ids: Set<string>;
  /** Length of the file up to and including its last newline. */
  goodLength: number;
  /** 1-based numbers of lines that are not stored reports. */
  skipped: number[];
}

/** Streams the file, collecting report ids; bounded memory whatever the file's size. */
export async function scanStore(file: string, fsx: StoreFs = nodeStoreFs): Promise<ScanResult> {
  const ids = new Set<string>();
  const skipped: number[] = [];
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let overlong = false;
  let lineNo = 0;
  let offset = 0;
  let goodLength = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const endLine = () => {
    lineNo++;
    if (!overlong && partBytes > 0) {
      try {
        const text = decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
        if (text.trim()) {
          const id = (JSON.parse(text) as { report?: { reportId?: unknown } }).report?.reportId;
          if (typeof id !== 'string') throw new Error('no report id');
          ids.add(id);
        }
      } catch {
        skipped.push(lineNo);
      }
    } else if (overlong) skipped.push(lineNo);
    parts = [];
    partBytes = 0;
    overlong = false;
  };
  try {
    for await (const chunk of fsx.readChunks(file)) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NL, start);
        const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
        if (!overlong) {
          if (partBytes + piece.length > MAX_LINE_BYTES) {
            overlong = true;
            parts = [];
            partBytes = 0;
          } else if (piece.length) {
            parts.push(piece.slice());
            partBytes += piece.length;
          }
        }
        if (nl === -1) break;
        endLine();
        goodLength = offset + nl + 1;
        start = nl + 1;
      }
      offset += chunk.length;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ids, goodLength: 0, skipped };
    throw e;
  }
  return { ids, goodLength, skipped };
}

export interface ReportStore {
  has(id: string): boolean;
  /** Appends one record durably. 'duplicate' when the id is already held. Throws StoreError. */
  append(id: string, line: string): Promise<'stored' | 'duplicate'>;
  readonly size: number;
  close(): Promise<void>;
}

const isFull = (e: unknown) => ['ENOSPC', 'EDQUOT', 'EFBIG'].includes((e as NodeJS.ErrnoException)?.code ?? '');

export async function openReportStore(file: string, opts: { fs?: StoreFs; log?: (line: string) => void } = {}): Promise<ReportStore> {
  const fsx = opts.fs ?? nodeStoreFs;
  const scan = await scanStore(file, fsx);
  for (const n of scan.skipped) opts.log?.(`warning: ${file}:${n} is not a stored report; ignored`);
  const handle = await fsx.openAppend(file);
  const st = await handle.stat();
  let length = st.size;
  // Created 0600; a file made earlier (or by hand) that others can read is named, not changed.
  if (st.mode !== undefined && (st.mode & 0o077) !== 0) opts.log?.(`warning: ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); it holds readers' contact details: chmod 600 it`);
  if (length > scan.goodLength) {
    // A partial last line: a write cut short by a crash, never acknowledged.
    opts.log?.(`warning: ${file} ended in a partial line (${length - scan.goodLength} bytes); removed`);
    await handle.truncate(scan.goodLength);
    await handle.datasync();
    length = scan.goodLength;
  }
  const ids = scan.ids;
  let queue: Promise<unknown> = Promise.resolve();
  /** A failed write could not be undone: undo it before anything else is written. */
  let dirty = false;

  async function write(id: string, line: string): Promise<'stored' | 'duplicate'> {
    if (ids.has(id)) return 'duplicate';
    if (dirty) {
      try {
        await handle.truncate(length);
        await handle.datasync();
        dirty = false;
      } catch (e) {
        throw new StoreError(`the store still holds a partial write: ${(e as Error).message}`, isFull(e));
      }
    }
    const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    try {
      let at = 0;
      while (at < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
        if (bytesWritten <= 0) throw Object.assign(new Error('no progress writing'), { code: 'EIO' });
        at += bytesWritten;
      }
      await handle.datasync();
    } catch (e) {
      // Undo whatever part reached the file: it stays a file of whole lines.
      try {
        await handle.truncate(length);
        await handle.datasync();
      } catch (undo) {
        dirty = true;
        throw new StoreError(`could not store the report, and could not undo the partial write: ${(undo as Error).message}`, isFull(e));
      }
      throw new StoreError(isFull(e) ? 'the disk is full' : `could not store the report: ${(e as Error).message}`, isFull(e));
    }
    length += bytes.length;
    ids.add(id);
    return 'stored';
  }

  return {
    has: (id) => ids.has(id),
    append(id, line) {
      const next = queue.then(() => write(id, line));
      queue = next.catch(() => undefined);
      return next;
    },
    get size() {
      return ids.size;
    },
    async close() {
      await queue;
      await handle.close();
    },
  };
}
