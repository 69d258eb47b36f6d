// Adding a finished tree's leaf values to the training margins through the partitioner's row
// sets (no re-prediction). A split whose two children are both leaves is never partitioned:
// its rows stay in the parent's range and take the left or right value by the split column,
// which saves moving them just to read them once more here.
import { ROW_WORD, type Lane, type RecordShape } from './rowPartitioner.ts';

/** Rows of a leaf, or of a split into two leaves (the rows whose column `col` maps to 1 in `lut` go left). */
export interface LeafRows {
  readonly lane: Lane;
  /** Positions into the lane's records, or null when the rows are records begin..end. */
  readonly idx: Uint32Array | null;
  readonly begin: number;
  readonly end: number;
  readonly value: number;
  /** -1: one leaf; else the split column, with lut and the right leaf's value. */
  readonly col: number;
  readonly lut?: Uint8Array;
  readonly rightValue: number;
}

/** One per thread (each isolate has its own): the right and the left leaf's value. */
const leafPair = new Float64Array(2);

/** margins[row * stride + offset] += the value of the leaf each row of `r` is in. */
export function addLeafRows(r: LeafRows, shape: RecordShape, margins: Float32Array, stride: number, offset: number): void {
  const { words, bins } = r.lane;
  const { idx, value } = r;
  const R = shape.words;
  if (r.col < 0) {
    if (idx) for (let i = r.begin; i < r.end; i++) margins[words[idx[i] * R + ROW_WORD] * stride + offset] += value;
    else for (let i = r.begin, at = r.begin * R + ROW_WORD; i < r.end; i++, at += R) margins[words[at] * stride + offset] += value;
    return;
  }
  const lut = r.lut!;
  const at0 = shape.binBase + r.col;
  const binStride = shape.binStride;
  // Indexed by the lut's 0/1 rather than a branch: which leaf a row is in is a coin flip.
  const values = leafPair;
  values[0] = r.rightValue;
  values[1] = value;
  if (idx) {
    for (let i = r.begin; i < r.end; i++) {
      const p = idx[i];
      margins[words[p * R + ROW_WORD] * stride + offset] += values[lut[bins[p * binStride + at0]]];
    }
    return;
  }
  for (let i = r.begin; i < r.end; i++) margins[words[i * R + ROW_WORD] * stride + offset] += values[lut[bins[i * binStride + at0]]];
}
