// Reference predictor: walks every tree for every row, reading only the canonical model.
// It mirrors XGBoost's CPU predictor: features compared as float32 (`x < split` goes left),
// NaN follows the node's default direction, and each output's margin is accumulated in
// float32 from the base margin, one tree after another in model order, every tree adding to
// its output group (`treeInfo`).
//
// Output layout (as XGBoost's Booster.predict, flattened row-major):
//   single-output models: n values (margins, or probabilities / values);
//   multi-class models:   n x numClass values, `out[row * numClass + class]`, for margins and
//                         multi:softprob probabilities; multi:softmax gives n class indices.
import { ModelError, UsageError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import { numGroup, numRounds, treesPerRound, type GbdtModel } from '../model.ts';
import { createObjective, type Objective } from '../objective/index.ts';
import { addTreeMargins } from '../common/treeMargins.ts';

export interface PredictOptions {
  /** Return raw margins (n x groups) instead of the objective's transformed predictions. */
  readonly outputMargin?: boolean;
  /**
   * Boosting rounds to use, [begin, end) (XGBoost `iteration_range`): with early stopping,
   * [0, best_iteration + 1). end 0 means "to the last round"; omitted means every round.
   * A round holds one tree per output group (times num_parallel_tree).
   */
  readonly iterationRange?: readonly [number, number];
}

export function predict(model: GbdtModel, m: DenseMatrix, options: PredictOptions = {}): Float64Array {
  checkShape(m);
  if (m.nCols < model.numFeature) {
    throw new ModelError('gbdt.featureCount', { expected: model.numFeature, got: m.nCols });
  }
  const objective = modelObjective(model);
  const [first, last] = treeRange(model, options.iterationRange);
  const groups = numGroup(model);
  const margins = new Float32Array(m.nRows * groups).fill(objective.baseMargin(model.baseScore));
  for (let t = first; t < last; t++) addTreeMargins(model.trees[t], m, margins, groups, model.treeInfo[t]);
  const out = Float64Array.from(margins);
  return options.outputMargin ? out : objective.predTransform(out);
}

export function modelObjective(model: GbdtModel): Objective {
  return createObjective(model.objective, { numClass: model.numClass, scalePosWeight: model.scalePosWeight ?? 1 });
}

/**
 * The trees [first, last) an iteration range selects, as XGBoost's LayerToTree does
 * (src/gbm/gbtree.h): rounds times trees per round, end 0 meaning every tree.
 */
export function treeRange(model: GbdtModel, range: readonly [number, number] | undefined): [number, number] {
  if (range === undefined) return [0, model.trees.length];
  const [begin, end] = range;
  const rounds = numRounds(model);
  const bad = (reason: string): never => {
    throw new UsageError('gbdt.iterationRange', { begin, end, rounds, reason });
  };
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < 0) bad('begin and end must be non-negative integers');
  const stop = end === 0 ? rounds : end;
  if (stop > rounds) bad(`end is past the last round`);
  if (begin > stop) bad('begin is after end');
  const per = treesPerRound(model);
  return [begin * per, stop * per];
}

