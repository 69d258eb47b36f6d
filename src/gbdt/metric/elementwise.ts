// XGBoost 1.7's element-wise metrics (src/metric/elementwise_metric.cu): each row's loss is
// computed in float32 and multiplied by its weight in float32, then losses and weights are
// summed in double, in row order (what XGBoost does with one thread).
import type { Metric } from './metric.ts';

const f32 = Math.fround;
/** XGBoost's logloss clipping: log(max(p, 1e-16f)). */
const LOG_EPS = f32(1e-16);

/** One row's loss, float32. */
type RowLoss = (label: number, pred: number) => number;

function reduce(
  rowLoss: RowLoss,
  preds: ArrayLike<number>,
  labels: Float32Array,
  weights: Float32Array | undefined,
): { sum: number; weight: number } {
  let sum = 0;
  let weight = 0;
  for (let i = 0, n = labels.length; i < n; i++) {
    const w = weights ? weights[i] : 1;
    sum += f32(rowLoss(labels[i], preds[i]) * w);
    weight += w;
  }
  return { sum, weight };
}

function elementwise(name: string, rowLoss: RowLoss, final: (sum: number, weight: number) => number): Metric {
  return {
    name,
    higherIsBetter: false,
    input: 'one-per-row',
    evaluate(preds, labels, weights) {
      const { sum, weight } = reduce(rowLoss, preds, labels, weights);
      return final(sum, weight);
    },
  };
}

/** XGBoost's "wsum == 0 ? esum : esum / wsum" (an all-zero-weight set reports the raw sum). */
const mean = (sum: number, weight: number): number => (weight === 0 ? sum : sum / weight);

export const rmse = (): Metric =>
  elementwise(
    'rmse',
    (y, p) => {
      const d = f32(y - p);
      return f32(d * d);
    },
    (sum, weight) => Math.sqrt(mean(sum, weight)),
  );

export const mae = (): Metric => elementwise('mae', (y, p) => Math.abs(f32(y - p)), mean);

/** x * log(max(y, eps)), zero when x is zero (XGBoost's xlogy inside LogLoss). */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : f32(x * f32(Math.log(y > LOG_EPS ? y : LOG_EPS)));
}

export const logloss = (): Metric =>
  elementwise('logloss', (y, p) => f32(xlogy(-y, p) + xlogy(-f32(1 - y), f32(1 - p))), mean);

/** Binary error: a prediction above `threshold` counts as class 1; fractional labels count partly. */
export function error(threshold: number, name: string): Metric {
  const t = f32(threshold);
  return elementwise(name, (y, p) => (p > t ? f32(1 - y) : y), mean);
}
