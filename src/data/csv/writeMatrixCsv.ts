// Writes a dense row-major float64 matrix as CSV straight from the array, without building a
// table or one string per row: each chunk of rows is encoded into one reused byte buffer.
// Numbers use JS's shortest round-trip form like writeCsv; small whole numbers (one-hot 0/1,
// counts) come from a lookup table, which makes one-hot-heavy matrices several times faster.
import { UsageError } from '../../core/errors.ts';
import type { ByteSink } from '../../core/fs/byteIo.ts';
import { writeChunksAtomic } from './writeChunks.ts';
import { quoteField } from './writeCsv.ts';

export interface MatrixCsvOptions {
  /** Column names for a header line; no header when omitted. */
  header?: readonly string[];
  /** Rows encoded per write. Default 8192. */
  rowsPerChunk?: number;
}

const SMALL_INTS = Array.from({ length: 1024 }, (_, i) => String(i));

export async function writeMatrixCsv(data: Float64Array, nRows: number, nCols: number, path: string | ByteSink, options: MatrixCsvOptions = {}): Promise<void> {
  if (data.length !== nRows * nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: nCols });
  if (options.header && options.header.length !== nCols) throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: options.header.length });
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 8192);
  const header = options.header;
  await writeChunksAtomic(path, (function* () {
    if (header) yield header.map(quoteField).join(',') + '\n';
    // 24 characters is the longest shortest-round-trip double ("-2.2250738585072014e-308"),
    // plus a separator each: the buffer can never overflow. It is reused for every chunk.
    const buf = Buffer.allocUnsafe(rowsPerChunk * (nCols * 25 + 1));
    for (let start = 0; start < nRows; start += rowsPerChunk) {
      const end = Math.min(nRows, start + rowsPerChunk);
      let at = 0;
      for (let i = start; i < end; i++) {
        const base = i * nCols;
        for (let j = 0; j < nCols; j++) {
          if (j > 0) buf[at++] = 44; // ','
          const x = data[base + j];
          if (x !== x) continue; // NaN: empty field
          const text = (x | 0) === x && x >= 0 && x < 1024 ? SMALL_INTS[x] : String(x);
          at += buf.write(text, at, 'latin1');
        }
        buf[at++] = 10; // '\n'
      }
      yield buf.subarray(0, at);
    }
  })());
}
