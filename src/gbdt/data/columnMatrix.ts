// Training input stored by column: what a columnar reader (a table's numeric columns, a Parquet
// file) already holds, so the trainer bins it without a row-major float64 copy first. Binning
// works a column at a time anyway (cuts need a feature's values, bins need its cuts); from a
// row-major matrix each column is gathered with a stride, from this one it is read in order.
// The values are the same as the dense matrix's, NaN marking a missing value.
import { DataError, type DenseMatrix } from '../../core/index.ts';

export type ColumnValues = Float64Array | Float32Array;

export interface ColumnMatrix {
  readonly nRows: number;
  readonly nCols: number;
  /** `columns[f][r]`: row r's value of feature f. */
  readonly columns: readonly ColumnValues[];
}

/** What training accepts: a row-major dense matrix or the same values by column. */
export type TrainingMatrix = DenseMatrix | ColumnMatrix;

export function isColumnMatrix(m: TrainingMatrix): m is ColumnMatrix {
  return (m as Partial<ColumnMatrix>).columns !== undefined;
}

/** A column matrix over `columns` (not copied); every column must have `nRows` values. */
export function columnMatrix(columns: readonly ColumnValues[], nRows = columns.length > 0 ? columns[0].length : 0): ColumnMatrix {
  const m = { nRows, nCols: columns.length, columns };
  checkColumnShape(m);
  return m;
}

/** Shape only: sizes are non-negative integers, columns are float arrays of nRows values. */
export function checkColumnShape(m: ColumnMatrix): void {
  const { nRows, nCols, columns } = m;
  if (!Number.isInteger(nRows) || nRows < 0 || !Number.isInteger(nCols) || nCols < 0) {
    throw new DataError('gbdt.badMatrix', { reason: `nRows and nCols must be non-negative integers, got ${nRows} x ${nCols}` });
  }
  if (!Array.isArray(columns) || columns.length !== nCols) {
    throw new DataError('gbdt.badMatrix', { reason: `expected ${nCols} columns, got ${Array.isArray(columns) ? columns.length : 'none'}` });
  }
  for (let f = 0; f < nCols; f++) {
    const c: unknown = columns[f];
    if (!(c instanceof Float64Array || c instanceof Float32Array)) {
      throw new DataError('gbdt.badMatrix', { reason: `column ${f} must be a Float64Array or Float32Array` });
    }
    if (c.length !== nRows) throw new DataError('gbdt.badMatrix', { reason: `column ${f} has ${c.length} values, expected nRows = ${nRows}` });
  }
}

/**
 * The row-major matrix of the same values (the matrix itself when it is one): for what reads
 * rows, such as the margins of a continued model.
 */
export function toDenseMatrix(m: TrainingMatrix): DenseMatrix {
  if (!isColumnMatrix(m)) return m;
  const { nRows, nCols, columns } = m;
  const data = new Float64Array(nRows * nCols);
  for (let f = 0; f < nCols; f++) {
    const c = columns[f];
    for (let r = 0, at = f; r < nRows; r++, at += nCols) data[at] = c[r];
  }
  return { data, nRows, nCols };
}
