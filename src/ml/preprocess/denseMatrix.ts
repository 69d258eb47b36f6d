// The output of a preprocessor: a dense row-major float64 matrix, what XGBoost's DMatrix and
// our GBDT trainer take. Transformers write their features into a window of its columns.

export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

export function denseMatrix(rows: number, cols: number): DenseMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Column `col` of `m` as a new array. */
export function matrixColumn(m: DenseMatrix, col: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0, p = col; i < m.rows; i++, p += m.cols) out[i] = m.data[p];
  return out;
}
