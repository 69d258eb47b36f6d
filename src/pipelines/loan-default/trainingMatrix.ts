// The training step's feature matrix in the layout its file already has. Binning works a column
// at a time, so a Parquet matrix (stored by column) goes to the trainer as its decoded columns:
// no row-major float64 copy of every value is made first (at 1M rows 750,000 x 26 values, a
// transposition that strides through memory). A CSV matrix is read by readMatrix (datasetFiles.ts),
// which gives a row-major matrix, from the writer's memory when this process wrote the file.
import type { ByteSource } from '../../core/index.ts';
import { columnMatrix, type ColumnValues, type TrainingMatrix } from '../../gbdt/index.ts';
import { isParquetSource, loadParquet, readMatrix } from './datasetFiles.ts';

/** The matrix readMatrix reads, by column for a Parquet file; the same values either way. */
export async function readTrainingMatrix(from: string | ByteSource): Promise<TrainingMatrix> {
  if (!(await isParquetSource(from))) return readMatrix(from);
  // Loaded on first Parquet use (datasetFiles.ts loadParquet): a CSV run never loads hyparquet.
  const { checkParquetCells, openParquet, readParquetTable } = await loadParquet();
  const { parquetError } = await import('../../data/parquet/checkParquet.ts');
  const pf = await openParquet(from);
  // The checks and message of readParquetMatrix: every column holds numbers.
  for (const c of pf.columns) {
    if (c.kind !== 'number') throw parquetError(pf.file, 'data.parquet.wrongType', { name: c.name, expected: 'a number column (feature matrix)', found: c.typeName });
  }
  // The decoded-cell limit for the whole matrix (each read below checks one column).
  checkParquetCells(pf, pf.columns.length);
  // A column at a time, as readParquetMatrix decodes: one column's decoded pages at most
  // beside the columns read so far (decoding all at once would hold every page twice).
  const columns: ColumnValues[] = [];
  for (const c of pf.columns) {
    const table = await readParquetTable(pf, { schema: { columns: [{ name: c.name, type: 'number' }] } });
    columns.push(table.numeric(c.name).values);
  }
  return columnMatrix(columns, pf.numRows);
}
