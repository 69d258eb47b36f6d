// The heavy steps of growing one tree level, as batches: partition the rows of the nodes just
// split, build the histograms of the smaller children, subtract them from their parents,
// evaluate the new nodes' splits (node by node, while the histograms are in cache). The driver decides what to do; an executor does it, on the
// calling thread (SerialExecutor) or shared with worker threads (parallel/workerExecutor.ts)
// — with the same kernels over the same data, so the trees are the same either way.
import type { PackedMatrix } from '../../data/packedMatrix.ts';
import type { ExpandEntry } from './expandEntry.ts';
import type { SplitSpace } from './evaluateSplits.ts';
import type { SplitEvaluator } from './wasmEvaluate.ts';
import { allColumns, ROOT_BLOCK_ROWS, rootBlockCount, type HistogramStore } from './histogram.ts';
import type { RowPartitioner } from './rowPartitioner.ts';
import type { GainParams } from './splitGain.ts';
import type { Objective } from '../../objective/index.ts';
import { loadGradients, type TempLane } from './rowPartitioner.ts';
import { addLeafRows, type LeafRows } from './leafValues.ts';
import type { BufferSource } from './bufferSource.ts';
import { wasmGradients, type GradientsKernel } from '../../objective/wasmGradients.ts';

export interface PartitionTask {
  readonly nid: number;
  readonly left: number;
  readonly right: number;
  readonly col: number;
  /** Column value -> 1 (left) / 0 (right). */
  readonly lut: Uint8Array;
  /** The smaller child (left or right id), whose histogram is built right after the split. */
  readonly build: BuildTask;
  /** Best splits to find for the left and the right child, once both histograms are there. */
  readonly children: readonly [EvaluateTask, EvaluateTask];
}

export interface BuildTask {
  readonly nid: number;
  readonly hist: number;
  /** The parent's histogram, which becomes the sibling's: parent -= this one, once built. */
  readonly subtractFrom: number;
}

export interface EvaluateTask {
  readonly entry: ExpandEntry;
  readonly hist: number;
  readonly features: Int32Array | undefined;
}

/**
 * A leaf of the tree just grown: where its rows are and what it adds to their margins. With
 * `split`, `nid` is a split whose two leaves were never partitioned (leafValues.ts): `value`
 * is the left leaf's.
 */
export interface LeafTask {
  readonly nid: number;
  readonly value: number;
  readonly split?: { readonly col: number; readonly lut: Uint8Array; readonly rightValue: number };
}

export interface GrowExecutor {
  /** A copy of `a` that worker threads can read and write (`a` itself when single-threaded). */
  shared(a: Float32Array): Float32Array;
  /** objective.gradients over all rows (row chunks in parallel when the arrays are shared). */
  gradients(objective: Objective, margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array): void;
  /** Puts this round's gradient pairs into the root records and builds the root's histogram (ROOT_BLOCK_ROWS). */
  startTree(gpair: Float32Array, rootHist: number): void;
  /** margins[row * stride + offset] += value of the leaf each row is in. */
  addLeafValues(leaves: readonly LeafTask[], margins: Float32Array, stride: number, offset: number): void;
  /**
   * Partitions the split nodes' rows, builds the histograms the tasks ask for and evaluates
   * the children's splits.
   */
  partitionAndBuild(partitions: readonly PartitionTask[]): void;
  /** Best splits of nodes whose histograms are complete (the root). */
  evaluate(tasks: readonly EvaluateTask[]): void;
  dispose(): void;
}

/** Everything a level's work reads: shared by the executors. */
export interface GrowState {
  readonly pm: PackedMatrix;
  readonly part: RowPartitioner;
  readonly hists: HistogramStore;
  readonly space: SplitSpace;
  readonly gain: GainParams;
  /** evaluateSplits over `space` and `gain`, for this thread's histograms (wasmEvaluate.ts). */
  readonly evaluate: SplitEvaluator;
  /** Where the training buffers live (part's lanes, histograms); arrays made shared go there too. */
  readonly source: BufferSource;
  /** The memory the WebAssembly kernels address, when they run. */
  readonly memory?: WebAssembly.Memory;
}

/** A copy of `a` allocated from `source`. */
export function copyTo(source: BufferSource, a: Float32Array): Float32Array {
  const r = source.alloc(Math.max(4, a.byteLength));
  const copy = new Float32Array(r.buffer, r.byteOffset, a.length);
  copy.set(a);
  return copy;
}

export class SerialExecutor implements GrowExecutor {
  private readonly cols: Int32Array;

  private readonly temp: TempLane;
  /** Arrays copied into the kernels' memory by `shared` (the WebAssembly kernels can address them). */
  private readonly inMemory = new WeakSet<Float32Array>();
  private readonly gradientKernel: GradientsKernel | undefined;

  constructor(private readonly s: GrowState) {
    this.cols = allColumns(s.pm);
    this.temp = s.part.tempLane();
    this.gradientKernel = s.memory && wasmGradients(s.memory);
  }

  shared(a: Float32Array): Float32Array {
    if (!this.s.memory || this.inMemory.has(a)) return a;
    const copy = copyTo(this.s.source, a);
    this.inMemory.add(copy);
    return copy;
  }

  gradients(objective: Objective, margins: Float32Array, labels: Float32Array, weights: Float32Array | undefined, gpair: Float32Array): void {
    const m = this.inMemory;
    const kernel = m.has(margins) && m.has(labels) && m.has(gpair) && (!weights || m.has(weights)) ? this.gradientKernel : undefined;
    if (!kernel?.(objective, margins, labels, weights, gpair)) objective.gradients(margins, labels, weights, gpair);
  }

  startTree(gpair: Float32Array, rootHist: number): void {
    const { part, hists } = this.s;
    const lane = part.lanes[0];
    const n = part.nRows;
    const blocks = rootBlockCount(n);
    const scratch = blocks > 1 ? hists.acquire() : -1;
    const root = hists.ref(rootHist);
    const inMemory = this.inMemory.has(gpair);
    for (let k = 0; k < blocks; k++) {
      // Block by block: the block's records are still in cache when its histogram is built.
      const b = k * ROOT_BLOCK_ROWS;
      const e = Math.min(n, b + ROOT_BLOCK_ROWS);
      const to = hists.ref(k === 0 ? rootHist : scratch);
      if (inMemory) part.kernels.buildRootHistogram(hists.chunks[to.chunk], to.base, lane, this.cols, b, e, gpair);
      else {
        loadGradients(lane, part.shape, gpair, b, e);
        part.kernels.buildHistogram(hists.chunks[to.chunk], to.base, lane, this.cols, b, e, null);
      }
      if (k > 0) part.kernels.addHistogram(hists.chunks[root.chunk], root.base, hists.chunks[to.chunk], to.base, 0, hists.length);
    }
    if (scratch >= 0) hists.release(scratch);
    part.reset(gpair, false);
  }

  addLeafValues(leaves: readonly LeafTask[], margins: Float32Array, stride: number, offset: number): void {
    const p = this.s.part;
    const add = this.inMemory.has(margins) ? p.kernels.addLeafRows : (r: LeafRows) => addLeafRows(r, p.shape, margins, stride, offset);
    for (const { nid, value, split } of leaves) {
      const rows: LeafRows = {
        lane: p.lane(nid),
        idx: p.positions(nid),
        begin: p.begin(nid),
        end: p.end(nid),
        value,
        col: split ? split.col : -1,
        lut: split?.lut,
        rightValue: split ? split.rightValue : 0,
      };
      add(rows, margins, stride, offset);
    }
  }

  partitionAndBuild(partitions: readonly PartitionTask[]): void {
    // Node by node, so a child's rows are still in cache when its histogram is built.
    const part = this.s.part;
    for (const t of partitions) {
      part.splitForBuild(t.nid, t.left, t.right, t.build.nid, t.col, t.lut, this.temp);
      this.build(t.build);
      this.evaluate(t.children);
    }
  }

  private build(t: BuildTask): void {
    const { part, hists } = this.s;
    const r = hists.ref(t.hist);
    part.kernels.buildHistogram(hists.chunks[r.chunk], r.base, part.lane(t.nid), this.cols, part.begin(t.nid), part.end(t.nid), part.positions(t.nid));
    const p = hists.ref(t.subtractFrom);
    part.kernels.subtractHistogram(hists.chunks[p.chunk], p.base, hists.chunks[r.chunk], r.base, 0, hists.length);
  }

  evaluate(tasks: readonly EvaluateTask[]): void {
    const { hists, evaluate } = this.s;
    for (const t of tasks) {
      const r = hists.ref(t.hist);
      evaluate(t.entry, hists.chunks[r.chunk], r.base, t.features);
    }
  }

  dispose(): void {}
}
