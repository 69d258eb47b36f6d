// Argument checks shared by the metrics. Labels are integer class ids in any array of numbers
// (Int32Array, Uint8Array, Float64Array, number[]); ROC metrics need binary labels 0/1 and finite scores, which is
// what scikit-learn's `_binary_clf_curve` (pos_label=1) and `assert_all_finite` accept.
import { DataError } from '../../core/index.ts';

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

export function checkSameLength(what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new DataError('metrics.lengthMismatch', { what, a: a.length, b: b.length });
  if (a.length === 0) throw new DataError('metrics.empty', { what });
}

/** 1 where y_true is the positive class 1, 0 where it is 0. */
export function binaryTruth(yTrue: Labels): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i];
    if (v !== 0 && v !== 1) throw new DataError('metrics.badBinaryLabel', { index: i, value: String(v) });
    out[i] = v;
  }
  return out;
}

export function finiteScores(yScore: Scores): Float64Array {
  const out = Float64Array.from(yScore);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new DataError('metrics.nonFiniteScore', { index: i, value: String(out[i]) });
  }
  return out;
}

export function integerLabels(what: string, y: Labels): Float64Array {
  const out = Float64Array.from(y);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isInteger(out[i])) throw new DataError('metrics.badLabel', { what, index: i, value: String(out[i]) });
  }
  return out;
}

/** Sorted distinct labels of the given arrays (sklearn's `unique_labels`). */
export function uniqueLabels(...ys: Float64Array[]): number[] {
  const s = new Set<number>();
  for (const y of ys) for (const v of y) s.add(v);
  return [...s].sort((a, b) => a - b);
}
