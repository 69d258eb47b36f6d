import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetric } from '../../../src/gbdt/index.ts';
import { formatSignificant6 } from '../../../src/gbdt/metric/index.ts';
import { reportedValue } from '../../../src/gbdt/common/pythonFloat.ts';
import { loadMetricFixture } from '../common/trainingFixtures.ts';

const f32 = Math.fround;
const metric = (name: string) => {
  const m = createMetric(name);
  assert.ok(m, name);
  return m;
};
const evaluate = (name: string, preds: number[], labels: number[], weights?: number[], k = 1) =>
  metric(name).evaluate(preds, Float32Array.from(labels), weights && Float32Array.from(weights), k);

test("metric values equal XGBoost's on its own predictions: ties, weights (some zero), fractional labels, clipping, one class", () => {
  let checked = 0;
  for (const name of ['binary', 'regression', 'multiclass']) {
    const f = loadMetricFixture(name);
    for (const [set, s] of Object.entries(f.sets)) {
      const labels = Float32Array.from(s.labels);
      const weights = s.weights ? Float32Array.from(s.weights) : undefined;
      for (const [metricName, values] of Object.entries(s.values)) {
        values.forEach((expected, round) => {
          const got = reportedValue(metric(metricName).evaluate(s.predictions[round], labels, weights, f.num_group));
          if (expected === null) assert.ok(Number.isNaN(got), `${name} ${set} ${metricName} round ${round}: NaN expected`);
          else assert.equal(got, expected, `${name} ${set} ${metricName} round ${round}`);
          checked++;
        });
      }
    }
  }
  assert.equal(checked, 3 * (4 + 4 + 2 + 2 + 3));
});

test('metric names are parsed and reported as XGBoost reports them', () => {
  assert.equal(metric('error').name, 'error');
  assert.equal(metric('error@0.5').name, 'error');
  assert.equal(metric('error@0.7').name, 'error@0.7');
  assert.equal(metric('error@0.25').name, 'error@0.25');
  assert.equal(metric('error@1e-5').name, 'error@1e-05');
  for (const bad of ['mape2', 'auc@3', 'error@', 'error@x', 'logloss@0.1', 'ndcg', '']) assert.equal(createMetric(bad), undefined, bad);
  assert.equal(metric('auc').higherIsBetter, true);
  for (const name of ['logloss', 'error', 'rmse', 'mae', 'mlogloss', 'merror']) assert.equal(metric(name).higherIsBetter, false, name);
  assert.deepEqual(
    [123456789, 0.000123, 1.5, 100, 1e-5, -2.5e7].map(formatSignificant6),
    ['1.23457e+08', '0.000123', '1.5', '100', '1e-05', '-2.5e+07'],
  );
});

test('AUC by hand: tied scores count half a pair; weights scale rows; one class is NaN', () => {
  // positives 0.9, 0.8; negatives 0.8, 0.1: 3 pairs ordered, 1 tied -> 3.5 / 4.
  assert.equal(evaluate('auc', [0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0]), 0.875);
  // Weight 3 on the tied negative: pairs 0.9>0.8 (3), 0.9>0.1 (1), tie (1.5), 0.8>0.1 (1) of 8.
  assert.equal(evaluate('auc', [0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0], [1, 3, 1, 1]), 6.5 / 8);
  assert.ok(Number.isNaN(evaluate('auc', [0.2, 0.4], [1, 1])));
  // Multi-class one-vs-rest, weighted by class prevalence: perfect ranking gives 1.
  assert.equal(evaluate('auc', [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8], [0, 1, 2], undefined, 3), 1);
});

test('logloss clips probabilities at 1e-16; error counts p > threshold as class 1', () => {
  const clipped = f32(-f32(Math.log(f32(1e-16))));
  assert.equal(evaluate('logloss', [1], [0]), clipped);
  assert.equal(evaluate('logloss', [0], [1]), clipped);
  assert.equal(evaluate('logloss', [0.5, 0.5], [1, 0], [1, 3]), f32(-Math.log(0.5)));
  assert.equal(evaluate('error', [0.5, 0.51, 0.2], [1, 1, 1]), 2 / 3);
  assert.equal(evaluate('error@0.3', [0.5, 0.51, 0.2], [1, 1, 1]), 1 / 3);
  assert.equal(evaluate('rmse', [1, 2], [0, 0], [1, 3]), Math.sqrt(13 / 4));
  assert.equal(evaluate('mae', [1, -2], [0, 0]), 1.5);
  // All weights zero: XGBoost reports the raw sum (0 here) instead of dividing by zero.
  assert.equal(evaluate('rmse', [1], [0], [0]), 0);
  assert.equal(evaluate('mlogloss', [0.25, 0.75, 0.5, 0.5], [1, 0], undefined, 2), f32(-Math.log(0.75)) / 2 + f32(-Math.log(0.5)) / 2);
  assert.equal(evaluate('merror', [0.5, 0.5, 0.2, 0.8], [1, 1], undefined, 2), 0.5);
});

test('AUC equals the pairwise definition on scores with ties, negatives and signed zeros', () => {
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const levels = [-3.5, -1, -0, 0, 0.25, 0.25, 2, 1e-30, -1e-30];
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + trial;
    const preds = Array.from({ length: n }, () => levels[Math.floor(rand() * levels.length)]);
    const labels = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
    const weights = Array.from({ length: n }, () => Math.fround(rand() * 2));
    let num = 0;
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === 1) pos += weights[i];
      else neg += weights[i];
      for (let j = 0; j < n; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        const s = Math.fround(preds[i]) - Math.fround(preds[j]);
        num += weights[i] * weights[j] * (s > 0 ? 1 : s === 0 ? 0.5 : 0);
      }
    }
    const got = evaluate('auc', preds.map(Math.fround), labels, weights);
    assert.ok(Math.abs(got - num / (pos * neg)) < 1e-9, `trial ${trial}: ${got} vs ${num / (pos * neg)}`);
  }
});
