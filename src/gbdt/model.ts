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
  /**
   * XGBoost `num_parallel_tree`: trees per output group per boosting round (random forests);
   * 1 when absent. Only iteration ranges depend on it.
   */
  readonly numParallelTree?: number;
  /** The objective's `scale_pos_weight` (binary and reg:logistic objectives), float32; 1 when absent. */
  readonly scalePosWeight?: number;
  /** XGBoost `boost_from_average` as saved (training metadata, kept for saving); true when absent. */
  readonly boostFromAverage?: boolean;
}

/** Outputs per row: 1, or the number of classes. */
export function numGroup(model: Pick<GbdtModel, 'numClass'>): number {
  return model.numClass > 1 ? model.numClass : 1;
}

/** Trees one boosting round adds: one per output group, times num_parallel_tree. */
export function treesPerRound(model: Pick<GbdtModel, 'numClass' | 'numParallelTree'>): number {
  return numGroup(model) * (model.numParallelTree ?? 1);
}

/** Completed boosting rounds (XGBoost's "iterations"/"layers"). */
export function numRounds(model: Pick<GbdtModel, 'numClass' | 'numParallelTree' | 'trees'>): number {
  return Math.floor(model.trees.length / treesPerRound(model));
}
