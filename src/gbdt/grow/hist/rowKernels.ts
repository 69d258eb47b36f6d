// The inner loops of growing a tree, behind one interface with two implementations: the
// JavaScript functions (histogram.ts, rowPartitioner.ts), which work on any typed arrays, and
// WebAssembly ones (wasmKernels.ts), which work on views of one WebAssembly memory and are
// 2-3x faster (SIMD pair sums, no bounds checks). Both add the same numbers in the same order,
// so a tree does not depend on which ran; one test suite runs against both.
import { addHistogram, buildHistogramColumns, subtractHistogram, type SlotLayout } from './histogram.ts';
import { loadGradients, markLeft, scatterPositions, scatterRows, splitBuiltLast, splitPositionsBuiltLast, type Lane, type RecordShape } from './rowPartitioner.ts';
import { addLeafRows, type LeafRows } from './leafValues.ts';

export interface RowKernels {
  readonly kind: 'js' | 'wasm';
  /** buildHistogramColumns for this shape and layout. */
  buildHistogram(hist: Float64Array, base: number, lane: Lane, cols: Int32Array, begin: number, end: number, idx: Uint32Array | null): void;
  /**
   * loadGradients (rows [begin, end) of `gpair` into the records at the same positions of
   * `lane`), then buildHistogram over those records, in one pass where the kernels can (the
   * WebAssembly ones need `gpair` in their memory).
   */
  buildRootHistogram(hist: Float64Array, base: number, lane: Lane, cols: Int32Array, begin: number, end: number, gpair: Float32Array): void;
  /** parent -= child over doubles [from, to) of both. */
  subtractHistogram(slab: Float64Array, parentBase: number, childSlab: Float64Array, childBase: number, from: number, to: number): void;
  /** total += part over doubles [from, to) of both. */
  addHistogram(slab: Float64Array, totalBase: number, partSlab: Float64Array, partBase: number, from: number, to: number): void;
  /** rowPartitioner.ts markLeft. */
  markLeft(lane: Lane, col: number, lut: Uint8Array, goLeft: Uint8Array, begin: number, end: number, idx: Uint32Array | null): number;
  /** rowPartitioner.ts loadGradients (the WebAssembly kernels need `gpair` in their memory). */
  loadGradients(lane: Lane, gpair: Float32Array, begin: number, end: number): void;
  /** rowPartitioner.ts scatterPositions (src null: the parent's rows are records). */
  scatterPositions(src: Uint32Array | null, dst: Uint32Array, goLeft: Uint8Array, begin: number, end: number, leftAt: number, rightAt: number): void;
  /**
   * leafValues.ts addLeafRows. The WebAssembly kernels need `margins` in their memory (the
   * executors pass other arrays to the JavaScript function instead).
   */
  addLeafRows(r: LeafRows, margins: Float32Array, stride: number, offset: number): void;
  /** rowPartitioner.ts scatterRows. */
  scatterRows(src: Lane, dst: Lane, goLeft: Uint8Array, begin: number, end: number, leftAt: number, rightAt: number): void;
  /** rowPartitioner.ts splitBuiltLast. */
  splitBuiltLast(src: Lane, dst: Lane, temp: Lane, col: number, lut: Uint8Array, built: number, begin: number, end: number): number;
  /** rowPartitioner.ts splitPositionsBuiltLast (src null: the parent's rows are records). */
  splitPositionsBuiltLast(records: Lane, src: Uint32Array | null, dst: Uint32Array, temp: Uint32Array, col: number, lut: Uint8Array, built: number, begin: number, end: number): number;
}

export function jsKernels(shape: RecordShape, layout: SlotLayout): RowKernels {
  return {
    kind: 'js',
    buildHistogram: (hist, base, lane, cols, begin, end, idx) => buildHistogramColumns(hist, base, lane, shape, layout, cols, begin, end, idx),
    buildRootHistogram: (hist, base, lane, cols, begin, end, gpair) => {
      loadGradients(lane, shape, gpair, begin, end);
      buildHistogramColumns(hist, base, lane, shape, layout, cols, begin, end, null);
    },
    subtractHistogram,
    addHistogram,
    markLeft: (lane, col, lut, goLeft, begin, end, idx) => markLeft(lane, shape, col, lut, goLeft, begin, end, idx),
    scatterPositions,
    loadGradients: (lane, gpair, begin, end) => loadGradients(lane, shape, gpair, begin, end),
    addLeafRows: (r, margins, stride, offset) => addLeafRows(r, shape, margins, stride, offset),
    scatterRows: (src, dst, goLeft, begin, end, leftAt, rightAt) => scatterRows(src, dst, shape, goLeft, begin, end, leftAt, rightAt),
    splitBuiltLast: (src, dst, temp, col, lut, built, begin, end) => splitBuiltLast(src, dst, temp, shape, col, lut, built, begin, end),
    splitPositionsBuiltLast: (records, src, dst, temp, col, lut, built, begin, end) =>
      splitPositionsBuiltLast(records, shape, src, dst, temp, col, lut, built, begin, end),
  };
}
