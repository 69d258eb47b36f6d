// CSV writer: LF line endings, fields quoted only when they hold a comma, quote, CR or LF,
// numbers in JS's shortest round-trip form (String(n)), missing values as empty fields.
// Rows are encoded straight into one reused byte buffer (numbers by writeNumber, categories
// from their dictionary's pre-encoded bytes), a chunk of rows at a time: no string per row or
// per value, and a million-row table never becomes one string. Files are written atomically
// (a temporary file renamed into place).
import { UsageError } from '../../core/errors.ts';
import type { ByteSink } from '../../core/fs/byteIo.ts';
import { MISSING_CODE, valueAt, type Column } from '../column.ts';
import type { Table } from '../table.ts';
import { MAX_NUMBER_BYTES, writeNumber } from './formatNumber.ts';
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
  const chunks = csvByteChunks(table, options); // validates options before any file is touched
  await writeChunksAtomic(path, chunks);
}

/** The CSV text in pieces of `rowsPerChunk` rows (the header comes with the first piece). */
export function csvChunks(table: Table, options: CsvWriteOptions = {}): Iterable<string> {
  const bytes = csvByteChunks(table, options);
  return (function* () {
    for (const b of bytes) yield Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  })();
}

const NUMERIC = 0;
const CATEGORY = 1;
const FORMATTED = 2;

/**
 * The CSV bytes in pieces of `rowsPerChunk` rows. Each piece is a view of one reused buffer,
 * valid until the next is requested (writeChunksAtomic writes each before asking for more).
 */
export function csvByteChunks(table: Table, options: CsvWriteOptions = {}): Iterable<Uint8Array> {
  const formatters = options.formatters ?? {};
  for (const name of Object.keys(formatters)) {
    if (!table.has(name)) throw new UsageError('data.csv.unknownColumn', { name });
  }
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 16384);
  const header = (options.header ?? true) ? Buffer.from(`${table.columns.map((c) => quoteField(c.name)).join(',')}\n`, 'utf8') : null;
  const nRows = table.numRows;
  const nCols = table.columns.length;
  const plan = table.columns.map((c) => columnPlan(c, formatters[c.name]));
  // Bytes a row can take in its fixed-width columns (formatted ones make room for themselves).
  const rowBound = plan.reduce((s, p) => s + p.bound + 1, 1);
  return (function* () {
    if (nRows === 0 || nCols === 0) {
      if (header) yield header;
      return;
    }
    const kinds = Uint8Array.from(plan, (p) => p.kind);
    const values = plan.map((p) => p.values);
    const codes = plan.map((p) => p.codes);
    const texts = plan.map((p) => p.texts);
    let buf: Buffer = Buffer.allocUnsafe(Math.max(64 * 1024, (header?.length ?? 0) + Math.min(rowsPerChunk, nRows) * rowBound));
    let at = 0;
    if (header) {
      header.copy(buf, 0);
      at = header.length;
    }
    for (let start = 0; start < nRows; start += rowsPerChunk) {
      const end = Math.min(nRows, start + rowsPerChunk);
      for (let i = start; i < end; i++) {
        if (at + rowBound > buf.length) buf = grown(buf, at, rowBound);
        for (let j = 0; j < nCols; j++) {
          if (j > 0) buf[at++] = 44; // ','
          const kind = kinds[j];
          if (kind === NUMERIC) {
            const x = (values[j] as Float64Array)[i];
            if (x === x) at = writeNumber(buf, at, x);
          } else if (kind === CATEGORY) {
            const code = (codes[j] as Int32Array)[i];
            if (code !== MISSING_CODE) {
              const t = (texts[j] as Uint8Array[])[code];
              for (let k = 0; k < t.length; k++) buf[at + k] = t[k];
              at += t.length;
            }
          } else {
            const p = plan[j];
            const text = quoteField((p.formatter as CsvFormatter)(valueAt(p.column, i), i));
            const need = Buffer.byteLength(text, 'utf8') + rowBound;
            if (at + need > buf.length) buf = grown(buf, at, need);
            at += buf.write(text, at, 'utf8');
          }
        }
        buf[at++] = 10; // '\n'
      }
      yield buf.subarray(0, at);
      at = 0;
    }
  })();
}

/** A bigger buffer holding buf[0, at), with room for `need` more bytes. */
function grown(buf: Buffer, at: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + need));
  buf.copy(bigger, 0, 0, at);
  return bigger;
}

interface ColumnPlan {
  kind: number;
  /** Most bytes a value takes (0 for formatted columns, which check their own room). */
  bound: number;
  column: Column;
  values?: Float64Array;
  codes?: Int32Array;
  texts?: Uint8Array[];
  formatter?: CsvFormatter;
}

function columnPlan(c: Column, formatter: CsvFormatter | undefined): ColumnPlan {
  if (formatter) return { kind: FORMATTED, bound: 0, column: c, formatter };
  if (c.kind === 'numeric') return { kind: NUMERIC, bound: MAX_NUMBER_BYTES, column: c, values: c.values };
  const texts = c.dictionary.map((v) => Buffer.from(quoteField(v), 'utf8'));
  return { kind: CATEGORY, bound: texts.reduce((m, t) => Math.max(m, t.length), 0), column: c, codes: c.codes, texts };
}
