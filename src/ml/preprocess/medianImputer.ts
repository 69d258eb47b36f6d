// SimpleImputer(strategy='median') as in scikit-learn 1.2.1: each column's NaN-ignoring median
// (np.ma.median: the middle value, or the sum of the two middle values halved) replaces its
// missing values. A column with no observed value at fit time has no median; scikit-learn 1.2.1
// (keep_empty_features=False) then drops that column from the output with a warning, and so
// do we: the fitted state keeps `null` for it, it yields no output feature and no name, and
// `fitMedianImputer` reports the warning. This keeps our output shape equal to scikit-learn's.
import { DataError } from '../../core/index.ts';
import type { Table } from '../../data/index.ts';
import { numericInput } from './columnInput.ts';
import type { DenseMatrix } from './denseMatrix.ts';

export interface MedianImputerState {
  readonly kind: 'medianImputer';
  readonly columns: readonly string[];
  /** Median per input column; `null` where the column had no observed value (dropped). */
  readonly statistics: readonly (number | null)[];
}

export interface FitResult<S> {
  readonly state: S;
  readonly warnings: readonly string[];
}

/** Median of the non-NaN values, or NaN when there are none. */
export function nanMedian(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  if (n === 0) return NaN;
  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sorted[k++] = values[i];
  sorted.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function fitMedianImputer(table: Table, columns: readonly string[]): FitResult<MedianImputerState> {
  if (table.numRows === 0) throw new DataError('preprocess.noRows', { transformer: 'median imputer' });
  const statistics = columns.map((c) => {
    const m = nanMedian(numericInput(table, c));
    return Number.isNaN(m) ? null : m;
  });
  const empty = columns.filter((_, j) => statistics[j] === null);
  const warnings =
    empty.length > 0
      ? [`Skipping features without any observed values: [${empty.map((c) => `'${c}'`).join(' ')}]. At least one non-missing value is needed for imputation with strategy='median'.`]
      : [];
  return { state: { kind: 'medianImputer', columns: [...columns], statistics }, warnings };
}

/** The input columns that produce output, in output order. */
export function medianImputerOutputColumns(state: MedianImputerState): string[] {
  return state.columns.filter((_, j) => state.statistics[j] !== null);
}

export function medianImputerTransform(state: MedianImputerState, table: Table, out: DenseMatrix, offset: number): void {
  const { nCols: cols, data } = out;
  let k = offset;
  state.columns.forEach((name, j) => {
    const fill = state.statistics[j];
    const v = numericInput(table, name);
    if (fill === null) return;
    for (let i = 0, p = k; i < v.length; i++, p += cols) data[p] = Number.isNaN(v[i]) ? fill : v[i];
    k++;
  });
}
