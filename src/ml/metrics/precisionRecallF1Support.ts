// precision_recall_fscore_support(y_true, y_pred, beta=1, zero_division='warn') as in
// scikit-learn 1.2.1, per class and averaged. A zero denominator gives 0.0 and a warning text
// (scikit-learn's UndefinedMetricWarning wording) in `warnings`; F1 is 2*p*r/(p+r) with a zero
// denominator replaced by 1, in scikit-learn's operation order.
import { numpySum } from '../preprocess/numpySum.ts';
import { checkSameLength, integerLabels, uniqueLabels, type Labels } from './labels.ts';

export interface PerClassScores {
  readonly labels: readonly number[];
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  readonly support: Int32Array;
  readonly warnings: readonly string[];
}

export interface AveragedScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** True positives, predicted and true counts per label. */
export interface LabelCounts {
  readonly labels: readonly number[];
  readonly tp: Int32Array;
  readonly pred: Int32Array;
  readonly true: Int32Array;
}

export function labelCounts(yTrue: Labels, yPred: Labels, labels?: readonly number[]): LabelCounts {
  checkSameLength('y_true and y_pred', yTrue, yPred);
  const t = integerLabels('y_true', yTrue);
  const p = integerLabels('y_pred', yPred);
  const ls = labels ? [...labels] : uniqueLabels(t, p);
  const index = new Map<number, number>();
  ls.forEach((l, k) => index.set(l, k));
  const tp = new Int32Array(ls.length);
  const pred = new Int32Array(ls.length);
  const tru = new Int32Array(ls.length);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined) tru[a]++;
    if (b !== undefined) pred[b]++;
    if (a !== undefined && t[i] === p[i]) tp[a]++;
  }
  return { labels: ls, tp, pred, true: tru };
}

function warnText(metric: 'Precision' | 'Recall', modifier: string, size: number): string {
  const axis = size === 1 ? 'due to' : 'in labels with';
  return `${metric} and F-score are ill-defined and being set to 0.0 ${axis} no ${modifier} samples. Use \`zero_division\` parameter to control this behavior.`;
}

function divide(num: ArrayLike<number>, den: ArrayLike<number>): { value: Float64Array; zero: boolean } {
  const value = new Float64Array(num.length);
  let zero = false;
  for (let i = 0; i < num.length; i++) {
    if (den[i] === 0) zero = true;
    else value[i] = num[i] / den[i];
  }
  return { value, zero };
}

function fScore(p: Float64Array, r: Float64Array): Float64Array {
  return p.map((pi, i) => {
    let denom = pi + r[i];
    if (denom === 0) denom = 1;
    return (2 * pi * r[i]) / denom;
  });
}

export function scoresFromCounts(c: LabelCounts): PerClassScores {
  const warnings: string[] = [];
  const p = divide(c.tp, c.pred);
  if (p.zero) warnings.push(warnText('Precision', 'predicted', c.labels.length));
  const r = divide(c.tp, c.true);
  if (r.zero) warnings.push(warnText('Recall', 'true', c.labels.length));
  return { labels: c.labels, precision: p.value, recall: r.value, f1: fScore(p.value, r.value), support: Int32Array.from(c.true), warnings };
}

/** Per-class precision, recall, F1 and support (average=None). */
export function precisionRecallF1Support(yTrue: Labels, yPred: Labels, options: { labels?: readonly number[] } = {}): PerClassScores {
  return scoresFromCounts(labelCounts(yTrue, yPred, options.labels));
}

const sum = (a: ArrayLike<number>) => numpySum(Float64Array.from(a));

/** average='micro': scores of the pooled counts. */
export function microAverage(c: LabelCounts): AveragedScores {
  const pooled: LabelCounts = { labels: [0], tp: Int32Array.of(sum(c.tp)), pred: Int32Array.of(sum(c.pred)), true: Int32Array.of(sum(c.true)) };
  const s = scoresFromCounts(pooled);
  return { precision: s.precision[0], recall: s.recall[0], f1: s.f1[0] };
}

/** average='macro': unweighted mean of the per-class scores (np.average). */
export function macroAverage(s: PerClassScores): AveragedScores {
  const n = s.labels.length;
  return { precision: sum(s.precision) / n, recall: sum(s.recall) / n, f1: sum(s.f1) / n };
}

/** average='weighted': support-weighted mean; all zero when there is no true sample. */
export function weightedAverage(s: PerClassScores): AveragedScores {
  const total = sum(s.support);
  if (total === 0) return { precision: 0, recall: 0, f1: 0 };
  const w = (a: Float64Array) => sum(a.map((v, i) => v * s.support[i])) / total;
  return { precision: w(s.precision), recall: w(s.recall), f1: w(s.f1) };
}
