// The one dense matrix shape shared across layers: row-major float64, NaN = missing. The
// preprocessor produces it, the tree engine trains and predicts on it, the CSV layer reads and
// writes it — so no layer converts between look-alike types.
export interface DenseMatrix {
  /** Row-major: element (i, j) is `data[i * nCols + j]`. */
  readonly data: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}
