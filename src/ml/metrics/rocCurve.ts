// roc_curve(y_true, y_score, pos_label=1, drop_intermediate) exactly as scikit-learn 1.2.1:
// one point per distinct score (descending), collinear intermediate points dropped by the
// second-difference test, a leading (0, 0) point whose threshold is `thresholds[1] + 1` (1.2.1
// does not yet use +inf there). When y_true has a single class, scikit-learn warns and returns
// NaN for the undefined rate; we do the same and put the warning text in `warnings`.
import { binaryTruth, checkSameLength, finiteScores, type Labels, type Scores } from './labels.ts';

export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
  /** scikit-learn's UndefinedMetricWarning texts, if any. */
  readonly warnings: readonly string[];
}

export interface RocCurveOptions {
  dropIntermediate?: boolean;
}

interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/** scikit-learn's `_binary_clf_curve`: cumulative false/true positives at each distinct score. */
export function binaryClfCurve(yTrue: Labels, yScore: Scores): ClfCurve {
  checkSameLength('y_true and y_score', yTrue, yScore);
  const truth = binaryTruth(yTrue);
  const score = finiteScores(yScore);
  const n = score.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[b] - score[a]); // ties may come in any order: only group totals are used

  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    tp += truth[order[k]];
    const s = score[order[k]];
    if (k === n - 1 || s !== score[order[k + 1]]) {
      tps.push(tp);
      fps.push(1 + k - tp);
      thresholds.push(s);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

function rates(counts: Float64Array, missing: string, warnings: string[]): Float64Array {
  const total = counts[counts.length - 1];
  if (total <= 0) {
    warnings.push(missing);
    return new Float64Array(counts.length).fill(NaN);
  }
  return counts.map((c) => c / total);
}

export function rocCurve(yTrue: Labels, yScore: Scores, options: RocCurveOptions = {}): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const corner = fps[i + 1] - fps[i] - (fps[i] - fps[i - 1]) !== 0 || tps[i + 1] - tps[i] - (tps[i] - tps[i - 1]) !== 0;
      if (corner) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]);
    tps = Float64Array.from(keep, (i) => tps[i]);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]);
  }
  const withOrigin = (a: Float64Array, first: number) => {
    const out = new Float64Array(a.length + 1);
    out[0] = first;
    out.set(a, 1);
    return out;
  };
  const allFps = withOrigin(fps, 0);
  const allTps = withOrigin(tps, 0);
  const warnings: string[] = [];
  const fpr = rates(allFps, 'No negative samples in y_true, false positive value should be meaningless', warnings);
  const tpr = rates(allTps, 'No positive samples in y_true, true positive value should be meaningless', warnings);
  return { fpr, tpr, thresholds: withOrigin(thresholds, thresholds[0] + 1), warnings };
}
