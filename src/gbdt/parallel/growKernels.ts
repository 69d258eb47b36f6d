// The tasks of a level's work: the same code runs on the main thread and in the workers,
// reading task records the main thread wrote into shared memory. A command is a list of
// tasks in up to MAX_PHASES phases; any thread claims the next task (an atomic counter), and a
// task of a later phase starts once every task before its phase is done. Which thread does a
// task changes no result: tasks are cut by rows, nodes and column groups that depend only on
// the job, every output element is written by exactly one task, and sums run in row order —
// so the main thread alone (workers busy or descheduled) grows the tree a single thread does.
import { ROOT_BLOCK_ROWS, slotEnd, type SlotLayout } from '../grow/hist/histogram.ts';
import { FIRST_INDEX_LANE, type Lane, type RecordShape, type TempLane } from '../grow/hist/rowPartitioner.ts';
import type { RowKernels } from '../grow/hist/rowKernels.ts';
import type { Objective } from '../objective/index.ts';
import { ENTRY_FIELDS, newExpandEntry, readEntry, writeEntry } from '../grow/hist/expandEntry.ts';
import type { SplitSpace } from '../grow/hist/evaluateSplits.ts';
import type { SplitEvaluator } from '../grow/hist/wasmEvaluate.ts';
import type { GradientsKernel } from '../objective/wasmGradients.ts';
import type { GainParams } from '../grow/hist/splitGain.ts';

export const Command = { ChunkSplit: 2, SplitNodes: 3, StartTree: 4, Gradients: 5, LeafValues: 6 } as const;
export type Command = (typeof Command)[keyof typeof Command];

/**
 * Job header: job[0] = task count, job[1 + p] = end (exclusive) of phase p's tasks (unused
 * phases end at the count). A command's own fields start at HEADER.
 */
export const MAX_PHASES = 4;
export const HEADER = 1 + MAX_PHASES;

// Lanes are numbered as in RowPartitioner: 0-2 records, 3-4 positions into the record lane.
// SplitNodes (one task per node, records from HEADER): srcLane, recordLane, begin, end, col,
// lutOffset, dstLane, childHist, parentHist, buildLeft (1: the left child is built), entries
// (where in the entry buffer the left and then the right child's ExpandEntry are, -1: the
// main thread evaluates them); then, written by the thread that did the node, where the
// second child starts and whether the left child comes first (1) or second (0).
export const SPLIT_FIELDS = 13;
export const SPLIT_ENTRIES = 10;
export const SPLIT_MID = 11;
export const SPLIT_FIRST = 12;
// ChunkSplit: job[HEADER] = nodes N, then chunks C, column groups G; node records from
// HEADER + 3 of CHUNK_FIELDS + C ints: the SplitNodes fields up to entries, then C left counts.
// Phases: mark (N x C), scatter (N x C), build (N x G), evaluate (2N, when entries >= 0).
export const CHUNK_FIELDS = 11;
// LeafValues: see leafTask
export const LEAF_FIELDS = 8;

export function chunkRecord(chunks: number): number {
  return CHUNK_FIELDS + chunks;
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
  /** Column groups for G = threads (histogram.ts shareColumns). */
  readonly columns: readonly Int32Array[];
  /** Every column: the one group when G = 1. */
  readonly allColumns: Int32Array;
  /** This thread's scratch records for splitBuiltLast. */
  readonly temp: TempLane;
  /** This thread's kernels (WebAssembly over the training memory, or JavaScript). */
  readonly kernels: RowKernels;
  /** The next task of the command for this thread to do (tasks count from 0 per command). */
  readonly claim: () => number;
  /** Counts a task done; `awaited`: a thread may be waiting for the count (a later phase). */
  readonly complete: (awaited: boolean) => void;
  /** Returns once at least `n` tasks of the command are done. */
  readonly awaitCompleted: (n: number) => void;
  /** Shared float32 arrays by id, and the objective, for the row-parallel steps. */
  readonly arrays: () => ReadonlyMap<number, Float32Array>;
  readonly objective: () => Objective | undefined;
  readonly histChunk: (id: number) => { chunk: Float64Array; base: number };
  /** ExpandEntry records (expandEntry.ts writeEntry) of the nodes the tasks evaluate. */
  readonly entries: () => Float64Array;
  readonly space: SplitSpace;
  readonly gain: GainParams;
  /** This thread's split evaluator (wasmEvaluate.ts splitEvaluator over space and gain). */
  readonly evaluate: SplitEvaluator;
  /** This thread's WebAssembly gradients, when the shared arrays are in the kernels' memory. */
  readonly gradientKernel?: GradientsKernel;
}

export function chunkOf(begin: number, end: number, chunk: number, chunks: number): [number, number] {
  const n = end - begin;
  return [begin + Math.floor((chunk * n) / chunks), begin + Math.floor(((chunk + 1) * n) / chunks)];
}

/** Writes the header of a job of phases with these task counts. */
export function writePhases(job: Int32Array, counts: readonly number[]): number {
  let end = 0;
  for (let p = 0; p < MAX_PHASES; p++) {
    end += counts[p] ?? 0;
    job[1 + p] = end;
  }
  job[0] = end;
  return end;
}

/** Claims and does tasks of the command until none are left. */
export function runTasks(ctx: KernelContext, command: Command, job: Int32Array): void {
  const total = job[0];
  // Tasks before the last phase with tasks are waited for by the tasks after them.
  let lastStart = 0;
  for (let p = 1; p < MAX_PHASES; p++) if (job[1 + p] > job[p]) lastStart = job[p];
  for (let k = ctx.claim(); k < total; k = ctx.claim()) {
    let phase = 0;
    while (k >= job[1 + phase]) phase++;
    const start = phase === 0 ? 0 : job[phase];
    if (start > 0) ctx.awaitCompleted(start);
    try {
      runTask(ctx, command, job, phase, k - start);
    } finally {
      // Counted even when it failed, so that no thread waits for it forever.
      ctx.complete(k < lastStart);
    }
  }
}

function runTask(ctx: KernelContext, command: Command, job: Int32Array, phase: number, k: number): void {
  if (command === Command.SplitNodes) splitNode(ctx, job, HEADER + k * SPLIT_FIELDS);
  else if (command === Command.ChunkSplit) chunkTask(ctx, job, phase, k);
  else if (command === Command.StartTree) startTreeTask(ctx, job, phase, k);
  else if (command === Command.Gradients) gradientsTask(ctx, job, k);
  else if (command === Command.LeafValues) leafTask(ctx, job, k);
  else throw new Error(`unknown training command ${String(command)}`);
}

function positionsOf(ctx: KernelContext, lane: number): Uint32Array | null {
  return lane >= FIRST_INDEX_LANE ? ctx.indexLanes[lane - FIRST_INDEX_LANE] : null;
}

function groupColumns(ctx: KernelContext, groups: number, g: number): Int32Array {
  return groups === 1 ? ctx.allColumns : ctx.columns[g];
}

/** parent -= child over one column group's slots (all of them when G = 1). */
function subtractGroup(ctx: KernelContext, groups: number, cols: Int32Array, parent: { chunk: Float64Array; base: number }, child: { chunk: Float64Array; base: number }): void {
  if (groups === 1) {
    ctx.kernels.subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 0, ctx.histLength);
    return;
  }
  for (const c of cols) {
    ctx.kernels.subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 2 * ctx.layout.colSlotOffset[c], 2 * slotEnd(ctx.layout, c));
  }
}

/**
 * StartTree job from HEADER: nRows, gpairId (-1: already in the root records), rootHist,
 * blocks, groups G, chunks C, then one scratch histogram id per block after the first.
 * Several blocks: phase 0 builds each block's histogram (all columns; block 0 into the
 * root's), phase 1 adds the blocks, in block order, into the root's slots of each column
 * group. One block: phase 0 loads the gradient pairs in C row chunks (when shared), phase 1
 * builds the root's histogram by column groups. Either way each slot sums the rows in order.
 */
function startTreeTask(ctx: KernelContext, job: Int32Array, phase: number, k: number): void {
  const h = HEADER;
  const nRows = job[h];
  const gpair = job[h + 1] >= 0 ? ctx.arrays().get(job[h + 1])! : undefined;
  const blocks = job[h + 3];
  const groups = job[h + 4];
  const lane = ctx.lanes[0];
  const histOf = (b: number) => ctx.histChunk(b === 0 ? job[h + 2] : job[h + 5 + b]);
  if (blocks > 1) {
    if (phase === 0) {
      const b = k * ROOT_BLOCK_ROWS;
      const e = Math.min(nRows, b + ROOT_BLOCK_ROWS);
      const to = histOf(k);
      // Shared arrays are in the kernels' memory (from the training buffers' source).
      if (gpair) ctx.kernels.buildRootHistogram(to.chunk, to.base, lane, ctx.allColumns, b, e, gpair);
      else ctx.kernels.buildHistogram(to.chunk, to.base, lane, ctx.allColumns, b, e, null);
      return;
    }
    const root = histOf(0);
    const cols = groupColumns(ctx, groups, k);
    for (let b = 1; b < blocks; b++) {
      const part = histOf(b);
      for (const c of cols) {
        ctx.kernels.addHistogram(root.chunk, root.base, part.chunk, part.base, 2 * ctx.layout.colSlotOffset[c], 2 * slotEnd(ctx.layout, c));
      }
    }
    return;
  }
  const root = histOf(0);
  if (phase === 0) {
    const [b, e] = chunkOf(0, nRows, k, job[h + 5]);
    if (groups === 1) ctx.kernels.buildRootHistogram(root.chunk, root.base, lane, ctx.allColumns, b, e, gpair!);
    else ctx.kernels.loadGradients(lane, gpair!, b, e);
    return;
  }
  ctx.kernels.buildHistogram(root.chunk, root.base, lane, groupColumns(ctx, groups, k), 0, nRows, null);
}

/**
 * One node by one thread: marks and moves its rows, then builds the smaller child's histogram
 * (every column) while those rows are still in cache, subtracts it from the parent's, and
 * evaluates both children while their histograms are.
 */
function splitNode(ctx: KernelContext, job: Int32Array, o: number): void {
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
    // Positions (index mode), in one pass too: the built child last.
    const built = job[o + 9];
    const records = ctx.lanes[job[o + 1]];
    const n = ctx.kernels.splitPositionsBuiltLast(records, positionsOf(ctx, src), ctx.indexLanes[dst - FIRST_INDEX_LANE], ctx.temp.positions(e - b), job[o + 4], lut, built, b, e);
    job[o + SPLIT_MID] = e - n;
    job[o + SPLIT_FIRST] = built === 1 ? 0 : 1;
    [cb, ce] = [e - n, e];
  }
  const recordLane = dst < FIRST_INDEX_LANE ? dst : job[o + 1];
  const child = ctx.histChunk(job[o + 7]);
  ctx.kernels.buildHistogram(child.chunk, child.base, ctx.lanes[recordLane], ctx.allColumns, cb, ce, positionsOf(ctx, dst));
  const parent = ctx.histChunk(job[o + 8]);
  ctx.kernels.subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 0, ctx.histLength);
  const at = job[o + SPLIT_ENTRIES];
  if (at < 0) return;
  const [left, right] = job[o + 9] === 1 ? [child, parent] : [parent, child];
  evaluateEntry(ctx, at, left.chunk, left.base);
  evaluateEntry(ctx, at + ENTRY_FIELDS, right.chunk, right.base);
}

/**
 * A few large nodes, each in C row chunks: count the rows going left per chunk, move each
 * chunk's rows to where the counts before it say (a stable partition, left child first),
 * build the built children's histograms by column groups, evaluate the children.
 */
function chunkTask(ctx: KernelContext, job: Int32Array, phase: number, k: number): void {
  const nodes = job[HEADER];
  const C = job[HEADER + 1];
  const G = job[HEADER + 2];
  const perNode = phase === 2 ? G : phase === 3 ? 2 : C;
  const node = Math.floor(k / perNode);
  const part = k - node * perNode;
  if (node >= nodes) throw new Error('training task out of range');
  const o = HEADER + 3 + node * chunkRecord(C);
  const src = job[o];
  const b = job[o + 2];
  const e = job[o + 3];
  const dst = job[o + 6];
  const counts = o + CHUNK_FIELDS;
  if (phase === 0) {
    const [cb, ce] = chunkOf(b, e, part, C);
    const lut = ctx.luts().subarray(job[o + 5]);
    job[counts + part] = ctx.kernels.markLeft(ctx.lanes[job[o + 1]], job[o + 4], lut, ctx.goLeft, cb, ce, positionsOf(ctx, src));
    return;
  }
  let nLeft = 0;
  for (let c = 0; c < C; c++) nLeft += job[counts + c];
  if (phase === 1) {
    let left = b;
    let right = b + nLeft;
    for (let c = 0; c < part; c++) {
      const [cb, ce] = chunkOf(b, e, c, C);
      left += job[counts + c];
      right += ce - cb - job[counts + c];
    }
    const [cb, ce] = chunkOf(b, e, part, C);
    if (dst < FIRST_INDEX_LANE) ctx.kernels.scatterRows(ctx.lanes[src], ctx.lanes[dst], ctx.goLeft, cb, ce, left, right);
    else ctx.kernels.scatterPositions(positionsOf(ctx, src), ctx.indexLanes[dst - FIRST_INDEX_LANE], ctx.goLeft, cb, ce, left, right);
    return;
  }
  const buildLeft = job[o + 9] === 1;
  const child = ctx.histChunk(job[o + 7]);
  const parent = ctx.histChunk(job[o + 8]);
  if (phase === 2) {
    const [cb, ce] = buildLeft ? [b, b + nLeft] : [b + nLeft, e];
    const recordLane = dst < FIRST_INDEX_LANE ? dst : job[o + 1];
    const cols = groupColumns(ctx, G, part);
    if (cols.length === 0) return;
    ctx.kernels.buildHistogram(child.chunk, child.base, ctx.lanes[recordLane], cols, cb, ce, positionsOf(ctx, dst));
    subtractGroup(ctx, G, cols, parent, child);
    return;
  }
  // Phase 3: part 0 is the left child, 1 the right.
  const h = (part === 0) === buildLeft ? child : parent;
  evaluateEntry(ctx, job[o + SPLIT_ENTRIES] + part * ENTRY_FIELDS, h.chunk, h.base);
}

/** One thread's ExpandEntry, reused: entries travel as records in ctx.entries(). */
const entry = newExpandEntry(0, 0, 0, 0, 0);

function evaluateEntry(ctx: KernelContext, at: number, hist: Float64Array, base: number): void {
  const entries = ctx.entries();
  readEntry(entries, at, entry);
  ctx.evaluate(entry, hist, base);
  writeEntry(entries, at, entry);
}

/** Gradients job from HEADER: nRows, marginsId, labelsId, weightsId (-1: none), gpairId, chunks. */
function gradientsTask(ctx: KernelContext, job: Int32Array, k: number): void {
  const h = HEADER;
  const arrays = ctx.arrays();
  const get = (id: number) => arrays.get(id)!;
  const objective = ctx.objective()!;
  const G = objective.numGroup;
  const [b, e] = chunkOf(0, job[h], k, job[h + 5]);
  const w = job[h + 3] >= 0 ? get(job[h + 3]).subarray(b, e) : undefined;
  const args = [get(job[h + 1]).subarray(b * G, e * G), get(job[h + 2]).subarray(b, e), w, get(job[h + 4]).subarray(2 * b * G, 2 * e * G)] as const;
  if (!ctx.gradientKernel?.(objective, ...args)) objective.gradients(...args);
}

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);
function floatOf(word: number): number {
  bits[0] = word;
  return asFloat[0];
}

/**
 * LeafValues job from HEADER: nLeaves, marginsId, stride, offset, chunks C, then per leaf
 * (LEAF_FIELDS): lane, recordLane, begin, end, value (float32 bits), split column (-1: none),
 * lut offset, right value (float32 bits). Task k adds chunk k of every leaf's rows.
 */
function leafTask(ctx: KernelContext, job: Int32Array, k: number): void {
  const h = HEADER;
  const margins = ctx.arrays().get(job[h + 1])!;
  const stride = job[h + 2];
  const offset = job[h + 3];
  const C = job[h + 4];
  const luts = ctx.luts();
  for (let l = 0, o = h + 5; l < job[h]; l++, o += LEAF_FIELDS) {
    const [begin, end] = chunkOf(job[o + 2], job[o + 3], k, C);
    if (begin === end) continue;
    const col = job[o + 5];
    ctx.kernels.addLeafRows(
      {
        lane: ctx.lanes[job[o + 1]],
        idx: positionsOf(ctx, job[o]),
        begin,
        end,
        value: floatOf(job[o + 4]),
        col,
        lut: col >= 0 ? luts.subarray(job[o + 6]) : undefined,
        rightValue: floatOf(job[o + 7]),
      },
      margins,
      stride,
      offset,
    );
  }
}
