// Row indices grouped by tree node: node n owns positions begin[n] .. end[n] of one of two
// buffers ("lanes"). Splitting a node moves its rows, stably (left rows first, each side in the
// original order, like XGBoost's partition builder, so histogram sums see rows in a fixed
// order), into the same positions of the other lane — no scratch copy-back.
//
// Each row's data travels with it: its gradient pair and, when the children will have
// histograms built, its whole row of bins (padded to whole 32-bit words and moved as words).
// Deep in a tree a node's rows are scattered over the matrix; keeping them contiguous makes
// histogram building read memory sequentially, which is what dominated training time in JS.
import type { BinArray, BinnedMatrix } from '../../data/binnedMatrix.ts';

export interface Lane {
  /** Original row index at each position. */
  readonly rows: Uint32Array;
  /** Interleaved (grad, hess) of the row at position i: 2i, 2i + 1. */
  readonly gpair: Float32Array;
  /** Bins of the row at position i: `bins[i * stride + f]` (valid where the node's bins moved). */
  readonly bins: BinArray;
  readonly words: Uint32Array;
}

export class RowPartitioner {
  /** Elements per row in a lane's `bins` (nCols rounded up to whole 32-bit words). */
  readonly stride: number;
  private readonly wordsPerRow: number;
  private readonly lanes: [Lane, Lane];
  private readonly source: Uint32Array;
  private readonly goLeft: Uint8Array;
  private begins = new Int32Array(64);
  private ends = new Int32Array(64);
  private laneOf = new Uint8Array(64);

  constructor(bm: BinnedMatrix) {
    const n = bm.nRows;
    const bytesPerBin = bm.bins.BYTES_PER_ELEMENT;
    this.wordsPerRow = Math.ceil((bm.nCols * bytesPerBin) / 4);
    this.stride = (this.wordsPerRow * 4) / bytesPerBin;
    const lane = (): Lane => {
      const words = new Uint32Array(n * this.wordsPerRow);
      const bins = bytesPerBin === 1 ? new Uint8Array(words.buffer) : new Uint16Array(words.buffer);
      return { rows: new Uint32Array(n), gpair: new Float32Array(2 * n), bins, words };
    };
    this.lanes = [lane(), lane()];
    // The padded original layout, copied into lane 0 at every reset.
    const padded = bytesPerBin === 1 ? new Uint8Array(n * this.wordsPerRow * 4) : new Uint16Array(n * this.wordsPerRow * 2);
    for (let r = 0; r < n; r++) padded.set(bm.bins.subarray(r * bm.nCols, (r + 1) * bm.nCols), r * this.stride);
    this.source = new Uint32Array(padded.buffer);
    this.goLeft = new Uint8Array(n);
    this.reset(new Float32Array(2 * n));
  }

  /** All rows back in the root (lane 0), in order, with this round's gradient pairs (by row). */
  reset(gpair: Float32Array): void {
    const l = this.lanes[0];
    const rows = l.rows;
    for (let i = 0; i < rows.length; i++) rows[i] = i;
    l.gpair.set(gpair);
    l.words.set(this.source);
    this.setRange(0, 0, rows.length, 0);
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

  /**
   * Moves node `nid`'s rows into `leftNid` (bin <= splitBin, or missing when defaultLeft) and
   * `rightNid`. `missingBin` is the feature's missing sentinel (its bin count). Bins are moved
   * only with `moveBins` (when the children will get histograms).
   */
  split(
    nid: number,
    leftNid: number,
    rightNid: number,
    feature: number,
    missingBin: number,
    splitBin: number,
    defaultLeft: boolean,
    moveBins = true,
  ): void {
    const b = this.begins[nid];
    const e = this.ends[nid];
    const from = this.laneOf[nid];
    const src = this.lanes[from];
    const dst = this.lanes[1 - from];
    const goLeft = this.goLeft;
    const bins = src.bins;
    const stride = this.stride;
    const missingLeft = defaultLeft ? 1 : 0;
    let nLeft = 0;
    for (let i = b; i < e; i++) {
      const bin = bins[i * stride + feature];
      const left = bin === missingBin ? missingLeft : bin <= splitBin ? 1 : 0;
      goLeft[i] = left;
      nLeft += left;
    }
    const mid = b + nLeft;
    moveRows(src, dst, goLeft, b, e, mid, moveBins ? this.wordsPerRow : 0);
    this.setRange(leftNid, b, mid, 1 - from);
    this.setRange(rightNid, mid, e, 1 - from);
  }

  private setRange(nid: number, begin: number, end: number, lane: number): void {
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
}

function moveRows(src: Lane, dst: Lane, goLeft: Uint8Array, b: number, e: number, mid: number, wordsPerRow: number): void {
  const { rows, gpair, words } = src;
  const dRows = dst.rows;
  const dGpair = dst.gpair;
  const dWords = dst.words;
  let l = b;
  let r = mid;
  for (let i = b; i < e; i++) {
    const d = goLeft[i] ? l++ : r++;
    dRows[d] = rows[i];
    dGpair[2 * d] = gpair[2 * i];
    dGpair[2 * d + 1] = gpair[2 * i + 1];
    if (wordsPerRow !== 0) {
      const s = i * wordsPerRow;
      const t = d * wordsPerRow;
      let w = 0;
      for (; w + 4 <= wordsPerRow; w += 4) {
        dWords[t + w] = words[s + w];
        dWords[t + w + 1] = words[s + w + 1];
        dWords[t + w + 2] = words[s + w + 2];
        dWords[t + w + 3] = words[s + w + 3];
      }
      for (; w < wordsPerRow; w++) dWords[t + w] = words[s + w];
    }
  }
}
