// accuracy_score(y_true, y_pred): the fraction of exact matches (count / n, as numpy's mean
// of a boolean array gives).
import { checkSameLength, integerLabels, type Labels } from './labels.ts';

export function accuracyScore(yTrue: Labels, yPred: Labels): number {
  checkSameLength('y_true and y_pred', yTrue, yPred);
  const t = integerLabels('y_true', yTrue);
  const p = integerLabels('y_pred', yPred);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}
