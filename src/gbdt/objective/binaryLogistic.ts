// binary:logistic and reg:logistic (XGBoost's LogisticClassification / LogisticRegression):
// p = sigmoid(margin), grad = (p - y) w, hess = max(p (1 - p), 1e-16) w, where a row labelled
// exactly 1 has w multiplied by scale_pos_weight. They differ only in the default metric.
import type { Objective, ObjectiveConfig } from './objective.ts';
import { sigmoid32 } from './sigmoid.ts';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

/** ProbToMargin of the logistic objectives: -log(1 / base_score - 1), float32. */
export function logitMargin(baseScore: number): number {
  return f32(-Math.log(f32(f32(1 / f32(baseScore)) - 1)));
}

function toProb(margins: Float64Array): Float64Array {
  const out = new Float64Array(margins.length);
  for (let i = 0; i < margins.length; i++) out[i] = sigmoid32(margins[i]);
  return out;
}

/**
 * Gradients of the logistic loss, shared by binary:logistic, reg:logistic and binary:logitraw:
 * (p - y) w and max(p (1 - p), 1e-16) w, a row labelled exactly 1 weighing scale_pos_weight more.
 */
export function logisticGradients(scalePosWeight: number): Objective['gradients'] {
  const spw = f32(scalePosWeight);
  return (margins, labels, weights, gpair) => {
    if (weights === undefined && spw === 1) unitWeightGradients(margins, labels, gpair);
    else weightedGradients(margins, labels, weights, gpair, spw);
  };
}

// Module-level loops rather than the closure's body, so every objective and thread shares one
// optimised copy. Unit weights (the common case) skip the weight products: (p - y) * 1 and
// h * 1 are exact, so both loops give the same numbers.
function unitWeightGradients(margins: Float32Array, labels: Float32Array, gpair: Float32Array): void {
  for (let i = 0, n = margins.length; i < n; i++) {
    const p = sigmoid32(margins[i]);
    const h = f32(p * f32(1 - p));
    gpair[2 * i] = f32(p - labels[i]);
    gpair[2 * i + 1] = h > HESS_EPS ? h : HESS_EPS;
  }
}

function weightedGradients(margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array, spw: number): void {
  for (let i = 0, n = margins.length; i < n; i++) {
    const p = sigmoid32(margins[i]);
    const y = labels[i];
    let w = weights ? weights[i] : 1;
    if (y === 1) w = f32(w * spw);
    const h = f32(p * f32(1 - p));
    gpair[2 * i] = f32(f32(p - y) * w);
    gpair[2 * i + 1] = f32((h > HESS_EPS ? h : HESS_EPS) * w);
  }
}

function logistic(name: 'binary:logistic' | 'reg:logistic', defaultMetric: string, config: ObjectiveConfig): Objective {
  return {
    name,
    numGroup: 1,
    labelDomain: 'in [0, 1]',
    defaultMetric,
    isValidLabel: (y) => y >= 0 && y <= 1,
    baseMargin: logitMargin,
    gradients: logisticGradients(config.scalePosWeight),
    kernel: { kind: 'logistic', scalePosWeight: f32(config.scalePosWeight) },
    predTransform: toProb,
    evalTransform: toProb,
  };
}

export const binaryLogistic = (config: ObjectiveConfig): Objective => logistic('binary:logistic', 'logloss', config);
export const regLogistic = (config: ObjectiveConfig): Objective => logistic('reg:logistic', 'rmse', config);
