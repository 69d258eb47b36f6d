// PowerTransformer(method='yeo-johnson', standardize=True) as in scikit-learn 1.2.1. Per column,
// lambda maximises the Yeo-Johnson log-likelihood of the non-NaN values, found with scipy's
// Brent minimiser from the bracket (-2, 2); the transformed training column is then
// standardised (StandardScaler statistics fitted on it). NaN stays NaN throughout.
// The likelihood is evaluated in numpy's summation order and Brent is scipy's step for step,
// so the first ~10 evaluations match scikit-learn's to the last bit or two. What we cannot
// reproduce is numpy's SIMD `power`/`log1p`/`log` (AVX-512 builds differ from glibc and V8 in
// the last bit for ~20% of inputs). Near the optimum the likelihood is flat down to that
// rounding noise, so Brent's last steps (and scikit-learn's own lambda on another CPU) drift:
// lambdas agree to ~1e-6 relative (4.4e-7 worst on the real data), standardised outputs to
// ~5e-7 absolute. Given scikit-learn's fitted parameters, the transform agrees to ~1e-14.
import { DataError } from '../../core/index.ts';
import type { Table } from '../../data/index.ts';
import { brentMinimize } from './brent.ts';
import { numericInput } from './columnInput.ts';
import type { DenseMatrix, RowKernel } from './denseMatrix.ts';
import { numpySum, numpySumSquaredDeviations } from './numpySum.ts';
import { fitStandardScaler } from './standardScaler.ts';
import type { FitResult } from './medianImputer.ts';

export interface YeoJohnsonState {
  readonly kind: 'yeoJohnson';
  readonly columns: readonly string[];
  readonly lambdas: readonly number[];
  readonly standardize: boolean;
  /** StandardScaler mean and scale per column, fitted on the transformed training data. */
  readonly means: readonly number[];
  readonly scales: readonly number[];
}

const SPACING_1 = 2.220446049250313e-16; // np.spacing(1.0)
const TINY = 2.2250738585072014e-308; // np.finfo(np.float64).tiny

/** The Yeo-Johnson transform of one value, with scikit-learn's branches for lambda 0 and 2. */
export function yeoJohnsonValue(x: number, lambda: number): number {
  if (x >= 0) {
    return Math.abs(lambda) < SPACING_1 ? Math.log1p(x) : (Math.pow(x + 1, lambda) - 1) / lambda;
  }
  // x < 0 or NaN (NaN fails `x >= 0` in numpy too and comes out NaN here)
  return Math.abs(lambda - 2) > SPACING_1 ? -(Math.pow(-x + 1, 2 - lambda) - 1) / (2 - lambda) : -Math.log1p(-x);
}

/** The distinct values of `x` (first-seen order) and each element's index among them. */
function distinctValues(x: Float64Array): { distinct: Float64Array; slot: Int32Array } {
  // Sort + binary search rather than a Map: a Map keyed by doubles boxes every key, which at a
  // million rows costs seconds of garbage collection.
  const sorted = Float64Array.from(x).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  const distinct = sorted.slice(0, m);
  const slot = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    slot[i] = lo;
  }
  return { distinct, slot };
}

/** Values sampled to decide whether a column repeats its values enough to transform distinct values only. */
const SAMPLE = 8192;

/** Whether at most half of (a sample of) x's values are distinct: then spreading per-distinct results pays. */
function repeatsValues(x: Float64Array): boolean {
  const m = Math.min(x.length, SAMPLE);
  const step = x.length / m;
  const sample = new Float64Array(m);
  for (let i = 0; i < m; i++) sample[i] = x[Math.floor(i * step)];
  sample.sort();
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sample[i] !== sample[i - 1]) distinct++;
  return distinct * 2 <= m;
}

/** out[i] = yeoJohnsonValue(x[i], lambda), with the branch on lambda taken once. */
function transformInto(x: Float64Array, lambda: number, out: Float64Array): void {
  const n = x.length;
  const logPositive = Math.abs(lambda) < SPACING_1;
  const logNegative = !(Math.abs(lambda - 2) > SPACING_1);
  const mu = 2 - lambda;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= 0) out[i] = logPositive ? Math.log1p(v) : (Math.pow(v + 1, lambda) - 1) / lambda;
    else out[i] = logNegative ? -Math.log1p(-v) : -(Math.pow(-v + 1, mu) - 1) / mu;
  }
}

/** The maximum-likelihood lambda for the non-NaN values of `values` (NaN if there are none). */
export function yeoJohnsonLambda(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const x = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) x[k++] = values[i];

  const signedLog = new Float64Array(n);
  for (let i = 0; i < n; i++) signedLog[i] = Math.sign(x[i]) * Math.log1p(Math.abs(x[i]));
  const signedLogSum = numpySum(signedLog);
  const trans = new Float64Array(n);

  // Real columns (ages, amounts) repeat few distinct values: transform each distinct value once
  // per evaluation and spread it. Augmented columns (income + noise) are nearly all distinct:
  // transform them directly. The values, and so every sum, are exactly the same either way.
  let fill: (lambda: number) => void;
  if (repeatsValues(x)) {
    const { distinct, slot } = distinctValues(x);
    const distinctTrans = new Float64Array(distinct.length);
    fill = (lambda) => {
      transformInto(distinct, lambda, distinctTrans);
      for (let i = 0; i < n; i++) trans[i] = distinctTrans[slot[i]];
    };
  } else fill = (lambda) => transformInto(x, lambda, trans);

  const negLogLikelihood = (lambda: number): number => {
    fill(lambda);
    const mean = numpySum(trans) / n;
    const variance = numpySumSquaredDeviations(trans, mean) / n;
    if (variance < TINY) return Infinity;
    let loglike = (-n / 2) * Math.log(variance);
    loglike += (lambda - 1) * signedLogSum;
    return -loglike;
  };
  return brentMinimize(negLogLikelihood, [-2, 2]).x;
}

export interface YeoJohnsonFitOptions {
  standardize?: boolean;
  /** Lambdas already found for these columns (by yeoJohnsonLambdas on worker threads). */
  lambdas?: readonly number[];
}

export function fitYeoJohnson(table: Table, columns: readonly string[], options: YeoJohnsonFitOptions = {}): FitResult<YeoJohnsonState> {
  const standardize = options.standardize ?? true;
  if (table.numRows === 0) throw new DataError('preprocess.noRows', { transformer: 'Yeo-Johnson' });
  const lambdas: number[] = [];
  const means: number[] = [];
  const scales: number[] = [];
  columns.forEach((name, j) => {
    const v = numericInput(table, name);
    if (v.every((x) => Number.isNaN(x))) throw new DataError('preprocess.noObservedValues', { column: name, transformer: 'Yeo-Johnson' });
    const lambda = options.lambdas?.[j] ?? yeoJohnsonLambda(v);
    lambdas.push(lambda);
    if (standardize) {
      const t = new Float64Array(v.length);
      transformInto(v, lambda, t);
      keepFitted(v, lambda, t);
      const s = fitStandardScaler(t);
      means.push(s.mean);
      scales.push(s.scale);
    } else {
      means.push(0);
      scales.push(1);
    }
  });
  return { state: { kind: 'yeoJohnson', columns: [...columns], lambdas, standardize, means, scales }, warnings: [] };
}

export function yeoJohnsonTransform(state: YeoJohnsonState, table: Table, out: DenseMatrix, offset: number): void {
  yeoJohnsonKernel(state, table)(out, offset, 0, table.numRows);
}

/** Checks the input columns once; the kernel fills rows [start, end) of out's window. */
export function yeoJohnsonKernel(state: YeoJohnsonState, table: Table): RowKernel {
  const inputs = state.columns.map((name) => numericInput(table, name));
  // The training columns were transformed once already while fitting (for the scaler): reuse them.
  const fitted = inputs.map((v, j) => takeFitted(v, state.lambdas[j]));
  let scratch = new Float64Array(0);
  return (out, offset, start, end) => {
    const { nCols: cols, data } = out;
    inputs.forEach((v, j) => {
      let t = fitted[j];
      let base = 0;
      if (t === undefined) {
        if (scratch.length < end - start) scratch = new Float64Array(end - start);
        t = scratch;
        base = start;
        transformInto(v.subarray(start, end), state.lambdas[j], t);
      }
      const mean = state.means[j];
      const scale = state.scales[j];
      if (state.standardize) {
        for (let i = start, p = start * cols + offset + j; i < end; i++, p += cols) data[p] = (t[i - base] - mean) / scale;
      } else {
        for (let i = start, p = start * cols + offset + j; i < end; i++, p += cols) data[p] = t[i - base];
      }
    });
  };
}

// Transformed training columns kept from fitYeoJohnson for the transform that usually follows
// (fitTransform), keyed by the input array, so each value's pow() is computed once, not twice.
// Tables are immutable, so the same array holds the same values. Weak: a column that is never
// transformed goes with its table.
const fittedColumns = new WeakMap<Float64Array, { lambda: number; t: Float64Array }>();

function keepFitted(v: Float64Array, lambda: number, t: Float64Array): void {
  fittedColumns.set(v, { lambda, t });
}

function takeFitted(v: Float64Array, lambda: number): Float64Array | undefined {
  const kept = fittedColumns.get(v);
  return kept !== undefined && Object.is(kept.lambda, lambda) && kept.t.length === v.length ? kept.t : undefined;
}
