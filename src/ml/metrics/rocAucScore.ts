// roc_auc_score for binary labels (no max_fpr), as scikit-learn 1.2.1: the trapezoidal area
// under `roc_curve` (drop_intermediate on) computed like `np.trapz`, whose terms
// dx * (y[i+1] + y[i]) / 2 are summed in numpy's pairwise order.
import { DataError } from '../../core/index.ts';
import { numpySum } from '../preprocess/numpySum.ts';
import { binaryTruth, checkSameLength, type Labels, type Scores } from './labels.ts';
import { rocCurve, type RocCurve } from './rocCurve.ts';

/** sklearn.metrics.auc: trapezoidal area under a monotonic curve. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSameLength('x and y', x, y);
  if (x.length < 2) throw new DataError('metrics.empty', { what: 'a curve with fewer than 2 points' });
  const terms = new Float64Array(x.length - 1);
  let increasing = true;
  let decreasing = true;
  for (let i = 0; i < terms.length; i++) {
    const dx = x[i + 1] - x[i];
    if (dx < 0) increasing = false;
    if (dx > 0) decreasing = false;
    terms[i] = (dx * (y[i + 1] + y[i])) / 2.0;
  }
  if (!increasing && !decreasing) throw new DataError('metrics.notMonotonic', {});
  const area = numpySum(terms);
  return increasing ? area : -area;
}

export function rocAucScore(yTrue: Labels, yScore: Scores): number {
  checkSameLength('y_true and y_score', yTrue, yScore);
  const truth = binaryTruth(yTrue);
  if (truth.indexOf(0) === -1 || truth.indexOf(1) === -1) throw new DataError('metrics.singleClass', {});
  const { fpr, tpr } = rocCurve(yTrue, yScore);
  return auc(fpr, tpr);
}

/**
 * rocAucScore of the inputs `curve` was made from (rocCurve with drop_intermediate on, the
 * default), without sorting the scores again: the same number, and the same error when y_true
 * has a single class (the only case in which rocCurve warns).
 */
export function rocAucFromCurve(curve: RocCurve): number {
  if (curve.warnings.length > 0) throw new DataError('metrics.singleClass', {});
  return auc(curve.fpr, curve.tpr);
}
