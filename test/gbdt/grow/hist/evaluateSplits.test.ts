import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { evaluateSplits } from '../../../../src/gbdt/grow/hist/evaluateSplits.ts';
import { newExpandEntry } from '../../../../src/gbdt/grow/hist/expandEntry.ts';
import { buildHistogram } from '../../../../src/gbdt/grow/hist/histogram.ts';
import { RowPartitioner } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { calcGain, type GainParams } from '../../../../src/gbdt/grow/hist/splitGain.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

const params: GainParams = { lambda: 1, alpha: 0, minChildWeight: 0, maxDeltaStep: 0, eta: 1, gamma: 0 };

function evaluate(values: number[], grads: number[], p: GainParams = params) {
  const bm = binMatrix(denseMatrix(Float64Array.from(values), values.length, 1), 256);
  const gpair = Float32Array.from(grads.flatMap((g) => [g, 1]));
  const part = new RowPartitioner(bm);
  part.reset(gpair);
  const hist = new Float64Array(bm.totalSlots * 2);
  buildHistogram(hist, bm, part, 0);
  const G = grads.reduce((a, b) => a + b, 0);
  const H = grads.length;
  const e = newExpandEntry(0, 0, G, H, calcGain(p, G, H));
  evaluateSplits(e, hist, bm, p);
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
