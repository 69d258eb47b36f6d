// How the loan-default steps read and write their files. Every file format of the pipeline is
// decided here, so the components only say which file they need:
//   raw dataset   the 12 reference columns (+ `source_row` after augmentation)
//   x_*           the 11 feature columns
//   y_*           one column (CSV: no header; Parquet: `loan_status`)
//   x_*_processed dense float matrix (CSV: no header; Parquet: DOUBLE columns f0..fN)
// Each in one of two formats (ArtifactFormat): CSV, exactly as before, or Parquet (binary,
// columnar: no number formatting or parsing between steps; DuckDB, pandas, Spark read it).
// Writers choose by the destination's extension (`.csv`, `.parquet`: what `sealed component`
// is given), else by the run's `artifact_format` parameter (a KFP URI has no extension); readers
// look at the content (Parquet starts with `PAR1`), so any file name works.
// Each reader takes a path or a ByteSource (an artifact handle, plain or sealed), each writer a
// path or a ByteSink.
// A CSV written here is remembered with its value (data/memo): the local runner runs a run's
// tasks in one process, so the next step's reader gets the table or matrix back without
// parsing, when the file's bytes are still exactly the bytes written and the value is exactly
// what parsing them would give (conform.ts); otherwise it parses as before.
import { DataError, readFirstLine, toByteSource, type ByteSink, type ByteSource, type DenseMatrix } from '../../core/index.ts';
import { csvRowsFromKeptText, keepingCsvText, matrixCsvChunksParallel, numericColumn, writeChunksAtomic, readCsvBatches, readCsvFile, Table, tableCsvChunks, tableToMatrix, type Schema } from '../../data/index.ts';
import { conformMatrix, conformTable, recallWritten, writeRemembering, type ConformOptions, type WrittenValue } from '../../data/memo/index.ts';
import type * as ParquetModule from '../../data/parquet/index.ts';
import { creditRiskSchema, FEATURE_COLUMNS, LABEL_COLUMN } from './schema.ts';

// The Parquet code (hyparquet and hyparquet-writer, 40-80 ms to load) is imported on first
// Parquet use: a CSV run never loads it. Readers tell Parquet by its first bytes, checked here.
let parquetModule: Promise<typeof ParquetModule> | undefined;

/** The Parquet reader and writer (data/parquet), imported once, when first needed. */
export function loadParquet(): Promise<typeof ParquetModule> {
  return (parquetModule ??= import('../../data/parquet/index.ts'));
}

/** Whether the content starts with the Parquet magic `PAR1` (as data/parquet's isParquetSource, without loading it). */
export async function isParquetSource(from: string | ByteSource): Promise<boolean> {
  for await (const chunk of toByteSource(from).open()) {
    // A first chunk shorter than 4 bytes from a streaming source is too rare to merit a second read.
    return chunk.length >= 4 && chunk[0] === 0x50 && chunk[1] === 0x41 && chunk[2] === 0x52 && chunk[3] === 0x31;
  }
  return false;
}

export const ARTIFACT_FORMATS = ['csv', 'parquet'] as const;
export type ArtifactFormat = (typeof ARTIFACT_FORMATS)[number];
/** The format of a run whose parameters do not say (and of every run before the parameter existed). */
export const DEFAULT_ARTIFACT_FORMAT: ArtifactFormat = 'csv';

/** The format to write: the destination's extension when it names one, else `chosen`. */
export function formatFor(to: string | ByteSink, chosen: ArtifactFormat = DEFAULT_ARTIFACT_FORMAT): ArtifactFormat {
  // A staged output (`sealed component` writes `.<name>.<hex>.tmp` beside the target, core
  // tempPathFor, and renames it) is named for its final path.
  const name = (typeof to === 'string' ? to : to.label).replace(/\.[0-9a-f]{12}\.tmp$/, '');
  if (/\.parquet$/i.test(name)) return 'parquet';
  if (/\.csv$/i.test(name)) return 'csv';
  return chosen;
}

/** A table in the destination's format (CSV with header, or Parquet). */
export function writeTableAs(table: Table, to: string | ByteSink, format?: ArtifactFormat, csvOptions: { header?: boolean } = {}): Promise<void> {
  if (formatFor(to, format) === 'parquet') return loadParquet().then((pq) => pq.writeParquetTable(table, to));
  return writeRemembering(to, tableCsvChunks(table, csvOptions), { kind: 'table', table, header: csvOptions.header ?? true });
}

/** A table checked against `schema`, from CSV or Parquet (detected from the content). */
export async function readTableAs(from: string | ByteSource, schema: Schema, fileName?: string): Promise<Table> {
  return viaMemo(from, (w) => conformTable(w, { header: true, schema }), async () => {
    if (await isParquetSource(from)) return (await loadParquet()).readParquetTable(from, { schema, ...(fileName ? { fileName } : {}) });
    return readCsvFile(from, { schema, ...(fileName ? { fileName } : {}) });
  });
}

/** Called on every value taken from the memo with the parse of the same file (tests compare the two). */
export type DatasetMemoAudit = (label: string, fromMemo: unknown, parsed: unknown) => void;
let audit: DatasetMemoAudit | undefined;

/** Installs (or with undefined removes) the audit of memo hits; for tests only. */
export function setDatasetMemoAudit(fn: DatasetMemoAudit | undefined): void {
  audit = fn;
}

/** What this process wrote to `from` as the reader would parse it, else the parse. */
async function viaMemo<T>(from: string | ByteSource, conform: (w: WrittenValue) => T | undefined, parse: () => Promise<T>): Promise<T> {
  const written = await recallWritten(from);
  const value = written === undefined ? undefined : conform(written);
  if (value === undefined) return parse();
  if (audit) audit(nameOf(from), value, await parse());
  return value;
}

/** Column names of a CSV header or a Parquet schema. */
export async function readColumnNames(from: string | ByteSource): Promise<string[]> {
  if (await isParquetSource(from)) return (await (await loadParquet()).openParquet(from)).columns.map((c) => c.name);
  return readHeader(from);
}

/** Column added by augmentation: the index of the source row each row was made from. */
export const SOURCE_ROW_COLUMN = 'source_row';

const featureSchema: Schema = { columns: creditRiskSchema.columns.filter((c) => c.name !== LABEL_COLUMN) };
const labelSchema: Schema = { columns: creditRiskSchema.columns.filter((c) => c.name === LABEL_COLUMN) };
const sourceRowSchema: Schema = {
  columns: [...creditRiskSchema.columns, { name: SOURCE_ROW_COLUMN, type: 'integer', nullable: false }],
};

/** The raw credit-risk CSV, checked against the reference schema (label must be 0/1). */
export async function readRawDataset(path: string | ByteSource, fileName?: string): Promise<Table> {
  const rawSchema = (w: WrittenValue): Schema => (w.kind === 'table' && w.table.has(SOURCE_ROW_COLUMN) ? sourceRowSchema : creditRiskSchema);
  return viaMemo(path, (w) => conformTable(w, { header: true, schema: rawSchema(w) }), () => parseRawDataset(path, fileName));
}

async function parseRawDataset(path: string | ByteSource, fileName?: string): Promise<Table> {
  if (await isParquetSource(path)) {
    const pq = await loadParquet();
    const pf = await pq.openParquet(path, { fileName: fileName ?? nameOf(path) });
    const schema = pf.columns.some((c) => c.name === SOURCE_ROW_COLUMN) ? sourceRowSchema : creditRiskSchema;
    return pq.readParquetTable(pf, { schema });
  }
  const header = await readHeader(path);
  const schema = header.includes(SOURCE_ROW_COLUMN) ? sourceRowSchema : creditRiskSchema;
  return readCsvFile(path, { schema, fileName: fileName ?? nameOf(path) });
}

/**
 * As CSV, its text is also kept (data/csv keptText.ts) while the table lives, so the split can
 * write its train and test features by copying row bytes instead of formatting them again.
 */
export function writeRawDataset(table: Table, path: string | ByteSink, format?: ArtifactFormat): Promise<void> {
  if (formatFor(path, format) === 'parquet') return writeTableAs(table, path, format);
  return writeRemembering(path, keepingCsvText(table, tableCsvChunks(table)), { kind: 'table', table, header: true });
}

export function readFeatures(path: string | ByteSource): Promise<Table> {
  return readTableAs(path, featureSchema);
}

export function writeFeatures(table: Table, path: string | ByteSink, format?: ArtifactFormat): Promise<void> {
  return writeTableAs(table.select(FEATURE_COLUMNS), path, format);
}

/**
 * The features of `raw.take(rows)` (`taken`, gathered by the caller), as writeFeatures writes
 * them; as CSV copied from the raw table's kept text when there is one for exactly its values
 * (the split's input came from this process's load-data), else formatted.
 */
export function writeFeatureRows(raw: Table, rows: Int32Array, taken: Table, path: string | ByteSink, format?: ArtifactFormat): Promise<void> {
  const copied = formatFor(path, format) === 'csv' ? csvRowsFromKeptText(raw, FEATURE_COLUMNS, rows) : undefined;
  if (copied === undefined) return writeFeatures(taken, path, format);
  return writeRemembering(path, copied, { kind: 'table', table: taken.select(FEATURE_COLUMNS), header: true });
}

const labelRead: ConformOptions = { header: false, schema: labelSchema, columnNames: [LABEL_COLUMN] };

export async function readLabels(path: string | ByteSource): Promise<Float64Array> {
  return viaMemo(path, (w) => conformTable(w, labelRead)?.numeric(LABEL_COLUMN).values, () => parseLabels(path));
}

async function parseLabels(path: string | ByteSource): Promise<Float64Array> {
  if (await isParquetSource(path)) return (await (await loadParquet()).readParquetTable(path, { schema: labelSchema })).numeric(LABEL_COLUMN).values;
  const t = await readCsvFile(path, { header: false, columnNames: [LABEL_COLUMN], schema: labelSchema });
  return t.numeric(LABEL_COLUMN).values;
}

export function writeLabels(labels: Float64Array, path: string | ByteSink, format?: ArtifactFormat): Promise<void> {
  if (formatFor(path, format) === 'parquet') return loadParquet().then((pq) => pq.writeParquetVector(LABEL_COLUMN, labels, path));
  return writeTableAs(new Table([numericColumn(LABEL_COLUMN, labels)]), path, 'csv', { header: false });
}

const matrixNames = (cols: number): string[] => Array.from({ length: cols }, (_, j) => `f${j}`);

/** A headerless numeric CSV as a row-major matrix; the column count comes from the first line. */
export async function readMatrix(path: string | ByteSource): Promise<DenseMatrix> {
  return viaMemo(path, conformMatrix, () => parseMatrix(path));
}

async function parseMatrix(path: string | ByteSource): Promise<DenseMatrix> {
  if (await isParquetSource(path)) return (await loadParquet()).readParquetMatrix(path);
  const first = await readFirstLine(path);
  if (first === '') throw new DataError('loanDefault.emptyMatrix', { path: nameOf(path) });
  const names = matrixNames(first.split(',').length);
  const t = await readCsvFile(path, { header: false, columnNames: names });
  for (const c of t.columns) {
    if (c.kind !== 'numeric') throw new DataError('loanDefault.matrixNotNumeric', { path: nameOf(path), column: names.indexOf(c.name) + 1 });
  }
  return { data: tableToMatrix(t), nRows: t.numRows, nCols: names.length };
}

/**
 * The same matrix as readMatrix, in batches of at most batchRows rows, so a consumer that
 * scores rows holds one batch of features at a time whatever the file's size.
 */
export async function* readMatrixBatches(path: string | ByteSource, batchRows = 65536): AsyncGenerator<DenseMatrix> {
  // Remembered whole: the batches are views of it (the memory is already held).
  const written = await recallWritten(path);
  const whole = written === undefined ? undefined : conformMatrix(written);
  if (whole !== undefined) {
    if (audit) audit(nameOf(path), whole, await parseMatrix(path));
    const rows = Math.max(1, Math.floor(batchRows));
    for (let start = 0; start < whole.nRows; start += rows) {
      const n = Math.min(rows, whole.nRows - start);
      yield { data: whole.data.subarray(start * whole.nCols, (start + n) * whole.nCols), nRows: n, nCols: whole.nCols };
    }
    return;
  }
  // Parquet: a row group per batch (PARQUET_ROW_GROUP_ROWS rows as we write them).
  if (await isParquetSource(path)) {
    yield* (await loadParquet()).readParquetMatrixBatches(path);
    return;
  }
  const first = await readFirstLine(path);
  if (first === '') throw new DataError('loanDefault.emptyMatrix', { path: nameOf(path) });
  const names = matrixNames(first.split(',').length);
  for await (const t of readCsvBatches(path, { header: false, columnNames: names }, batchRows)) {
    for (const c of t.columns) {
      if (c.kind !== 'numeric') throw new DataError('loanDefault.matrixNotNumeric', { path: nameOf(path), column: names.indexOf(c.name) + 1 });
    }
    yield { data: tableToMatrix(t), nRows: t.numRows, nCols: names.length };
  }
}

/**
 * `remember: false` when the matrix's reader runs much later: holding it in memory until then
 * (through training, the run's peak) would raise the run's peak memory for a small gain. A
 * matrix of at most SMALL_MATRIX_BYTES is remembered even then: parsing it back costs its
 * reader more than holding it costs the run (32k rows: a 1 MB test matrix, 0.1 s to parse).
 */
export function writeMatrix(m: DenseMatrix, path: string | ByteSink, format?: ArtifactFormat, options: { remember?: boolean } = {}): Promise<void> {
  if (formatFor(path, format) === 'parquet') return loadParquet().then((pq) => pq.writeParquetMatrix(m, path));
  const chunks = matrixCsvChunksParallel(m.data, m.nRows, m.nCols);
  const remember = options.remember !== false || m.data.byteLength <= SMALL_MATRIX_BYTES;
  return remember ? writeRemembering(path, chunks, { kind: 'matrix', matrix: m }) : writeChunksAtomic(path, chunks);
}

/**
 * 16 MB: a test matrix of up to ~100k rows of the 20-odd preprocessed columns (a 500k-row
 * dataset). Held through training it adds at most this to a run whose peak is far above it
 * (the 1M-row run's training matrix alone is 128 MB, its test matrix 32 MB is not held).
 */
export const SMALL_MATRIX_BYTES = 16 * 1024 ** 2;

export async function readHeader(path: string | ByteSource): Promise<string[]> {
  return (await readFirstLine(path)).replace(/^\uFEFF/, '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
}

const nameOf = (from: string | ByteSource): string => (typeof from === 'string' ? from : from.label);
