// The canonical boosted model: everything prediction, saving and later compilation read.
// Loaders of any format produce this; nothing reads a file format directly.
import type { RegTree } from './tree/regTree.ts';

export interface GbdtModel {
  /** XGBoost objective name, e.g. "binary:logistic". */
  readonly objective: string;
  /** base_score as XGBoost stores it (probability space for binary:logistic), float32. */
  readonly baseScore: number;
  readonly numFeature: number;
  readonly trees: readonly RegTree[];
  readonly featureNames: readonly string[];
  readonly featureTypes: readonly string[];
  /** XGBoost learner attributes (string to string), kept through load and save. */
  readonly attributes: Readonly<Record<string, string>>;
}
