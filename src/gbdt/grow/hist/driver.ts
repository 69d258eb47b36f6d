// Grows one tree with the histogram method (XGBoost's QuantileHistMaker::ExpandTree):
//
//   root histogram -> evaluate root -> loop {
//     pop nodes to split -> write splits into the tree -> partition their rows
//     -> for children that may split further: build the smaller child's histogram,
//        subtract it from the parent's for the sibling -> evaluate both -> push
//   }
//
// Afterwards the partitioner still maps every leaf to its rows, which `addLeafValues` uses to
// update the training margins without re-predicting.
import type { BinnedMatrix } from '../../data/binnedMatrix.ts';
import type { TrainParams } from '../../trainParams.ts';
import { RegTree } from '../../tree/regTree.ts';
import { newExpandEntry, type ExpandEntry } from './expandEntry.ts';
import { ExpandQueue } from './expandQueue.ts';
import { evaluateSplits } from './evaluateSplits.ts';
import { buildHistogram, HistogramPool, subtractInto, type Histogram } from './histogram.ts';
import { RowPartitioner } from './rowPartitioner.ts';
import { calcGain, calcWeight, gainParams, type GainParams } from './splitGain.ts';

const f32 = Math.fround;

/**
 * Which features a node may split on (colsample_*). Called once per evaluated node, in node
 * order, with the node's depth; `undefined` means every feature.
 */
export interface FeatureSelector {
  featuresFor(depth: number): Int32Array | undefined;
}

export class HistTreeGrower {
  readonly partitioner: RowPartitioner;
  private readonly pool: HistogramPool;
  private readonly gp: GainParams;
  private hists: (Histogram | undefined)[] = [];

  constructor(
    private readonly bm: BinnedMatrix,
    private readonly params: TrainParams,
  ) {
    this.partitioner = new RowPartitioner(bm);
    this.pool = new HistogramPool(bm.totalSlots * 2);
    this.gp = gainParams(params);
  }

  /** `gpair`: interleaved (grad, hess) per row for this tree's output group. */
  grow(gpair: Float32Array, _features?: FeatureSelector): RegTree {
    const { bm, gp, partitioner } = this;
    const eta = this.params.eta;
    partitioner.reset(gpair);
    this.hists = [];

    const rootHist = this.pool.acquire();
    buildHistogram(rootHist, bm, partitioner, 0);
    this.hists[0] = rootHist;
    const [g, h] = this.rootSums(rootHist, gpair);
    const weight = calcWeight(gp, g, h);
    const tree = RegTree.withRoot(f32(weight * eta), weight, f32(h));
    const root = newExpandEntry(0, 0, g, h, calcGain(gp, g, h));
    evaluateSplits(root, rootHist, bm, gp);

    const queue = new ExpandQueue(this.params);
    queue.push(root);
    const rejected: ExpandEntry[] = [];
    for (;;) {
      const batch = queue.pop(rejected);
      for (const e of rejected) this.releaseHist(e.nid);
      rejected.length = 0;
      if (batch.length === 0) break;

      const children: [ExpandEntry, ExpandEntry][] = [];
      for (const e of batch) children.push(this.applySplit(tree, e, eta));
      const expandable = batch.map((e) => queue.childrenExpandable(e));
      for (let k = 0; k < batch.length; k++) {
        const e = batch[k];
        const [l, r] = children[k];
        partitioner.split(e.nid, l.nid, r.nid, e.feature, bm.nBins[e.feature], e.splitBin, e.defaultLeft, expandable[k]);
      }
      for (let k = 0; k < batch.length; k++) {
        const e = batch[k];
        if (!expandable[k]) {
          this.releaseHist(e.nid);
          continue;
        }
        const [l, r] = children[k];
        this.childHistograms(e, l.nid, r.nid);
        evaluateSplits(l, this.hists[l.nid]!, bm, gp);
        evaluateSplits(r, this.hists[r.nid]!, bm, gp);
        queue.push(l);
        queue.push(r);
      }
    }
    for (let nid = 0; nid < this.hists.length; nid++) this.releaseHist(nid);
    return tree;
  }

  /** Releases worker threads and buffers; the grower cannot be used afterwards. */
  dispose(): void {}

  /** margins[row * stride + offset] += value of the leaf the row ended in, for the tree just grown. */
  addLeafValues(tree: RegTree, margins: Float32Array, stride = 1, offset = 0): void {
    for (let nid = 0; nid < tree.numNodes; nid++) {
      if (!tree.isLeaf(nid)) continue;
      const rows = this.partitioner.lane(nid).rows;
      const v = tree.leafValue(nid);
      for (let i = this.partitioner.begin(nid), e = this.partitioner.end(nid); i < e; i++) {
        margins[rows[i] * stride + offset] += v;
      }
    }
  }

  /** Dense data: the root sums are feature 0's bins, as XGBoost takes them; else all rows. */
  private rootSums(rootHist: Histogram, gpair: Float32Array): [number, number] {
    let g = 0;
    let h = 0;
    if (!this.bm.hasMissing) {
      const end = this.bm.nBins[0] * 2;
      for (let i = 0; i < end; i += 2) {
        g += rootHist[i];
        h += rootHist[i + 1];
      }
    } else {
      for (let i = 0; i < gpair.length; i += 2) {
        g += gpair[i];
        h += gpair[i + 1];
      }
    }
    return [g, h];
  }

  private applySplit(tree: RegTree, e: ExpandEntry, eta: number): [ExpandEntry, ExpandEntry] {
    const gp = this.gp;
    const g = e.leftGrad + e.rightGrad;
    const h = e.leftHess + e.rightHess;
    const wl = calcWeight(gp, e.leftGrad, e.leftHess);
    const wr = calcWeight(gp, e.rightGrad, e.rightHess);
    const l = tree.expandNode(
      e.nid,
      e.feature,
      e.splitValue,
      e.defaultLeft,
      calcWeight(gp, g, h),
      f32(wl * eta),
      f32(wr * eta),
      e.lossChg,
      f32(h),
      f32(e.leftHess),
      f32(e.rightHess),
    );
    const depth = e.depth + 1;
    return [
      newExpandEntry(l, depth, e.leftGrad, e.leftHess, calcGain(gp, e.leftGrad, e.leftHess)),
      newExpandEntry(l + 1, depth, e.rightGrad, e.rightHess, calcGain(gp, e.rightGrad, e.rightHess)),
    ];
  }

  /** Builds the child with less hessian (XGBoost's choice); the sibling takes the parent's buffer. */
  private childHistograms(e: ExpandEntry, left: number, right: number): void {
    const [small, large] = e.rightHess < e.leftHess ? [right, left] : [left, right];
    const parentHist = this.hists[e.nid]!;
    this.hists[e.nid] = undefined;
    const h = this.pool.acquire();
    const p = this.partitioner;
    buildHistogram(h, this.bm, p, small);
    subtractInto(parentHist, h);
    this.hists[small] = h;
    this.hists[large] = parentHist;
  }

  private releaseHist(nid: number): void {
    const h = this.hists[nid];
    if (h) {
      this.pool.release(h);
      this.hists[nid] = undefined;
    }
  }
}
