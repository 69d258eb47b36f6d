// Best split of one node from its histogram, enumerating bins like XGBoost's HistEvaluator:
// forward (left = bins 0..b, missing goes right), and, when the feature has missing rows in
// the node, backward (right = bins b..end, missing goes left). A candidate replaces the best
// only if strictly better, so ties keep the lower feature, then the forward scan, then the
// lower bin — the order XGBoost visits them in.
import type { BinnedMatrix } from '../../data/binnedMatrix.ts';
import type { ExpandEntry } from './expandEntry.ts';
import type { Histogram } from './histogram.ts';
import { splitGain, type GainParams } from './splitGain.ts';

const f32 = Math.fround;

export function evaluateSplits(e: ExpandEntry, hist: Histogram, bm: BinnedMatrix, p: GainParams): void {
  const { nBins, slotOffsets, cuts } = bm;
  const pg = e.sumGrad;
  const ph = e.sumHess;
  const rootGain = e.rootGain;
  const mcw = p.minChildWeight;
  for (let f = 0; f < bm.nCols; f++) {
    const first = slotOffsets[f] << 1;
    const nb = nBins[f];
    const cutBase = cuts.ptrs[f];
    // Forward: bins 0..i on the left, missing with the right side.
    let lg = 0;
    let lh = 0;
    for (let i = 0; i < nb; i++) {
      lg += hist[first + 2 * i];
      lh += hist[first + 2 * i + 1];
      const rg = pg - lg;
      const rh = ph - lh;
      if (lh >= mcw && rh >= mcw) {
        const loss = f32(splitGain(p, lg, lh, rg, rh) - rootGain);
        if (loss > e.lossChg && loss !== Infinity) {
          set(e, loss, f, i, cuts.values[cutBase + i], false, lg, lh, rg, rh);
        }
      }
    }
    // Exact comparison on purpose: XGBoost scans backward whenever the bin sums differ from
    // the node's sums at all (SplitContainsMissingValues).
    if (lg === pg && lh === ph) continue;
    let rg = 0;
    let rh = 0;
    for (let i = nb - 1; i >= 0; i--) {
      rg += hist[first + 2 * i];
      rh += hist[first + 2 * i + 1];
      const lg2 = pg - rg;
      const lh2 = ph - rh;
      if (rh >= mcw && lh2 >= mcw) {
        const loss = f32(splitGain(p, lg2, lh2, rg, rh) - rootGain);
        if (loss > e.lossChg && loss !== Infinity) {
          const value = i === 0 ? cuts.minValues[f] : cuts.values[cutBase + i - 1];
          set(e, loss, f, i - 1, value, true, lg2, lh2, rg, rh);
        }
      }
    }
  }
}

function set(
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
