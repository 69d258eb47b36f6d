// The canonical boosted model: everything prediction, saving and later compilation read.
// Loaders of any format produce this; nothing reads a file format directly.
import type { RegTree } from './tree/regTree.ts';

export interface GbdtModel {
  /** XGBoost objective name, e.g. "binary:logistic". */
  readonly objective: string;
  /** base_score as XGBoost stores it (probability space for binary:logistic), float32. */
  readonly baseScore: number;
  readonly numFeature: number;
  /** XGBoost `num_class`: 0 unless multi-class; then each round adds one tree per class. */
  readonly numClass: number;
  readonly trees: readonly RegTree[];
  /** Output group (class) of each tree; all 0 for single-output models. */
  readonly treeInfo: readonly number[];
  readonly featureNames: readonly string[];
  readonly featureTypes: readonly string[];
  /** XGBoost learner attributes (string to string), kept through load and save. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Outputs per row: 1, or the number of classes. */
export function numGroup(model: Pick<GbdtModel, 'numClass'>): number {
  return model.numClass > 1 ? model.numClass : 1;
}
