// Per-feature cut points for the histogram method, built the way XGBoost 1.7 builds
// `HistogramCuts` on the CPU (SketchContainerImpl::MakeCuts + AddCutPoint):
//   - a feature's summary is pruned to max_bin * 8 entries, then to max_bin + 1;
//   - entries 1 .. min(size, max_bin) - 1 become cuts (entry 0 is the minimum, kept apart
//     as `minValues[f] = v - |v| - 1e-5`), then one cut above the maximum
//     (`v + (|v| + 1e-5)`), so a feature with k <= max_bin distinct values gets exactly
//     k bins, one per distinct value;
//   - bin b of a feature holds values in [cut[b-1], cut[b]); a split after bin b sends
//     `x < cut[b]` left, which is why XGBoost's split_condition is the bin's upper bound.
//   - with sample weights, each value counts with its rows' total weight, and values seen only
//     on zero-weight rows are left out (XGBoost's sketch drops zero-weight pushes);
//   - before those prunes, XGBoost's sketch keeps at most `limit_size` (max_bin * 8 + 1, at most
//     the column's length) entries, pruning to that when a column has more distinct values.
// Deviation: XGBoost summarises each column with its streaming sketch, which is exact only
// while the column's values fit its buffer (2 * limit_size runs of equal values); beyond that
// we start from the exact summary, so cuts of long columns with many distinct values can
// differ slightly.
// Values are float32, as XGBoost stores features as float. Missing values (NaN) are skipped.
import type { TrainingMatrix } from '../data/columnMatrix.ts';
import { forEachColumn } from './columnBlocks.ts';
import { exactSummary, pruneSummary, weightedExactSummary, type WeightedSummary } from './weightedSummary.ts';

const f32 = Math.fround;
/** XGBoost's WQSketch::kFactor: intermediate summaries keep max_bin * 8 entries. */
const SKETCH_FACTOR = 8;
const EPS = f32(1e-5);

export interface QuantileCuts {
  /** Feature f's cuts are values[ptrs[f] .. ptrs[f + 1]); it has ptrs[f + 1] - ptrs[f] bins. */
  readonly ptrs: Uint32Array;
  readonly values: Float32Array;
  /** Split value used when every non-missing value goes right (XGBoost `min_vals_`). */
  readonly minValues: Float32Array;
}

export function binCount(cuts: QuantileCuts, feature: number): number {
  return cuts.ptrs[feature + 1] - cuts.ptrs[feature];
}

/**
 * `weights`: per-row sample weights (non-negative), or undefined for unit weights. `missing`, if
 * given (nCols long), receives 1 for each feature with a missing value (NaN), which this pass
 * sees anyway: binning then needs no scan of its own for them.
 */
export function buildQuantileCuts(m: TrainingMatrix, maxBin: number, weights?: Float32Array, missing?: Uint8Array): QuantileCuts {
  const { nRows, nCols } = m;
  const columnWeights = weights ? new Float32Array(nRows) : undefined;
  const perFeature: number[][] = [];
  const minValues = new Float32Array(nCols);
  forEachColumn(m, (f, column) => {
    // n: non-missing values (XGBoost's column size, zero weights included); kept: those pushed,
    // moved to the front of `column`.
    if (columnWeights) compactWeighted(column, nRows, weights!, columnWeights);
    else compact(column, nRows);
    const n = scan[SCAN_N];
    const kept = scan[SCAN_KEPT];
    const runs = scan[SCAN_RUNS];
    if (missing) missing[f] = n < nRows ? 1 : 0;
    const cuts: number[] = [];
    if (kept === 0) {
      // No values (or only zero-weight ones): one bin, as XGBoost gives an empty column.
      minValues[f] = EPS;
      cuts.push(f32(EPS + f32(EPS + EPS)));
    } else {
      let summary = columnWeights ? weightedExactSummary(column, columnWeights, kept) : columnSummary(column, kept);
      const limit = sketchLimitSize(n, maxBin);
      if (runs <= 2 * limit && summary.size > limit) summary = pruneSummary(summary, limit);
      const intermediate = Math.min(n, maxBin * SKETCH_FACTOR);
      const reduced = pruneSummary(summary, intermediate);
      const maxNumBins = Math.min(intermediate, maxBin);
      summary = pruneSummary(reduced, maxNumBins + 1);
      const mval = summary.values[0];
      minValues[f] = f32(f32(mval - Math.abs(mval)) - EPS);
      addCutPoints(summary, maxNumBins, cuts);
      const top = summary.values[summary.size - 1];
      cuts.push(f32(top + f32(Math.abs(top) + EPS)));
    }
    perFeature.push(cuts);
  });
  return pack(perFeature, minValues);
}

// What compact and compactWeighted found: non-missing values, values kept, runs of equal kept values.
const scan = new Float64Array(3);
const SCAN_N = 0;
const SCAN_KEPT = 1;
const SCAN_RUNS = 2;

// The per-value loops are functions of their own, apart from the per-column code around them:
// a loop that V8 compiles while it runs (on-stack replacement) inside code that runs once per
// column was thrown away at the loop's end, where that code had no type feedback yet, and
// compiled again for the next column (25 deoptimisations per training, a tenth of its set-up).

/** Moves the non-NaN values of column[0..nRows) to its front (in order); counts into `scan`. */
function compact(column: Float32Array, nRows: number): void {
  let kept = 0;
  let runs = 0;
  let previous = NaN;
  for (let r = 0; r < nRows; r++) {
    const v32 = column[r];
    if (v32 !== v32) continue;
    column[kept++] = v32;
    if (v32 !== previous) runs++;
    previous = v32;
  }
  scan[SCAN_N] = kept;
  scan[SCAN_KEPT] = kept;
  scan[SCAN_RUNS] = runs;
}

/** compact for weighted rows: values of zero-weight rows count in n but are not kept. */
function compactWeighted(column: Float32Array, nRows: number, weights: Float32Array, columnWeights: Float32Array): void {
  let n = 0;
  let kept = 0;
  let runs = 0;
  let previous = NaN;
  for (let r = 0; r < nRows; r++) {
    const v32 = column[r];
    if (v32 !== v32) continue;
    n++;
    const w = weights[r];
    if (w === 0) continue;
    columnWeights[kept] = w;
    column[kept++] = v32;
    if (v32 !== previous) runs++;
    previous = v32;
  }
  scan[SCAN_N] = n;
  scan[SCAN_KEPT] = kept;
  scan[SCAN_RUNS] = runs;
}

/**
 * Entries XGBoost's per-column sketch keeps (WQuantileSketch::LimitSizeLevel at one level, with
 * eps = 1 / (min(max_bin, n) * 8) computed as XGBoost computes it).
 */
function sketchLimitSize(n: number, maxBin: number): number {
  const nBins = Math.max(1, Math.min(maxBin, n));
  const eps = 1 / (f32(nBins) * SKETCH_FACTOR);
  return Math.min(n, Math.ceil(1 / eps) + 1);
}

/** Columns with at most this many distinct values are counted instead of sorted. */
const FEW_DISTINCT = 1024;
/** Slots of the counting table: a power of two, at least twice FEW_DISTINCT. */
const TABLE_BITS = 11;

/**
 * Exact summary of column[0..n) (no NaN); one-hot and integer-coded columns are counted in a
 * small hash table of float32 bit patterns instead of sorted. Sorts column[0..n) in place
 * when it has more than FEW_DISTINCT distinct values.
 */
function columnSummary(column: Float32Array, n: number): WeightedSummary {
  const bits = new Uint32Array(column.buffer, column.byteOffset, n);
  const size = 1 << TABLE_BITS;
  const keys = new Uint32Array(size);
  const counts = new Float64Array(size);
  const used = new Uint8Array(size);
  const distinct = countDistinct(bits, n, keys, counts, used);
  if (distinct < 0) return exactSummary(column.subarray(0, n).sort(), n);
  const values = new Float32Array(distinct);
  const keyOf = new Map<number, number>();
  const asFloat = new Float32Array(keys.buffer);
  for (let slot = 0, k = 0; slot < size; slot++) {
    if (used[slot] === 0) continue;
    values[k++] = asFloat[slot];
    keyOf.set(asFloat[slot], slot);
  }
  values.sort();
  const rmin = new Float32Array(distinct);
  const rmax = new Float32Array(distinct);
  const wmin = new Float32Array(distinct);
  let wsum = 0;
  for (let i = 0; i < distinct; i++) {
    const w = counts[keyOf.get(values[i])!];
    rmin[i] = wsum;
    rmax[i] = wsum + w;
    wmin[i] = w;
    wsum += w;
  }
  return { values, rmin, rmax, wmin, size: distinct };
}

/**
 * Counts the float32 bit patterns bits[0..n) in the open-addressing table (keys, counts, used);
 * the number of distinct values, or -1 as soon as there are more than FEW_DISTINCT.
 */
function countDistinct(bits: Uint32Array, n: number, keys: Uint32Array, counts: Float64Array, used: Uint8Array): number {
  const mask = keys.length - 1;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    // -0 counts as 0, as the values compare equal.
    const key = bits[i] === 0x80000000 ? 0 : bits[i];
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - TABLE_BITS);
    while (used[slot] === 1 && keys[slot] !== key) slot = (slot + 1) & mask;
    if (used[slot] === 1) {
      counts[slot]++;
      continue;
    }
    if (distinct === FEW_DISTINCT) return -1;
    used[slot] = 1;
    keys[slot] = key;
    counts[slot] = 1;
    distinct++;
  }
  return distinct;
}

function addCutPoints(summary: WeightedSummary, maxBin: number, out: number[]): void {
  const required = Math.min(summary.size, maxBin);
  for (let i = 1; i < required; i++) {
    const v = summary.values[i];
    if (i === 1 || v > out[out.length - 1]) out.push(v);
  }
}

function pack(perFeature: number[][], minValues: Float32Array): QuantileCuts {
  const ptrs = new Uint32Array(perFeature.length + 1);
  for (let f = 0; f < perFeature.length; f++) ptrs[f + 1] = ptrs[f] + perFeature[f].length;
  const values = new Float32Array(ptrs[perFeature.length]);
  for (let f = 0; f < perFeature.length; f++) values.set(perFeature[f], ptrs[f]);
  return { ptrs, values, minValues };
}

/**
 * Bin of a (non-missing) value: the first cut above it (upper_bound), values past the last
 * cut clamped into the last bin — XGBoost's HistogramCuts::SearchBin.
 */
export function searchBin(cuts: QuantileCuts, feature: number, value: number): number {
  const begin = cuts.ptrs[feature];
  const end = cuts.ptrs[feature + 1];
  const v = f32(value);
  const vals = cuts.values;
  let lo = begin;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (vals[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return (lo === end ? end - 1 : lo) - begin;
}
