// SimpleImputer(strategy='median') as in scikit-learn 1.2.1: each column's NaN-ignoring median
// (np.ma.median: the middle value, or the sum of the two middle values halved) replaces its
// missing values. A column with no observed value at fit time has no median; scikit-learn 1.2.1
// (keep_empty_features=False) then drops that column from the output with a warning, and so
// do we: the fitted state keeps `null` for it, it yields no output feature and no name, and
// `fitMedianImputer` reports the warning. This keeps our output shape equal to scikit-learn's.
import { DataError } from '../../core/index.ts';
import type { Table } from '../../data/index.ts';
import { numericInput } from './columnInput.ts';
import type { DenseMatrix, RowKernel } from './denseMatrix.ts';

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
  const a = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) a[k++] = values[i];
  // The middle order statistics by selection (linear) instead of a full sort; what a sort
  // would put at those places, -0 before +0 included (see signedZero).
  const mid = n >> 1;
  selectKth(a, mid);
  let upper = a[mid];
  if (n % 2 === 1) return upper === 0 ? signedZero(a, mid) : upper;
  let lower = a[0];
  for (let i = 1; i < mid; i++) if (a[i] > lower) lower = a[i]; // a[0, mid) <= a[mid]: its largest is the (mid-1)-th
  if (upper === 0) upper = signedZero(a, mid);
  if (lower === 0) lower = signedZero(a, mid - 1);
  return (lower + upper) / 2;
}

/** Which zero a sort (-0 before +0) puts at position k, given that it holds a zero. */
function signedZero(a: Float64Array, k: number): number {
  let below = 0; // negatives and -0s come first
  for (let i = 0; i < a.length; i++) if (a[i] < 0 || Object.is(a[i], -0)) below++;
  return k < below ? -0 : 0;
}

/**
 * Reorders a so that a[k] is the k-th smallest, a[0, k) <= a[k] <= a(k, end) (no NaN in a).
 * Median-of-three quickselect; after 2 log2(n) + 8 rounds (adversarial input) the rest is
 * sorted, so the worst case stays O(n log n).
 */
function selectKth(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0 || hi - lo < 16) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const m = (lo + hi) >>> 1;
    // median of a[lo], a[m], a[hi] as the pivot
    if (a[m] < a[lo]) swap(a, m, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[m]) swap(a, hi, m);
    const pivot = a[m];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
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
  medianImputerKernel(state, table)(out, offset, 0, table.numRows);
}

/** Checks the input columns once; the kernel fills rows [start, end) of out's window. */
export function medianImputerKernel(state: MedianImputerState, table: Table): RowKernel {
  const inputs = state.columns.map((name) => numericInput(table, name));
  return (out, offset, start, end) => {
    const { nCols: cols, data } = out;
    let k = offset;
    state.columns.forEach((_, j) => {
      const fill = state.statistics[j];
      if (fill === null) return;
      const v = inputs[j];
      for (let i = start, p = start * cols + k; i < end; i++, p += cols) {
        const x = v[i];
        data[p] = x !== x ? fill : x;
      }
      k++;
    });
  };
}
