// The one input shape of the engine: the shared dense row-major float64 matrix (src/core), NaN
// marking a missing value (XGBoost's default `missing`). Rows are never turned into objects.
import { DataError, type DenseMatrix } from '../core/index.ts';

export type { DenseMatrix };

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

/** Training input: also at least one row and column, and no infinities (XGBoost refuses them too). */
export function checkTrainingMatrix(m: DenseMatrix): void {
  checkShape(m);
  if (m.nRows === 0 || m.nCols === 0) {
    throw new DataError('gbdt.badMatrix', { reason: `cannot train on an empty matrix (${m.nRows} x ${m.nCols})` });
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
