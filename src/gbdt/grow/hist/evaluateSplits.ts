// Best split of one node from its histogram, enumerating bins like XGBoost's HistEvaluator:
// forward (left = bins 0..b, missing goes right), and, when the feature has missing rows in
// the node, backward (right = bins b..end, missing goes left). A candidate replaces the best
// only if strictly better, so ties keep the lower feature, then the forward scan, then the
// lower bin — the order XGBoost visits them in. Evaluating features [from, to) of the list
// into separate entries and merging them in order (mergeBest) gives the same result as one
// pass, which is how worker threads share the work.
import type { QuantileCuts } from '../../common/quantileCuts.ts';
import type { PackedMatrix } from '../../data/packedMatrix.ts';
import type { ExpandEntry } from './expandEntry.ts';
import { cannotSplit, splitGain, type GainParams } from './splitGain.ts';

const f32 = Math.fround;
/** A bundled feature's two bins, rebuilt per node (one per thread: each isolate has its own). */
const scratch = new Float64Array(6);

/** What split evaluation reads besides the histogram. */
export interface SplitSpace {
  readonly pm: Pick<PackedMatrix, 'nFeatures' | 'featureCol' | 'featureMember' | 'featureDefaultBin' | 'colSlotOffset'>;
  readonly cuts: Pick<QuantileCuts, 'ptrs' | 'values' | 'minValues'>;
  readonly nBins: Uint32Array;
}

/**
 * Updates `e` with the best split among features `features[from..to)` (all features when
 * `features` is undefined: ids from..to). `hist[base..]` is the node's histogram.
 */
export function evaluateSplits(
  e: ExpandEntry,
  hist: Float64Array,
  base: number,
  space: SplitSpace,
  p: GainParams,
  features?: Int32Array,
  from = 0,
  to = features ? features.length : space.pm.nFeatures,
): void {
  // Nothing could pass min_child_weight (splitGain.ts cannotSplit): the scan would find nothing.
  if (cannotSplit(p, e.sumHess)) return;
  const { pm, cuts, nBins } = space;
  for (let j = from; j < to; j++) {
    const f = features ? features[j] : j;
    const k = pm.featureMember[f];
    if (k < 0) {
      scanFeature(e, f, hist, base + 2 * pm.colSlotOffset[pm.featureCol[f]], nBins[f], cuts, p, true);
    } else {
      // A bundled feature: its non-default bin is the bundle slot, the default bin the rest.
      const s = base + 2 * (pm.colSlotOffset[pm.featureCol[f]] + k);
      const nd = 1 - pm.featureDefaultBin[f];
      scratch[2 * nd] = hist[s];
      scratch[2 * nd + 1] = hist[s + 1];
      scratch[2 * (1 - nd)] = e.sumGrad - hist[s];
      scratch[2 * (1 - nd) + 1] = e.sumHess - hist[s + 1];
      scanFeature(e, f, scratch, 0, 2, cuts, p, false);
    }
  }
}

function scanFeature(
  e: ExpandEntry,
  f: number,
  hist: Float64Array,
  first: number,
  nb: number,
  cuts: SplitSpace['cuts'],
  p: GainParams,
  mayHaveMissing: boolean,
): void {
  const pg = e.sumGrad;
  const ph = e.sumHess;
  const rootGain = e.rootGain;
  const mcw = p.minChildWeight;
  const lambda = p.lambda;
  // Without L1 and max_delta_step the gain is two float32 quotients (gainOf), inlined here:
  // the generic splitGain costs ~3x as much per candidate and most bins are candidates.
  const plain = p.alpha === 0 && p.maxDeltaStep === 0;
  // The best candidate of this feature; written to `e` once, at the end.
  let best = e.lossChg;
  let bestBin = -2;
  let bestLg = 0;
  let bestLh = 0;
  // Forward: bins 0..i on the left, missing with the right side.
  let lg = 0;
  let lh = 0;
  for (let i = 0, at = first; i < nb; i++, at += 2) {
    const g = hist[at];
    const h = hist[at + 1];
    // An empty bin repeats the previous candidate, which cannot be strictly better than itself
    // (deep nodes have mostly empty bins).
    if (g === 0 && h === 0 && i > 0) continue;
    lg += g;
    lh += h;
    const rh = ph - lh;
    if (lh >= mcw && rh >= mcw) {
      const rg = pg - lg;
      const gain = plain ? f32(gainOf(lg, lh, lambda) + gainOf(rg, rh, lambda)) : splitGain(p, lg, lh, rg, rh);
      const loss = f32(gain - rootGain);
      if (loss > best && loss !== Infinity) {
        best = loss;
        bestBin = i;
        bestLg = lg;
        bestLh = lh;
      }
    }
  }
  if (bestBin > -2) setBest(e, best, f, bestBin, cuts.values[cuts.ptrs[f] + bestBin], false, bestLg, bestLh, pg - bestLg, ph - bestLh);
  // Exact comparison on purpose: XGBoost scans backward whenever the bin sums differ from
  // the node's sums at all (SplitContainsMissingValues).
  if (!mayHaveMissing || (lg === pg && lh === ph)) return;
  bestBin = -2;
  let rg = 0;
  let rh = 0;
  for (let i = nb - 1, at = first + 2 * i; i >= 0; i--, at -= 2) {
    const g = hist[at];
    const h = hist[at + 1];
    if (g === 0 && h === 0 && i < nb - 1) continue;
    rg += g;
    rh += h;
    const lh2 = ph - rh;
    if (rh >= mcw && lh2 >= mcw) {
      const lg2 = pg - rg;
      const gain = plain ? f32(gainOf(lg2, lh2, lambda) + gainOf(rg, rh, lambda)) : splitGain(p, lg2, lh2, rg, rh);
      const loss = f32(gain - rootGain);
      if (loss > best && loss !== Infinity) {
        best = loss;
        bestBin = i;
        bestLg = rg;
        bestLh = rh;
      }
    }
  }
  if (bestBin > -2) {
    const value = bestBin === 0 ? cuts.minValues[f] : cuts.values[cuts.ptrs[f] + bestBin - 1];
    setBest(e, best, f, bestBin - 1, value, true, pg - bestLg, ph - bestLh, bestLg, bestLh);
  }
}

/**
 * splitGain's score of one side when alpha and max_delta_step are 0: gainGivenWeight with
 * thresholdL1(g, 0) (g itself, or 0 for NaN) — the same float32 roundings.
 */
function gainOf(g: number, h: number, lambda: number): number {
  if (h <= 0) return 0;
  return f32(f32(g === g ? g * g : 0) / f32(h + lambda));
}

/** Folds `candidate` (features after those of `best`) into `best`: strictly better wins. */
export function mergeBest(best: ExpandEntry, candidate: ExpandEntry): void {
  if (candidate.feature >= 0 && candidate.lossChg > best.lossChg) {
    setBest(
      best,
      candidate.lossChg,
      candidate.feature,
      candidate.splitBin,
      candidate.splitValue,
      candidate.defaultLeft,
      candidate.leftGrad,
      candidate.leftHess,
      candidate.rightGrad,
      candidate.rightHess,
    );
  }
}

/** Records a split as the best of `e`. */
export function setBest(
  e: ExpandEntry,
  loss: number,
  feature: number,
  splitBin: number,
  splitValue: number,
  defaultLeft: boolean,
  lg: number,
  lh: number,
  rg: number,
  rh: number,
): void {
  e.lossChg = loss;
  e.feature = feature;
  e.splitBin = splitBin;
  e.splitValue = splitValue;
  e.defaultLeft = defaultLeft;
  e.leftGrad = lg;
  e.leftHess = lh;
  e.rightGrad = rg;
  e.rightHess = rh;
}
