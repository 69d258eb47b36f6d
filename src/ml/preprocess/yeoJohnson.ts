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
import { numpySum, numpySumGather, numpySumSquaredDeviations, numpySumSquaredDeviationsGather } from './numpySum.ts';
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

/**
 * The distinct values of `x` (first-seen order) and each element's index among them, or
 * undefined as soon as more than `maxDistinct` are found. Keys are the values' bits in an
 * open-addressing table of typed arrays (a Map keyed by doubles boxes every key, which at a
 * million rows costs seconds of garbage collection; a sort costs n log n): -0 and +0 are two
 * keys, so every element's transform is exactly the one of its own value (log1p(-0) is -0).
 * Also undefined after MAX_PROBES_PER_VALUE probes a value on average: values crafted to collide
 * in the hash (a user's CSV) would make the table quadratic; the direct search gives the same bits.
 */
function distinctValues(x: Float64Array, maxDistinct: number): { distinct: Float64Array; slot: Int32Array } | undefined {
  const n = x.length;
  if (Math.min(n, maxDistinct) > 1 << 28) return undefined; // a table past 2^29 slots: the direct search instead
  let bits = 4;
  while (1 << bits < 2 * Math.min(n, maxDistinct) + 2) bits++;
  const mask = (1 << bits) - 1;
  const shift = 32 - bits;
  const ids = new Int32Array(1 << bits).fill(-1);
  const distinct = new Float64Array(Math.min(n, maxDistinct));
  const words = new Int32Array(distinct.buffer, 0, 2 * distinct.length); // the distinct values' bits
  const slot = new Int32Array(n);
  const f64 = new Float64Array(1);
  const w = new Int32Array(f64.buffer);
  let m = 0;
  let probes = MAX_PROBES_PER_VALUE * n;
  for (let i = 0; i < n; i++) {
    f64[0] = x[i];
    const lo = w[0];
    const hi = w[1];
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> shift;
    for (;;) {
      const id = ids[h];
      if (id < 0) {
        if (m === maxDistinct) return undefined;
        ids[h] = m;
        distinct[m] = x[i];
        slot[i] = m++;
        break;
      }
      if (words[2 * id] === lo && words[2 * id + 1] === hi) {
        slot[i] = id;
        break;
      }
      if (--probes < 0) return undefined;
      h = (h + 1) & mask;
    }
  }
  return { distinct: distinct.slice(0, m), slot };
}

/** Collisions allowed per value on average before distinctValues gives up (a table at most half full probes ~1.5). */
const MAX_PROBES_PER_VALUE = 8;

/** Values sampled to decide whether a column repeats its values enough to transform distinct values only. */
const SAMPLE = 8192;

/** Whether at most half of (a sample of) x's values are distinct: then spreading per-distinct results pays. */
function repeatsValues(x: Float64Array): boolean {
  const m = Math.min(x.length, SAMPLE);
  const step = x.length / m;
  const sample = new Float64Array(m);
  for (let i = 0; i < m; i++) sample[i] = x[Math.floor(i * step)];
  return distinctValues(sample, m >> 1) !== undefined;
}

/**
 * A rough relative cost of yeoJohnsonSearch(values), for ordering columns across threads: a
 * column of repeated values costs a pass over its rows per evaluation, an all-distinct one a
 * pow() per row per evaluation (several times more).
 */
export function yeoJohnsonSearchCost(values: Float64Array): number {
  return repeatsValues(values) ? values.length : 6 * values.length;
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

/** A column's maximum-likelihood lambda and the column transformed with it (NaN where the input has NaN). */
export interface YeoJohnsonSearch {
  readonly lambda: number;
  readonly transformed: Float64Array;
}

/** The maximum-likelihood lambda for the non-NaN values of `values` (NaN if there are none). */
export function yeoJohnsonLambda(values: Float64Array): number {
  return search(values, false).lambda;
}

/**
 * yeoJohnsonLambda, and `values` transformed with that lambda (what the fit standardises and
 * the training transform writes): taken from the search's own evaluation of that lambda where
 * it kept one, so each value's pow() is not computed once more for it.
 */
export function yeoJohnsonSearch(values: Float64Array): YeoJohnsonSearch {
  const r = search(values, true);
  return { lambda: r.lambda, transformed: r.transformed as Float64Array };
}

function search(values: Float64Array, keep: boolean): { lambda: number; transformed?: Float64Array } {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  let x = values; // not written: without NaN the column itself
  if (n < values.length) {
    x = new Float64Array(n);
    for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) x[k++] = values[i];
  }
  let trans: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) trans[i] = Math.sign(x[i]) * Math.log1p(Math.abs(x[i])); // trans as scratch
  const signedLogSum = numpySum(trans);

  const likelihood = (variance: number, lambda: number): number => {
    if (variance < TINY) return Infinity;
    let loglike = (-n / 2) * Math.log(variance);
    loglike += (lambda - 1) * signedLogSum;
    return -loglike;
  };
  // Real columns (ages, amounts) repeat few distinct values: transform each distinct value once
  // per evaluation and read it through the element's index in the sums. Augmented columns
  // (income + noise) are nearly all distinct: transform them directly. The values, and so
  // every sum, are exactly the same either way.
  const groups = repeatsValues(x) ? distinctValues(x, n >> 1) : undefined;
  let negLogLikelihood: (lambda: number) => number;
  // Assigned in the closure below (a holder: TypeScript does not follow assignments in closures).
  const kept: { best?: { lambda: number; f: number; t: Float64Array } } = {};
  if (groups !== undefined) {
    const { distinct, slot } = groups;
    const distinctTrans = new Float64Array(distinct.length);
    negLogLikelihood = (lambda) => {
      transformInto(distinct, lambda, distinctTrans);
      const mean = numpySumGather(distinctTrans, slot) / n;
      return likelihood(numpySumSquaredDeviationsGather(distinctTrans, slot, mean) / n, lambda);
    };
  } else {
    // The evaluation with the lowest value (the later of equals, as Brent moves on `<=`) keeps its
    // array: Brent's answer is nearly always that lambda. The next evaluations write another.
    negLogLikelihood = (lambda) => {
      transformInto(x, lambda, trans);
      const mean = numpySum(trans) / n;
      const f = likelihood(numpySumSquaredDeviations(trans, mean) / n, lambda);
      const best = kept.best;
      if (keep && (best === undefined || f <= best.f)) {
        const free = best?.t ?? new Float64Array(n);
        kept.best = { lambda, f, t: trans };
        trans = free;
      }
      return f;
    };
  }
  const lambda = brentMinimize(negLogLikelihood, [-2, 2]).x;
  if (!keep) return { lambda };
  const best = kept.best;
  let t: Float64Array;
  if (best !== undefined && Object.is(best.lambda, lambda)) t = best.t;
  else {
    t = best?.t ?? trans;
    if (groups !== undefined) {
      const distinctTrans = new Float64Array(groups.distinct.length);
      transformInto(groups.distinct, lambda, distinctTrans);
      for (let i = 0; i < n; i++) t[i] = distinctTrans[groups.slot[i]];
    } else transformInto(x, lambda, t);
  }
  if (n === values.length) return { lambda, transformed: t };
  // NaN rows: transformInto's own result for them (NaN), as a transform of the whole column gives.
  const full = new Float64Array(values.length);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (values[i] === values[i]) full[i] = t[k++];
    else transformInto(values.subarray(i, i + 1), lambda, full.subarray(i, i + 1));
  }
  return { lambda, transformed: full };
}

export interface YeoJohnsonFitOptions {
  standardize?: boolean;
  /** Lambdas already found for these columns (by yeoJohnsonLambdas on worker threads). */
  lambdas?: readonly number[];
  /** Searches already done for these columns (yeoJohnsonSearches): lambda and transformed column. */
  searches?: readonly YeoJohnsonSearch[];
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
    const given = options.searches?.[j];
    const known = given?.lambda ?? options.lambdas?.[j];
    if (!standardize) {
      lambdas.push(known ?? yeoJohnsonLambda(v));
      means.push(0);
      scales.push(1);
      return;
    }
    let lambda: number;
    let t: Float64Array;
    if (given !== undefined && given.transformed.length === v.length) {
      lambda = given.lambda;
      t = given.transformed;
    } else if (known === undefined) {
      ({ lambda, transformed: t } = yeoJohnsonSearch(v));
    } else {
      lambda = known;
      t = new Float64Array(v.length);
      transformInto(v, lambda, t);
    }
    lambdas.push(lambda);
    keepFitted(v, lambda, t);
    const s = fitStandardScaler(t);
    means.push(s.mean);
    scales.push(s.scale);
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
