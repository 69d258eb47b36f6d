// The engine's input shape: the shared dense row-major float64 matrix (src/core), NaN marking a
// missing value (XGBoost's default `missing`). Rows are never turned into objects. Training also
// takes the same values by column (data/columnMatrix.ts).
import { DataError, type DenseMatrix } from '../core/index.ts';
import { checkColumnShape, isColumnMatrix, type TrainingMatrix } from './data/columnMatrix.ts';

export type { DenseMatrix, TrainingMatrix };

export function denseMatrix(data: Float64Array, nRows: number, nCols: number): DenseMatrix {
  const m = { data, nRows, nCols };
  checkShape(m);
  return m;
}

/** Shape only: sizes are non-negative integers and agree with the data length. */
export function checkShape(m: DenseMatrix): void {
  if (!(m.data instanceof Float64Array)) {
    throw new DataError('gbdt.badMatrix', { reason: 'data must be a Float64Array' });
  }
  if (!Number.isInteger(m.nRows) || m.nRows < 0 || !Number.isInteger(m.nCols) || m.nCols < 0) {
    throw new DataError('gbdt.badMatrix', { reason: `nRows and nCols must be non-negative integers, got ${m.nRows} x ${m.nCols}` });
  }
  if (m.data.length !== m.nRows * m.nCols) {
    throw new DataError('gbdt.badMatrix', {
      reason: `data has ${m.data.length} values, expected nRows * nCols = ${m.nRows} * ${m.nCols}`,
    });
  }
}

/**
 * Training input (row-major or by column): also at least one row and column, and no infinities
 * (XGBoost refuses them too).
 */
export function checkTrainingMatrix(m: TrainingMatrix): void {
  if (isColumnMatrix(m)) checkColumnShape(m);
  else checkShape(m);
  if (m.nRows === 0 || m.nCols === 0) {
    throw new DataError('gbdt.badMatrix', { reason: `cannot train on an empty matrix (${m.nRows} x ${m.nCols})` });
  }
  if (isColumnMatrix(m)) {
    m.columns.forEach((c, f) => {
      for (let r = 0; r < c.length; r++) {
        const v = c[r];
        if (v === Infinity || v === -Infinity) throw new DataError('gbdt.badFeatureValue', { row: r, column: f, value: String(v) });
      }
    });
    return;
  }
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v === Infinity || v === -Infinity) {
      throw new DataError('gbdt.badFeatureValue', {
        row: Math.floor(i / m.nCols),
        column: i % m.nCols,
        value: String(v),
      });
    }
  }
}
