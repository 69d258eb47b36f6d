// The confusion matrix at any threshold, from the per-bucket counts the API sends
// (RunMetrics.confusion: `buckets` equal-width probability buckets on [0, 1]). A prediction is
// positive when its probability is above the threshold, i.e. its bucket lies at or above it:
// bucket i covers [i/buckets, (i+1)/buckets) and counts as positive when i/buckets >= threshold.
import type { ConfusionSource } from '../../../api/contract.ts';

export interface ConfusionMatrix {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Index of the first bucket counted as predicted positive at `threshold`. */
export function firstPositiveBucket(buckets: number, threshold: number): number {
  const t = Math.min(1, Math.max(0, threshold));
  // The epsilon keeps thresholds on the bucket grid (0.5 -> 500 of 1000) from rounding up.
  return Math.min(buckets, Math.max(0, Math.ceil(t * buckets - 1e-9)));
}

export function confusionAt(source: ConfusionSource, threshold: number): ConfusionMatrix {
  const first = firstPositiveBucket(source.buckets, threshold);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < source.buckets; i++) {
    const pos = source.positives[i] ?? 0;
    const neg = source.negatives[i] ?? 0;
    if (i >= first) {
      tp += pos;
      fp += neg;
    } else {
      fn += pos;
      tn += neg;
    }
  }
  return { threshold, tp, fp, tn, fn };
}

export interface ConfusionRates {
  total: number;
  accuracy: number | undefined;
  precision: number | undefined;
  recall: number | undefined;
  fpr: number | undefined;
  f1: number | undefined;
}

const ratio = (a: number, b: number) => (b === 0 ? undefined : a / b);

export function confusionRates(m: ConfusionMatrix): ConfusionRates {
  const total = m.tp + m.fp + m.tn + m.fn;
  const precision = ratio(m.tp, m.tp + m.fp);
  const recall = ratio(m.tp, m.tp + m.fn);
  const f1 = precision !== undefined && recall !== undefined && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : undefined;
  return { total, accuracy: ratio(m.tp + m.tn, total), precision, recall, fpr: ratio(m.fp, m.fp + m.tn), f1 };
}
