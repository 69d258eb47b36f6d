// binary:logitraw (XGBoost's LogisticRaw): trained like binary:logistic, but predictions and
// eval metrics see the raw margin, and base_score is taken as a margin as it is. Its default
// metric in XGBoost 1.7 is logloss, computed on those margins (XGBoost's clipping keeps it finite).
import type { Objective, ObjectiveConfig } from './objective.ts';
import { sigmoid32 } from './sigmoid.ts';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

export function logitRaw(config: ObjectiveConfig): Objective {
  const spw = f32(config.scalePosWeight);
  const identity = (m: Float64Array): Float64Array => Float64Array.from(m);
  return {
    name: 'binary:logitraw',
    numGroup: 1,
    labelDomain: 'in [0, 1]',
    defaultMetric: 'logloss',
    isValidLabel: (y) => y >= 0 && y <= 1,
    baseMargin: (baseScore) => f32(baseScore),
    gradients(margins, labels, weights, gpair) {
      for (let i = 0, n = margins.length; i < n; i++) {
        const p = sigmoid32(margins[i]);
        const y = labels[i];
        let w = weights ? weights[i] : 1;
        if (y === 1) w = f32(w * spw);
        const h = f32(p * f32(1 - p));
        gpair[2 * i] = f32(f32(p - y) * w);
        gpair[2 * i + 1] = f32((h > HESS_EPS ? h : HESS_EPS) * w);
      }
    },
    predTransform: identity,
    evalTransform: identity,
  };
}
