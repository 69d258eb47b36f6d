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
