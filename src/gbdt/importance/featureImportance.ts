// Feature importance exactly as XGBoost 1.7's Booster.get_score (GBTree::FeatureScore in
// src/gbm/gbtree.h): per feature, over the splits of every tree reached from its root
// (deleted nodes are not), 'weight' counts the splits, 'total_gain' / 'total_cover' add up the
// splits' loss_chg / sum_hessian, and 'gain' / 'cover' divide those totals by the count.
// XGBoost accumulates in float32, tree by tree, visiting nodes depth-first right child first
// (RegTree::WalkTree pops a stack), so sums are made in that order and rounded to float32 at
// every step; the results are the float32 values Python turns into floats.
//
// Only features used in at least one split appear, in feature order, keyed by the model's
// feature names or "f<index>" when it has none (XGBoost's GenerateFeatureMap).
import { excerpt, UsageError } from '../../core/index.ts';
import type { GbdtModel } from '../model.ts';

export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';
export const IMPORTANCE_TYPES: readonly ImportanceType[] = ['weight', 'gain', 'cover', 'total_gain', 'total_cover'];

const f32 = Math.fround;

/** Feature name -> score, in feature order (a Map keeps that order for any name). */
export function featureImportance(model: GbdtModel, type: ImportanceType): Map<string, number> {
  if (!IMPORTANCE_TYPES.includes(type)) throw new UsageError('gbdt.importanceType', { type: excerpt(String(type)) });
  const counts = new Float64Array(model.numFeature);
  const scores = new Float32Array(model.numFeature);
  const stat = type === 'gain' || type === 'total_gain' ? 'lossChg' : 'sumHess';
  for (const tree of model.trees) {
    const stack = [0];
    while (stack.length > 0) {
      const nid = stack.pop()!;
      const l = tree.left[nid];
      if (l === -1) continue;
      const f = tree.splitIndex[nid];
      counts[f]++;
      scores[f] = type === 'weight' ? counts[f] : f32(scores[f] + tree[stat][nid]);
      stack.push(l, tree.right[nid]);
    }
  }
  const out = new Map<string, number>();
  for (let f = 0; f < model.numFeature; f++) {
    if (counts[f] === 0) continue;
    const score = type === 'gain' || type === 'cover' ? f32(scores[f] / f32(Math.max(1, counts[f]))) : scores[f];
    out.set(model.featureNames.length > 0 ? model.featureNames[f] : `f${f}`, score);
  }
  return out;
}
