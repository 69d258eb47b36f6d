import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainParams } from '../../src/gbdt/index.ts';

test('defaults are XGBoost defaults; aliases map to one parameter; reals are float32', () => {
  const p = parseTrainParams({});
  assert.equal(p.objective, 'binary:logistic');
  assert.equal(p.eta, Math.fround(0.3));
  assert.deepEqual([p.maxDepth, p.minChildWeight, p.lambda, p.alpha, p.gamma, p.maxBin, p.baseScore], [6, 1, 1, 0, 0, 256, 0.5]);
  const q = parseTrainParams({ learning_rate: 0.02, reg_lambda: 2, reg_alpha: '0.5', min_split_loss: 1, nthread: 2, seed: 7, eval_metric: 'logloss' });
  assert.deepEqual([q.eta, q.lambda, q.alpha, q.gamma, q.nthread], [Math.fround(0.02), 2, 0.5, 1, 2]);
  assert.deepEqual(q.evalMetric, ['logloss']);
});

test('depthwise needs max_depth >= 1; lossguide needs a bound', () => {
  assert.throws(() => parseTrainParams({ max_depth: 0 }), /max_depth/);
  assert.throws(() => parseTrainParams({ grow_policy: 'lossguide', max_depth: 0 }), /max_leaves/);
  assert.equal(parseTrainParams({ grow_policy: 'lossguide', max_depth: 0, max_leaves: 4 }).maxLeaves, 4);
  assert.throws(() => parseTrainParams({ max_bin: 1 }), /max_bin/);
});
