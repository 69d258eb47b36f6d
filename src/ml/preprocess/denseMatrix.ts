// The output of a preprocessor is the shared DenseMatrix (src/core): what XGBoost's DMatrix and
// our GBDT trainer take. Transformers write their features into a window of its columns.
import type { DenseMatrix } from '../../core/index.ts';

export type { DenseMatrix };

/** A zero-filled nRows x nCols matrix. */
export function denseMatrix(nRows: number, nCols: number): DenseMatrix {
  return { nRows, nCols, data: new Float64Array(nRows * nCols) };
}

/** Column `col` of `m` as a new array. */
export function matrixColumn(m: DenseMatrix, col: number): Float64Array {
  const out = new Float64Array(m.nRows);
  for (let i = 0, p = col; i < m.nRows; i++, p += m.nCols) out[i] = m.data[p];
  return out;
}

/** Writes rows [start, end) of a transformer's output into columns offset.. of `out` (same row numbers). */
export type RowKernel = (out: DenseMatrix, offset: number, start: number, end: number) => void;
