// The share of a level's work one thread does: the same code runs on the main thread (share 0)
// and in each worker (shares 1..T-1), reading task records the main thread wrote into shared
// memory. Column ranges and row chunks depend only on the share index and the thread count,
// and every output element is written by exactly one share, so the result is the one a single
// thread computes.
import { buildHistogramColumns, slotEnd, subtractHistogram, type SlotLayout } from '../grow/hist/histogram.ts';
import { FIRST_INDEX_LANE, markLeft, scatterPositions, scatterRows, type Lane, type RecordShape } from '../grow/hist/rowPartitioner.ts';

export const Command = { Mark: 1, Scatter: 2, BuildSubtract: 3 } as const;
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
  readonly histChunk: (id: number) => { chunk: Float64Array; base: number };
}

export function chunkOf(begin: number, end: number, share: number, threads: number): [number, number] {
  const n = end - begin;
  return [begin + Math.floor((share * n) / threads), begin + Math.floor(((share + 1) * n) / threads)];
}

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
  } else if (command === Command.Scatter) {
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
  } else {
    const cols = ctx.columns[share];
    if (cols.length === 0) return;
    const { colSlotOffset } = ctx.layout;
    for (let k = 0; k < nTasks; k++) {
      const o = 1 + k * BUILD_FIELDS;
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
}
