// The dashboard's table preview and CSV download of a Parquet artifact. Parquet keeps its footer
// at the end, and a sealed artifact decrypts only from the start, so the content is read whole
// (checked chunks: a sealed one fails before any of it is shown), capped at PARQUET_VIEW_LIMIT,
// and checked by the data layer's reader; the cursor of a page is its first row's index. The
// opened file is cached per file version (ParquetFileCache, bounded in bytes), so paging does
// not re-read it; ?as=csv streams a row group at a time, never the whole CSV in memory.
import type { ByteSource } from '../../core/index.ts';
import { csvChunks, valueAt, type Table } from '../../data/index.ts';
import { checkParquetCells, openParquet, readParquetRows, type ParquetFile } from '../../data/parquet/index.ts';
import type { CsvPage } from '../api/contract.ts';
import { ApiError } from './apiError.ts';

/** Largest Parquet artifact the dashboard previews or converts (a 1M-row run's largest is ~70 MiB). */
export const PARQUET_VIEW_LIMIT = 512 * 1024 ** 2;
/**
 * Most cells (rows x columns) ?as=csv converts: 32M, above a 1M x 13 dataset (13M) and the
 * 750k x 26 matrix (19.5M), far below the pipeline reader's 400M; one request is one server's time.
 */
export const PARQUET_CSV_CELLS = 32_000_000;
/** Most CSV bytes ?as=csv sends (long strings repeated by a dictionary could multiply the cells). */
export const PARQUET_CSV_BYTES = 2 * 1024 ** 3;
/** Opened Parquet files kept in memory, in bytes of their content, and in count. */
export const PARQUET_CACHE_BYTES = 256 * 1024 ** 2;
const PARQUET_CACHE_FILES = 8;

export const isParquetPath = (path: string): boolean => /\.parquet$/i.test(path);

/** Opens the artifact's content (its checked chunks) as a Parquet file. */
export function openParquetContent(chunks: () => AsyncIterable<Uint8Array>, file: string, size: number): Promise<ParquetFile> {
  const source: ByteSource = { label: file, sizeHint: size, open: chunks };
  return openParquet(source, { fileName: file, maxBytes: PARQUET_VIEW_LIMIT, limits: { maxCells: PARQUET_CSV_CELLS } });
}

type Version = { mtimeMs: number; size: number; ctimeMs?: number; ino?: number; tag?: string };

/**
 * Opened Parquet files per artifact version (the key and version as FileCache's: storedArtifacts'
 * cacheKey and the opened file), least recently used dropped past PARQUET_CACHE_BYTES or
 * PARQUET_CACHE_FILES; a file larger than the whole budget is served but not kept. A failed open
 * is not kept. Concurrent requests share one open.
 */
export class ParquetFileCache {
  readonly #entries = new Map<string, { stamp: string; value: Promise<ParquetFile>; bytes: number }>();
  constructor(private readonly budget = PARQUET_CACHE_BYTES) {}

  get(key: string, version: Version, open: () => Promise<ParquetFile>): Promise<ParquetFile> {
    const stamp = `${version.mtimeMs}:${version.size}:${version.ctimeMs ?? ''}:${version.ino ?? ''}:${version.tag ?? ''}`;
    const cached = this.#entries.get(key);
    if (cached?.stamp === stamp) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached.value;
    }
    const value = open();
    const entry = { stamp, value, bytes: 0 };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    value.then(
      (pf) => {
        if (this.#entries.get(key) !== entry) return;
        entry.bytes = pf.buffer.byteLength;
        if (entry.bytes > this.budget) this.#entries.delete(key);
        this.#evict();
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    this.#evict();
    return value;
  }

  #evict(): void {
    let total = 0;
    for (const e of this.#entries.values()) total += e.bytes;
    for (const [key, e] of this.#entries) {
      if (total <= this.budget && this.#entries.size <= PARQUET_CACHE_FILES) break;
      this.#entries.delete(key);
      total -= e.bytes;
    }
  }
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

/**
 * The whole file as CSV (header line first), a row group at a time. The size is checked before the
 * first chunk (a DataError, the caller's 422); past `maxBytes` of output the iterator throws, which
 * cuts the response short (its headers are sent by then).
 */
export function parquetCsvStream(pf: ParquetFile, tooLarge: (limit: number) => Error, maxBytes = PARQUET_CSV_BYTES): AsyncIterable<Buffer> {
  checkParquetCells(pf, pf.columns.length);
  return (async function* () {
    let start = 0;
    let sent = 0;
    let first = true;
    const groups = pf.metadata.row_groups.map((rg) => Number(rg.num_rows));
    if (groups.length === 0) groups.push(0);
    for (const rows of groups) {
      if (rows === 0 && !first) continue;
      const table = await readParquetRows(pf, start, start + rows);
      start += rows;
      for (const text of csvChunks(table, { header: first })) {
        const bytes = Buffer.from(text, 'utf8');
        sent += bytes.length;
        if (sent > maxBytes) throw tooLarge(maxBytes);
        yield bytes;
      }
      first = false;
    }
  })();
}
