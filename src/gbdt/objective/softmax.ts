// multi:softprob and multi:softmax (XGBoost's SoftmaxMultiClassObj), num_class outputs per row.
// Gradients, per row with weight w and class probabilities p_k:
//   grad_k = (p_k - [k == label]) w,  hess_k = max(2 p_k (1 - p_k) w, 1e-16)
// with XGBoost's float32 steps: the exponentials are float32, their sum is double, and each
// p_k is exp / float32(sum). Note the gradient's running maximum starts at FLT_MIN (the
// smallest positive float, XGBoost's std::numeric_limits<float>::min()), not at the first
// margin as in the prediction transform; both quirks are kept so probabilities agree bit for bit.
import { ModelError } from '../../core/index.ts';
import type { Objective, ObjectiveConfig } from './objective.ts';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);
const FLT_MIN = 1.1754943508222875e-38;

/** XGBoost's common::Softmax over margins[base .. base + k) into out[base ..]. */
function softmaxRow(margins: ArrayLike<number>, out: Float64Array, base: number, k: number): void {
  let wmax = margins[base];
  for (let j = 1; j < k; j++) wmax = Math.max(margins[base + j], wmax);
  let wsum = 0;
  for (let j = 0; j < k; j++) {
    const e = f32(Math.exp(f32(margins[base + j] - wmax)));
    out[base + j] = e;
    wsum += e;
  }
  const s = f32(wsum);
  for (let j = 0; j < k; j++) out[base + j] = f32(out[base + j] / s);
}

function probabilities(margins: Float64Array, k: number): Float64Array {
  const out = new Float64Array(margins.length);
  for (let base = 0; base < margins.length; base += k) softmaxRow(margins, out, base, k);
  return out;
}

/** Index of the first largest margin of each row (XGBoost FindMaxIndex). */
function classes(margins: Float64Array, k: number): Float64Array {
  const n = margins.length / k;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    let best = 0;
    for (let j = 1; j < k; j++) if (margins[base + j] > margins[base + best]) best = j;
    out[r] = best;
  }
  return out;
}

function softmaxObjective(name: 'multi:softprob' | 'multi:softmax', config: ObjectiveConfig): Objective {
  const k = config.numClass;
  if (!Number.isInteger(k) || k < 2) {
    throw new ModelError('gbdt.modelInvalid', { reason: `objective ${name} needs num_class >= 2, got ${k}` });
  }
  const exps = new Float32Array(k);
  return {
    name,
    numGroup: k,
    labelDomain: `integers in [0, ${k})`,
    defaultMetric: 'mlogloss',
    isValidLabel: (y) => Number.isInteger(y) && y >= 0 && y < k,
    baseMargin: (baseScore) => f32(baseScore),
    gradients(margins, labels, weights, gpair) {
      const n = labels.length;
      for (let r = 0; r < n; r++) {
        const base = r * k;
        let wmax = FLT_MIN;
        for (let j = 0; j < k; j++) wmax = Math.max(margins[base + j], wmax);
        let wsum = 0;
        for (let j = 0; j < k; j++) {
          exps[j] = Math.exp(f32(margins[base + j] - wmax));
          wsum += exps[j];
        }
        const s = f32(wsum);
        const y = labels[r];
        const w = weights ? weights[r] : 1;
        for (let j = 0; j < k; j++) {
          const p = f32(exps[j] / s);
          const h = f32(f32(f32(2 * p) * f32(1 - p)) * w);
          const g = y === j ? f32(p - 1) : p;
          const o = 2 * (base + j);
          gpair[o] = f32(g * w);
          gpair[o + 1] = h > HESS_EPS ? h : HESS_EPS;
        }
      }
    },
    predTransform: name === 'multi:softprob' ? (m) => probabilities(m, k) : (m) => classes(m, k),
    evalTransform: (m) => probabilities(m, k),
  };
}

export const softprob = (config: ObjectiveConfig): Objective => softmaxObjective('multi:softprob', config);
export const softmax = (config: ObjectiveConfig): Objective => softmaxObjective('multi:softmax', config);
