// binary:logistic: p = sigmoid(margin), grad = p - y, hess = max(p (1 - p), 1e-16).
import type { Objective, ObjectiveConfig } from './objective.ts';
import { sigmoid32 } from './sigmoid.ts';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

export function binaryLogistic(config: ObjectiveConfig): Objective {
  const spw = f32(config.scalePosWeight);
  const toProb = (margins: Float64Array): Float64Array => {
    const out = new Float64Array(margins.length);
    for (let i = 0; i < margins.length; i++) out[i] = sigmoid32(margins[i]);
    return out;
  };
  return {
    name: 'binary:logistic',
    numGroup: 1,
    labelDomain: 'in [0, 1]',
    defaultMetric: 'logloss',
    isValidLabel: (y) => y >= 0 && y <= 1,
    baseMargin: (baseScore) => f32(-Math.log(f32(f32(1 / f32(baseScore)) - 1))),
    gradients(margins, labels, weights, gpair) {
      for (let i = 0, n = margins.length; i < n; i++) {
        const p = sigmoid32(margins[i]);
        let w = weights ? weights[i] : 1;
        if (labels[i] === 1) w = f32(w * spw);
        const h = f32(p * f32(1 - p));
        gpair[2 * i] = f32(f32(p - labels[i]) * w);
        gpair[2 * i + 1] = f32((h > HESS_EPS ? h : HESS_EPS) * w);
      }
    },
    predTransform: toProb,
    evalTransform: toProb,
  };
}
