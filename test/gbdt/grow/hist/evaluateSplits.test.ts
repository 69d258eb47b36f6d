import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSplits, mergeBest } from '../../../../src/gbdt/grow/hist/evaluateSplits.ts';
import { newExpandEntry } from '../../../../src/gbdt/grow/hist/expandEntry.ts';
import { calcGain, type GainParams } from '../../../../src/gbdt/grow/hist/splitGain.ts';
import { nodeHistogram, problem } from './helpers.ts';

const params: GainParams = { lambda: 1, alpha: 0, minChildWeight: 0, maxDeltaStep: 0, eta: 1, gamma: 0 };

function evaluate(values: number[], grads: number[], p: GainParams = params) {
  const gpair = Float32Array.from(grads.flatMap((g) => [g, 1]));
  const pr = problem(values, values.length, 1, gpair);
  const G = grads.reduce((a, b) => a + b, 0);
  const H = grads.length;
  const e = newExpandEntry(0, 0, G, H, calcGain(p, G, H));
  evaluateSplits(e, nodeHistogram(pr, 0), 0, { pm: pr.pm, cuts: pr.bm.cuts, nBins: pr.bm.nBins }, p);
  return e;
}

const score = (g: number, h: number, lambda = 1) => (g * g) / (h + lambda);

test('gain is G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) at the best threshold', () => {
  const e = evaluate([1, 2, 3, 4], [-1, -1, 1, 1]);
  assert.equal(e.feature, 0);
  assert.equal(e.splitBin, 1);
  assert.equal(e.splitValue, 3);
  assert.equal(e.defaultLeft, false);
  assert.equal(e.lossChg, Math.fround(score(-2, 2) + score(2, 2) - score(0, 4)));
  assert.deepEqual([e.leftGrad, e.leftHess, e.rightGrad, e.rightHess], [-2, 2, 2, 2]);
});

test('missing values go to the side that scores better: left', () => {
  // Missing rows have negative gradients like the low values: learned default is left.
  const e = evaluate([1, 2, 3, 4, NaN, NaN], [-1, -1, 1, 1, -1, -1]);
  assert.equal(e.defaultLeft, true);
  assert.equal(e.splitValue, 3);
  assert.deepEqual([e.leftGrad, e.leftHess], [-4, 4]);
  assert.equal(e.lossChg, Math.fround(score(-4, 4) + score(2, 2) - score(-2, 6)));
});

test('missing values go to the side that scores better: right', () => {
  const e = evaluate([1, 2, 3, 4, NaN, NaN], [-1, -1, 1, 1, 1, 1]);
  assert.equal(e.defaultLeft, false);
  assert.equal(e.splitValue, 3);
  assert.deepEqual([e.rightGrad, e.rightHess], [4, 4]);
});

test('separating missing from everything else: the forward scan finds it first, so missing goes right', () => {
  // The backward scan's "only missing on the left" split has the same gain; ties keep the
  // forward scan's candidate, as in XGBoost.
  const e = evaluate([1, 1, 2, 2, NaN, NaN], [1, 1, 1, 1, -3, -3]);
  assert.equal(e.defaultLeft, false);
  assert.equal(e.splitBin, 1);
  assert.ok(e.splitValue > 2);
  assert.deepEqual([e.leftGrad, e.leftHess, e.rightGrad, e.rightHess], [4, 4, -6, 2]);
  assert.equal(e.lossChg, Math.fround(score(4, 4) + score(-6, 2) - score(-2, 6)));
});

test('min_child_weight rules out small children; alpha shrinks gradients', () => {
  const blocked = evaluate([1, 2, 3, 4], [-1, 1, 1, 1], { ...params, minChildWeight: 2 });
  assert.equal(blocked.splitBin, 1);
  const none = evaluate([1, 2, 3, 4], [-1, 1, 1, 1], { ...params, minChildWeight: 3 });
  assert.equal(none.feature, -1);
  const withAlpha = evaluate([1, 2, 3, 4], [-1, -1, 1, 1], { ...params, alpha: 0.5 });
  assert.equal(withAlpha.lossChg, Math.fround(score(-1.5, 2) + score(1.5, 2) - 0));
});

// Three one-hot columns (a, b, c exclusive) and a numeric one; gradients are small integers so
// every sum is exact and bundled and unbundled histograms must give identical splits.
function oneHotProblem(bundle: boolean) {
  const n = 60;
  const data: number[] = [];
  const grads: number[] = [];
  for (let r = 0; r < n; r++) {
    const k = r % 3;
    data.push(k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, r % 7);
    grads.push(k === 1 ? -2 : 1, 1);
  }
  const pr = problem(data, n, 4, Float32Array.from(grads), { bundle });
  const G = grads.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
  return { pr, G, n };
}

test('exclusive one-hot columns share one stored column, and splits on them are unchanged', () => {
  const bundled = oneHotProblem(true);
  const plain = oneHotProblem(false);
  assert.equal(bundled.pr.pm.nCols, 2, 'three one-hot columns in one bundle + the numeric column');
  assert.equal(plain.pr.pm.nCols, 4);
  assert.deepEqual([...bundled.pr.pm.featureMember], [0, 1, 2, -1]);
  const evalRoot = ({ pr, G, n }: ReturnType<typeof oneHotProblem>) => {
    const e = newExpandEntry(0, 0, G, n, calcGain(params, G, n));
    evaluateSplits(e, nodeHistogram(pr, 0), 0, { pm: pr.pm, cuts: pr.bm.cuts, nBins: pr.bm.nBins }, params);
    return e;
  };
  const a = evalRoot(bundled);
  const b = evalRoot(plain);
  assert.equal(a.feature, 1, 'the column that separates the negative gradients');
  assert.deepEqual(a, b);
});

test('evaluating feature ranges separately and merging in order equals one pass', () => {
  const { pr, G, n } = oneHotProblem(true);
  const space = { pm: pr.pm, cuts: pr.bm.cuts, nBins: pr.bm.nBins };
  const hist = nodeHistogram(pr, 0);
  const whole = newExpandEntry(0, 0, G, n, calcGain(params, G, n));
  evaluateSplits(whole, hist, 0, space, params);
  const first = newExpandEntry(0, 0, G, n, calcGain(params, G, n));
  const second = newExpandEntry(0, 0, G, n, calcGain(params, G, n));
  const features = Int32Array.from([0, 1, 2, 3]);
  evaluateSplits(first, hist, 0, space, params, features, 0, 2);
  evaluateSplits(second, hist, 0, space, params, features, 2, 4);
  mergeBest(first, second);
  assert.deepEqual(first, whole);
  // A feature list restricts the candidates (colsample): without feature 1 another wins.
  const restricted = newExpandEntry(0, 0, G, n, calcGain(params, G, n));
  evaluateSplits(restricted, hist, 0, space, params, Int32Array.from([0, 3]));
  assert.notEqual(restricted.feature, 1);
});
