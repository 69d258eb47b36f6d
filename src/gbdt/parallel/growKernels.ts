// The share of a level's work one thread does: the same code runs on the main thread (share 0)
// and in each worker (shares 1..T-1), reading task records the main thread wrote into shared
// memory. Column ranges and row chunks depend only on the share index and the thread count,
// and every output element is written by exactly one share, so the result is the one a single
// thread computes.
import { buildHistogramColumns, slotEnd, subtractHistogram, type SlotLayout } from '../grow/hist/histogram.ts';
import { FIRST_INDEX_LANE, markLeft, ROW_WORD, scatterPositions, scatterRows, type Lane, type RecordShape } from '../grow/hist/rowPartitioner.ts';
import type { Objective } from '../objective/index.ts';

export const Command = { Mark: 1, ScatterBuild: 2, BuildSubtract: 3, Gradients: 4, Reset: 5, LeafValues: 6 } as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Int32 fields of one task record, per command (T = thread count). */
// Lanes are numbered as in RowPartitioner: 0-2 records, 3-4 positions into the record lane.
export const MARK_FIELDS = 6; // lane, begin, end, col, lutOffset, recordLane; then T counts
export const SCATTER_FIELDS = 6; // srcLane, dstLane, begin, end, moveBins, (unused); then T (leftAt, rightAt)
export const BUILD_FIELDS = 6; // lane, begin, end, childHist, parentHist (-1: none), recordLane

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
  /** Returns once every share has called it (between scattering rows and building histograms). */
  readonly barrier: () => void;
  /** Shared float32 arrays by id, and the objective, for the row-parallel steps. */
  readonly arrays: () => ReadonlyMap<number, Float32Array>;
  readonly objective: () => Objective | undefined;
  readonly histChunk: (id: number) => { chunk: Float64Array; base: number };
}

export function chunkOf(begin: number, end: number, share: number, threads: number): [number, number] {
  const n = end - begin;
  return [begin + Math.floor((share * n) / threads), begin + Math.floor(((share + 1) * n) / threads)];
}

/**
 * Job layouts: Mark and BuildSubtract: job[0] = task count, records from 1. ScatterBuild: the
 * scatter tasks as for Mark, then at 1 + count * scatterRecord(T) the build task count and
 * build records; every share scatters its chunks, waits for the others, then builds.
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
      job[o + MARK_FIELDS + share] = markLeft(ctx.lanes[job[o + 5]], ctx.shape, job[o + 3], lut, ctx.goLeft, b, e, positions(job[o]));
    }
    return;
  }
  if (command === Command.Gradients || command === Command.Reset || command === Command.LeafValues) {
    rowShare(ctx, command, job, share);
    return;
  }
  let buildAt = 0;
  if (command === Command.ScatterBuild) {
    const rec = scatterRecord(T);
    for (let k = 0; k < nTasks; k++) {
      const o = 1 + k * rec;
      const [b, e] = chunkOf(job[o + 2], job[o + 3], share, T);
      const at = o + SCATTER_FIELDS + 2 * share;
      const src = job[o];
      const dst = job[o + 1];
      if (dst < FIRST_INDEX_LANE) {
        scatterRows(ctx.lanes[src], ctx.lanes[dst], ctx.shape, ctx.goLeft, b, e, job[at], job[at + 1], job[o + 4] === 1);
      } else {
        scatterPositions(positions(src), ctx.indexLanes[dst - FIRST_INDEX_LANE], ctx.goLeft, b, e, job[at], job[at + 1]);
      }
    }
    buildAt = 1 + nTasks * rec;
    const nBuild = job[buildAt];
    if (nBuild === 0) return;
    ctx.barrier();
    buildShare(ctx, job, buildAt + 1, nBuild, share, positions);
    return;
  }
  buildShare(ctx, job, 1, nTasks, share, positions);
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
    buildHistogramColumns(child.chunk, child.base, ctx.lanes[job[o + 5]], ctx.shape, ctx.layout, cols, job[o + 1], job[o + 2], positions(job[o]));
    if (job[o + 4] >= 0) {
      const parent = ctx.histChunk(job[o + 4]);
      for (const c of cols) {
        subtractHistogram(parent.chunk, parent.base, child.chunk, child.base, 2 * colSlotOffset[c], 2 * slotEnd(ctx.layout, c));
      }
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
    let spins = 0;
    while (Atomics.load(ctl, generation) === gen) {
      if (Atomics.load(ctl, failed) !== 0) throw new Error('another training thread failed');
      if (++spins > 20_000) Atomics.wait(ctl, generation, gen, 10);
    }
  };
}

/**
 * Steps that are independent per row, each share taking a contiguous chunk of rows (or of each
 * leaf's positions). Job layouts (job[0] unused):
 *   Gradients:  nRows, marginsId, labelsId, weightsId (-1: none), gpairId
 *   Reset:      nRows, gpairId                     (gradient pairs into the root records)
 *   LeafValues: nLeaves, marginsId, stride, offset, then per leaf: lane, recordLane, begin, end, value (float32 bits)
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
    objective.gradients(get(job[2]).subarray(b * G, e * G), get(job[3]).subarray(b, e), w, get(job[5]).subarray(2 * b * G, 2 * e * G));
    return;
  }
  if (command === Command.Reset) {
    const [b, e] = chunkOf(0, job[1], share, T);
    const gp = get(job[2]);
    const f = ctx.lanes[0].f32;
    const R = ctx.shape.words;
    for (let i = b; i < e; i++) {
      f[i * R] = gp[2 * i];
      f[i * R + 1] = gp[2 * i + 1];
    }
    return;
  }
  const margins = get(job[2]);
  const stride = job[3];
  const offset = job[4];
  const R = ctx.shape.words;
  const bits = new Int32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let k = 0, o = 5; k < job[1]; k++, o += 5) {
    const lane = job[o];
    const words = ctx.lanes[job[o + 1]].words;
    const idx = lane >= FIRST_INDEX_LANE ? ctx.indexLanes[lane - FIRST_INDEX_LANE] : null;
    bits[0] = job[o + 4];
    const v = asFloat[0];
    const [b, e] = chunkOf(job[o + 2], job[o + 3], share, T);
    for (let i = b; i < e; i++) margins[words[(idx ? idx[i] : i) * R + ROW_WORD] * stride + offset] += v;
  }
}
