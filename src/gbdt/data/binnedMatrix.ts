// The training matrix as bin indices, row-major, one byte per value when every feature's
// bins (plus the missing sentinel, for features that have missing values) fit in 256 values,
// otherwise two bytes. Feature f's missing sentinel is its bin count, so a histogram can give
// every feature one extra slot for missing rows and the build loop needs no branch. With
// max_bin 256 a complete feature can have 256 bins, which still fits a byte as long as it has
// no NaN. The grower re-stores this as a packed matrix (packedMatrix.ts).
import { isColumnMatrix, type TrainingMatrix } from './columnMatrix.ts';
import { forEachColumn } from '../common/columnBlocks.ts';
import { buildQuantileCuts, searchBin, type QuantileCuts } from '../common/quantileCuts.ts';

export type BinArray = Uint8Array | Uint16Array;

export interface BinnedMatrix {
  readonly nRows: number;
  readonly nCols: number;
  /** `bins[r * nCols + f]`: bin of row r in feature f, or `nBins[f]` when missing. */
  readonly bins: BinArray;
  readonly cuts: QuantileCuts;
  /** Bins per feature; also feature f's missing sentinel. */
  readonly nBins: Uint32Array;
  /** Per feature: 1 if some training row lacks it. */
  readonly featureHasMissing: Uint8Array;
  readonly hasMissing: boolean;
}

/** `weights`: sample weights for the quantile sketch (XGBoost's hist sketch is weighted). */
export function binMatrix(m: TrainingMatrix, maxBin: number, weights?: Float32Array): BinnedMatrix {
  // The cuts' pass over every value also finds the features with missing values.
  const missing = new Uint8Array(m.nCols);
  return binWithCuts(m, buildQuantileCuts(m, maxBin, weights, missing), missing);
}

/** `missingIn`: per feature 1 if it has a missing value, when known (else the matrix is scanned). */
export function binWithCuts(m: TrainingMatrix, cuts: QuantileCuts, missingIn: Uint8Array = featuresWithMissing(m)): BinnedMatrix {
  const { nRows, nCols } = m;
  const nBins = new Uint32Array(nCols);
  let widest = 0;
  for (let f = 0; f < nCols; f++) {
    nBins[f] = cuts.ptrs[f + 1] - cuts.ptrs[f];
    widest = Math.max(widest, nBins[f] + missingIn[f]);
  }
  const bins: BinArray = widest <= 256 ? new Uint8Array(nRows * nCols) : new Uint16Array(nRows * nCols);
  forEachColumn(m, (f, column) => fillFeature(column, bins, cuts, f, nCols, nBins[f]));
  const hasMissing = missingIn.some((x) => x === 1);
  return { nRows, nCols, bins, cuts, nBins, featureHasMissing: missingIn, hasMissing };
}

function featuresWithMissing(m: TrainingMatrix): Uint8Array {
  const out = new Uint8Array(m.nCols);
  if (isColumnMatrix(m)) {
    m.columns.forEach((c, f) => {
      out[f] = c instanceof Float64Array ? hasNaN64(c) : hasNaN32(c);
    });
    return out;
  }
  const { data, nCols } = m;
  for (let i = 0, f = 0; i < data.length; i++) {
    if (data[i] !== data[i]) out[f] = 1;
    if (++f === nCols) f = 0;
  }
  return out;
}

// A column's scan is a function of its own (one per array type), compiled once and kept: inline
// in the per-column callback, V8 recompiled it column after column.

function hasNaN64(c: Float64Array): number {
  for (let r = 0; r < c.length; r++) if (c[r] !== c[r]) return 1;
  return 0;
}

function hasNaN32(c: Float32Array): number {
  for (let r = 0; r < c.length; r++) if (c[r] !== c[r]) return 1;
  return 0;
}

/** bins[r * nCols + f] for the rows of feature f's (float32) column. */
function fillFeature(column: Float32Array, bins: BinArray, cuts: QuantileCuts, f: number, nCols: number, sentinel: number): void {
  // Features with a single distinct value per run repeat a lot; remember the last lookup.
  let lastValue = NaN;
  let lastBin = 0;
  for (let r = 0, i = f; r < column.length; r++, i += nCols) {
    const v = column[r];
    if (v !== v) {
      bins[i] = sentinel;
    } else if (v === lastValue) {
      bins[i] = lastBin;
    } else {
      lastValue = v;
      lastBin = searchBin(cuts, f, v);
      bins[i] = lastBin;
    }
  }
}
