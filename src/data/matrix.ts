// Dense float64 matrices (row-major) are how the preprocessor and the tree engine exchange
// data; these convert between them and tables of numeric columns.
import { UsageError } from '../core/errors.ts';
import { numericColumn } from './column.ts';
import { Table } from './table.ts';

/** A table whose column j holds data[i * nCols + j]. */
export function tableFromMatrix(data: Float64Array, nRows: number, nCols: number, names: readonly string[]): Table {
  if (data.length !== nRows * nCols || names.length !== nCols) {
    throw new UsageError('data.table.shape', { length: data.length, rows: nRows, cols: names.length });
  }
  const columns = names.map((name, j) => {
    const v = new Float64Array(nRows);
    for (let i = 0, k = j; i < nRows; i++, k += nCols) v[i] = data[k];
    return numericColumn(name, v);
  });
  return new Table(columns);
}

/** The named numeric columns (default all) as a row-major matrix. */
export function tableToMatrix(table: Table, names: readonly string[] = table.columnNames): Float64Array {
  const nRows = table.numRows;
  const nCols = names.length;
  const out = new Float64Array(nRows * nCols);
  names.forEach((name, j) => {
    const c = table.column(name);
    if (c.kind !== 'numeric') throw new UsageError('data.table.notNumeric', { name });
    const v = c.values;
    for (let i = 0, k = j; i < nRows; i++, k += nCols) out[k] = v[i];
  });
  return out;
}
