// Row indices grouped by tree node: node n owns positions begin[n] .. end[n]. Splitting a node
// partitions its range in place and stably (left rows first, each side in the original order),
// like XGBoost's partition builder, so histogram sums see rows in a fixed order.
//
// Each row's data travels with it: its gradient pair and its whole row of bins (padded to a
// multiple of 4 bytes and moved as 32-bit words). Deep in a tree a node's rows are scattered
// over the matrix; keeping them contiguous makes histogram building and the next partition
// read memory sequentially, which is what dominated training time in JS.
import type { BinArray, BinnedMatrix } from '../../data/binnedMatrix.ts';

export class RowPartitioner {
  /** Original row index at each position. */
  readonly rows: Uint32Array;
  /** Interleaved (grad, hess) of the row at position i: 2i, 2i + 1. */
  readonly gpair: Float32Array;
  /** Bins of the row at position i: `bins[i * stride + f]` (same element type as the matrix). */
  readonly bins: BinArray;
  /** Elements per row in `bins` (nCols rounded up to whole 32-bit words). */
  readonly stride: number;
  private readonly words: Uint32Array;
  private readonly wordsPerRow: number;
  private readonly source: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly scratchGpair: Float32Array;
  private readonly scratchWords: Uint32Array;
  private begins = new Int32Array(64);
  private ends = new Int32Array(64);

  constructor(bm: BinnedMatrix) {
    const n = bm.nRows;
    const bytesPerBin = bm.bins.BYTES_PER_ELEMENT;
    this.wordsPerRow = Math.ceil((bm.nCols * bytesPerBin) / 4);
    this.stride = (this.wordsPerRow * 4) / bytesPerBin;
    this.words = new Uint32Array(n * this.wordsPerRow);
    this.bins = bytesPerBin === 1 ? new Uint8Array(this.words.buffer) : new Uint16Array(this.words.buffer);
    // The padded original layout, copied back at every reset.
    const padded = bytesPerBin === 1 ? new Uint8Array(this.words.length * 4) : new Uint16Array(this.words.length * 2);
    for (let r = 0; r < n; r++) padded.set(bm.bins.subarray(r * bm.nCols, (r + 1) * bm.nCols), r * this.stride);
    this.source = new Uint32Array(padded.buffer);
    this.rows = new Uint32Array(n);
    this.gpair = new Float32Array(2 * n);
    this.scratch = new Uint32Array(n);
    this.scratchGpair = new Float32Array(2 * n);
    this.scratchWords = new Uint32Array(n * this.wordsPerRow);
    this.reset(this.gpair);
  }

  /** All rows back in the root, in order, with this round's gradient pairs (indexed by row). */
  reset(gpair: Float32Array): void {
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) rows[i] = i;
    if (gpair !== this.gpair) this.gpair.set(gpair);
    this.words.set(this.source);
    this.setRange(0, 0, rows.length);
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
   * Moves node `nid`'s rows into `leftNid` (bin <= splitBin, or missing when defaultLeft)
   * and `rightNid`. `missingBin` is the feature's missing sentinel (its bin count).
   */
  split(
    nid: number,
    leftNid: number,
    rightNid: number,
    feature: number,
    missingBin: number,
    splitBin: number,
    defaultLeft: boolean,
  ): void {
    const b = this.begins[nid];
    const e = this.ends[nid];
    const { rows, gpair, words, bins, stride, wordsPerRow, scratch, scratchGpair, scratchWords } = this;
    const missingLeft = defaultLeft ? 1 : 0;
    let nLeft = 0;
    let nRight = 0;
    // Branch-free: each row is written to both destinations and only one cursor advances,
    // because the outcome is unpredictable and mispredicted branches dominated this loop.
    for (let i = b; i < e; i++) {
      const bin = bins[i * stride + feature];
      const goLeft = bin === missingBin ? missingLeft : bin <= splitBin ? 1 : 0;
      const l = b + nLeft;
      const r = rows[i];
      const g = gpair[2 * i];
      const h = gpair[2 * i + 1];
      rows[l] = r;
      gpair[2 * l] = g;
      gpair[2 * l + 1] = h;
      scratch[nRight] = r;
      scratchGpair[2 * nRight] = g;
      scratchGpair[2 * nRight + 1] = h;
      const src = i * wordsPerRow;
      const dl = l * wordsPerRow;
      const dr = nRight * wordsPerRow;
      for (let w = 0; w < wordsPerRow; w++) {
        const v = words[src + w];
        words[dl + w] = v;
        scratchWords[dr + w] = v;
      }
      nLeft += goLeft;
      nRight += 1 - goLeft;
    }
    const mid = b + nLeft;
    rows.set(scratch.subarray(0, nRight), mid);
    gpair.set(scratchGpair.subarray(0, 2 * nRight), 2 * mid);
    words.set(scratchWords.subarray(0, nRight * wordsPerRow), mid * wordsPerRow);
    this.setRange(leftNid, b, mid);
    this.setRange(rightNid, mid, e);
  }

  private setRange(nid: number, begin: number, end: number): void {
    if (nid >= this.begins.length) {
      const cap = Math.max(nid + 1, this.begins.length * 2);
      const nb = new Int32Array(cap);
      nb.set(this.begins);
      const ne = new Int32Array(cap);
      ne.set(this.ends);
      this.begins = nb;
      this.ends = ne;
    }
    this.begins[nid] = begin;
    this.ends[nid] = end;
  }
}
