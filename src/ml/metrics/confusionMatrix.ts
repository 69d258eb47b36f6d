// confusion_matrix(y_true, y_pred, labels): rows are true classes, columns predicted classes,
// in the order of `labels` (default: sorted labels present in either array). Samples whose true
// or predicted label is not in `labels` are not counted, as in scikit-learn.
import { checkSameLength, integerLabels, uniqueLabels, type Labels } from './labels.ts';

export interface ConfusionMatrix {
  readonly labels: readonly number[];
  /** matrix[i][j]: samples of class labels[i] predicted as labels[j]. */
  readonly matrix: readonly (readonly number[])[];
}

export function confusionMatrix(yTrue: Labels, yPred: Labels, options: { labels?: readonly number[] } = {}): ConfusionMatrix {
  checkSameLength('y_true and y_pred', yTrue, yPred);
  const t = integerLabels('y_true', yTrue);
  const p = integerLabels('y_pred', yPred);
  const labels = options.labels ? [...options.labels] : uniqueLabels(t, p);
  const index = new Map<number, number>();
  labels.forEach((l, k) => index.set(l, k));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined && b !== undefined) matrix[a][b]++;
  }
  return { labels, matrix };
}
