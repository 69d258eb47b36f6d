// How the loan-default steps read and write their files. Every file format of the pipeline is
// decided here, so the components only say which file they need:
//   raw dataset   CSV with header, the 12 reference columns (+ `source_row` after augmentation)
//   x_*           CSV with header, the 11 feature columns
//   y_*           one column, no header
//   x_*_processed no header, dense float matrix
// Each reader takes a path or a ByteSource (an artifact handle, plain or sealed), each writer a
// path or a ByteSink.
import { DataError, readFirstLine, type ByteSink, type ByteSource, type DenseMatrix } from '../../core/index.ts';
import { numericColumn, readCsvBatches, readCsvFile, Table, tableToMatrix, writeCsv, writeMatrixCsv, type Schema } from '../../data/index.ts';
import { creditRiskSchema, FEATURE_COLUMNS, LABEL_COLUMN } from './schema.ts';

/** Column added by augmentation: the index of the source row each row was made from. */
export const SOURCE_ROW_COLUMN = 'source_row';

const featureSchema: Schema = { columns: creditRiskSchema.columns.filter((c) => c.name !== LABEL_COLUMN) };
const labelSchema: Schema = { columns: creditRiskSchema.columns.filter((c) => c.name === LABEL_COLUMN) };
const sourceRowSchema: Schema = {
  columns: [...creditRiskSchema.columns, { name: SOURCE_ROW_COLUMN, type: 'integer', nullable: false }],
};

/** The raw credit-risk CSV, checked against the reference schema (label must be 0/1). */
export async function readRawDataset(path: string | ByteSource, fileName?: string): Promise<Table> {
  const header = await readHeader(path);
  const schema = header.includes(SOURCE_ROW_COLUMN) ? sourceRowSchema : creditRiskSchema;
  return readCsvFile(path, { schema, fileName: fileName ?? nameOf(path) });
}

export function writeRawDataset(table: Table, path: string | ByteSink): Promise<void> {
  return writeCsv(table, path);
}

export function readFeatures(path: string | ByteSource): Promise<Table> {
  return readCsvFile(path, { schema: featureSchema });
}

export function writeFeatures(table: Table, path: string | ByteSink): Promise<void> {
  return writeCsv(table.select(FEATURE_COLUMNS), path);
}

export async function readLabels(path: string | ByteSource): Promise<Float64Array> {
  const t = await readCsvFile(path, { header: false, columnNames: [LABEL_COLUMN], schema: labelSchema });
  return t.numeric(LABEL_COLUMN).values;
}

export function writeLabels(labels: Float64Array, path: string | ByteSink): Promise<void> {
  return writeCsv(new Table([numericColumn(LABEL_COLUMN, labels)]), path, { header: false });
}

const matrixNames = (cols: number): string[] => Array.from({ length: cols }, (_, j) => `f${j}`);

/** A headerless numeric CSV as a row-major matrix; the column count comes from the first line. */
export async function readMatrix(path: string | ByteSource): Promise<DenseMatrix> {
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

export function writeMatrix(m: DenseMatrix, path: string | ByteSink): Promise<void> {
  return writeMatrixCsv(m.data, m.nRows, m.nCols, path);
}

export async function readHeader(path: string | ByteSource): Promise<string[]> {
  return (await readFirstLine(path)).replace(/^\uFEFF/, '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
}

const nameOf = (from: string | ByteSource): string => (typeof from === 'string' ? from : from.label);
