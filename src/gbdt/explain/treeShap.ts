// Exact TreeSHAP feature contributions with XGBoost's pred_contribs semantics: for each row and
// output group, one value per feature and the bias last; they sum to the row's margin. The
// algorithm is Lundberg et al.'s (Algorithm 2 of "Consistent Individualized Feature Attribution
// for Tree Ensembles"), as XGBoost implements it (RegTree::TreeShap): a path of unique features
// is extended at each split with the fractions of the training cover ("sum_hess") going each
// way, a split on a feature already on the path first unwinds it, and at a leaf every path
// feature gets the leaf value times its unwound path weight times (one - zero fraction). The
// bias is each tree's expected value (cover-weighted mean of its leaves) plus the base margin.
import { ModelError } from '../../core/index.ts';
import { checkShape, type DenseMatrix } from '../denseMatrix.ts';
import { numGroup, type GbdtModel } from '../model.ts';
import { modelObjective } from '../predict/predict.ts';
import type { RegTree } from '../tree/regTree.ts';

/** n x groups x (numFeature + 1) contributions, row-major, bias last (XGBoost pred_contribs). */
export function predictContributions(model: GbdtModel, m: DenseMatrix): Float64Array {
  checkShape(m);
  if (m.nCols < model.numFeature) throw new ModelError('gbdt.featureCount', { expected: model.numFeature, got: m.nCols });
  const groups = numGroup(model);
  const width = model.numFeature + 1;
  const out = new Float64Array(m.nRows * groups * width);
  const base = modelObjective(model).baseMargin(model.baseScore);
  const shaps = model.trees.map((t) => new TreeShap(t));
  const row = new Float32Array(m.nCols);
  for (let r = 0; r < m.nRows; r++) {
    // Features compared as float32, as in prediction.
    for (let c = 0; c < m.nCols; c++) row[c] = m.data[r * m.nCols + c];
    for (let t = 0; t < shaps.length; t++) shaps[t].add(row, out, (r * groups + model.treeInfo[t]) * width, model.numFeature);
    for (let g = 0; g < groups; g++) out[(r * groups + g) * width + model.numFeature] += base;
  }
  return out;
}

class TreeShap {
  private readonly mean: Float64Array;
  // The unique paths of every recursion level, each after its parent's (XGBoost's layout).
  private readonly feature: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;
  private row!: Float32Array;
  private phi!: Float64Array;
  private at = 0;

  constructor(private readonly tree: RegTree) {
    this.mean = new Float64Array(tree.numNodes);
    this.fillMean(0);
    const maxd = depthOf(tree, 0) + 2;
    const size = (maxd * (maxd + 1)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Adds this tree's contributions for `row` to phi[at .. at + numFeature] (bias last). */
  add(row: Float32Array, phi: Float64Array, at: number, numFeature: number): void {
    this.row = row;
    this.phi = phi;
    this.at = at;
    phi[at + numFeature] += this.mean[0];
    this.recurse(0, 0, 0, 1, 1, -1);
  }

  private fillMean(nid: number): number {
    const t = this.tree;
    let v: number;
    if (t.isLeaf(nid)) v = t.leafValue(nid);
    else {
      const l = t.left[nid];
      const r = t.right[nid];
      v = (this.fillMean(l) * t.sumHess[l] + this.fillMean(r) * t.sumHess[r]) / t.sumHess[nid];
    }
    this.mean[nid] = v;
    return v;
  }

  /** `parent`: offset of the parent's unique path (depth + 1 elements). */
  private recurse(nid: number, depth: number, parent: number, parentZero: number, parentOne: number, parentFeature: number): void {
    const t = this.tree;
    const p = parent + depth + 1;
    for (let i = 0; i <= depth; i++) {
      this.feature[p + i] = this.feature[parent + i];
      this.zero[p + i] = this.zero[parent + i];
      this.one[p + i] = this.one[parent + i];
      this.weight[p + i] = this.weight[parent + i];
    }
    this.extend(p, depth, parentZero, parentOne, parentFeature);
    if (t.isLeaf(nid)) {
      const v = t.leafValue(nid);
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(p, depth, i);
        this.phi[this.at + this.feature[p + i]] += w * (this.one[p + i] - this.zero[p + i]) * v;
      }
      return;
    }
    const f = t.splitIndex[nid];
    const x = this.row[f];
    const hot = x !== x ? (t.defaultLeft[nid] ? t.left[nid] : t.right[nid]) : x < t.splitCondition[nid] ? t.left[nid] : t.right[nid];
    const cold = hot === t.left[nid] ? t.right[nid] : t.left[nid];
    const w = t.sumHess[nid];
    const hotZero = t.sumHess[hot] / w;
    const coldZero = t.sumHess[cold] / w;
    let incomingZero = 1;
    let incomingOne = 1;
    let k = 0;
    while (k <= depth && this.feature[p + k] !== f) k++;
    if (k !== depth + 1) {
      incomingZero = this.zero[p + k];
      incomingOne = this.one[p + k];
      this.unwind(p, depth, k);
      depth -= 1;
    }
    this.recurse(hot, depth + 1, p, hotZero * incomingZero, incomingOne, f);
    this.recurse(cold, depth + 1, p, coldZero * incomingZero, 0, f);
  }

  private extend(p: number, depth: number, zero: number, one: number, feature: number): void {
    const W = this.weight;
    this.feature[p + depth] = feature;
    this.zero[p + depth] = zero;
    this.one[p + depth] = one;
    W[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      W[p + i + 1] += (one * W[p + i] * (i + 1)) / (depth + 1);
      W[p + i] = (zero * W[p + i] * (depth - i)) / (depth + 1);
    }
  }

  private unwind(p: number, depth: number, k: number): void {
    const W = this.weight;
    const one = this.one[p + k];
    const zero = this.zero[p + k];
    let next = W[p + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = W[p + i];
        W[p + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (W[p + i] * zero * (depth - i)) / (depth + 1);
      } else {
        W[p + i] = (W[p + i] * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = k; i < depth; i++) {
      this.feature[p + i] = this.feature[p + i + 1];
      this.zero[p + i] = this.zero[p + i + 1];
      this.one[p + i] = this.one[p + i + 1];
    }
  }

  private unwoundSum(p: number, depth: number, k: number): number {
    const W = this.weight;
    const one = this.one[p + k];
    const zero = this.zero[p + k];
    let next = W[p + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = W[p + i] - tmp * zero * ((depth - i) / (depth + 1));
      } else {
        total += W[p + i] / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }
}

function depthOf(t: RegTree, nid: number): number {
  return t.isLeaf(nid) ? 0 : 1 + Math.max(depthOf(t, t.left[nid]), depthOf(t, t.right[nid]));
}
