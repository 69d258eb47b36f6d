// Structural checks of a whole Parquet file in memory, before any value is decoded. hyparquet
// trusts the file: it allocates what page headers declare and reads where offsets point. Here every
// size a file declares is checked against the file itself and the caller's limits, so a hostile
// file costs at most its own size to reject, with a one-line DataError naming it:
//   header and footer magic, footer length inside the file, a flat schema of plain columns, row
//   counts (file = sum of row groups <= maxRows), each column chunk inside the data region with a
//   supported codec, and each page header inside its chunk declaring no more values than its row
//   group has rows and no larger page than the chunk's declared uncompressed size and the limit.
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { DataError, IoError } from '../../core/errors.ts';
import type { MessageArgs, MessageCode } from '../../core/messages.ts';

export const PARQUET_MAGIC = Buffer.from('PAR1', 'latin1');

export interface ParquetLimits {
  /** Most rows a file may declare. */
  maxRows: number;
  /** Largest decoded (uncompressed) page or column chunk, in bytes. */
  maxChunkBytes: number;
  /** Most row groups a file may have (each costs a decode call and its metadata). */
  maxRowGroups: number;
  /** Most cells (rows x columns read) one read decodes, whatever the file's size. */
  maxCells: number;
  /**
   * Past `freeCells`, at most this many decoded cells per byte of file. RLE pages let a few bytes
   * declare millions of equal values (a 44 KB file decoding to 240M cells); files we write hold
   * plain doubles (8 bytes a cell) beside bit-packed dictionary codes, far below 64 cells a byte.
   */
  maxCellsPerByte: number;
  /** Cells any file may decode regardless of its size (small files of constant columns). */
  freeCells: number;
}

// 20M rows x 20 columns; a 1M-row dataset is 13M cells, the 750k x 26 matrix 19.5M.
export const DEFAULT_PARQUET_LIMITS: ParquetLimits = {
  maxRows: 20_000_000,
  maxChunkBytes: 1024 ** 3,
  maxRowGroups: 10_000,
  maxCells: 400_000_000,
  maxCellsPerByte: 64,
  freeCells: 32_000_000,
};

const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);
const PAGE_TYPES = new Set(['DATA_PAGE', 'DATA_PAGE_V2', 'DICTIONARY_PAGE']);

export function parquetError<C extends MessageCode>(file: string, code: C, args: MessageArgs<C>, cause?: unknown): DataError<C> {
  return new DataError(code, args, { location: { file }, ...(cause !== undefined ? { cause } : {}) });
}

/** Whether bytes start with the Parquet magic. */
export const hasParquetMagic = (bytes: Uint8Array): boolean => bytes.length >= 4 && PARQUET_MAGIC.equals(bytes.subarray(0, 4));

/**
 * Refuses decoding `rows` x `columns` cells from a `size`-byte file past the limits: the cap, and
 * past `freeCells` the cells a file of that size can honestly hold (a decompression bomb).
 */
export function checkCells(file: string, size: number, rows: number, columns: number, limits: ParquetLimits): void {
  const cells = rows * columns;
  if (cells > limits.maxCells) throw parquetError(file, 'data.parquet.tooManyCells', { rows, columns, limit: limits.maxCells, why: 'the limit' });
  const honest = Math.max(limits.freeCells, size * limits.maxCellsPerByte);
  if (cells > honest) {
    throw parquetError(file, 'data.parquet.tooManyCells', { rows, columns, limit: honest, why: `a ${size}-byte file can hold (${limits.maxCellsPerByte} cells a byte; a decompression bomb?)` });
  }
}

/** Any failure of `work` as a DataError naming `file`: a hostile file can make the decoder throw anything. */
export async function asParquetError<T>(file: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DataError || e instanceof IoError) throw e;
    throw parquetError(file, 'data.parquet.corrupt', { reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, e);
  }
}

/** The file's metadata after every check above; throws a DataError naming `file` otherwise. */
export function checkParquet(bytes: Uint8Array, file: string, limits: ParquetLimits): FileMetaData {
  const size = bytes.length;
  if (size < 12) throw parquetError(file, 'data.parquet.tooSmall', { size });
  if (!hasParquetMagic(bytes)) throw parquetError(file, 'data.parquet.badMagic', { where: 'start' });
  if (!PARQUET_MAGIC.equals(bytes.subarray(size - 4))) {
    // A .csv can start with PAR1 too: say why it was read as Parquet.
    throw parquetError(file, 'data.parquet.badMagic', { where: "end (truncated?; read as Parquet because its content starts with 'PAR1')" });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const footerLength = view.getUint32(size - 8, true);
  const dataEnd = size - 8 - footerLength;
  if (footerLength === 0 || dataEnd < 4) throw parquetError(file, 'data.parquet.badFooter', { length: footerLength, size });
  let meta: FileMetaData;
  try {
    meta = parquetMetadata(bytes);
  } catch (e) {
    throw parquetError(file, 'data.parquet.corrupt', { reason: `footer: ${(e as Error).message}` }, e);
  }
  checkSchema(meta, file);
  const rows = big(meta.num_rows, 'file row count', file);
  if (!Array.isArray(meta.row_groups)) throw parquetError(file, 'data.parquet.corrupt', { reason: 'footer has no row group list' });
  if (meta.row_groups.length > limits.maxRowGroups) {
    throw parquetError(file, 'data.parquet.corrupt', { reason: `${meta.row_groups.length} row groups, more than the ${limits.maxRowGroups}-group limit` });
  }
  if (rows < 0n || rows > BigInt(limits.maxRows)) throw parquetError(file, 'data.parquet.tooManyRows', { rows: String(rows), limit: limits.maxRows });
  let sum = 0n;
  const nColumns = meta.schema.length - 1;
  for (const [g, rg] of meta.row_groups.entries()) {
    const groupRows = big(rg.num_rows, `row group ${g} row count`, file);
    if (!Array.isArray(rg.columns)) throw parquetError(file, 'data.parquet.corrupt', { reason: `row group ${g} has no column list` });
    if (groupRows < 0n || groupRows > rows) throw parquetError(file, 'data.parquet.corrupt', { reason: `row group ${g} declares ${groupRows} rows of the file's ${rows}` });
    sum += groupRows;
    if (rg.columns.length !== nColumns) throw parquetError(file, 'data.parquet.corrupt', { reason: `row group ${g} has ${rg.columns.length} column chunks, the schema ${nColumns} columns` });
    for (const chunk of rg.columns) checkChunk(view, dataEnd, chunk.meta_data, Number(groupRows), file, limits);
  }
  if (sum !== rows) throw parquetError(file, 'data.parquet.corrupt', { reason: `row groups hold ${sum} rows, the footer declares ${rows}` });
  return meta;
}

/** A footer number that must be an Int64 (a corrupt footer can give another type there). */
function big(v: unknown, what: string, file: string): bigint {
  if (typeof v !== 'bigint') throw parquetError(file, 'data.parquet.corrupt', { reason: `footer ${what} is not a 64-bit integer (${typeof v})` });
  return v;
}

/** A footer number that must be an Int32. */
function int(v: unknown, what: string, file: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw parquetError(file, 'data.parquet.corrupt', { reason: `footer ${what} is not an integer (${typeof v})` });
  return v;
}

/** Only flat files: a root and leaf columns of a physical type, none repeated. */
function checkSchema(meta: FileMetaData, file: string): void {
  const [root, ...leaves] = meta.schema;
  if (!Array.isArray(meta.schema)) throw parquetError(file, 'data.parquet.corrupt', { reason: 'footer has no schema' });
  if (root === undefined || root.num_children !== leaves.length) throw parquetError(file, 'data.parquet.unsupported', { what: 'nested columns (only flat tables are read)' });
  for (const el of leaves) {
    if (typeof el.name !== 'string') throw parquetError(file, 'data.parquet.corrupt', { reason: 'a column without a name' });
    if (el.num_children !== undefined || el.type === undefined) throw parquetError(file, 'data.parquet.unsupported', { what: `nested column '${el.name}'` });
    if (el.repetition_type === 'REPEATED') throw parquetError(file, 'data.parquet.unsupported', { what: `repeated column '${el.name}'` });
  }
}

type ChunkMeta = FileMetaData['row_groups'][number]['columns'][number]['meta_data'];

function checkChunk(view: DataView, dataEnd: number, meta: ChunkMeta, groupRows: number, file: string, limits: ParquetLimits): void {
  if (meta === undefined) throw parquetError(file, 'data.parquet.unsupported', { what: 'column chunk without metadata (external file)' });
  if (!Array.isArray(meta.path_in_schema)) throw parquetError(file, 'data.parquet.corrupt', { reason: 'column chunk without a column path' });
  const column = meta.path_in_schema.join('.');
  big(meta.data_page_offset, `column '${column}' data page offset`, file);
  if (meta.dictionary_page_offset !== undefined) big(meta.dictionary_page_offset, `column '${column}' dictionary page offset`, file);
  big(meta.total_compressed_size, `column '${column}' compressed size`, file);
  big(meta.total_uncompressed_size, `column '${column}' uncompressed size`, file);
  big(meta.num_values, `column '${column}' value count`, file);
  if (!SUPPORTED_CODECS.has(meta.codec)) throw parquetError(file, 'data.parquet.unsupported', { what: `codec ${meta.codec} in column '${column}'` });
  const start = meta.dictionary_page_offset !== undefined && meta.dictionary_page_offset > 0n ? meta.dictionary_page_offset : meta.data_page_offset;
  const end = start + meta.total_compressed_size;
  if (start < 4n || meta.total_compressed_size < 0n || end > BigInt(dataEnd)) {
    throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' chunk at ${start}..${end} lies outside the data (4..${dataEnd})` });
  }
  if (meta.total_uncompressed_size > BigInt(limits.maxChunkBytes)) {
    throw parquetError(file, 'data.parquet.tooLarge', { what: `column '${column}' chunk`, bytes: String(meta.total_uncompressed_size), limit: limits.maxChunkBytes });
  }
  if (meta.num_values < 0n || meta.num_values > BigInt(groupRows)) {
    throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' declares ${meta.num_values} values in a row group of ${groupRows} rows` });
  }
  // Every page header inside the chunk, before hyparquet allocates what they declare.
  const pageLimit = Math.min(limits.maxChunkBytes, Number(meta.total_uncompressed_size));
  const reader = { view, offset: Number(start) };
  const chunkEnd = Number(end);
  let values = 0;
  while (reader.offset < chunkEnd) {
    let header;
    try {
      header = parquetHeader(reader);
    } catch (e) {
      throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' page header at ${reader.offset}: ${(e as Error).message}` }, e);
    }
    int(header.compressed_page_size, `column '${column}' page size`, file);
    int(header.uncompressed_page_size, `column '${column}' page size`, file);
    const pageEnd = reader.offset + header.compressed_page_size;
    if (!(header.compressed_page_size >= 0) || pageEnd > chunkEnd) {
      throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' page of ${header.compressed_page_size} bytes runs past its chunk` });
    }
    if (!PAGE_TYPES.has(header.type)) throw parquetError(file, 'data.parquet.unsupported', { what: `page type ${header.type} in column '${column}'` });
    if (!(header.uncompressed_page_size >= 0) || header.uncompressed_page_size > pageLimit) {
      throw parquetError(file, 'data.parquet.tooLarge', { what: `column '${column}' page`, bytes: String(header.uncompressed_page_size), limit: pageLimit });
    }
    checkPageHeader(header, column, groupRows, file);
    const declared = int(header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? header.dictionary_page_header?.num_values ?? 0, `column '${column}' page value count`, file);
    if (!(declared >= 0) || declared > groupRows) {
      throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' page declares ${declared} values in a row group of ${groupRows} rows` });
    }
    if (header.type !== 'DICTIONARY_PAGE') values += declared;
    if (values > groupRows) throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' pages hold more values than its row group's ${groupRows} rows` });
    reader.offset = pageEnd;
  }
}

type PageHeader = ReturnType<typeof parquetHeader>;

/** The header struct of the page's type, with every count hyparquet loops over an integer in range (a missing one made it loop forever). */
function checkPageHeader(header: PageHeader, column: string, groupRows: number, file: string): void {
  const bad = (what: string): DataError => parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' ${header.type} page: ${what}` });
  const count = (v: unknown, what: string, max: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw bad(`${what} ${String(v)} is not an integer in 0..${max}`);
  };
  if (header.type === 'DATA_PAGE') {
    if (!header.data_page_header) throw bad('no data page header');
    count(header.data_page_header.num_values, 'value count', groupRows);
  } else if (header.type === 'DATA_PAGE_V2') {
    const h = header.data_page_header_v2;
    if (!h) throw bad('no data page header');
    count(h.num_values, 'value count', groupRows);
    count(h.num_rows, 'row count', groupRows);
    count(h.num_nulls, 'null count', h.num_values);
    count(h.definition_levels_byte_length, 'definition levels length', header.compressed_page_size);
    count(h.repetition_levels_byte_length, 'repetition levels length', header.compressed_page_size - h.definition_levels_byte_length);
  } else if (header.type === 'DICTIONARY_PAGE') {
    if (!header.dictionary_page_header) throw bad('no dictionary page header');
    count(header.dictionary_page_header.num_values, 'value count', Number.MAX_SAFE_INTEGER);
  }
}
