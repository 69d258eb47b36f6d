// Where bytes come from and go to, without saying how they are stored. A step reads a ByteSource
// and writes a ByteSink; a plain file is one, a sealed artifact (src/seal) is another that
// decrypts or encrypts on the fly, so no plaintext of a sealed run is ever written to disk and
// readers and writers of file formats (CSV, models) need not know which one they got.
import { constants as fsc, promises as fsp } from 'node:fs';
import { IoError, UsageError, isSealedError } from '../errors.ts';
import { withAtomicFile } from './atomicWrite.ts';

export type ByteChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export interface ByteSource {
  /** What to name in messages (a path, or an artifact such as `split/x_train_data`). */
  readonly label: string;
  /** The size of the content when known cheaply, or an estimate: readers size buffers by it. */
  readonly sizeHint?: number;
  /** The content from the start, in chunks. Each call starts a fresh read; stop early with `break`. */
  open(): AsyncIterable<Uint8Array>;
}

export interface ByteSink {
  readonly label: string;
  /**
   * Stores the chunks as the whole content, atomically: on any error (from the chunks or the
   * storage) nothing is left and an earlier content stays as it was. Each chunk is consumed
   * before the next is requested, so a producer may reuse its buffer.
   */
  write(chunks: ByteChunks): Promise<void>;
}

export const isByteSource = (x: unknown): x is ByteSource => typeof x === 'object' && x !== null && typeof (x as ByteSource).open === 'function';
export const isByteSink = (x: unknown): x is ByteSink => typeof x === 'object' && x !== null && typeof (x as ByteSink).write === 'function';

const READ_CHUNK = 1 << 20;

/** A regular file as a ByteSource; refuses folders and special files when opened. */
export function fileSource(path: string): ByteSource {
  return {
    label: path,
    open: () => readFileChunks(path),
  };
}

async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fh = await openRegularFile(path);
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null).catch((e: unknown) => {
        throw readError(e, path);
      });
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (open(2)), so the type check below
// can refuse it; reads of a regular file ignore the flag. O_NOCTTY: a terminal never becomes our controlling one.
const OPEN_FOR_READ = fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOCTTY ?? 0);

/** Opens `path` for reading, refusing anything but a regular file (a FIFO, device or socket) without blocking. */
export async function openRegularFile(path: string): Promise<fsp.FileHandle> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, OPEN_FOR_READ);
  } catch (e) {
    throw readError(e, path);
  }
  let regular = false;
  try {
    regular = (await fh.stat()).isFile();
  } catch (e) {
    await fh.close();
    throw readError(e, path);
  }
  if (!regular) {
    await fh.close();
    throw new IoError('io.notAFile', { path });
  }
  return fh;
}

function readError(e: unknown, path: string): IoError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IoError('io.notFound', { path }, { cause: e });
  if (code === 'EISDIR') return new IoError('io.notAFile', { path }, { cause: e });
  return new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
}

/** A file written atomically (temporary name beside it, renamed when complete) as a ByteSink. */
export function fileSink(path: string, options: { mode?: number } = {}): ByteSink {
  const mode = options.mode ?? 0o644;
  return {
    label: path,
    write: (chunks) =>
      withAtomicFile(
        path,
        async (tmp) => {
          let fh: fsp.FileHandle | undefined;
          try {
            fh = await fsp.open(tmp, 'w', mode);
            for await (const chunk of chunks) {
              if (typeof chunk === 'string') await fh.write(chunk);
              else await fh.write(chunk);
            }
            await fh.close();
            fh = undefined;
          } catch (e) {
            await fh?.close().catch(() => undefined);
            if (isSealedError(e) || e instanceof UsageError) throw e;
            throw new IoError('io.writeFailed', { path, reason: (e as Error).message }, { cause: e });
          }
        },
        { mode },
      ),
  };
}

/** A path or a source, as a source. */
export const toByteSource = (from: string | ByteSource): ByteSource => (typeof from === 'string' ? fileSource(from) : from);
/** A path or a sink, as a sink. */
export const toByteSink = (to: string | ByteSink): ByteSink => (typeof to === 'string' ? fileSink(to) : to);

/** The whole content in memory, refusing more than `maxBytes` (a model, a small JSON file). */
export async function readAllBytes(from: string | ByteSource, maxBytes = 2 * 1024 ** 3): Promise<Buffer> {
  const source = toByteSource(from);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source.open()) {
    total += chunk.length;
    if (total > maxBytes) throw new IoError('io.tooLarge', { path: source.label, limit: maxBytes });
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts, total);
}

export async function readAllText(from: string | ByteSource, maxBytes?: number): Promise<string> {
  return (await readAllBytes(from, maxBytes)).toString('utf8');
}

/** The first line (without its end of line), reading at most `maxBytes`. */
export async function readFirstLine(from: string | ByteSource, maxBytes = 64 * 1024): Promise<string> {
  const source = toByteSource(from);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of source.open()) {
    const buf = Buffer.from(chunk);
    const nl = buf.findIndex((b) => b === 10 || b === 13);
    if (nl >= 0) {
      parts.push(buf.subarray(0, nl));
      break;
    }
    parts.push(buf);
    total += buf.length;
    if (total >= maxBytes) break;
  }
  return Buffer.concat(parts).subarray(0, maxBytes).toString('utf8');
}
