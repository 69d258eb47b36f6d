// Writes a dense row-major float64 matrix as CSV straight from the array, without building a
// table or one string per row or value: each chunk of rows is encoded into one reused byte
// buffer, numbers by writeNumber (String(x)'s text, byte for byte), 0-9 (one-hot, counts) as
// one byte.
import { UsageError } from '../../core/errors.ts';
import type { ByteSink } from '../../core/fs/byteIo.ts';
import { MAX_NUMBER_BYTES, writeNumber } from './formatNumber.ts';
import { writeChunksAtomic } from './writeChunks.ts';
import { quoteField } from './writeCsv.ts';

export interface MatrixCsvOptions {
  /** Column names for a header line; no header when omitted. */
  header?: readonly string[];
  /** Rows encoded per write. Default 8192. */
  rowsPerChunk?: number;
}

export async function writeMatrixCsv(data: Float64Array, nRows: number, nCols: number, path: string | ByteSink, options: MatrixCsvOptions = {}): Promise<void> {
  const chunks = matrixCsvChunks(data, nRows, nCols, options); // validates before any file is touched
  await writeChunksAtomic(path, chunks);
}

/**
 * The CSV bytes of the matrix in pieces of `rowsPerChunk` rows. Each piece is a view of one
 * reused buffer, valid until the next is requested.
 */
export function matrixCsvChunks(data: Float64Array, nRows: number, nCols: number, options: MatrixCsvOptions = {}): Iterable<string | Uint8Array> {
  checkShape(data, nRows, nCols);
  if (options.header && options.header.length !== nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: options.header.length });
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 8192);
  const header = options.header;
  const rows = matrixRowFormatter(data, nCols);
  return (function* () {
    if (header) yield header.map(quoteField).join(',') + '\n';
    for (let start = 0; start < nRows; start += rowsPerChunk) yield rows(start, Math.min(nRows, start + rowsPerChunk));
  })();
}

export function checkShape(data: Float64Array, nRows: number, nCols: number): void {
  if (data.length !== nRows * nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: nCols });
}

/** Rows [start, end) of a row-major matrix as CSV bytes: a view of a buffer reused by the next call. */
export function matrixRowFormatter(data: Float64Array, nCols: number, scratch?: Buffer): (start: number, end: number) => Uint8Array {
  // Every number takes at most MAX_NUMBER_BYTES, plus a separator each: the buffer can never overflow.
  const rowBytes = nCols * (MAX_NUMBER_BYTES + 1) + 1;
  // Never from Buffer's shared pool: a worker transfers the buffer it formatted into (parallelFormat.ts).
  let buf = scratch ?? Buffer.allocUnsafeSlow(0);
  return (start, end) => {
    if (buf.length < (end - start) * rowBytes) buf = Buffer.allocUnsafeSlow((end - start) * rowBytes);
    return buf.subarray(0, formatMatrixRows(data, nCols, buf, start, end));
  };
}

// Module level, not a closure: its type feedback and optimised code are shared by every
// formatter (a worker makes one per block; a fresh closure would start cold each time).
function formatMatrixRows(data: Float64Array, nCols: number, buf: Buffer, start: number, end: number): number {
  let at = 0;
  for (let i = start; i < end; i++) {
    const base = i * nCols;
    for (let j = 0; j < nCols; j++) {
      if (j > 0) buf[at++] = 44; // ','
      const x = data[base + j];
      if (x !== x) continue; // NaN: empty field
      if (x >= 0 && x <= 9 && (x | 0) === x) buf[at++] = 48 + x; // also -0, which String writes as "0"
      else at = writeNumber(buf, at, x);
    }
    buf[at++] = 10; // '\n'
  }
  return at;
}
