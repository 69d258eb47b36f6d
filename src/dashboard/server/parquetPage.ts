// The dashboard's table preview and CSV download of a Parquet artifact. Parquet keeps its footer
// at the end, and a sealed artifact decrypts only from the start, so the content is read whole
// (checked chunks: a sealed one fails before any of it is shown), capped at PARQUET_VIEW_LIMIT,
// and checked by the data layer's reader; the cursor of a page is its first row's index.
import type { ByteSource } from '../../core/index.ts';
import { csvChunks, valueAt, type Table } from '../../data/index.ts';
import { openParquet, readParquetRows, readParquetTable, type ParquetFile } from '../../data/parquet/index.ts';
import type { CsvPage } from '../api/contract.ts';
import { ApiError } from './apiError.ts';

/** Largest Parquet artifact the dashboard previews or converts (a 1M-row run's largest is ~70 MiB). */
export const PARQUET_VIEW_LIMIT = 512 * 1024 ** 2;

export const isParquetPath = (path: string): boolean => /\.parquet$/i.test(path);

/** Opens the artifact's content (its checked chunks) as a Parquet file. */
export function openParquetContent(chunks: () => AsyncIterable<Uint8Array>, file: string, size: number): Promise<ParquetFile> {
  const source: ByteSource = { label: file, sizeHint: size, open: chunks };
  return openParquet(source, { fileName: file, maxBytes: PARQUET_VIEW_LIMIT });
}

const cell = (v: number | string | null): string => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));

function rowsOf(table: Table): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < table.numRows; i++) rows.push(table.columns.map((c) => cell(valueAt(c, i))));
  return rows;
}

/** Rows [cursor, cursor + limit) as a CsvPage (values as the CSV would hold them: missing = ''). */
export async function parquetPage(pf: ParquetFile, cursor: number, limit: number): Promise<CsvPage> {
  if (cursor > pf.numRows) throw new ApiError(400, 'dashboard.badCursor', { cursor });
  const end = Math.min(pf.numRows, cursor + limit);
  const table = await readParquetRows(pf, cursor, end);
  return { columns: pf.columns.map((c) => c.name), rows: rowsOf(table), cursor, ...(end < pf.numRows ? { nextCursor: end } : {}), totalRows: pf.numRows };
}

/** The whole file as CSV text chunks with a header line. */
export async function parquetAsCsv(pf: ParquetFile): Promise<Iterable<string>> {
  return csvChunks(await readParquetTable(pf));
}
