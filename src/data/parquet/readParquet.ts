// Reads Parquet files into tables and dense matrices (hyparquet decodes). Parquet needs random
// access (the footer is at the end, chunks anywhere), and a ByteSource — a plain file or a sealed
// artifact decrypting as it streams — only reads from the start: the whole file is read into memory,
// refused past `maxBytes` (io.tooLarge, naming it), then checked structurally (checkParquet.ts)
// before anything is decoded. Values map as the CSV reader's do: numbers to numeric columns with
// NaN for null, strings to categorical columns with MISSING_CODE for null, the dictionary in the
// schema's category order when it gives one, else first-seen order.
import { parquetRead, type FileMetaData, type SchemaElement } from 'hyparquet';
import type { DenseMatrix } from '../../core/denseMatrix.ts';
import { readAllBytes, toByteSource, type ByteSource } from '../../core/fs/byteIo.ts';
import { categoricalColumn, MISSING_CODE, numericColumn, type Column } from '../column.ts';
import { validateTable } from '../schema/validate.ts';
import { isNumericType, type Schema } from '../schema/types.ts';
import { Table } from '../table.ts';
import { asParquetError, checkCells, checkParquet, DEFAULT_PARQUET_LIMITS, hasParquetMagic, parquetError, type ParquetLimits } from './checkParquet.ts';
import { DataError } from '../../core/errors.ts';

/** Largest Parquet file read into memory by default (a 10M-row run's biggest artifact is ~2 GB as CSV, far less here). */
export const DEFAULT_PARQUET_MAX_BYTES = 2 * 1024 ** 3 - 1;

export interface ParquetReadOptions {
  /** Name used in messages; default the source's label. */
  fileName?: string;
  /** Largest file read, in bytes. */
  maxBytes?: number;
  limits?: Partial<ParquetLimits>;
}

type ValueKind = 'number' | 'string' | 'other';

export interface ParquetColumnInfo {
  readonly name: string;
  readonly kind: ValueKind;
  /** The physical type and annotation, for messages. */
  readonly typeName: string;
}

/** A checked Parquet file held in memory. */
export interface ParquetFile {
  readonly file: string;
  readonly numRows: number;
  readonly columns: readonly ParquetColumnInfo[];
  readonly metadata: FileMetaData;
  readonly buffer: ArrayBuffer;
  /** The limits it was opened with; reads check their decoded size against them. */
  readonly limits: ParquetLimits;
}

/** Whether a source starts with the Parquet magic `PAR1` (reads only its first chunk). */
export async function isParquetSource(from: string | ByteSource): Promise<boolean> {
  for await (const chunk of toByteSource(from).open()) {
    // A first chunk shorter than 4 bytes from a streaming source is too rare to merit a second read.
    return hasParquetMagic(chunk);
  }
  return false;
}

/** Reads, bounds and checks a Parquet file. */
export async function openParquet(from: string | ByteSource, options: ParquetReadOptions = {}): Promise<ParquetFile> {
  const source = toByteSource(from);
  const file = options.fileName ?? source.label;
  const bytes = await readAllBytes(source, options.maxBytes ?? DEFAULT_PARQUET_MAX_BYTES);
  const limits = { ...DEFAULT_PARQUET_LIMITS, ...options.limits };
  return asParquetError(file, () => {
    const metadata = checkParquet(bytes, file, limits);
    // hyparquet reads an ArrayBuffer; a pooled Buffer's may hold other bytes around it.
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const columns = metadata.schema.slice(1).map(columnInfo);
    return { file, numRows: Number(metadata.num_rows), columns, metadata, buffer: buffer as ArrayBuffer, limits };
  });
}

/** Refuses reading `rows` rows (default all) of `columns` columns past the file's cell limits (a decompression bomb). */
export function checkParquetCells(pf: ParquetFile, columns: number, rows = pf.numRows): void {
  checkCells(pf.file, pf.buffer.byteLength, rows, columns, pf.limits);
}

const INTEGER_ANNOTATIONS = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64']);

function columnInfo(el: SchemaElement): ParquetColumnInfo {
  const annotation = el.logical_type?.type ?? el.converted_type;
  const typeName = annotation ? `${el.type} (${annotation})` : String(el.type);
  let kind: ValueKind = 'other';
  if (el.type === 'DOUBLE' || el.type === 'FLOAT') kind = annotation === undefined ? 'number' : 'other';
  else if (el.type === 'INT32' || el.type === 'INT64') kind = INTEGER_ANNOTATIONS.has(el.converted_type) && (el.logical_type === undefined || el.logical_type.type === 'INTEGER') ? 'number' : 'other';
  else if (el.type === 'BYTE_ARRAY') kind = annotation === undefined || annotation === 'UTF8' || annotation === 'STRING' || annotation === 'ENUM' ? 'string' : 'other';
  return { name: el.name, kind, typeName };
}

interface Piece {
  readonly rowStart: number;
  readonly data: ArrayLike<unknown>;
}

/**
 * The pieces of each named column for rows [rowStart, rowEnd). Each row group touched is decoded
 * on its own, given only its metadata: hyparquet plans over every row group it is given, so a file
 * of many tiny groups read group by group would otherwise cost groups^2.
 */
async function decode(pf: ParquetFile, names: readonly string[], rowStart: number, rowEnd: number): Promise<Map<string, Piece[]>> {
  const pieces = new Map<string, Piece[]>(names.map((n) => [n, []]));
  let groupStart = 0;
  for (const rg of pf.metadata.row_groups) {
    const groupRows = Number(rg.num_rows);
    const start = groupStart;
    groupStart += groupRows;
    if (start + groupRows <= rowStart || groupRows === 0) continue;
    if (start >= rowEnd) break;
    await asParquetError(pf.file, () =>
      parquetRead({
        file: pf.buffer,
        metadata: { ...pf.metadata, row_groups: [rg], num_rows: rg.num_rows },
        columns: [...names],
        rowStart: Math.max(0, rowStart - start),
        rowEnd: Math.min(groupRows, rowEnd - start),
        onChunk: (c) => pieces.get(c.columnName)?.push({ rowStart: start + c.rowStart, data: c.columnData as ArrayLike<unknown> }),
      }),
    );
  }
  return pieces;
}

/** hyparquet gives `undefined` for a dictionary index past the dictionary: corrupt, not missing (`null`). */
const outOfRange = (pf: ParquetFile, name: string, row: number): DataError =>
  parquetError(pf.file, 'data.parquet.corrupt', { reason: `column '${name}' row ${row}: a dictionary index past the dictionary (or no value)` });

function numericValues(pf: ParquetFile, name: string, pieces: readonly Piece[], rowStart: number, rowEnd: number): Float64Array {
  const out = new Float64Array(rowEnd - rowStart).fill(NaN);
  for (const p of pieces) {
    const from = Math.max(p.rowStart, rowStart);
    const to = Math.min(p.rowStart + p.data.length, rowEnd);
    if (p.rowStart + p.data.length > pf.numRows) throw parquetError(pf.file, 'data.parquet.corrupt', { reason: `column '${name}' holds more values than the file's ${pf.numRows} rows` });
    if (p.data instanceof Float64Array) {
      if (to > from) out.set(p.data.subarray(from - p.rowStart, to - p.rowStart), from - rowStart);
      continue;
    }
    const d = p.data;
    for (let i = from; i < to; i++) {
      const v = d[i - p.rowStart];
      if (typeof v === 'number') out[i - rowStart] = v;
      else if (typeof v === 'bigint') out[i - rowStart] = Number(v);
      else if (typeof v === 'boolean') out[i - rowStart] = v ? 1 : 0;
      else if (v === undefined) throw outOfRange(pf, name, i);
      else if (v !== null) throw parquetError(pf.file, 'data.parquet.wrongType', { name, expected: 'numbers', found: typeof v });
    }
  }
  return out;
}

function categoricalValues(pf: ParquetFile, name: string, pieces: readonly Piece[], rowStart: number, rowEnd: number, categories?: readonly string[]): Column {
  const codes = new Int32Array(rowEnd - rowStart).fill(MISSING_CODE);
  const dictionary: string[] = [...(categories ?? [])];
  const index = new Map(dictionary.map((s, i) => [s, i]));
  for (const p of pieces) {
    if (p.rowStart + p.data.length > pf.numRows) throw parquetError(pf.file, 'data.parquet.corrupt', { reason: `column '${name}' holds more values than the file's ${pf.numRows} rows` });
    const from = Math.max(p.rowStart, rowStart);
    const to = Math.min(p.rowStart + p.data.length, rowEnd);
    const d = p.data;
    for (let i = from; i < to; i++) {
      const v = d[i - p.rowStart];
      // '' is missing, as in CSV (an empty field), so both formats give the same table.
      if (v === undefined) throw outOfRange(pf, name, i);
      if (v === null || v === '') continue;
      if (typeof v !== 'string') throw parquetError(pf.file, 'data.parquet.wrongType', { name, expected: 'strings', found: typeof v });
      let c = index.get(v);
      if (c === undefined) {
        c = dictionary.length;
        index.set(v, c);
        dictionary.push(v);
      }
      codes[i - rowStart] = c;
    }
  }
  return categoricalColumn(name, codes, dictionary);
}

export interface ParquetTableOptions extends ParquetReadOptions {
  /** Columns to read and their types; values are checked as the CSV reader checks them. Without it every column is read, typed by the file. */
  schema?: Schema;
}

/** A Parquet file (or an opened one) as a table. With a schema, only its columns, each of the right kind and valid. */
export async function readParquetTable(from: string | ByteSource | ParquetFile, options: ParquetTableOptions = {}): Promise<Table> {
  const pf = isParquetFile(from) ? from : await openParquet(from, options);
  const byName = new Map(pf.columns.map((c) => [c.name, c]));
  const wanted = options.schema
    ? options.schema.columns.map((cs) => {
        const info = byName.get(cs.name);
        if (!info) throw parquetError(pf.file, 'data.parquet.missingColumn', { name: cs.name });
        const want = isNumericType(cs.type) ? 'number' : 'string';
        if (info.kind !== want) throw parquetError(pf.file, 'data.parquet.wrongType', { name: cs.name, expected: want === 'number' ? 'a number column' : 'a string column', found: info.typeName });
        return { info, categories: cs.categories };
      })
    : pf.columns.map((info) => {
        if (info.kind === 'other') throw parquetError(pf.file, 'data.parquet.wrongType', { name: info.name, expected: 'numbers or strings', found: info.typeName });
        return { info, categories: undefined };
      });
  checkParquetCells(pf, wanted.length);
  const pieces = await decode(pf, wanted.map((w) => w.info.name), 0, pf.numRows);
  const columns = await asParquetError(pf.file, () => wanted.map(({ info, categories }) =>
    info.kind === 'number'
      ? numericColumn(info.name, numericValues(pf, info.name, pieces.get(info.name) ?? [], 0, pf.numRows))
      : categoricalValues(pf, info.name, pieces.get(info.name) ?? [], 0, pf.numRows, categories),
  ));
  const table = new Table(columns);
  if (options.schema) {
    const [first] = validateTable(table, options.schema, { maxIssues: 1 });
    if (first) {
      throw new DataError(first.code, first.args as never, { location: { file: pf.file, field: first.field } });
    }
  }
  return table;
}

/** Rows [start, end) of every column (typed by the file), for a pager: only the row groups they touch are decoded. */
export async function readParquetRows(pf: ParquetFile, start: number, end: number): Promise<Table> {
  const from = Math.max(0, Math.min(start, pf.numRows));
  const to = Math.max(from, Math.min(end, pf.numRows));
  for (const info of pf.columns) {
    if (info.kind === 'other') throw parquetError(pf.file, 'data.parquet.wrongType', { name: info.name, expected: 'numbers or strings', found: info.typeName });
  }
  checkParquetCells(pf, pf.columns.length, to - from);
  const pieces = await decode(pf, pf.columns.map((c) => c.name), from, to);
  return asParquetError(pf.file, () => new Table(
    pf.columns.map((info) =>
      info.kind === 'number'
        ? numericColumn(info.name, numericValues(pf, info.name, pieces.get(info.name) ?? [], from, to))
        : categoricalValues(pf, info.name, pieces.get(info.name) ?? [], from, to),
    ),
  ));
}

const isParquetFile = (x: unknown): x is ParquetFile => typeof x === 'object' && x !== null && (x as ParquetFile).buffer instanceof ArrayBuffer && 'metadata' in x;

function matrixColumns(pf: ParquetFile): string[] {
  for (const c of pf.columns) {
    if (c.kind !== 'number') throw parquetError(pf.file, 'data.parquet.wrongType', { name: c.name, expected: 'a number column (feature matrix)', found: c.typeName });
  }
  checkParquetCells(pf, pf.columns.length);
  return pf.columns.map((c) => c.name);
}

async function matrixRows(pf: ParquetFile, names: readonly string[], rowStart: number, rowEnd: number): Promise<DenseMatrix> {
  const nCols = names.length;
  const nRows = rowEnd - rowStart;
  const data = new Float64Array(nRows * nCols);
  // One column at a time: only that column's decoded values exist beside the file and the matrix.
  for (let j = 0; j < nCols; j++) {
    const pieces = await decode(pf, [names[j]], rowStart, rowEnd);
    const col = numericValues(pf, names[j], pieces.get(names[j]) ?? [], rowStart, rowEnd);
    for (let i = 0, at = j; i < nRows; i++, at += nCols) data[at] = col[i];
  }
  return { data, nRows, nCols };
}

/** A Parquet file of number columns as a row-major matrix (null -> NaN). */
export async function readParquetMatrix(from: string | ByteSource | ParquetFile, options: ParquetReadOptions = {}): Promise<DenseMatrix> {
  const pf = isParquetFile(from) ? from : await openParquet(from, options);
  return matrixRows(pf, matrixColumns(pf), 0, pf.numRows);
}

/** The same matrix a row group at a time, so a consumer holds one group's rows decoded. */
export async function* readParquetMatrixBatches(from: string | ByteSource | ParquetFile, options: ParquetReadOptions = {}): AsyncGenerator<DenseMatrix> {
  const pf = isParquetFile(from) ? from : await openParquet(from, options);
  const names = matrixColumns(pf);
  let start = 0;
  for (const rg of pf.metadata.row_groups) {
    const end = start + Number(rg.num_rows);
    if (end > start) yield await matrixRows(pf, names, start, end);
    start = end;
  }
}
