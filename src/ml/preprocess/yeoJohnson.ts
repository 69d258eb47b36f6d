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
import type { DenseMatrix } from './denseMatrix.ts';
import { numpySum } from './numpySum.ts';
import { fitStandardScaler, type ScalerStats } from './standardScaler.ts';
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
  // per evaluation and spread it. The values, and so every sum, are exactly the same.
  const { distinct, slot } = distinctValues(x);
  const distinctTrans = new Float64Array(distinct.length);

  const negLogLikelihood = (lambda: number): number => {
    for (let k = 0; k < distinct.length; k++) distinctTrans[k] = yeoJohnsonValue(distinct[k], lambda);
    for (let i = 0; i < n; i++) trans[i] = distinctTrans[slot[i]];
    const mean = numpySum(trans) / n;
    for (let i = 0; i < n; i++) {
      const d = trans[i] - mean;
      trans[i] = d * d;
    }
    const variance = numpySum(trans) / n;
    if (variance < TINY) return Infinity;
    let loglike = (-n / 2) * Math.log(variance);
    loglike += (lambda - 1) * signedLogSum;
    return -loglike;
  };
  return brentMinimize(negLogLikelihood, [-2, 2]).x;
}

export function fitYeoJohnson(table: Table, columns: readonly string[], options: { standardize?: boolean } = {}): FitResult<YeoJohnsonState> {
  const standardize = options.standardize ?? true;
  if (table.numRows === 0) throw new DataError('preprocess.noRows', { transformer: 'Yeo-Johnson' });
  const lambdas: number[] = [];
  const means: number[] = [];
  const scales: number[] = [];
  for (const name of columns) {
    const v = numericInput(table, name);
    if (v.every((x) => Number.isNaN(x))) throw new DataError('preprocess.noObservedValues', { column: name, transformer: 'Yeo-Johnson' });
    const lambda = yeoJohnsonLambda(v);
    lambdas.push(lambda);
    if (standardize) {
      const t = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) t[i] = yeoJohnsonValue(v[i], lambda);
      const s = fitStandardScaler(t);
      means.push(s.mean);
      scales.push(s.scale);
    } else {
      means.push(0);
      scales.push(1);
    }
  }
  return { state: { kind: 'yeoJohnson', columns: [...columns], lambdas, standardize, means, scales }, warnings: [] };
}

export function yeoJohnsonTransform(state: YeoJohnsonState, table: Table, out: DenseMatrix, offset: number): void {
  const { nCols: cols, data } = out;
  state.columns.forEach((name, j) => {
    const v = numericInput(table, name);
    const lambda = state.lambdas[j];
    const s: ScalerStats = { mean: state.means[j], scale: state.scales[j] };
    for (let i = 0, p = offset + j; i < v.length; i++, p += cols) {
      const t = yeoJohnsonValue(v[i], lambda);
      data[p] = state.standardize ? (t - s.mean) / s.scale : t;
    }
  });
}
