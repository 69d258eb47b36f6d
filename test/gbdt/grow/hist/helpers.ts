// Small wrappers so tests can build one node's histogram without a whole grower.
import { binMatrix, type BinnedMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { packMatrix, splitLut, type PackedMatrix } from '../../../../src/gbdt/data/packedMatrix.ts';
import { allColumns, buildHistogramColumns } from '../../../../src/gbdt/grow/hist/histogram.ts';
import { RowPartitioner } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

export interface Problem {
  readonly bm: BinnedMatrix;
  readonly pm: PackedMatrix;
  readonly part: RowPartitioner;
}

export function problem(
  data: number[] | Float64Array,
  nRows: number,
  nCols: number,
  gpair: Float32Array,
  options: { maxBin?: number; bundle?: boolean; indexModeRows?: number } = {},
): Problem {
  const bm = binMatrix(denseMatrix(Float64Array.from(data), nRows, nCols), options.maxBin ?? 256);
  const pm = packMatrix(bm, { bundle: options.bundle });
  const part = new RowPartitioner(pm, { indexModeRows: options.indexModeRows });
  part.reset(gpair);
  return { bm, pm, part };
}

export function nodeHistogram(p: Problem, nid: number): Float64Array {
  const hist = new Float64Array(p.pm.totalSlots * 2);
  buildHistogramColumns(hist, 0, p.part.lane(nid), p.part.shape, p.pm, allColumns(p.pm), p.part.begin(nid), p.part.end(nid), p.part.positions(nid));
  return hist;
}

/** Splits node nid on feature f after bin splitBin (missing follows defaultLeft). */
export function splitNode(p: Problem, nid: number, left: number, right: number, f: number, splitBin: number, defaultLeft: boolean): void {
  const lut = new Uint8Array(1024);
  const col = splitLut(p.pm, p.bm.nBins[f], f, splitBin, defaultLeft, lut);
  p.part.split(nid, left, right, col, lut);
}

export function rowsOf(p: Problem, nid: number): number[] {
  const out: number[] = [];
  for (let i = p.part.begin(nid); i < p.part.end(nid); i++) out.push(p.part.rowAt(nid, i));
  return out;
}
