// reg:squarederror: grad = margin - y, hess = 1; output is the margin itself.
import type { Objective, ObjectiveConfig } from './objective.ts';

const f32 = Math.fround;

export function squaredError(_config: ObjectiveConfig): Objective {
  return {
    name: 'reg:squarederror',
    numGroup: 1,
    labelDomain: 'finite numbers',
    defaultMetric: 'rmse',
    isValidLabel: (y) => Number.isFinite(y),
    baseMargin: (baseScore) => f32(baseScore),
    gradients(margins, labels, weights, gpair) {
      for (let i = 0, n = margins.length; i < n; i++) {
        const w = weights ? weights[i] : 1;
        gpair[2 * i] = f32(f32(margins[i] - labels[i]) * w);
        gpair[2 * i + 1] = w;
      }
    },
    predTransform: (m) => Float64Array.from(m),
    evalTransform: (m) => Float64Array.from(m),
  };
}
