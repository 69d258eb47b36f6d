// reg:squarederror: grad = margin - y, hess = 1; output is the margin itself.
import type { Objective } from './objective.ts';

export const squaredError: Objective = {
  name: 'reg:squarederror',
  labelDomain: 'finite numbers',
  isValidLabel: (y) => Number.isFinite(y),
  baseMargin: (baseScore) => Math.fround(baseScore),
  gradients(margins, labels, gpair) {
    for (let i = 0, n = margins.length; i < n; i++) {
      gpair[2 * i] = margins[i] - labels[i];
      gpair[2 * i + 1] = 1;
    }
  },
  transform() {},
};
