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
  if (data.length !== nRows * nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: nCols });
  if (options.header && options.header.length !== nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: options.header.length });
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 8192);
  const header = options.header;
  await writeChunksAtomic(path, (function* () {
    if (header) yield header.map(quoteField).join(',') + '\n';
    // Every number takes at most MAX_NUMBER_BYTES, plus a separator each: the buffer can never
    // overflow. It is reused for every chunk.
    const buf = Buffer.allocUnsafe(Math.min(rowsPerChunk, Math.max(1, nRows)) * (nCols * (MAX_NUMBER_BYTES + 1) + 1));
    for (let start = 0; start < nRows; start += rowsPerChunk) {
      const end = Math.min(nRows, start + rowsPerChunk);
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
      yield buf.subarray(0, at);
    }
  })());
}
