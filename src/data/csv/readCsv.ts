// Public CSV readers: a whole in-memory input, a file (or any ByteSource, e.g. a sealed
// artifact) read in chunks, or the same as a stream of row batches. Without a schema, a column is numeric when every non-missing value parses as a
// number; a column found not to be numeric restarts the read with that column categorical
// (rare after the first rows, and it keeps the hot loop free of type bookkeeping).
import { promises as fsp } from 'node:fs';
import { DataError, IoError } from '../../core/errors.ts';
import type { ByteSource } from '../../core/fs/byteIo.ts';
import type { Table } from '../table.ts';
import { DemoteColumn } from './engine.ts';
import type { CsvReadOptions, InferredKinds } from './readOptions.ts';
import { ReadSession } from './readSession.ts';

const DEFAULT_CHUNK = 8 << 20;
/** "No limit" as a small integer: Infinity would make the optimised parser bail out. */
const NO_ROW_LIMIT = 0x3fffffff;

/** Parses a CSV held in memory (text, or UTF-8 bytes). */
export function parseCsv(input: string | Uint8Array, options: CsvReadOptions = {}): Table {
  const b = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const file = options.fileName;
  if (b.length === 0) throw new DataError('data.csv.empty', {}, { location: { file } });
  const inferred: InferredKinds = new Map();
  for (;;) {
    try {
      const session = new ReadSession(options, inferred, file, b.length);
      session.feed(b, 0, b.length, true, NO_ROW_LIMIT);
      return session.takeTable();
    } catch (e) {
      if (!(e instanceof DemoteColumn)) throw e;
      inferred.set(e.columnName, false);
    }
  }
}

/** Reads a CSV file in chunks into one table. */
export async function readCsvFile(path: string | ByteSource, options: CsvReadOptions = {}): Promise<Table> {
  let table: Table | undefined;
  for await (const t of readBatches(path, options, NO_ROW_LIMIT)) table = t;
  return table as Table;
}

/**
 * Reads a CSV file as tables of at most `batchRows` rows. Categorical codes are stable across
 * batches (a later batch's dictionary extends an earlier one). Without a schema, column types
 * are inferred from the first batch; a non-number in a numeric column later is an error.
 */
export async function* readCsvBatches(path: string | ByteSource, options: CsvReadOptions = {}, batchRows = 65536): AsyncGenerator<Table> {
  yield* readBatches(path, options, Math.min(NO_ROW_LIMIT, Math.max(1, Math.floor(batchRows))));
}

async function* readBatches(from: string | ByteSource, options: CsvReadOptions, batchRows: number): AsyncGenerator<Table> {
  const file = options.fileName ?? (typeof from === 'string' ? from : from.label);
  const inferred: InferredKinds = new Map();
  for (;;) {
    let yielded = false;
    try {
      const reader = await openReader(from);
      try {
        const size = reader.size;
        if (size === 0) throw new DataError('data.csv.empty', {}, { location: { file } });
        const session = new ReadSession(options, inferred, file, size);
        const chunk = Math.max(1, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK));
        let buf = Buffer.allocUnsafe(Math.min(chunk, size + 1));
        let filled = 0;
        let start = 0;
        let eof = false;
        for (;;) {
          while (filled < buf.length && !eof) {
            const bytesRead = await reader.read(buf, filled);
            if (bytesRead === 0) eof = true;
            else filled += bytesRead;
          }
          const consumed = session.feed(buf, start, filled, eof, batchRows);
          if (session.rows >= batchRows) {
            yield session.takeTable();
            yielded = true;
            session.lockTypes();
            start = consumed;
            continue;
          }
          if (eof) break;
          if (consumed === 0 && filled === buf.length) {
            // One record is longer than the buffer.
            const bigger = Buffer.allocUnsafe(buf.length * 2);
            buf.copy(bigger, 0, 0, filled);
            buf = bigger;
          } else {
            buf.copyWithin(0, consumed, filled);
            filled -= consumed;
          }
          start = 0;
        }
        if (session.rows > 0 || !yielded) yield session.takeTable();
        return;
      } finally {
        await reader.close();
      }
    } catch (e) {
      if (!(e instanceof DemoteColumn) || yielded) throw e;
      inferred.set(e.columnName, false);
    }
  }
}

/** Reads bytes into the caller's buffer: positionally from a file, or by copying a source's chunks. */
interface ChunkReader {
  /** The input's size, or an estimate for a source (0 means empty). */
  readonly size: number;
  read(buf: Buffer, offset: number): Promise<number>;
  close(): Promise<void>;
}

async function openReader(from: string | ByteSource): Promise<ChunkReader> {
  if (typeof from === 'string') {
    const fh = await openForRead(from);
    try {
      const size = await fileSize(fh, from);
      return { size, read: (buf, offset) => readInto(fh, buf, offset, from).then((r) => r.bytesRead), close: () => fh.close() };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }
  const it = from.open()[Symbol.asyncIterator]();
  let pending: Uint8Array | undefined;
  let done = false;
  const next = async (): Promise<void> => {
    while (!done && (pending === undefined || pending.length === 0)) {
      const r = await it.next();
      if (r.done) done = true;
      else pending = r.value;
    }
  };
  await next();
  const size = done ? 0 : Math.max(1, from.sizeHint ?? DEFAULT_CHUNK);
  return {
    size,
    read: async (buf, offset) => {
      await next();
      if (done || pending === undefined) return 0;
      const n = Math.min(pending.length, buf.length - offset);
      buf.set(pending.subarray(0, n), offset);
      pending = pending.subarray(n);
      return n;
    },
    close: async () => {
      if (!done) await it.return?.();
    },
  };
}
async function openForRead(path: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(path, 'r');
  } catch (e) {
    throw ioError(e, path);
  }
}

async function fileSize(fh: fsp.FileHandle, path: string): Promise<number> {
  const st = await fh.stat();
  if (!st.isFile()) throw new IoError('io.notAFile', { path });
  return st.size;
}

async function readInto(fh: fsp.FileHandle, buf: Buffer, offset: number, path: string): Promise<{ bytesRead: number }> {
  try {
    return await fh.read(buf, offset, buf.length - offset, null);
  } catch (e) {
    throw ioError(e, path);
  }
}

function ioError(e: unknown, path: string): IoError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IoError('io.notFound', { path }, { cause: e });
  if (code === 'EISDIR') return new IoError('io.notAFile', { path }, { cause: e });
  return new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
}
