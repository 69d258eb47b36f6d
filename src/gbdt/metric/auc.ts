// XGBoost 1.7's ROC AUC (src/metric/auc.cc). Rows are sorted by score, descending and stable;
// rows with tied scores form one step of the curve, whose area is a trapezoid, so ties count
// half. Weights scale each row's contribution to the false/true positive totals, and a
// fractional label counts as that fraction positive. The area is normalised by FP * TP;
// a set with only one class gives NaN, as in XGBoost.
// Multi-class: one-vs-rest AUC per class, averaged weighted by each class's positive weight;
// NaN as soon as one class is absent.
import type { Metric } from './metric.ts';

const f32 = Math.fround;

interface Curve {
  fp: number;
  tp: number;
  area: number;
}

function trapezoid(x0: number, x1: number, y0: number, y1: number): number {
  return Math.abs(x0 - x1) * (y0 + y1) * 0.5;
}

/** Rows that fit the packed sort below: the row index takes 21 bits beside 32 bits of score. */
const PACKED_ROWS = 2 ** 21;
const sortBits = new Uint32Array(1);
const sortFloat = new Float32Array(sortBits.buffer);

/**
 * Row indices by descending score, ties in row order (XGBoost's stable ArgSort with
 * std::greater). Each float32 score is mapped to an unsigned integer of the same order and
 * packed with its row index into one exactly representable double, so a native numeric sort
 * does the work; larger sets fall back to a comparator sort.
 */
function descendingOrder(scores: Float32Array): Uint32Array {
  const n = scores.length;
  const order = new Uint32Array(n);
  if (n > PACKED_ROWS) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => scores[b] - scores[a] || a - b);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sortFloat[0] = scores[i] + 0; // -0 ties with 0
    const bits = sortBits[0];
    const ascending = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[i] = (0xffffffff - ascending) * PACKED_ROWS + i;
  }
  keys.sort();
  for (let k = 0; k < n; k++) order[k] = keys[k] % PACKED_ROWS;
  return order;
}

/** Un-normalised area with the FP and TP totals; all zero when one class is missing. */
function binaryCurve(scores: Float32Array, labels: Float32Array, weights: Float32Array | undefined): Curve {
  const order = descendingOrder(scores);
  const n = order.length;
  const first = order[0];
  // The first row is accumulated in double, the rest in float32 then added: XGBoost's exact steps.
  let fp = (1 - labels[first]) * (weights ? weights[first] : 1);
  let tp = labels[first] * (weights ? weights[first] : 1);
  let fpPrev = 0;
  let tpPrev = 0;
  let area = 0;
  for (let k = 1; k < n; k++) {
    const i = order[k];
    if (scores[i] !== scores[order[k - 1]]) {
      area += trapezoid(fpPrev, fp, tpPrev, tp);
      fpPrev = fp;
      tpPrev = tp;
    }
    const y = labels[i];
    const w = weights ? weights[i] : 1;
    fp += f32(f32(1 - y) * w);
    tp += f32(y * w);
  }
  area += trapezoid(fpPrev, fp, tpPrev, tp);
  if (fp <= 0 || tp <= 0) return { fp: 0, tp: 0, area: 0 };
  return { fp, tp, area };
}

function binaryAuc(preds: ArrayLike<number>, labels: Float32Array, weights: Float32Array | undefined): number {
  if (labels.length === 0) return NaN;
  const c = binaryCurve(Float32Array.from(preds), labels, weights);
  const localArea = c.fp * c.tp;
  return localArea <= 0 ? NaN : c.area / localArea;
}

function multiClassAuc(preds: ArrayLike<number>, labels: Float32Array, weights: Float32Array | undefined, k: number): number {
  const n = labels.length;
  if (n === 0) return NaN;
  const scores = new Float32Array(n);
  const response = new Float32Array(n);
  let aucSum = 0;
  let tpSum = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      scores[i] = preds[i * k + c];
      response[i] = labels[i] === c ? 1 : 0;
    }
    const curve = binaryCurve(scores, response, weights);
    const localArea = curve.fp * curve.tp;
    if (localArea === 0) return NaN;
    aucSum += (curve.area / localArea) * curve.tp;
    tpSum += curve.tp;
  }
  return tpSum === 0 ? NaN : aucSum / tpSum;
}

export const auc = (): Metric => ({
  name: 'auc',
  higherIsBetter: true,
  input: 'either',
  evaluate(preds, labels, weights, numGroup) {
    return numGroup > 1 ? multiClassAuc(preds, labels, weights, numGroup) : binaryAuc(preds, labels, weights);
  },
});
