// Checks of what training reads besides the matrix: labels against the objective's domain and
// sample weights (XGBoost refuses negative, infinite and NaN weights). Both become float32,
// the type XGBoost stores them in; a value is judged after that rounding and reported as given.
import { DataError } from '../../core/index.ts';
import type { Objective } from '../objective/index.ts';

/** Labels as float32; `set` names the eval set they belong to (training labels otherwise). */
export function checkLabels(labels: ArrayLike<number>, nRows: number, objective: Objective, set?: string): Float32Array {
  if (labels.length !== nRows) {
    if (set !== undefined) {
      throw new DataError('gbdt.badEvalSet', { set, reason: `${labels.length} labels for ${nRows} matrix rows` });
    }
    throw new DataError('gbdt.labelCount', { labels: labels.length, rows: nRows });
  }
  const y = Float32Array.from(labels);
  for (let i = 0; i < y.length; i++) {
    if (objective.isValidLabel(y[i])) continue;
    const args = { objective: objective.name, row: i, value: String(labels[i]), expected: objective.labelDomain };
    if (set !== undefined) throw new DataError('gbdt.badEvalLabel', { ...args, set });
    throw new DataError('gbdt.badLabel', args);
  }
  return y;
}

/** Weights as float32, or undefined when none are given. */
export function checkWeights(weights: ArrayLike<number> | undefined, nRows: number, set?: string): Float32Array | undefined {
  if (weights === undefined) return undefined;
  const where = set === undefined ? {} : { set };
  if (weights.length !== nRows) throw new DataError('gbdt.weightCount', { weights: weights.length, rows: nRows, ...where });
  const w = Float32Array.from(weights);
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0 && w[i] !== Infinity)) throw new DataError('gbdt.badWeight', { row: i, value: String(weights[i]), ...where });
  }
  return w;
}
