// StandardScaler (with_mean, with_std) statistics for one column, as scikit-learn 1.2.1's
// `_incremental_mean_and_var` computes them on a first fit: NaN-ignoring mean, population
// variance by the corrected two-pass formula, and a scale of 1 for (near-)constant columns
// (`_is_constant_feature`). Sums follow numpy's order, and `np.nansum` sums all n entries with
// NaNs replaced by 0, so we do the same rather than skipping them.
import { numpySum, numpySumSquaredDeviations } from './numpySum.ts';

export interface ScalerStats {
  readonly mean: number;
  readonly scale: number;
}

const EPS = 2.220446049250313e-16;

function nanToZero(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]) ? 0 : v[i];
  return out;
}

export function fitStandardScaler(values: Float64Array): ScalerStats {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  const hasNaN = count < values.length;
  const sum = (a: Float64Array) => numpySum(hasNaN ? nanToZero(a) : a);

  const newSum = sum(values);
  const mean = newSum / count;
  // One array of deviations, NaN made 0 in place, serves both sums: numpySumSquaredDeviations
  // with mean 0 adds each d * d in numpy's order, which is np.nansum(temp ** 2) (NaN ** 2 is
  // NaN, summed as 0, and 0 * 0 is 0), without a second array or a squaring pass.
  const temp = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    temp[i] = hasNaN && d !== d ? 0 : d; // only with NaN in values, as np.nansum (an infinity's NaN stays otherwise)
  }
  const correction = numpySum(temp);
  const unnormalized = numpySumSquaredDeviations(temp, 0) - (correction * correction) / count;
  const variance = unnormalized / count;

  const upperBound = count * EPS * variance + (count * mean * EPS) ** 2;
  const constant = variance <= upperBound;
  return { mean, scale: constant ? 1.0 : Math.sqrt(variance) };
}

export function standardize(x: number, s: ScalerStats): number {
  return (x - s.mean) / s.scale;
}
