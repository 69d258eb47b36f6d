// Margins on a dense matrix, tree by tree, the way XGBoost's CPU predictor and prediction cache
// accumulate them: float32 sums from the base margin, each tree adding into its output group.
// Training uses this for eval sets (adding only each round's new trees, as XGBoost's
// per-DMatrix prediction cache does) and for the starting margins of a continued model.
import type { DenseMatrix } from '../denseMatrix.ts';
import { numGroup, type GbdtModel } from '../model.ts';
import type { RegTree } from '../tree/regTree.ts';

/** margins[r * stride + offset] += the value of the leaf row r reaches in `tree`. */
export function addTreeMargins(tree: RegTree, m: DenseMatrix, margins: Float32Array, stride = 1, offset = 0): void {
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
    margins[r * stride + offset] += splitCondition[nid];
  }
}

/** Row-major margins (n x groups) of every tree of `model`, starting from `baseMargin`. */
export function modelMargins(model: GbdtModel, baseMargin: number, m: DenseMatrix): Float32Array {
  const groups = numGroup(model);
  const margins = new Float32Array(m.nRows * groups).fill(baseMargin);
  model.trees.forEach((tree, t) => addTreeMargins(tree, m, margins, groups, model.treeInfo[t]));
  return margins;
}
