// Reference predictor: walks every tree for every row, reading only the canonical model.
// It mirrors XGBoost's CPU predictor: features compared as float32 (`x < split` goes left),
// NaN follows the node's default direction, and the margin is accumulated in float32 from the
// base margin, one tree after another.
import { ModelError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import type { GbdtModel } from '../model.ts';
import { createObjective, type Objective } from '../objective/index.ts';
import type { RegTree } from '../tree/regTree.ts';

export interface PredictOptions {
  /** Return raw margins instead of transformed predictions (probabilities for binary:logistic). */
  readonly outputMargin?: boolean;
}

export function predict(model: GbdtModel, m: DenseMatrix, options: PredictOptions = {}): Float64Array {
  checkShape(m);
  if (m.nCols < model.numFeature) {
    throw new ModelError('gbdt.featureCount', { expected: model.numFeature, got: m.nCols });
  }
  const objective = modelObjective(model);
  const margins = new Float32Array(m.nRows).fill(objective.baseMargin(model.baseScore));
  for (const tree of model.trees) addTree(tree, m, margins);
  const out = Float64Array.from(margins);
  return options.outputMargin ? out : objective.predTransform(out);
}

export function modelObjective(model: GbdtModel): Objective {
  return createObjective(model.objective, { numClass: model.numClass, scalePosWeight: 1 });
}

function addTree(tree: RegTree, m: DenseMatrix, margins: Float32Array): void {
  const { left, right, splitIndex, splitCondition, defaultLeft } = tree;
  const { data, nRows, nCols } = m;
  for (let r = 0; r < nRows; r++) {
    const base = r * nCols;
    let nid = 0;
    while (left[nid] !== -1) {
      const x = data[base + splitIndex[nid]];
      if (x !== x) nid = defaultLeft[nid] ? left[nid] : right[nid];
      else nid = Math.fround(x) < splitCondition[nid] ? left[nid] : right[nid];
    }
    margins[r] += splitCondition[nid];
  }
}
