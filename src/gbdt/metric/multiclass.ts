// XGBoost 1.7's multi-class metrics (src/metric/multiclass_metric.cu) over row-major class
// probabilities: a row's loss is float32, times its weight in float32, summed in double.
// Labels are class indices (checked by the objective before they get here).
import type { Metric } from './metric.ts';

const f32 = Math.fround;
const EPS = f32(1e-16);
const LOG_EPS_LOSS = f32(-f32(Math.log(EPS)));

function multiclass(name: string, rowLoss: (label: number, preds: ArrayLike<number>, base: number, k: number) => number): Metric {
  return {
    name,
    higherIsBetter: false,
    input: 'one-per-class',
    evaluate(preds, labels, weights, numGroup) {
      let sum = 0;
      let weight = 0;
      for (let i = 0, n = labels.length; i < n; i++) {
        const w = weights ? weights[i] : 1;
        sum += f32(rowLoss(Math.trunc(labels[i]), preds, i * numGroup, numGroup) * w);
        weight += w;
      }
      return sum / weight;
    },
  };
}

/** -log(p of the true class), clipped at 1e-16. */
export const mlogloss = (): Metric =>
  multiclass('mlogloss', (label, preds, base) => {
    const p = preds[base + label];
    return p > EPS ? f32(-f32(Math.log(p))) : LOG_EPS_LOSS;
  });

/** 1 when the first most probable class is not the label. */
export const merror = (): Metric =>
  multiclass('merror', (label, preds, base, k) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (preds[base + j] > preds[base + best]) best = j;
    return best === label ? 0 : 1;
  });
