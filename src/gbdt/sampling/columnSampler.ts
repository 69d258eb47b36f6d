// colsample_bytree / bylevel / bynode with XGBoost's nesting (common::ColumnSampler): each tree
// draws its features from all features, each depth level draws from the tree's set, and each
// node draws from its level's set. A draw keeps max(1, floor(rate * n)) features (the product
// in float32, as XGBoost computes it), chosen uniformly without replacement and sorted.
// Level sets are drawn the first time a depth is asked for and reused for that tree.
// The random stream is ours (seeded RandomState), not XGBoost's std::mt19937.
import type { RandomState } from '../../core/index.ts';
import type { FeatureSelector } from '../grow/hist/driver.ts';

export interface ColsampleRates {
  readonly bytree: number;
  readonly bylevel: number;
  readonly bynode: number;
}

export class ColumnSampler implements FeatureSelector {
  private treeSet: Int32Array;
  private readonly levelSets = new Map<number, Int32Array>();
  private readonly all: Int32Array;

  constructor(
    nFeatures: number,
    private readonly rates: ColsampleRates,
    private readonly rng: RandomState,
  ) {
    this.all = Int32Array.from({ length: nFeatures }, (_, i) => i);
    this.treeSet = this.all;
  }

  /** True when some rate is below 1, i.e. features are sampled at all. */
  static isNeeded(rates: ColsampleRates): boolean {
    return rates.bytree < 1 || rates.bylevel < 1 || rates.bynode < 1;
  }

  /** Draws the tree's feature set; call before growing each tree. */
  startTree(): void {
    this.levelSets.clear();
    this.treeSet = this.sample(this.all, this.rates.bytree);
  }

  /** The features a node at `depth` may split on (XGBoost GetFeatureSet); one call per node. */
  featuresFor(depth: number): Int32Array | undefined {
    const { bylevel, bynode } = this.rates;
    if (bylevel === 1 && bynode === 1) return this.treeSet === this.all ? undefined : this.treeSet;
    let level = this.levelSets.get(depth);
    if (!level) {
      level = this.sample(this.treeSet, bylevel);
      this.levelSets.set(depth, level);
    }
    return bynode === 1 ? level : this.sample(level, bynode);
  }

  /** max(1, floor(rate * n)) of `features`, uniformly without replacement, ascending. */
  private sample(features: Int32Array, rate: number): Int32Array {
    if (rate === 1) return features;
    const n = features.length;
    const keep = Math.max(1, Math.trunc(Math.fround(rate * n)));
    const pool = Int32Array.from(features);
    // Partial Fisher-Yates: the first `keep` slots end up a uniform sample.
    for (let i = 0; i < keep; i++) {
      const j = i + this.rng.randomInterval(n - 1 - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.subarray(0, keep).sort();
  }
}
