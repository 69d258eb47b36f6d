// Exact TreeSHAP feature contributions with XGBoost's pred_contribs semantics: for each row and
// output group, one value per feature and the bias last; they sum to the row's margin. The
// algorithm is Lundberg et al.'s (Algorithm 2 of "Consistent Individualized Feature Attribution
// for Tree Ensembles"), as XGBoost implements it (RegTree::TreeShap), evaluated leaf by leaf:
// each leaf's path (leafPaths.ts) is extended element by element into the permutation weights
// W, and every path feature gets the leaf value times its unwound weight sum times
// (one - zero). Two facts make the per-row work small: `one` is 0 or 1, and for the elements
// with one = 0 the unwound sum is the same sum over W divided by that element's zero fraction,
// so it is computed once per leaf. The bias is each tree's expected value (cover-weighted mean
// of its leaves) plus the base margin.
import { ModelError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import { numGroup, type GbdtModel } from '../model.ts';
import { modelObjective } from '../predict/predict.ts';
import { expectedValue, leafPaths, type LeafPaths } from './leafPaths.ts';

/**
 * What TreeSHAP needs of a model, as plain arrays: the forest's leaf paths and each output
 * group's bias. Structured-cloneable, so worker threads get it without parsing the model.
 */
export interface ShapTables {
  readonly paths: LeafPaths;
  readonly bias: Float64Array;
  readonly numFeature: number;
}

export function shapTables(model: GbdtModel): ShapTables {
  const bias = new Float64Array(numGroup(model)).fill(modelObjective(model).baseMargin(model.baseScore));
  model.trees.forEach((t, i) => (bias[model.treeInfo[i]] += expectedValue(t)));
  return { paths: leafPaths(model.trees, model.treeInfo), bias, numFeature: model.numFeature };
}

/** n x groups x (numFeature + 1) contributions, row-major, bias last (XGBoost pred_contribs). */
export function predictContributions(model: GbdtModel, m: DenseMatrix): Float64Array {
  checkShape(m);
  return contributionsOf(shapTables(model), m.data, m.nCols, m.nRows);
}

/** Contributions of the `nRows` rows of `nCols` values in `data` (rows of a checked matrix). */
export function contributionsOf(tables: ShapTables, data: Float64Array, nCols: number, nRows: number): Float64Array {
  if (nCols < tables.numFeature) throw new ModelError('gbdt.featureCount', { expected: tables.numFeature, got: nCols });
  const groups = tables.bias.length;
  const width = tables.numFeature + 1;
  const out = new Float64Array(nRows * groups * width);
  const shap = new PathShap(tables.paths);
  const row = new Float32Array(nCols);
  for (let r = 0; r < nRows; r++) {
    // Features compared as float32, as in prediction.
    for (let c = 0; c < nCols; c++) row[c] = data[r * nCols + c];
    shap.add(row, out, r * groups * width, width);
    for (let g = 0; g < groups; g++) out[(r * groups + g) * width + tables.numFeature] += tables.bias[g];
  }
  return out;
}

class PathShap {
  /** Permutation weights after extending by j elements: level j at [j * stride .. j * stride + j]. */
  private readonly w: Float64Array;
  private readonly one: Uint8Array;
  /** (i + 1) / (d + 1) at [d * stride + i]: extend's share of a permutation. */
  private readonly grow: Float64Array;
  /** (d - i) / (d + 1) */
  private readonly keep: Float64Array;
  /** (d + 1) / (i + 1) */
  private readonly unGrow: Float64Array;
  /** (d + 1) / (d - i) */
  private readonly unKeep: Float64Array;
  private readonly stride: number;

  constructor(private readonly paths: LeafPaths) {
    const n = paths.maxLength + 1;
    this.stride = n;
    this.w = new Float64Array(n * n);
    this.one = new Uint8Array(n);
    this.grow = new Float64Array(n * n);
    this.keep = new Float64Array(n * n);
    this.unGrow = new Float64Array(n * n);
    this.unKeep = new Float64Array(n * n);
    for (let d = 0; d < n; d++) {
      for (let i = 0; i <= d; i++) {
        this.grow[d * n + i] = (i + 1) / (d + 1);
        this.keep[d * n + i] = (d - i) / (d + 1);
        this.unGrow[d * n + i] = (d + 1) / (i + 1);
        this.unKeep[d * n + i] = (d + 1) / (d - i);
      }
    }
  }

  /** Adds every path's contributions for `row` to phi[at + group * width + feature]. */
  add(row: Float32Array, phi: Float64Array, at: number, width: number): void {
    const { start, shared, leafValue, group, feature, lo, hi, nanOk, zero, numPaths } = this.paths;
    const { w, one, grow, keep, unGrow, unKeep, stride } = this;
    // Level 0: the dummy root element (zero = one = 1).
    w[0] = 1;
    for (let p = 0; p < numPaths; p++) {
      const s = start[p];
      const d = start[p + 1] - s;
      if (d === 0) continue;
      // Levels up to shared[p] are the previous path's (same elements, same row).
      for (let j = shared[p] + 1; j <= d; j++) {
        const e = s + j - 1;
        const x = row[feature[e]];
        const o = x !== x ? nanOk[e] : x >= lo[e] && x < hi[e] ? 1 : 0;
        const z = zero[e];
        one[j] = o;
        const from = (j - 1) * stride;
        const to = j * stride;
        if (o === 1) {
          w[to + j] = w[from + j - 1] * grow[to + j - 1];
          for (let i = j - 1; i >= 1; i--) w[to + i] = z * w[from + i] * keep[to + i] + w[from + i - 1] * grow[to + i - 1];
        } else {
          w[to + j] = 0;
          for (let i = j - 1; i >= 1; i--) w[to + i] = z * w[from + i] * keep[to + i];
        }
        w[to] = z * w[from] * keep[to];
      }
      // Unwound sums at depth d; for the elements with one = 0 it is offSum / zero.
      const v = leafValue[p];
      const base = d * stride;
      let offSum = NaN;
      const out = at + group[p] * width;
      for (let k = 1; k <= d; k++) {
        const e = s + k - 1;
        if (one[k] === 1) {
          const z = zero[e];
          let total = 0;
          let next = w[base + d];
          for (let i = d - 1; i >= 0; i--) {
            const tmp = next * unGrow[base + i];
            total += tmp;
            next = w[base + i] - tmp * z * keep[base + i];
          }
          phi[out + feature[e]] += total * (1 - z) * v;
        } else {
          if (offSum !== offSum) {
            offSum = 0;
            for (let i = d - 1; i >= 0; i--) offSum += w[base + i] * unKeep[base + i];
          }
          // (offSum / zero) * (0 - zero) * v
          phi[out + feature[e]] -= offSum * v;
        }
      }
    }
  }
}
