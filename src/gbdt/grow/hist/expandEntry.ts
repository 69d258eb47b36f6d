// A node waiting to be split: its gradient sums, its own score and the best split found for
// it (XGBoost's CPUExpandEntry + SplitEntry + NodeEntry in one plain record).

export interface ExpandEntry {
  nid: number;
  depth: number;
  /** The node's gradient sums (double) and score (float32, XGBoost root_gain). */
  sumGrad: number;
  sumHess: number;
  rootGain: number;
  /** Best split; lossChg 0 and feature -1 until one is found. */
  lossChg: number;
  feature: number;
  /** Last bin that goes left (-1: only missing values go left). */
  splitBin: number;
  splitValue: number;
  defaultLeft: boolean;
  leftGrad: number;
  leftHess: number;
  rightGrad: number;
  rightHess: number;
}

export function newExpandEntry(nid: number, depth: number, sumGrad: number, sumHess: number, rootGain: number): ExpandEntry {
  return {
    nid,
    depth,
    sumGrad,
    sumHess,
    rootGain,
    lossChg: 0,
    feature: -1,
    splitBin: -1,
    splitValue: 0,
    defaultLeft: false,
    leftGrad: 0,
    leftHess: 0,
    rightGrad: 0,
    rightHess: 0,
  };
}

/**
 * An entry as float64 fields, for handing entries to and from worker threads through shared
 * memory (every field is a double or a small integer, so the round trip is exact).
 */
export const ENTRY_FIELDS = 14;

export function writeEntry(to: Float64Array, at: number, e: ExpandEntry): void {
  to[at] = e.nid;
  to[at + 1] = e.depth;
  to[at + 2] = e.sumGrad;
  to[at + 3] = e.sumHess;
  to[at + 4] = e.rootGain;
  to[at + 5] = e.lossChg;
  to[at + 6] = e.feature;
  to[at + 7] = e.splitBin;
  to[at + 8] = e.splitValue;
  to[at + 9] = e.defaultLeft ? 1 : 0;
  to[at + 10] = e.leftGrad;
  to[at + 11] = e.leftHess;
  to[at + 12] = e.rightGrad;
  to[at + 13] = e.rightHess;
}

export function readEntry(from: Float64Array, at: number, e: ExpandEntry): void {
  e.nid = from[at];
  e.depth = from[at + 1];
  e.sumGrad = from[at + 2];
  e.sumHess = from[at + 3];
  e.rootGain = from[at + 4];
  e.lossChg = from[at + 5];
  e.feature = from[at + 6];
  e.splitBin = from[at + 7];
  e.splitValue = from[at + 8];
  e.defaultLeft = from[at + 9] === 1;
  e.leftGrad = from[at + 10];
  e.leftHess = from[at + 11];
  e.rightGrad = from[at + 12];
  e.rightHess = from[at + 13];
}
