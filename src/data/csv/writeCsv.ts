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
  const rows = csvRowFormatter(table, options);
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 16384);
  const nRows = table.numRows;
  return (function* () {
    if (nRows === 0 || table.columns.length === 0) {
      if (rows.header) yield rows.header;
      return;
    }
    for (let start = 0; start < nRows; start += rowsPerChunk) yield rows.format(start, Math.min(nRows, start + rowsPerChunk), start === 0);
  })();
}

/** Formats rows of one table; the bytes of any split into row ranges concatenate to the same file. */
export interface CsvRowFormatter {
  /** The header line, or null without one. */
  readonly header: Buffer | null;
  /**
   * Rows [start, end) (with the header first when `withHeader`), as a view of a buffer reused
   * by the next call.
   */
  format(start: number, end: number, withHeader: boolean): Uint8Array;
  /** Bytes a row can take in the fixed-width columns (what a block's buffer is sized by). */
  readonly rowBound: number;
}

/** Checks the options (before any file is touched) and plans the table's columns once. */
/** `scratch`: a buffer to format into first (a worker passes one back in, so it allocates once). */
export function csvRowFormatter(table: Table, options: CsvWriteOptions = {}, scratch?: Buffer): CsvRowFormatter {
  const formatters = options.formatters ?? {};
  for (const name of Object.keys(formatters)) {
    if (!table.has(name)) throw new UsageError('data.csv.unknownColumn', { name });
  }
  const header = (options.header ?? true) ? Buffer.from(`${table.columns.map((c) => quoteField(c.name)).join(',')}\n`, 'utf8') : null;
  const nCols = table.columns.length;
  const plan = table.columns.map((c) => columnPlan(c, formatters[c.name]));
  // Bytes a row can take in its fixed-width columns (formatted ones make room for themselves).
  const rowBound = plan.reduce((s, p) => s + p.bound + 1, 1);
  const rowsState: RowsState = {
    buf: scratch ?? Buffer.allocUnsafe(0),
    at: 0,
    nCols,
    rowBound,
    plan,
    kinds: Uint8Array.from(plan, (p) => p.kind),
    values: plan.map((p) => p.values),
    codes: plan.map((p) => p.codes),
    texts: plan.map((p) => p.texts),
  };
  return {
    header,
    rowBound,
    format(start, end, withHeader) {
      const head = withHeader ? header : null;
      const need = (head?.length ?? 0) + (end - start) * rowBound;
      // Never from Buffer's shared pool (64 KiB at least): a worker transfers it (parallelFormat.ts).
      if (rowsState.buf.length < need) rowsState.buf = Buffer.allocUnsafe(Math.max(64 * 1024, need));
      rowsState.at = 0;
      if (head) {
        head.copy(rowsState.buf, 0);
        rowsState.at = head.length;
      }
      formatRows(rowsState, start, end);
      return rowsState.buf.subarray(0, rowsState.at);
    },
  };
}

interface RowsState {
  buf: Buffer;
  at: number;
  readonly nCols: number;
  readonly rowBound: number;
  readonly plan: readonly ColumnPlan[];
  readonly kinds: Uint8Array;
  readonly values: readonly (Float64Array | undefined)[];
  readonly codes: readonly (Int32Array | undefined)[];
  readonly texts: readonly (Uint8Array[] | undefined)[];
}

// Module level, not a closure: its type feedback and optimised code are shared by every
// formatter (a worker makes one per block; a fresh closure would start cold each time).
function formatRows(st: RowsState, start: number, end: number): void {
  const { nCols, rowBound, kinds, values, codes, texts, plan } = st;
  let buf = st.buf;
  let at = st.at;
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
        const room = Buffer.byteLength(text, 'utf8') + rowBound;
        if (at + room > buf.length) buf = grown(buf, at, room);
        at += buf.write(text, at, 'utf8');
      }
    }
    buf[at++] = 10; // '\n'
  }
  st.buf = buf;
  st.at = at;
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
