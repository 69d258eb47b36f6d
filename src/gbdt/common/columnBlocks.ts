// Columns of a training matrix as float32 (the precision XGBoost keeps features in), a block
// of adjacent columns at a time. Taking one column at a time reads the whole matrix once per
// column (each value of a row sits on the row's cache line); a block of eight float64 columns
// is one cache line per row, so the matrix is read about once per eight columns instead.

import { isColumnMatrix, type TrainingMatrix } from '../data/columnMatrix.ts';

/** Columns per block: eight float64 values are one 64-byte cache line. */
const BLOCK = 8;

/**
 * Calls `visit(f, column)` for every feature f in order with column[r] = float32 of row r's
 * value of f (NaN stays NaN). The arrays are reused for the next block: `visit` may
 * change them, and must not keep them.
 */
export function forEachColumn(m: TrainingMatrix, visit: (feature: number, column: Float32Array) => void): void {
  if (isColumnMatrix(m)) {
    // Stored by column: each is converted in order into one reused array.
    const column = new Float32Array(m.nRows);
    m.columns.forEach((values, f) => {
      column.set(values);
      visit(f, column);
    });
    return;
  }
  const { data, nRows, nCols } = m;
  const columns = Array.from({ length: Math.min(BLOCK, nCols) }, () => new Float32Array(nRows));
  for (let first = 0; first < nCols; first += BLOCK) {
    const width = Math.min(BLOCK, nCols - first);
    gatherBlock(data, nRows, nCols, first, width, columns);
    for (let k = 0; k < width; k++) visit(first + k, columns[k]);
  }
}

/**
 * columns[k][r] = data[r * nCols + first + k] for k < width. Its own function: compiled once
 * and kept, where the loop inside forEachColumn was recompiled for every block.
 */
function gatherBlock(data: Float64Array, nRows: number, nCols: number, first: number, width: number, columns: Float32Array[]): void {
  if (width === BLOCK) {
    // Eight named columns: no array lookup per value.
    const [c0, c1, c2, c3, c4, c5, c6, c7] = columns;
    for (let r = 0, at = first; r < nRows; r++, at += nCols) {
      c0[r] = data[at];
      c1[r] = data[at + 1];
      c2[r] = data[at + 2];
      c3[r] = data[at + 3];
      c4[r] = data[at + 4];
      c5[r] = data[at + 5];
      c6[r] = data[at + 6];
      c7[r] = data[at + 7];
    }
    return;
  }
  // Row by row, so each row's values of the block are read from one cache line.
  for (let r = 0, at = first; r < nRows; r++, at += nCols) {
    for (let k = 0; k < width; k++) columns[k][r] = data[at + k];
  }
}
