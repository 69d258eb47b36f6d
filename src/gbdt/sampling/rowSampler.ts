// subsample, the way XGBoost's hist updater samples rows (uniform sampling): before each tree,
// every row is kept with probability `subsample`; a row left out gets a zero gradient pair for
// that tree, so it adds nothing to any histogram or leaf weight, yet it is still partitioned
// and its margin still gets the tree's leaf value. XGBoost draws from its own std::mt19937
// stream, which we cannot reproduce; we draw from a seeded numpy-compatible RandomState.
import type { RandomState } from '../../core/index.ts';

export class RowSampler {
  constructor(
    private readonly rate: number,
    private readonly rng: RandomState,
  ) {}

  /** Zeroes the (grad, hess) pairs of rows not drawn this time; returns how many were kept. */
  apply(gpair: Float32Array): number {
    let kept = 0;
    for (let i = 0, n = gpair.length; i < n; i += 2) {
      if (this.rng.randomSample() < this.rate) {
        kept++;
      } else {
        gpair[i] = 0;
        gpair[i + 1] = 0;
      }
    }
    return kept;
  }
}
