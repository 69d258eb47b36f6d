// reg:squarederror: grad = (margin - y) w, hess = w; output is the margin itself. As in XGBoost
// 1.7 (same RegLossObj code path), a row labelled exactly 1 has w scaled by scale_pos_weight.
import type { Objective, ObjectiveConfig } from './objective.ts';

const f32 = Math.fround;

export function squaredError(config: ObjectiveConfig): Objective {
  const spw = f32(config.scalePosWeight);
  const identity = (m: Float64Array): Float64Array => Float64Array.from(m);
  return {
    name: 'reg:squarederror',
    numGroup: 1,
    labelDomain: 'finite numbers',
    defaultMetric: 'rmse',
    isValidLabel: (y) => Number.isFinite(y),
    baseMargin: (baseScore) => f32(baseScore),
    gradients(margins, labels, weights, gpair) {
      for (let i = 0, n = margins.length; i < n; i++) {
        const y = labels[i];
        let w = weights ? weights[i] : 1;
        if (y === 1) w = f32(w * spw);
        gpair[2 * i] = f32(f32(margins[i] - y) * w);
        gpair[2 * i + 1] = w;
      }
    },
    predTransform: identity,
    evalTransform: identity,
  };
}
