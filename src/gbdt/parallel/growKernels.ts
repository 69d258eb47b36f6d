// The share of a level's work one thread does: the same code runs on the main thread (share 0)
// and in each worker (shares 1..T-1), reading task records the main thread wrote into shared
// memory. Column ranges and row chunks depend only on the share index and the thread count,
// and every output element is written by exactly one share, so the result is the one a single
// thread computes.
import { ROOT_BLOCK_ROWS, slotEnd, type SlotLayout } from '../grow/hist/histogram.ts';
import { FIRST_INDEX_LANE, type Lane, type RecordShape, type TempLane } from '../grow/hist/rowPartitioner.ts';
import type { RowKernels } from '../grow/hist/rowKernels.ts';
import type { Objective } from '../objective/index.ts';
import { awaitChange } from './awaitChange.mjs';
import { ENTRY_FIELDS, newExpandEntry, readEntry, writeEntry } from '../grow/hist/expandEntry.ts';
import type { SplitSpace } from '../grow/hist/evaluateSplits.ts';
import type { SplitEvaluator } from '../grow/hist/wasmEvaluate.ts';
import type { GradientsKernel } from '../objective/wasmGradients.ts';
import type { GainParams } from '../grow/hist/splitGain.ts';

export const Command = { Mark: 1, ScatterBuild: 2, SplitNodes: 3, StartTree: 4, Gradients: 5, LeafValues: 6 } as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Int32 fields of one task record, per command (T = thread count). */
// Lanes are numbered as in RowPartitioner: 0-2 records, 3-4 positions into the record lane.
export const MARK_FIELDS = 6; // lane, begin, end, col, lutOffset, recordLane; then T counts
export const SCATTER_FIELDS = 4; // srcLane, dstLane, begin, end; then T (leftAt, rightAt)
export const BUILD_FIELDS = 6; // lane, begin, end, childHist, parentHist, recordLane
// SplitNodes: srcLane, recordLane, begin, end, col, lutOffset, dstLane, childHist, parentHist,
// buildLeft (1: the left child is built), entries (where in the entry buffer the left and then
// the right child's ExpandEntry are, -1: the main thread evaluates them); then, written by the
// share that claimed the task, where the second child starts and whether the left child comes
// first (1) or second (0)
export const SPLIT_FIELDS = 13;
export const SPLIT_ENTRIES = 10;
export const SPLIT_MID = 11;
export const SPLIT_FIRST = 12;
// LeafValues: see rowShare
export const LEAF_FIELDS = 8;

export function markRecord(threads: number): number {
  return MARK_FIELDS + threads;
}
export function scatterRecord(threads: number): number {
  return SCATTER_FIELDS + 2 * threads;
}

/** What every thread holds: views of the same shared buffers. */
export interface KernelContext {
  readonly threads: number;
  readonly lanes: readonly Lane[];
  readonly indexLanes: readonly Uint32Array[];
  readonly goLeft: Uint8Array;
  readonly luts: () => Uint8Array;
  readonly shape: RecordShape;
  readonly layout: SlotLayout;
  readonly histLength: number;
  /** Columns whose histogram slots each share builds (histogram.ts shareColumns). */
  readonly columns: readonly Int32Array[];
  /** Every column, for a node whose histogram one share builds alone. */
  readonly allColumns: Int32Array;
  /** This thread's scratch records for splitBuiltLast. */
  readonly temp: TempLane;
  /** This thread's kernels (WebAssembly over the training memory, or JavaScript). */
  readonly kernels: RowKernels;
  /** Returns once every share has called it (between scattering rows and building histograms). */
  readonly barrier: () => void;
  /** The next task of the command for this share to do (task counts from 0 per command). */
  readonly claim: () => number;
  /** Shared float32 arrays by id, and the objective, for the row-parallel steps. */
  readonly arrays: () => ReadonlyMap<number, Float32Array>;
  readonly objective: () => Objective | undefined;
  readonly histChunk: (id: number) => { chunk: Float64Array; base: number };
  /** ExpandEntry records (expandEntry.ts writeEntry) of the nodes SplitNodes evaluates. */
  readonly entries: () => Float64Array;
  readonly space: SplitSpace;
  readonly gain: GainParams;
  /** This thread's split evaluator (wasmEvaluate.ts splitEvaluator over space and gain). */
  readonly evaluate: SplitEvaluator;
  /** This thread's WebAssembly gradients, when the shared arrays are in the kernels' memory. */
  readonly gradientKernel?: GradientsKernel;
}

export function chunkOf(begin: number, end: number, share: number, threads: number): [number, number] {
  const n = end - begin;
  return [begin + Math.floor((share * n) / threads), begin + Math.floor(((share + 1) * n) / threads)];
}

/**
 * Job layouts: Mark and SplitNodes: job[0] = task count, records from 1. ScatterBuild: the
 * scatter tasks as for Mark, then at 1 + count * scatterRecord(T) the build task count and
 * build records; every share scatters its chunks, waits for the others, then builds.
 * StartTree: see startTree; the rest: rowShare.
 */
export function runShare(ctx: KernelContext, command: Command, job: Int32Array, nTasks: number, share: number): void {
  const T = ctx.threads;
  const positions = (lane: number) => (lane >= FIRST_INDEX_LANE ? ctx.indexLanes[lane - FIRST_INDEX_LANE] : null);
  if (command === Command.Mark) {
    const rec = markRecord(T);
    const luts = ctx.luts();
    for (let k = 0; k < nTasks; k++) {
      const o = 1 + k * rec;
      const [b, e] = chunkOf(job[o + 1], job[o + 2], share, T);
      const lut = luts.subarray(job[o + 4]);
      job[o + MARK_FIELDS + share] = ctx.kernels.markLeft(ctx.lanes[job[o + 5]], job[o + 3], lut, ctx.goLeft, b, e, positions(job[o]));
    }
    return;
  }
  if (command === Command.SplitNodes) {
    // Claimed one by one, largest first: how long a node takes is known only roughly (its
    // built child's size, evaluation), and which share does it changes no result.
    for (let k = ctx.claim(); k < nTasks; k = ctx.claim()) splitNode(ctx, job, 1 + k * SPLIT_FIELDS, positions);
    return;
  }
  if (command === Command.StartTree) {
    startTree(ctx, job, share);
    return;
  }
  if (command === Command.Gradients || command === Command.LeafValues) {
    rowShare(ctx, command, job, share);
    return;
  }
  if (command === Command.ScatterBuild) {
    const rec = scatterRecord(T);
    for (let k = 0; k < nTasks; k++) {
      const o = 1 + k * rec;
      const [b, e] = chunkOf(job[o + 2], job[o + 3], share, T);
      const at = o + SCATTER_FIELDS + 2 * share;
      const src = job[o];
      const dst = job[o + 1];
      if (dst < FIRST_INDEX_LANE) {
        ctx.kernels.scatterRows(ctx.lanes[src], ctx.lanes[dst], ctx.goLeft, b, e, job[at], job[at + 1]);
      } else {
        ctx.kernels.scatterPositions(positions(src), ctx.indexLanes[dst - FIRST_INDEX_LANE], ctx.goLeft, b, e, job[at], job[at + 1]);
      }
    }
    const buildAt = 1 + nTasks * rec;
    const nBuild = job[buildAt];
    if (nBuild === 0) return;
    ctx.barrier();
    buildShare(ctx, job, buildAt + 1, nBuild, share, positions);
  }
}

/**
 * Job: nRows, gpairId (-1: already in the root records), rootHist, blocks, then one scratch
 * histogram id per block after the first. Each share loads the gradient pairs of its blocks
 * of rows and builds their histograms (block 0 into the root's); after a barrier the shares
 * add the blocks, in block order, into the root's slots of their columns.
 */
function startTree(ctx: KernelContext, job: Int32Array, share: number): void {
  const nRows = job[1];
  const blocks = job[4];
  const gpair = job[2] >= 0 ? ctx.arrays().get(job[2])! : undefined;
  const lane = ctx.lanes[0];
  const histOf = (k: number) => ctx.histChunk(k === 0 ? job[3] : job[4 + k]);
  const [first, last] = chunkOf(0, blocks, share, ctx.threads);
  for (let k = first; k < last; k++) {
    const b = k * ROOT_BLOCK_ROWS;
    const e = Math.min(nRows, b + ROOT_BLOCK_ROWS);
    const h = histOf(k);
    // Shared arrays are in the kernels' memory (from the training buffers' source).
    if (gpair) ctx.kernels.buildRootHistogram(h.chunk, h.base, lane, ctx.allColumns, b, e, gpair);
    else ctx.kernels.buildHistogram(h.chunk, h.base, lane, ctx.allColumns, b, e, null);
  }
  if (blocks === 1) return;
  ctx.barrier();
  const root = histOf(0);
  for (let k = 1; k < blocks; k++) {
    const part = histOf(k);
    for (const c of ctx.columns[share]) {
      ctx.kernels.addHistogram(root.chunk, root.base, part.chunk, part.base, 2 * ctx.layout.colSlotOffset[c], 2 * slotEnd(ctx.layout, c));
    }
  }
}

/**
 * One share does a whole node: marks and moves its rows, then builds the smaller child's
 * histogram (every column) while those rows are still in cache, subtracts it from the
 * parent's, and evaluates both children while their histograms are. The sums are the ones a
 * column-split build gives: each slot over the child's rows in order.
 */
function splitNode(ctx: KernelContext, job: Int32Array, o: number, positions: (lane: number) => Uint32Array | null): void {
  const src = job[o];
  const b = job[o + 2];
  const e = job[o + 3];
  const dst = job[o + 6];
  const lut = ctx.luts().subarray(job[o + 5]);
  let cb: number;
  let ce: number;
  if (dst < FIRST_INDEX_LANE) {
    // The built child goes last: job[o + SPLIT_FIRST] tells the main thread which came first.
    const built = job[o + 9];
    const n = ctx.kernels.splitBuiltLast(ctx.lanes[src], ctx.lanes[dst], ctx.temp.for(e - b), job[o + 4], lut, built, b, e);
    job[o + SPLIT_MID] = e - n;
    job[o + SPLIT_FIRST] = built === 1 ? 0 : 1;
    [cb, ce] = [e - n, e];
  } else {
    const nLeft = ctx.kernels.markLeft(ctx.lanes[job[o + 1]], job[o + 4], lut, ctx.goLeft, b, e, positions(src));
    job[o + SPLIT_MID] = b + nLeft;
    job[o + SPLIT_FIRST] = 1;
    // Positions (index mode): small enough that counting first costs little.
    ctx.kernels.scatterPositions(positions(src), ctx.indexLanes[dst - FIRST_INDEX_LANE], ctx.goLeft, b, e, b, b + nLeft);
    [cb, ce] = job[o + 9] === 1 ? [b, b + nLeft] : [b + nLeft, e];
  }
  const recordLane = dst < FIRST_INDEX_LANE ? dst : job[o + 1];
  const child = ctx.histChunk(job[o + 7]);
  ctx.kernels.buildHistogram(child.chunk, child.base, ctx.lanes[recordLane], ctx.allColumns, cb, ce, positions(dst));
  const parent = ctx.histChunk(job[o + 8]);
  ctx.kernels.subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 0, ctx.histLength);
  const at = job[o + SPLIT_ENTRIES];
  if (at < 0) return;
  const [left, right] = job[o + 9] === 1 ? [child, parent] : [parent, child];
  evaluateEntry(ctx, at, left.chunk, left.base);
  evaluateEntry(ctx, at + ENTRY_FIELDS, right.chunk, right.base);
}

/** One thread's ExpandEntry, reused: entries travel as records in ctx.entries(). */
const entry = newExpandEntry(0, 0, 0, 0, 0);

function evaluateEntry(ctx: KernelContext, at: number, hist: Float64Array, base: number): void {
  const entries = ctx.entries();
  readEntry(entries, at, entry);
  ctx.evaluate(entry, hist, base);
  writeEntry(entries, at, entry);
}

function buildShare(
  ctx: KernelContext,
  job: Int32Array,
  first: number,
  nTasks: number,
  share: number,
  positions: (lane: number) => Uint32Array | null,
): void {
  const cols = ctx.columns[share];
  if (cols.length === 0) return;
  const { colSlotOffset } = ctx.layout;
  for (let k = 0; k < nTasks; k++) {
    const o = first + k * BUILD_FIELDS;
    const child = ctx.histChunk(job[o + 3]);
    ctx.kernels.buildHistogram(child.chunk, child.base, ctx.lanes[job[o + 5]], cols, job[o + 1], job[o + 2], positions(job[o]));
    const parent = ctx.histChunk(job[o + 4]);
    for (const c of cols) {
      ctx.kernels.subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 2 * colSlotOffset[c], 2 * slotEnd(ctx.layout, c));
    }
  }
}

/**
 * A barrier over the control words: the last share to arrive bumps the generation. Waiting
 * shares give up with an error if another share has failed (it will never arrive).
 */
export function makeBarrier(ctl: Int32Array, threads: number, count: number, generation: number, failed: number): () => void {
  return () => {
    const gen = Atomics.load(ctl, generation);
    if (Atomics.add(ctl, count, 1) === threads - 1) {
      Atomics.store(ctl, count, 0);
      Atomics.add(ctl, generation, 1);
      Atomics.notify(ctl, generation);
      return;
    }
    awaitChange(ctl, generation, gen, () => {
      if (Atomics.load(ctl, failed) !== 0) throw new Error('another training thread failed');
    });
  };
}

/**
 * Steps that are independent per row, each share taking a contiguous chunk of rows (or of each
 * leaf's positions). Job layouts (job[0] unused):
 *   Gradients:  nRows, marginsId, labelsId, weightsId (-1: none), gpairId
 *   LeafValues: nLeaves, marginsId, stride, offset, then per leaf (LEAF_FIELDS): lane, recordLane, begin, end,
 *               value (float32 bits), split column (-1: none), lut offset, right value (float32 bits)
 */
function rowShare(ctx: KernelContext, command: Command, job: Int32Array, share: number): void {
  const T = ctx.threads;
  const arrays = ctx.arrays();
  const get = (id: number) => arrays.get(id)!;
  if (command === Command.Gradients) {
    const objective = ctx.objective()!;
    const G = objective.numGroup;
    const [b, e] = chunkOf(0, job[1], share, T);
    const w = job[4] >= 0 ? get(job[4]).subarray(b, e) : undefined;
    const args = [get(job[2]).subarray(b * G, e * G), get(job[3]).subarray(b, e), w, get(job[5]).subarray(2 * b * G, 2 * e * G)] as const;
    if (!ctx.gradientKernel?.(objective, ...args)) objective.gradients(...args);
    return;
  }
  const margins = get(job[2]);
  const stride = job[3];
  const offset = job[4];
  const bits = new Int32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  const float = (w: number) => {
    bits[0] = w;
    return asFloat[0];
  };
  const luts = ctx.luts();
  for (let k = 0, o = 5; k < job[1]; k++, o += LEAF_FIELDS) {
    const lane = job[o];
    const [begin, end] = chunkOf(job[o + 2], job[o + 3], share, T);
    const col = job[o + 5];
    ctx.kernels.addLeafRows(
      {
        lane: ctx.lanes[job[o + 1]],
        idx: lane >= FIRST_INDEX_LANE ? ctx.indexLanes[lane - FIRST_INDEX_LANE] : null,
        begin,
        end,
        value: float(job[o + 4]),
        col,
        lut: col >= 0 ? luts.subarray(job[o + 6]) : undefined,
        rightValue: float(job[o + 7]),
      },
      margins,
      stride,
      offset,
    );
  }
}
