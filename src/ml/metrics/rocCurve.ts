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
  // One pass per class instead of sorting row indices with a comparator: the positives' and
  // the negatives' scores are sorted natively (ascending, no callback: several times faster)
  // and merged from the top, so each distinct score closes one point with its running counts.
  let nPos = 0;
  let signedZero = false;
  for (let i = 0; i < truth.length; i++) {
    nPos += truth[i];
    if (score[i] === 0 && 1 / score[i] < 0) signedZero = true;
  }
  // -0 and 0 are one score but sort apart natively; the threshold printed for their group must
  // stay the one the comparator sort picks, so such input (never a probability) takes that path.
  if (signedZero) return clfCurveByIndex(truth, score);
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(score.length - nPos);
  for (let i = 0, p = 0, q = 0; i < score.length; i++) {
    if (truth[i] === 1) pos[p++] = score[i];
    else neg[q++] = score[i];
  }
  pos.sort();
  neg.sort();
  // At most one point per score: filled in place, then cut to length (views, no copies).
  const fps = new Float64Array(score.length);
  const tps = new Float64Array(score.length);
  const thresholds = new Float64Array(score.length);
  let points = 0;
  let p = pos.length - 1;
  let q = neg.length - 1;
  let tp = 0;
  let fp = 0;
  while (p >= 0 || q >= 0) {
    const s = p < 0 ? neg[q] : q < 0 ? pos[p] : pos[p] > neg[q] ? pos[p] : neg[q];
    while (p >= 0 && pos[p] === s) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === s) {
      fp++;
      q--;
    }
    tps[points] = tp;
    fps[points] = fp;
    thresholds[points++] = s;
  }
  return { fps: fps.subarray(0, points), tps: tps.subarray(0, points), thresholds: thresholds.subarray(0, points) };
}

/** The comparator-sort form of binaryClfCurve (scikit-learn's order of operations), for signed zeros. */
function clfCurveByIndex(truth: Uint8Array, score: Float64Array): ClfCurve {
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
  const out = new Float64Array(counts.length);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] / total;
  return out;
}

export function rocCurve(yTrue: Labels, yScore: Scores, options: RocCurveOptions = {}): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep = new Int32Array(fps.length);
    let kept = 1; // keep[0] = 0
    for (let i = 1; i < fps.length - 1; i++) {
      const corner = fps[i + 1] - fps[i] - (fps[i] - fps[i - 1]) !== 0 || tps[i + 1] - tps[i] - (tps[i] - tps[i - 1]) !== 0;
      if (corner) keep[kept++] = i;
    }
    keep[kept++] = fps.length - 1;
    const pick = (a: Float64Array) => {
      const out = new Float64Array(kept);
      for (let k = 0; k < kept; k++) out[k] = a[keep[k]];
      return out;
    };
    fps = pick(fps);
    tps = pick(tps);
    thresholds = pick(thresholds);
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
