// Row records grouped by tree node. Every row travels as one record of 32-bit words:
//   [grad (f32), hess (f32), original row index, bins of the row's columns (packed)...]
// Node n owns record positions begin[n] .. end[n] of one of three lanes: lane 0 holds the
// root (all rows in order; only the gradient words change per tree), lanes 1 and 2 take turns
// receiving the children of the nodes of the other. Splitting moves a node's records stably
// (left rows first, each side in the original order, like XGBoost's partition builder, so
// histogram sums see rows in a fixed order) to the same positions of the other lane.
//
// Moving whole records keeps each node's rows contiguous, so building a histogram deep in the
// tree reads memory sequentially; one record array (instead of separate row, gradient and bin
// arrays) keeps the copy to one read and two write streams.
//
// The kernels (markLeft, scatterRows) work on any sub-range of a node, so threads can each
// take a chunk: counting left rows per chunk, then scattering each chunk to offsets from the
// counts, gives the same stable partition as one pass.
import type { PackedMatrix } from '../../data/packedMatrix.ts';

/** Words before a record's bins: grad, hess, row. */
export const RECORD_HEADER = 3;

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

export function makeLane(buffer: ArrayBuffer | SharedArrayBuffer, bytesPerBin: 1 | 2): Lane {
  return {
    words: new Uint32Array(buffer),
    f64: new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8)),
    f32: new Float32Array(buffer),
    bins: bytesPerBin === 1 ? new Uint8Array(buffer) : new Uint16Array(buffer),
  };
}

/** goLeft[i] = lut[bin of record i in column col] for i in [begin, end); returns how many go left. */
export function markLeft(lane: Lane, shape: RecordShape, col: number, lut: Uint8Array, goLeft: Uint8Array, begin: number, end: number): number {
  const bins = lane.bins;
  const stride = shape.binStride;
  let nLeft = 0;
  for (let i = begin, at = begin * stride + shape.binBase + col; i < end; i++, at += stride) {
    const l = lut[bins[at]];
    goLeft[i] = l;
    nLeft += l;
  }
  return nLeft;
}

/**
 * Moves records [begin, end) of `src` to `dst`: left ones from `leftAt` on, right ones from
 * `rightAt`. Without `moveBins` only the header words move (the children will not be split).
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
  moveBins: boolean,
): void {
  const s = src.words;
  const t = dst.words;
  const R = shape.words;
  const n = moveBins ? R : RECORD_HEADER;
  // Branch-free: which side a row goes is a coin flip near the root, and a mispredicted
  // branch per row cost more than the copying itself (measured on the loan-default data).
  let l = leftAt;
  let r = rightAt;
  if (n === 6 && COPY_AS_FLOAT64) {
    // The loan-default shape (header + 11 one-byte columns): three float64 moves per record
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
  if (n === 3) {
    for (let i = begin; i < end; i++) {
      const gl = goLeft[i];
      const d = (r + gl * (l - r)) * R;
      l += gl;
      r += 1 - gl;
      const a = i * R;
      t[d] = s[a];
      t[d + 1] = s[a + 1];
      t[d + 2] = s[a + 2];
    }
    return;
  }
  for (let i = begin; i < end; i++) {
    const gl = goLeft[i];
    const d = (r + gl * (l - r)) * R;
    l += gl;
    r += 1 - gl;
    const a = i * R;
    for (let w = 0; w < n; w++) t[d + w] = s[a + w];
  }
}

export class RowPartitioner {
  readonly shape: RecordShape;
  /** 0: the root (all rows in order); 1 and 2: working lanes. */
  readonly lanes: readonly [Lane, Lane, Lane];
  readonly goLeft: Uint8Array;
  readonly nRows: number;
  private begins = new Int32Array(64);
  private ends = new Int32Array(64);
  private laneOf = new Uint8Array(64);

  constructor(pm: PackedMatrix, shared = false) {
    const n = pm.nRows;
    this.nRows = n;
    this.shape = recordShape(pm);
    const R = this.shape.words;
    const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const lanes = [0, 1, 2].map(() => makeLane(alloc(n * R * 4), pm.bytesPerBin));
    this.lanes = [lanes[0], lanes[1], lanes[2]];
    const root = lanes[0].words;
    const W = pm.wordsPerRow;
    for (let i = 0; i < n; i++) {
      root[i * R + 2] = i;
      for (let w = 0; w < W; w++) root[i * R + RECORD_HEADER + w] = pm.words[i * W + w];
    }
    this.goLeft = new Uint8Array(alloc(n));
    this.setRange(0, 0, n, 0);
  }

  /** All rows back in the root, with this round's gradient pairs (by row). */
  reset(gpair: Float32Array): void {
    const f = this.lanes[0].f32;
    const R = this.shape.words;
    for (let i = 0, n = this.nRows; i < n; i++) {
      f[i * R] = gpair[2 * i];
      f[i * R + 1] = gpair[2 * i + 1];
    }
    this.setRange(0, 0, this.nRows, 0);
  }

  laneIndex(nid: number): number {
    return this.laneOf[nid];
  }

  lane(nid: number): Lane {
    return this.lanes[this.laneOf[nid]];
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
    return this.lane(nid).words[i * this.shape.words + 2];
  }

  /** The lane a node's children are written to. */
  childLane(nid: number): number {
    return this.laneOf[nid] === 1 ? 2 : 1;
  }

  /** Records where a node's rows are (after its parent's rows were scattered). */
  setRange(nid: number, begin: number, end: number, lane: number): void {
    if (nid >= this.begins.length) {
      const cap = Math.max(nid + 1, this.begins.length * 2);
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.begins = grow(this.begins, new Int32Array(cap));
      this.ends = grow(this.ends, new Int32Array(cap));
      this.laneOf = grow(this.laneOf, new Uint8Array(cap));
    }
    this.begins[nid] = begin;
    this.ends[nid] = end;
    this.laneOf[nid] = lane;
  }

  /**
   * One-pass split of node `nid` into `leftNid` / `rightNid`: rows whose value in column `col`
   * maps to 1 in `lut` go left. Bins are moved only with `moveBins`.
   */
  split(nid: number, leftNid: number, rightNid: number, col: number, lut: Uint8Array, moveBins = true): void {
    const b = this.begins[nid];
    const e = this.ends[nid];
    const src = this.lane(nid);
    const to = this.childLane(nid);
    const nLeft = markLeft(src, this.shape, col, lut, this.goLeft, b, e);
    scatterRows(src, this.lanes[to], this.shape, this.goLeft, b, e, b, b + nLeft, moveBins);
    this.setRange(leftNid, b, b + nLeft, to);
    this.setRange(rightNid, b + nLeft, e, to);
  }
}
