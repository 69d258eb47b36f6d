// binary:logitraw (XGBoost's LogisticRaw): trained like binary:logistic, but predictions and
// eval metrics see the raw margin, and base_score is taken as a margin as it is. Its default
// metric in XGBoost 1.7 is logloss, computed on those margins (XGBoost's clipping keeps it finite).
import type { Objective, ObjectiveConfig } from './objective.ts';
import { logisticGradients } from './binaryLogistic.ts';

const f32 = Math.fround;

export function logitRaw(config: ObjectiveConfig): Objective {
  const identity = (m: Float64Array): Float64Array => Float64Array.from(m);
  return {
    name: 'binary:logitraw',
    numGroup: 1,
    labelDomain: 'in [0, 1]',
    defaultMetric: 'logloss',
    isValidLabel: (y) => y >= 0 && y <= 1,
    baseMargin: (baseScore) => f32(baseScore),
    gradients: logisticGradients(config.scalePosWeight),
    kernel: { kind: 'logistic', scalePosWeight: f32(config.scalePosWeight) },
    predTransform: identity,
    evalTransform: identity,
  };
}
