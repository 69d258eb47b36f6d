// Scoring with the flat forest. Rows are processed in blocks so a block's features, converted
// once to float32 (XGBoost compares in float32), stay in cache while every tree visits them.
// Margins accumulate in float32 tree by tree, in model order — the same arithmetic as the
// reference traversal predictor, so both give identical numbers.
import type { FlatForest } from './flatForest.ts';

const BLOCK_ROWS = 64;

/** Margins n x numGroup (row-major), each group's trees added in model order. */
export function predictFlatMargins(f: FlatForest, data: Float64Array, nRows: number, nCols: number): Float32Array {
  const G = f.numGroup;
  const margins = new Float32Array(nRows * G).fill(f.baseMargin);
  const block = new Float32Array(BLOCK_ROWS * nCols);
  const { treeStart, treeGroup, feature, child, value, defaultLeft } = f;
  const numTrees = treeStart.length - 1;
  for (let r0 = 0; r0 < nRows; r0 += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, nRows - r0);
    block.set(data.subarray(r0 * nCols, (r0 + rows) * nCols));
    for (let t = 0; t < numTrees; t++) {
      const root = treeStart[t];
      const g = treeGroup[t];
      for (let r = 0; r < rows; r++) {
        const base = r * nCols;
        let nid = root;
        let fi = feature[nid];
        while (fi >= 0) {
          const x = block[base + fi];
          // NaN fails both comparisons: it takes the default branch.
          nid = child[nid] + (x < value[nid] ? 0 : x >= value[nid] ? 1 : 1 - defaultLeft[nid]);
          fi = feature[nid];
        }
        margins[(r0 + r) * G + g] += value[nid];
      }
    }
  }
  return margins;
}
