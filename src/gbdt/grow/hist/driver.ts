// Grows one tree with the histogram method (XGBoost's QuantileHistMaker::ExpandTree):
//
//   root histogram -> evaluate root -> loop {
//     pop nodes to split -> write splits into the tree -> partition their rows
//     -> for children that may split further: build the smaller child's histogram,
//        subtract it from the parent's for the sibling -> evaluate both -> push
//   }
//
// Each step runs for a whole batch of nodes (a tree level with depthwise growth) through a
// GrowExecutor, so worker threads can share a step's work. Afterwards the partitioner still
// maps every leaf to its rows, which `addLeafValues` uses to update the training margins
// without re-predicting.
import type { BinnedMatrix } from '../../data/binnedMatrix.ts';
import { packMatrix, splitLut, type PackedMatrix } from '../../data/packedMatrix.ts';
import type { TrainParams } from '../../trainParams.ts';
import { RegTree } from '../../tree/regTree.ts';
import { newExpandEntry, type ExpandEntry } from './expandEntry.ts';
import { ExpandQueue } from './expandQueue.ts';
import { SerialExecutor, type GrowExecutor, type GrowState, type LeafTask, type PartitionTask } from './growExecutor.ts';
import type { Objective } from '../../objective/index.ts';
import { HistogramStore } from './histogram.ts';
import { RowPartitioner } from './rowPartitioner.ts';
import { chooseKernels } from './kernelChoice.ts';
import { splitEvaluator } from './wasmEvaluate.ts';
import { calcGain, calcWeight, cannotSplit, gainParams, type GainParams } from './splitGain.ts';
import { createWorkerExecutor, resolveThreads } from '../../parallel/workerExecutor.ts';
import type { ThreadShare } from '../../parallel/threadChoice.ts';

const f32 = Math.fround;

/**
 * Which features a node may split on (colsample_*). Called once per evaluated node, in node
 * order, with the node's depth; `undefined` means every feature.
 */
export interface FeatureSelector {
  featuresFor(depth: number): Int32Array | undefined;
}

/**
 * Below `minRows` rows training stays on the calling thread (no worker is started). Above, the
 * worker executor decides tree by tree whether the workers help (parallel/threadChoice.ts: it
 * times trees both ways), and a worker that is descheduled or still starting delays nobody
 * (parallel/gate.ts); `share` says how work is shared ('adaptive'; tests and measurements
 * force the others). The floor stays: at 24,435 x 26 rows (500 rounds, this 2-core host at
 * load 6-11 from other work, medians of 5 alternating runs) 2 adaptive threads took 1.96 s
 * against 1 thread's 1.59 s (worker start-up, trial trees; the old executor: 18.4 s), and no
 * quiet run showed 2 threads ahead there. Objects, so tests can lower the floor on small data.
 */
export const threadPolicy: { minRows: number; share: ThreadShare } = { minRows: 100_000, share: 'adaptive' };

export class HistTreeGrower {
  readonly partitioner: RowPartitioner;
  readonly pm: PackedMatrix;
  private readonly hists: HistogramStore;
  private readonly gp: GainParams;
  private readonly exec: GrowExecutor;
  private readonly lut: Uint8Array;
  /** Histogram id per node of the tree being grown, -1 for none (grown with the tree). */
  private histOf = new Int32Array(64).fill(-1);
  /** Capacity for the next tree: the last tree's size, so trees are not regrown as they grow. */
  private treeCapacity = 16;
  /** Split tables, reused tree after tree (a tree's are in use until its leaf values are added). */
  private readonly luts: Uint8Array[] = [];
  private lutsUsed = 0;
  /** Per node of the last tree: 1 when it is a leaf of a split in `unsplit`. */
  private unsplitLeaf = new Uint8Array(64);
  /** Splits of the last tree into two leaves whose rows were not partitioned (leafValues.ts). */
  private unsplit: Omit<PartitionTask, 'build' | 'children'>[] = [];

  constructor(
    private readonly bm: BinnedMatrix,
    private readonly params: TrainParams,
  ) {
    const threads = bm.nRows >= threadPolicy.minRows ? resolveThreads(params.nthread) : 1;
    const shared = threads > 1;
    this.pm = packMatrix(bm, { shared });
    // Shared per row (booster.ts): margins and pairs per group, a label, a weight, and one
    // group's pairs when there are several.
    const groups = Math.max(1, params.numClass);
    const { source, kernels, memory } = chooseKernels(this.pm, threads, 12 * groups + 8 + (groups > 1 ? 8 : 0));
    this.partitioner = new RowPartitioner(this.pm, { source, kernels });
    this.gp = gainParams(params);
    let widest = 0;
    for (let c = 0; c < this.pm.nCols; c++) widest = Math.max(widest, this.pm.colSlots[c]);
    this.lut = new Uint8Array(widest);
    this.hists = new HistogramStore(this.pm.totalSlots, source);
    const space = { pm: this.pm, cuts: bm.cuts, nBins: bm.nBins };
    const state: GrowState = {
      pm: this.pm,
      part: this.partitioner,
      hists: this.hists,
      space,
      gain: this.gp,
      evaluate: splitEvaluator(memory, space, this.gp),
      source,
      memory,
    };
    const parallel = shared ? createWorkerExecutor(state, threads, params, memory, { share: threadPolicy.share }) : undefined;
    // Chunks allocated from now on must reach the workers too.
    this.hists.onNewChunk = parallel?.onNewHistogramChunk;
    this.exec = parallel?.executor ?? new SerialExecutor(state);
  }

  /** `gpair`: interleaved (grad, hess) per row for this tree's output group. */
  grow(gpair: Float32Array, features?: FeatureSelector): RegTree {
    const { bm, gp, exec } = this;
    const eta = this.params.eta;
    this.histOf.fill(-1);
    this.unsplit = [];
    this.lutsUsed = 0;
    const rootHist = this.hists.acquire();
    this.histOf[0] = rootHist;
    exec.startTree(gpair, rootHist);
    const [g, h] = this.rootSums(rootHist, gpair);
    const weight = calcWeight(gp, g, h);
    // RegTree.withRoot with the capacity the last tree needed.
    const tree = new RegTree(this.treeCapacity);
    tree.setLeaf(tree.allocNode(-1), f32(weight * eta), weight, f32(h));
    const root = newExpandEntry(0, 0, g, h, calcGain(gp, g, h));
    exec.evaluate([{ entry: root, hist: rootHist, features: features?.featuresFor(0) }]);

    const queue = new ExpandQueue(this.params);
    queue.push(root);
    const rejected: ExpandEntry[] = [];
    for (;;) {
      const batch = queue.pop(rejected);
      for (const e of rejected) this.releaseHist(e.nid);
      rejected.length = 0;
      if (batch.length === 0) break;

      const children = batch.map((e) => this.applySplit(tree, e, eta));
      const expandable = batch.map((e) => queue.childrenExpandable(e));
      // Which child to build is known before partitioning (XGBoost's choice: the one with less
      // hessian; the sibling takes the parent's buffer), so the build goes with the split.
      const partitions: PartitionTask[] = [];
      for (let k = 0; k < batch.length; k++) {
        const e = batch[k];
        const [l, r] = children[k];
        const lut = this.nextLut();
        const col = splitLut(this.pm, bm.nBins[e.feature], e.feature, e.splitBin, e.defaultLeft, lut);
        const task = { nid: e.nid, left: l.nid, right: r.nid, col, lut };
        // Children too light for min_child_weight to allow a split of their own (cannotSplit)
        // stay leaves as surely as those at max_depth: when both are, no partition, histogram
        // or evaluation for them. The column sampler is still asked for their features, as
        // when they were evaluated, so its random sequence does not change.
        const bothLeaves = expandable[k] && cannotSplit(gp, l.sumHess) && cannotSplit(gp, r.sumHess);
        if (bothLeaves && features) {
          features.featuresFor(l.depth);
          features.featuresFor(r.depth);
        }
        if (!expandable[k] || bothLeaves) {
          // Both children stay leaves: their rows are told apart only when the leaf values are added.
          this.releaseHist(e.nid);
          this.unsplit.push(task);
          continue;
        }
        const [small, large] = e.rightHess < e.leftHess ? [r.nid, l.nid] : [l.nid, r.nid];
        if (this.histOf.length <= r.nid) {
          const grown = new Int32Array(Math.max(r.nid + 1, 2 * this.histOf.length)).fill(-1);
          grown.set(this.histOf);
          this.histOf = grown;
        }
        const parentHist = this.histOf[e.nid];
        this.histOf[e.nid] = -1;
        const childHist = this.hists.acquire();
        this.histOf[small] = childHist;
        this.histOf[large] = parentHist;
        // Every field spelled out (no spread of `task`): a spread's copy took the slow
        // property-definition path for every split, and made the tasks' shapes megamorphic.
        partitions.push({
          nid: e.nid,
          left: l.nid,
          right: r.nid,
          col,
          lut,
          build: { nid: small, hist: childHist, subtractFrom: parentHist },
          children: [
            { entry: l, hist: this.histOf[l.nid], features: features?.featuresFor(l.depth) },
            { entry: r, hist: this.histOf[r.nid], features: features?.featuresFor(r.depth) },
          ],
        });
      }
      exec.partitionAndBuild(partitions);
      for (const t of partitions) {
        queue.push(t.children[0].entry);
        queue.push(t.children[1].entry);
      }
    }
    for (let nid = 0; nid < tree.numNodes; nid++) this.releaseHist(nid);
    // What doubling from 16 gives a tree of this size: no more memory than before per tree.
    this.treeCapacity = Math.max(16, 2 ** Math.ceil(Math.log2(tree.numNodes)));
    return tree;
  }

  /** Releases worker threads; the grower cannot be used afterwards. */
  dispose(): void {
    this.exec.dispose();
  }

  /** margins[row * stride + offset] += value of the leaf the row ended in, for the tree just grown. */
  addLeafValues(tree: RegTree, margins: Float32Array, stride = 1, offset = 0): void {
    const leaves: LeafTask[] = [];
    const n = tree.numNodes;
    if (this.unsplitLeaf.length < n) this.unsplitLeaf = new Uint8Array(Math.max(n, 2 * this.unsplitLeaf.length));
    const marked = this.unsplitLeaf;
    marked.fill(0, 0, n);
    for (const t of this.unsplit) {
      leaves.push({ nid: t.nid, value: tree.leafValue(t.left), split: { col: t.col, lut: t.lut, rightValue: tree.leafValue(t.right) } });
      marked[t.left] = 1;
      marked[t.right] = 1;
    }
    const left = tree.left;
    for (let nid = 0; nid < n; nid++) if (left[nid] === -1 && marked[nid] === 0) leaves.push({ nid, value: tree.leafValue(nid) });
    this.exec.addLeafValues(leaves, margins, stride, offset);
  }

  /**
   * A copy of `a` the grower's worker threads can work on (`a` itself when single-threaded):
   * margins, labels, weights and gradient pairs given to computeGradients and addLeafValues
   * should come from here, or those steps run on the calling thread only.
   */
  shared(a: Float32Array): Float32Array {
    return this.exec.shared(a);
  }

  /** objective.gradients over every row, shared with the worker threads (same numbers). */
  computeGradients(objective: Objective, margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array): void {
    this.exec.gradients(objective, margins, labels, weights, gpair);
  }

  /** Dense data: the root sums are feature 0's bins, as XGBoost takes them; else all rows. */
  private rootSums(rootHist: number, gpair: Float32Array): [number, number] {
    let g = 0;
    let h = 0;
    if (!this.bm.hasMissing) {
      const hist = this.hists.view(rootHist);
      const pm = this.pm;
      const c = pm.featureCol[0];
      // Feature 0's bins; a bundle column's slots together also cover every row once.
      const n = pm.featureMember[0] < 0 ? this.bm.nBins[0] : pm.colSlots[c];
      const first = 2 * pm.colSlotOffset[c];
      for (let i = 0; i < n; i++) {
        g += hist[first + 2 * i];
        h += hist[first + 2 * i + 1];
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

  /** A split table for this tree (splitLut fills what it uses; the rest is never read). */
  private nextLut(): Uint8Array {
    if (this.lutsUsed === this.luts.length) this.luts.push(new Uint8Array(this.lut.length));
    return this.luts[this.lutsUsed++];
  }

  private releaseHist(nid: number): void {
    const id = nid < this.histOf.length ? this.histOf[nid] : -1;
    if (id >= 0) {
      this.hists.release(id);
      this.histOf[nid] = -1;
    }
  }
}
