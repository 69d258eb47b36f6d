// The inner loops of growing a tree, behind one interface with two implementations: the
// JavaScript functions (histogram.ts, rowPartitioner.ts), which work on any typed arrays, and
// WebAssembly ones (wasmKernels.ts), which work on views of one WebAssembly memory and are
// 2-3x faster (SIMD pair sums, no bounds checks). Both add the same numbers in the same order,
// so a tree does not depend on which ran; one test suite runs against both.
import { addHistogram, buildHistogramColumns, subtractHistogram, type SlotLayout } from './histogram.ts';
import { markLeft, scatterRows, splitBuiltLast, type Lane, type RecordShape } from './rowPartitioner.ts';

export interface RowKernels {
  readonly kind: 'js' | 'wasm';
  /** buildHistogramColumns for this shape and layout. */
  buildHistogram(hist: Float64Array, base: number, lane: Lane, cols: Int32Array, begin: number, end: number, idx: Uint32Array | null): void;
  /** parent -= child over doubles [from, to) of both. */
  subtractHistogram(slab: Float64Array, parentBase: number, childSlab: Float64Array, childBase: number, from: number, to: number): void;
  /** total += part over doubles [from, to) of both. */
  addHistogram(slab: Float64Array, totalBase: number, partSlab: Float64Array, partBase: number, from: number, to: number): void;
  /** rowPartitioner.ts markLeft. */
  markLeft(lane: Lane, col: number, lut: Uint8Array, goLeft: Uint8Array, begin: number, end: number, idx: Uint32Array | null): number;
  /** rowPartitioner.ts scatterRows. */
  scatterRows(src: Lane, dst: Lane, goLeft: Uint8Array, begin: number, end: number, leftAt: number, rightAt: number): void;
  /** rowPartitioner.ts splitBuiltLast. */
  splitBuiltLast(src: Lane, dst: Lane, temp: Lane, col: number, lut: Uint8Array, built: number, begin: number, end: number): number;
}

export function jsKernels(shape: RecordShape, layout: SlotLayout): RowKernels {
  return {
    kind: 'js',
    buildHistogram: (hist, base, lane, cols, begin, end, idx) => buildHistogramColumns(hist, base, lane, shape, layout, cols, begin, end, idx),
    subtractHistogram,
    addHistogram,
    markLeft: (lane, col, lut, goLeft, begin, end, idx) => markLeft(lane, shape, col, lut, goLeft, begin, end, idx),
    scatterRows: (src, dst, goLeft, begin, end, leftAt, rightAt) => scatterRows(src, dst, shape, goLeft, begin, end, leftAt, rightAt),
    splitBuiltLast: (src, dst, temp, col, lut, built, begin, end) => splitBuiltLast(src, dst, temp, shape, col, lut, built, begin, end),
  };
}
