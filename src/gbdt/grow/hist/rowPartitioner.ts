// Row records grouped by tree node. Every row travels as one record of 32-bit words:
//   [grad (f32), hess (f32), original row index, bins of the row's columns (packed)...]
// Node n owns record positions begin[n] .. end[n] of one of three lanes: lane 0 holds the
// root (all rows in order; only the gradient words change per tree), lanes 1 and 2 take turns
// receiving the children of the nodes of the other. Splitting moves a node's records stably
// (each side in the original order, like XGBoost's partition builder, so histogram sums see
// rows in a fixed order) to the same positions of the other lane: left rows first, or, when a
// child's histogram is built next (splitBuiltLast), that child last. Which child comes first
// changes no sum.
//
// Moving whole records keeps each node's rows contiguous, so building a histogram deep in the
// tree reads memory sequentially; one record array (instead of separate row, gradient and bin
// arrays) keeps the copy to one read and two write streams.
//
// Deep in the tree moving whole records costs more than it saves: once a node has at most
// INDEX_MODE_ROWS rows, its descendants stop moving records and pass around 4-byte positions
// into the node's record range instead (lanes 3 and 4, like XGBoost's row sets). That range is
// small enough to stay in the core's cache, so gathering from it is as fast as reading a
// contiguous copy, and a level of partitioning moves 4 bytes per row instead of 24.
//
// markLeft and scatterRows work on any sub-range of a node, so threads can each take a chunk:
// counting left rows per chunk, then scattering each chunk to offsets from the counts, gives
// the same stable partition as one pass.
import type { PackedMatrix } from '../../data/packedMatrix.ts';
import { heapSource, type BufferSource, type Region } from './bufferSource.ts';
import { jsKernels, type RowKernels } from './rowKernels.ts';

/** Words before a record's bins: grad, hess, row. */
export const RECORD_HEADER = 3;
/** Where in a record the original row index is. */
export const ROW_WORD = 2;

/** Nodes with at most this many rows partition positions, not records (see above). */
export const INDEX_MODE_ROWS = 4096;

/** Lanes 0-2 hold records; 3 and 4 hold positions into a record lane. */
export const FIRST_INDEX_LANE = 3;

export type LaneBins = Uint8Array | Uint16Array;

export interface Lane {
  /** Records as words (for moving and row indices). */
  readonly words: Uint32Array;
  /** The same memory as float64, used only to move records two words at a time. */
  readonly f64: Float64Array;
  /** The same memory as float32 (gradient pairs at 0 and 1 of each record). */
  readonly f32: Float32Array;
  /** The same memory as bins: column c of the record at position i is bins[i * binStride + binBase + c]. */
  readonly bins: LaneBins;
}

/** Shape of a record, shared by every kernel. */
export interface RecordShape {
  /** Words per record. */
  readonly words: number;
  /** Bin elements per record, and the element where its bins start. */
  readonly binStride: number;
  readonly binBase: number;
}

export function recordShape(pm: PackedMatrix): RecordShape {
  const words = RECORD_HEADER + pm.wordsPerRow;
  const per = 4 / pm.bytesPerBin;
  return { words, binStride: words * per, binBase: RECORD_HEADER * per };
}

/**
 * Whether moving words through a Float64Array keeps every bit, NaN payloads included (V8 does
 * not canonicalise NaNs stored to typed arrays). Checked once, with signalling-NaN patterns;
 * if a runtime ever changed that, records are moved as 32-bit words instead.
 */
const COPY_AS_FLOAT64 = (() => {
  const words = Uint32Array.of(1, 0x7ff00000, 0xffffffff, 0xfff7ffff, 0x00000005, 0x7ff80000, 0xdeadbeef, 0x7ff4cafe);
  const from = new Float64Array(words.buffer);
  const to = new Float64Array(from.length);
  for (let round = 0; round < 3; round++) for (let i = 0; i < from.length; i++) to[i] = from[i];
  const back = new Uint32Array(to.buffer);
  return back.every((w, i) => w === words[i]);
})();

/** A lane over a region (8-byte aligned). */
export function makeLane(region: Region, bytesPerBin: 1 | 2): Lane {
  const { buffer, byteOffset: at, byteLength: bytes } = region;
  return {
    words: new Uint32Array(buffer, at, bytes >> 2),
    f64: new Float64Array(buffer, at, bytes >> 3),
    f32: new Float32Array(buffer, at, bytes >> 2),
    bins: bytesPerBin === 1 ? new Uint8Array(buffer, at, bytes) : new Uint16Array(buffer, at, bytes >> 1),
  };
}

/**
 * goLeft[i] = lut[bin in column col of the record at position i (or at position idx[i])] for i
 * in [begin, end); returns how many go left.
 */
export function markLeft(
  lane: Lane,
  shape: RecordShape,
  col: number,
  lut: Uint8Array,
  goLeft: Uint8Array,
  begin: number,
  end: number,
  idx: Uint32Array | null = null,
): number {
  const bins = lane.bins;
  const stride = shape.binStride;
  const at0 = shape.binBase + col;
  let nLeft = 0;
  if (idx) {
    for (let i = begin; i < end; i++) {
      const l = lut[bins[idx[i] * stride + at0]];
      goLeft[i] = l;
      nLeft += l;
    }
    return nLeft;
  }
  for (let i = begin, at = begin * stride + at0; i < end; i++, at += stride) {
    const l = lut[bins[at]];
    goLeft[i] = l;
    nLeft += l;
  }
  return nLeft;
}

/**
 * Index-mode scatter: positions [begin, end) go to `dst` (left from leftAt, right from
 * rightAt); each entry is src[i], or i itself when the parent's rows are records (src null).
 */
export function scatterPositions(
  src: Uint32Array | null,
  dst: Uint32Array,
  goLeft: Uint8Array,
  begin: number,
  end: number,
  leftAt: number,
  rightAt: number,
): void {
  let l = leftAt;
  let r = rightAt;
  for (let i = begin; i < end; i++) {
    const gl = goLeft[i];
    dst[r + gl * (l - r)] = src ? src[i] : i;
    l += gl;
    r += 1 - gl;
  }
}

/**
 * Moves records [begin, end) of `src` to `dst`: left ones from `leftAt` on, right ones from
 * `rightAt`.
 */
export function scatterRows(
  src: Lane,
  dst: Lane,
  shape: RecordShape,
  goLeft: Uint8Array,
  begin: number,
  end: number,
  leftAt: number,
  rightAt: number,
): void {
  const s = src.words;
  const t = dst.words;
  const R = shape.words;
  // Branch-free: which side a row goes is a coin flip near the root, and a mispredicted
  // branch per row cost more than the copying itself (measured on the loan-default data).
  let l = leftAt;
  let r = rightAt;
  if (R === 6 && COPY_AS_FLOAT64) {
    // The loan-default shape (header + 12 one-byte columns): three float64 moves per record
    // instead of six 32-bit ones. Unrolled because it is the hot case.
    const s8 = src.f64;
    const t8 = dst.f64;
    for (let i = begin; i < end; i++) {
      const gl = goLeft[i];
      const d = (r + gl * (l - r)) * 3;
      l += gl;
      r += 1 - gl;
      const a = i * 3;
      t8[d] = s8[a];
      t8[d + 1] = s8[a + 1];
      t8[d + 2] = s8[a + 2];
    }
    return;
  }
  for (let i = begin; i < end; i++) {
    const gl = goLeft[i];
    const d = (r + gl * (l - r)) * R;
    l += gl;
    r += 1 - gl;
    const a = i * R;
    for (let w = 0; w < R; w++) t[d + w] = s[a + w];
  }
}

/** Gradient pairs of rows [begin, end) (by row) into the root records at the same positions. */
export function loadGradients(root: Lane, shape: RecordShape, gpair: Float32Array, begin: number, end: number): void {
  const f = root.f32;
  const R = shape.words;
  for (let i = begin; i < end; i++) {
    f[i * R] = gpair[2 * i];
    f[i * R + 1] = gpair[2 * i + 1];
  }
}

/**
 * One pass over records [begin, end) of `src` for a split whose child `built` (1: left, 0:
 * right, by `lut`) will have its histogram built: the other child's records go to `dst` from
 * `begin` on, the built child's to `temp` from 0, then after them in `dst`. Returns how many
 * went to the built child. Each child keeps its rows in order; only which child comes first in
 * the parent's range differs from markLeft + scatterRows, which makes no sum differ. Saves
 * the counting pass over the records (and the goLeft bytes): the count is only needed to place
 * the child that is copied last. `temp` must hold end - begin + 1 records.
 */
export function splitBuiltLast(
  src: Lane,
  dst: Lane,
  temp: Lane,
  shape: RecordShape,
  col: number,
  lut: Uint8Array,
  built: number,
  begin: number,
  end: number,
): number {
  const R = shape.words;
  const stride = shape.binStride;
  const at0 = shape.binBase + col;
  const bins = src.bins;
  const flip = 1 - built;
  let o = begin;
  let t = 0;
  // Branch-free: every record is written to both places and only one cursor advances (the
  // side a row takes is a coin flip near the root; see scatterRows).
  if (R === 6 && COPY_AS_FLOAT64) {
    const s8 = src.f64;
    const d8 = dst.f64;
    const t8 = temp.f64;
    for (let i = begin, at = begin * stride + at0; i < end; i++, at += stride) {
      const toBuilt = lut[bins[at]] ^ flip;
      const a = i * 3;
      const v0 = s8[a];
      const v1 = s8[a + 1];
      const v2 = s8[a + 2];
      const d = o * 3;
      d8[d] = v0;
      d8[d + 1] = v1;
      d8[d + 2] = v2;
      const u = t * 3;
      t8[u] = v0;
      t8[u + 1] = v1;
      t8[u + 2] = v2;
      o += 1 - toBuilt;
      t += toBuilt;
    }
    d8.set(t8.subarray(0, t * 3), o * 3);
    return t;
  }
  const sw = src.words;
  const dw = dst.words;
  const tw = temp.words;
  for (let i = begin, at = begin * stride + at0; i < end; i++, at += stride) {
    const toBuilt = lut[bins[at]] ^ flip;
    const a = i * R;
    const d = o * R;
    const u = t * R;
    for (let w = 0; w < R; w++) {
      const v = sw[a + w];
      dw[d + w] = v;
      tw[u + w] = v;
    }
    o += 1 - toBuilt;
    t += toBuilt;
  }
  dw.set(tw.subarray(0, t * R), o * R);
  return t;
}

/**
 * splitBuiltLast for positions (index mode): the positions [begin, end) of `src` (or the record
 * positions begin..end-1 themselves when `src` is null) into records of `records`; the other
 * child's go to `dst` from `begin` on, the built child's to `temp` from 0 and then after them.
 * Returns how many went to the built child. One pass instead of markLeft + scatterPositions:
 * no goLeft bytes, and each position is gathered once (`temp` holds end - begin entries).
 */
export function splitPositionsBuiltLast(
  records: Lane,
  shape: RecordShape,
  src: Uint32Array | null,
  dst: Uint32Array,
  temp: Uint32Array,
  col: number,
  lut: Uint8Array,
  built: number,
  begin: number,
  end: number,
): number {
  const bins = records.bins;
  const stride = shape.binStride;
  const at0 = shape.binBase + col;
  const flip = 1 - built;
  let o = begin;
  let t = 0;
  // Branch-free, as splitBuiltLast: both places written, one cursor advanced.
  for (let i = begin; i < end; i++) {
    const p = src ? src[i] : i;
    const toBuilt = lut[bins[p * stride + at0]] ^ flip;
    dst[o] = p;
    temp[t] = p;
    o += 1 - toBuilt;
    t += toBuilt;
  }
  dst.set(temp.subarray(0, t), o);
  return t;
}

/** A thread-local scratch lane for splitBuiltLast (and positions for splitPositionsBuiltLast), grown on demand. */
export class TempLane {
  private lane: Lane | undefined;
  private records = 0;

  constructor(
    private readonly shape: RecordShape,
    private readonly bytesPerBin: 1 | 2,
    private readonly source: BufferSource = heapSource(false),
  ) {}

  for(records: number): Lane {
    if (!this.lane || this.records < records + 1) {
      this.records = Math.max(records + 1, Math.ceil(this.records * 1.5));
      this.lane = makeLane(this.source.alloc(this.records * this.shape.words * 4), this.bytesPerBin);
    }
    return this.lane;
  }

  /** Scratch positions for splitPositionsBuiltLast (the same memory as `for`'s records). */
  positions(entries: number): Uint32Array {
    return this.for(Math.ceil(entries / this.shape.words)).words;
  }
}

export interface RowPartitionerOptions {
  /** Where the lanes are allocated (default: the heap, not shared). */
  readonly source?: BufferSource;
  /** Kernels that can work on buffers from `source` (default: JavaScript). */
  readonly kernels?: RowKernels;
  /** See INDEX_MODE_ROWS (0: always move records). */
  readonly indexModeRows?: number;
}

export class RowPartitioner {
  readonly shape: RecordShape;
  /** 0: the root (all rows in order); 1 and 2: working lanes. */
  readonly lanes: readonly [Lane, Lane, Lane];
  /** Lanes 3 and 4: positions into a record lane, for nodes in index mode. */
  readonly indexLanes: readonly [Uint32Array, Uint32Array];
  readonly goLeft: Uint8Array;
  readonly nRows: number;
  private begins = new Int32Array(64);
  private ends = new Int32Array(64);
  private laneOf = new Uint8Array(64);
  private recOf = new Uint8Array(64);

  /** The loops that mark and move rows (and build histograms), for this thread. */
  readonly kernels: RowKernels;
  private readonly indexModeRows: number;
  private readonly source: BufferSource;
  private readonly bytesPerBin: 1 | 2;

  constructor(pm: PackedMatrix, options: RowPartitionerOptions = {}) {
    const n = pm.nRows;
    this.nRows = n;
    this.shape = recordShape(pm);
    this.bytesPerBin = pm.bytesPerBin;
    this.indexModeRows = options.indexModeRows ?? INDEX_MODE_ROWS;
    this.kernels = options.kernels ?? jsKernels(this.shape, pm);
    const source = (this.source = options.source ?? heapSource(false));
    const R = this.shape.words;
    const lanes = [0, 1, 2].map(() => makeLane(source.alloc(n * R * 4), pm.bytesPerBin));
    this.lanes = [lanes[0], lanes[1], lanes[2]];
    const root = lanes[0].words;
    const W = pm.wordsPerRow;
    for (let i = 0; i < n; i++) {
      root[i * R + ROW_WORD] = i;
      for (let w = 0; w < W; w++) root[i * R + RECORD_HEADER + w] = pm.words[i * W + w];
    }
    const positions = () => {
      const r = source.alloc(n * 4);
      return new Uint32Array(r.buffer, r.byteOffset, n);
    };
    this.indexLanes = [positions(), positions()];
    const g = source.alloc(n);
    this.goLeft = new Uint8Array(g.buffer, g.byteOffset, n);
    this.setRange(0, 0, n, 0, 0);
  }

  /** Scratch records for splitForBuild on this thread, from the lanes' source. */
  tempLane(): TempLane {
    return new TempLane(this.shape, this.bytesPerBin, this.source);
  }

  /**
   * All rows back in the root, with this round's gradient pairs (by row); `copy` false when
   * the caller has put them into the root records already (worker threads do, in parallel).
   */
  reset(gpair: Float32Array, copy = true): void {
    if (copy) loadGradients(this.lanes[0], this.shape, gpair, 0, this.nRows);
    this.setRange(0, 0, this.nRows, 0, 0);
  }

  /** Lane of the node's rows: 0-2 records, 3-4 positions. */
  laneIndex(nid: number): number {
    return this.laneOf[nid];
  }

  /** The record lane holding the node's records (its own lane, or the one its positions index). */
  recordLaneIndex(nid: number): number {
    return this.recOf[nid];
  }

  lane(nid: number): Lane {
    return this.lanes[this.recOf[nid]];
  }

  /** The node's positions into lane(nid), or null when its records are contiguous. */
  positions(nid: number): Uint32Array | null {
    const l = this.laneOf[nid];
    return l >= FIRST_INDEX_LANE ? this.indexLanes[l - FIRST_INDEX_LANE] : null;
  }

  begin(nid: number): number {
    return this.begins[nid];
  }

  end(nid: number): number {
    return this.ends[nid];
  }

  size(nid: number): number {
    return this.ends[nid] - this.begins[nid];
  }

  /** Original index of the row at position i of node nid's lane. */
  rowAt(nid: number, i: number): number {
    const idx = this.positions(nid);
    return this.lane(nid).words[(idx ? idx[i] : i) * this.shape.words + ROW_WORD];
  }

  /** The lane a node's children are written to. */
  childLane(nid: number): number {
    const l = this.laneOf[nid];
    if (l >= FIRST_INDEX_LANE) return l === FIRST_INDEX_LANE ? FIRST_INDEX_LANE + 1 : FIRST_INDEX_LANE;
    if (this.size(nid) <= this.indexModeRows) return FIRST_INDEX_LANE;
    return l === 1 ? 2 : 1;
  }

  /** The record lane a node's children's records are in. */
  childRecordLane(nid: number): number {
    const to = this.childLane(nid);
    return to >= FIRST_INDEX_LANE ? this.recOf[nid] : to;
  }

  /** Records where a node's rows are (after its parent's rows were scattered). */
  setRange(nid: number, begin: number, end: number, lane: number, recordLane: number): void {
    if (nid >= this.begins.length) {
      const cap = Math.max(nid + 1, this.begins.length * 2);
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.begins = grow(this.begins, new Int32Array(cap));
      this.ends = grow(this.ends, new Int32Array(cap));
      this.laneOf = grow(this.laneOf, new Uint8Array(cap));
      this.recOf = grow(this.recOf, new Uint8Array(cap));
    }
    this.begins[nid] = begin;
    this.ends[nid] = end;
    this.laneOf[nid] = lane;
    this.recOf[nid] = recordLane;
  }

  /** Moves chunk [b, e) of node nid (goLeft already marked) to its children's lane. */
  scatterChunk(nid: number, b: number, e: number, leftAt: number, rightAt: number): void {
    const to = this.childLane(nid);
    if (to < FIRST_INDEX_LANE) {
      this.kernels.scatterRows(this.lanes[this.laneOf[nid]], this.lanes[to], this.goLeft, b, e, leftAt, rightAt);
    } else {
      this.kernels.scatterPositions(this.positions(nid), this.indexLanes[to - FIRST_INDEX_LANE], this.goLeft, b, e, leftAt, rightAt);
    }
  }

  /**
   * One-pass split of node `nid` into `leftNid` / `rightNid`: rows whose value in column `col`
   * maps to 1 in `lut` go left.
   */
  split(nid: number, leftNid: number, rightNid: number, col: number, lut: Uint8Array): void {
    const b = this.begins[nid];
    const e = this.ends[nid];
    const nLeft = this.kernels.markLeft(this.lane(nid), col, lut, this.goLeft, b, e, this.positions(nid));
    this.scatterChunk(nid, b, e, b, b + nLeft);
    this.setChildren(nid, leftNid, rightNid, b + nLeft);
  }

  /**
   * Like split, for a split whose child `builtNid` gets its histogram built next: one pass
   * (splitBuiltLast, or splitPositionsBuiltLast for positions) that puts the built child
   * last. Returns nothing; the children's ranges are set either way.
   */
  splitForBuild(nid: number, leftNid: number, rightNid: number, builtNid: number, col: number, lut: Uint8Array, temp: TempLane): void {
    const to = this.childLane(nid);
    const b = this.begins[nid];
    const e = this.ends[nid];
    const built = builtNid === leftNid ? 1 : 0;
    const n =
      to >= FIRST_INDEX_LANE
        ? this.kernels.splitPositionsBuiltLast(this.lane(nid), this.positions(nid), this.indexLanes[to - FIRST_INDEX_LANE], temp.positions(e - b), col, lut, built, b, e)
        : this.kernels.splitBuiltLast(this.lanes[this.laneOf[nid]], this.lanes[to], temp.for(e - b), col, lut, built, b, e);
    const other = built ? rightNid : leftNid;
    this.setChildren(nid, other, builtNid, e - n);
  }

  /** Records the children's ranges once the parent's rows are scattered (the first one's first). */
  setChildren(nid: number, firstNid: number, secondNid: number, mid: number): void {
    const to = this.childLane(nid);
    const rec = this.childRecordLane(nid);
    this.setRange(firstNid, this.begins[nid], mid, to, rec);
    this.setRange(secondNid, mid, this.ends[nid], to, rec);
  }
}
