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
import { DataError } from '../../core/errors.ts';
import type { MessageArgs, MessageCode } from '../../core/messages.ts';

export const PARQUET_MAGIC = Buffer.from('PAR1', 'latin1');

export interface ParquetLimits {
  /** Most rows a file may declare. */
  maxRows: number;
  /** Largest decoded (uncompressed) page or column chunk, in bytes. */
  maxChunkBytes: number;
}

export const DEFAULT_PARQUET_LIMITS: ParquetLimits = { maxRows: 20_000_000, maxChunkBytes: 1024 ** 3 };

const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);
const PAGE_TYPES = new Set(['DATA_PAGE', 'DATA_PAGE_V2', 'DICTIONARY_PAGE']);

export function parquetError<C extends MessageCode>(file: string, code: C, args: MessageArgs<C>, cause?: unknown): DataError<C> {
  return new DataError(code, args, { location: { file }, ...(cause !== undefined ? { cause } : {}) });
}

/** Whether bytes start with the Parquet magic. */
export const hasParquetMagic = (bytes: Uint8Array): boolean => bytes.length >= 4 && PARQUET_MAGIC.equals(bytes.subarray(0, 4));

/** The file's metadata after every check above; throws a DataError naming `file` otherwise. */
export function checkParquet(bytes: Uint8Array, file: string, limits: ParquetLimits): FileMetaData {
  const size = bytes.length;
  if (size < 12) throw parquetError(file, 'data.parquet.tooSmall', { size });
  if (!hasParquetMagic(bytes)) throw parquetError(file, 'data.parquet.badMagic', { where: 'start' });
  if (!PARQUET_MAGIC.equals(bytes.subarray(size - 4))) throw parquetError(file, 'data.parquet.badMagic', { where: 'end (truncated?)' });
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
  const rows = meta.num_rows;
  if (rows < 0n || rows > BigInt(limits.maxRows)) throw parquetError(file, 'data.parquet.tooManyRows', { rows: String(rows), limit: limits.maxRows });
  let sum = 0n;
  const nColumns = meta.schema.length - 1;
  for (const [g, rg] of meta.row_groups.entries()) {
    const groupRows = rg.num_rows;
    if (groupRows < 0n || groupRows > rows) throw parquetError(file, 'data.parquet.corrupt', { reason: `row group ${g} declares ${groupRows} rows of the file's ${rows}` });
    sum += groupRows;
    if (rg.columns.length !== nColumns) throw parquetError(file, 'data.parquet.corrupt', { reason: `row group ${g} has ${rg.columns.length} column chunks, the schema ${nColumns} columns` });
    for (const chunk of rg.columns) checkChunk(view, dataEnd, chunk.meta_data, Number(groupRows), file, limits);
  }
  if (sum !== rows) throw parquetError(file, 'data.parquet.corrupt', { reason: `row groups hold ${sum} rows, the footer declares ${rows}` });
  return meta;
}

/** Only flat files: a root and leaf columns of a physical type, none repeated. */
function checkSchema(meta: FileMetaData, file: string): void {
  const [root, ...leaves] = meta.schema;
  if (root === undefined || root.num_children !== leaves.length) throw parquetError(file, 'data.parquet.unsupported', { what: 'nested columns (only flat tables are read)' });
  for (const el of leaves) {
    if (el.num_children !== undefined || el.type === undefined) throw parquetError(file, 'data.parquet.unsupported', { what: `nested column '${el.name}'` });
    if (el.repetition_type === 'REPEATED') throw parquetError(file, 'data.parquet.unsupported', { what: `repeated column '${el.name}'` });
  }
}

type ChunkMeta = FileMetaData['row_groups'][number]['columns'][number]['meta_data'];

function checkChunk(view: DataView, dataEnd: number, meta: ChunkMeta, groupRows: number, file: string, limits: ParquetLimits): void {
  if (meta === undefined) throw parquetError(file, 'data.parquet.unsupported', { what: 'column chunk without metadata (external file)' });
  const column = meta.path_in_schema.join('.');
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
    const pageEnd = reader.offset + header.compressed_page_size;
    if (!(header.compressed_page_size >= 0) || pageEnd > chunkEnd) {
      throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' page of ${header.compressed_page_size} bytes runs past its chunk` });
    }
    if (!PAGE_TYPES.has(header.type)) throw parquetError(file, 'data.parquet.unsupported', { what: `page type ${header.type} in column '${column}'` });
    if (!(header.uncompressed_page_size >= 0) || header.uncompressed_page_size > pageLimit) {
      throw parquetError(file, 'data.parquet.tooLarge', { what: `column '${column}' page`, bytes: String(header.uncompressed_page_size), limit: pageLimit });
    }
    const declared = header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? header.dictionary_page_header?.num_values ?? 0;
    if (!(declared >= 0) || declared > groupRows) {
      throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' page declares ${declared} values in a row group of ${groupRows} rows` });
    }
    if (header.type !== 'DICTIONARY_PAGE') values += declared;
    if (values > groupRows) throw parquetError(file, 'data.parquet.corrupt', { reason: `column '${column}' pages hold more values than its row group's ${groupRows} rows` });
    reader.offset = pageEnd;
  }
}
