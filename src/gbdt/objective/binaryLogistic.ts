// binary:logistic: p = sigmoid(margin), grad = p - y, hess = max(p (1 - p), 1e-16).
import type { Objective } from './objective.ts';
import { sigmoid32 } from './sigmoid.ts';

const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

export const binaryLogistic: Objective = {
  name: 'binary:logistic',
  labelDomain: 'in [0, 1]',
  isValidLabel: (y) => y >= 0 && y <= 1,
  baseMargin: (baseScore) => f32(-Math.log(f32(f32(1 / f32(baseScore)) - 1))),
  gradients(margins, labels, gpair) {
    for (let i = 0, n = margins.length; i < n; i++) {
      const p = sigmoid32(margins[i]);
      gpair[2 * i] = p - labels[i];
      const h = f32(p * f32(1 - p));
      gpair[2 * i + 1] = h > HESS_EPS ? h : HESS_EPS;
    }
  },
  transform(margins) {
    for (let i = 0; i < margins.length; i++) margins[i] = sigmoid32(margins[i]);
  },
};
