// CSV writer: LF line endings, fields quoted only when they hold a comma, quote, CR or LF,
// numbers in JS's shortest round-trip form (String(n)), missing values as empty fields.
// Output is produced in chunks of rows so a million-row table never becomes one string, and
// files are written atomically (a temporary file renamed into place).
import { UsageError } from '../../core/errors.ts';
import type { ByteSink } from '../../core/fs/byteIo.ts';
import { MISSING_CODE, valueAt, type Column } from '../column.ts';
import type { Table } from '../table.ts';
import { writeChunksAtomic } from './writeChunks.ts';

export type CsvFormatter = (value: number | string | null, row: number) => string;

export interface CsvWriteOptions {
  /** Write the column names as the first line. Default true. */
  header?: boolean;
  /** Per-column text for a value (missing = NaN/null); the result is quoted when needed. */
  formatters?: Readonly<Record<string, CsvFormatter>>;
  /** Rows formatted per write. Default 16384. */
  rowsPerChunk?: number;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a field when it holds a comma, quote, CR or LF. */
export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of a table (for small tables; use writeCsv for large ones). */
export function formatCsv(table: Table, options: CsvWriteOptions = {}): string {
  let out = '';
  for (const chunk of csvChunks(table, options)) out += chunk;
  return out;
}

/** Writes a table to `path` atomically, in chunks. */
export async function writeCsv(table: Table, path: string | ByteSink, options: CsvWriteOptions = {}): Promise<void> {
  const chunks = csvChunks(table, options); // validates options before any file is touched
  await writeChunksAtomic(path, chunks);
}

/** The CSV text in pieces of `rowsPerChunk` rows (the header comes with the first piece). */
export function csvChunks(table: Table, options: CsvWriteOptions = {}): Iterable<string> {
  const formatters = options.formatters ?? {};
  for (const name of Object.keys(formatters)) {
    if (!table.has(name)) throw new UsageError('data.csv.unknownColumn', { name });
  }
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 16384);
  const cells = table.columns.map((c) => cellWriter(c, formatters[c.name]));
  const header = (options.header ?? true) ? `${table.columns.map((c) => quoteField(c.name)).join(',')}\n` : '';
  const nRows = table.numRows;
  const nCols = cells.length;
  return (function* () {
    if (nRows === 0 || nCols === 0) {
      if (header) yield header;
      return;
    }
    let first = true;
    for (let start = 0; start < nRows; start += rowsPerChunk) {
      const end = Math.min(nRows, start + rowsPerChunk);
      let s = first ? header : '';
      first = false;
      for (let i = start; i < end; i++) {
        let line = cells[0](i);
        for (let j = 1; j < nCols; j++) line += ',' + cells[j](i);
        s += line + '\n';
      }
      yield s;
    }
  })();
}

function cellWriter(c: Column, formatter: CsvFormatter | undefined): (row: number) => string {
  if (formatter) return (i) => quoteField(formatter(valueAt(c, i), i));
  if (c.kind === 'numeric') {
    const v = c.values;
    return (i) => {
      const x = v[i];
      return x === x ? String(x) : '';
    };
  }
  const codes = c.codes;
  const texts = c.dictionary.map(quoteField);
  return (i) => {
    const code = codes[i];
    return code === MISSING_CODE ? '' : texts[code];
  };
}
