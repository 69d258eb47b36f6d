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

import { UsageError } from '../../src/core/index.ts';

const rejects = (input: Record<string, unknown>, pattern: RegExp) =>
  assert.throws(() => parseTrainParams(input), (e: unknown) => e instanceof UsageError && pattern.test(e.message), JSON.stringify(input));

test('every issue parameter is accepted under its XGBoost names, float32 where XGBoost stores float', () => {
  const p = parseTrainParams({
    objective: 'multi:softprob',
    num_class: 4,
    learning_rate: 0.1,
    base_score: 0.3,
    n_estimators: 7,
    early_stopping_rounds: 3,
    max_depth: 0,
    max_leaves: 8,
    grow_policy: 'lossguide',
    min_child_weight: 0.5,
    reg_lambda: 1.5,
    reg_alpha: 0.1,
    gamma: 0.2,
    max_delta_step: 0.7,
    max_bin: 64,
    subsample: 0.8,
    colsample_bytree: 0.9,
    colsample_bylevel: 0.7,
    colsample_bynode: 0.6,
    random_state: 42,
    scale_pos_weight: 2,
    eval_metric: ['mlogloss', 'merror', 'mlogloss'],
    n_jobs: -1,
    tree_method: 'auto',
    verbosity: 0,
    validate_parameters: true,
    disable_default_eval_metric: 'true',
    booster: 'gbtree',
    sampling_method: 'uniform',
    num_parallel_tree: 1,
  });
  const f32 = Math.fround;
  assert.equal(p.objective, 'multi:softprob');
  assert.equal(p.numClass, 4);
  assert.deepEqual([p.eta, p.baseScore, p.minChildWeight, p.lambda, p.alpha, p.gamma, p.maxDeltaStep], [0.1, 0.3, 0.5, 1.5, 0.1, 0.2, 0.7].map(f32));
  assert.deepEqual([p.subsample, p.colsampleBytree, p.colsampleBylevel, p.colsampleBynode, p.scalePosWeight], [0.8, 0.9, 0.7, 0.6, 2].map(f32));
  assert.deepEqual([p.numBoostRound, p.earlyStoppingRounds, p.maxDepth, p.maxLeaves, p.maxBin, p.seed, p.nthread], [7, 3, 0, 8, 64, 42, -1]);
  assert.equal(p.growPolicy, 'lossguide');
  assert.deepEqual(p.evalMetric, ['mlogloss', 'merror']);
  assert.equal(p.disableDefaultEvalMetric, true);
  assert.ok(p.given.has('eta') && p.given.has('num_boost_round') && p.given.has('alpha'));
  const d = parseTrainParams({});
  assert.equal(d.given.size, 0);
  assert.deepEqual([d.numBoostRound, d.earlyStoppingRounds, d.subsample, d.scalePosWeight, d.numClass], [10, 0, 1, 1, 0]);
  assert.deepEqual(d.evalMetric, []);
  // null means not given, like undefined.
  assert.equal(parseTrainParams({ eta: null }).eta, Math.fround(0.3));
});

test('unknown parameters are refused with the closest known name; bad values name the parameter and the range', () => {
  rejects({ learning_rat: 0.1 }, /unknown training parameter 'learning_rat'; did you mean 'learning_rate'\?/);
  rejects({ colsample_by_tree: 0.5 }, /did you mean 'colsample_bytree'/);
  rejects({ MAX_DEPTH: 3 }, /did you mean 'max_depth'/);
  rejects({ frobnicate: 1 }, /unknown training parameter 'frobnicate'$/);
  rejects({ toString: 1 }, /unknown training parameter 'toString'/);
  rejects({ subsample: 0 }, /'subsample' must be a number in \(0, 1\], got 0/);
  rejects({ colsample_bynode: 1.5 }, /'colsample_bynode' must be a number in \(0, 1\]/);
  rejects({ scale_pos_weight: -1 }, /'scale_pos_weight' must be a number >= 0/);
  rejects({ early_stopping_rounds: 0 }, /'early_stopping_rounds' must be an integer in \[1,/);
  rejects({ num_boost_round: -1 }, /num_boost_round/);
  rejects({ seed: 1.5 }, /'seed' must be an integer/);
  rejects({ tree_method: 'exact' }, /tree_method/);
  rejects({ booster: 'dart' }, /'booster' must be 'gbtree' \(the only supported value\)/);
  rejects({ num_parallel_tree: 2 }, /num_parallel_tree/);
  rejects({ verbosity: 4 }, /verbosity/);
  rejects({ disable_default_eval_metric: 'yes' }, /disable_default_eval_metric/);
  rejects({ eta: 'fast' }, /'eta' must be a number >= 0, got "fast"/);
});

test('num_class goes with the multi-class objectives; metrics must fit the objective; base_score its domain', () => {
  rejects({ objective: 'multi:softmax' }, /'num_class' must be an integer >= 2/);
  rejects({ objective: 'multi:softmax', num_class: 1 }, /num_class/);
  rejects({ objective: 'binary:logistic', num_class: 3 }, /'num_class' must be 0 or 1 for binary:logistic/);
  assert.equal(parseTrainParams({ objective: 'reg:squarederror', num_class: 1 }).numClass, 0);
  rejects({ objective: 'multi:softprob', num_class: 3, eval_metric: 'logloss' }, /a multi-class metric/);
  rejects({ eval_metric: ['auc', 'merror'] }, /not mlogloss or merror/);
  rejects({ eval_metric: ['auc', 7] }, /eval_metric/);
  assert.deepEqual(parseTrainParams({ eval_metric: ['error@0.5', 'error', 'error@0.70'] }).evalMetric, ['error', 'error@0.7']);
  assert.deepEqual(parseTrainParams({ objective: 'multi:softmax', num_class: 3, eval_metric: 'auc' }).evalMetric, ['auc']);
  rejects({ objective: 'reg:logistic', base_score: 0 }, /'base_score' must be in \(0, 1\) for reg:logistic/);
  rejects({ base_score: 0.999999999 }, /base_score/); // 1 once rounded to float32
  assert.equal(parseTrainParams({ objective: 'binary:logitraw', base_score: -2 }).baseScore, -2);
  assert.equal(parseTrainParams({ objective: 'reg:squarederror', base_score: 7.5 }).baseScore, 7.5);
});

test('a continued model supplies objective, num_class and base_score unless given', () => {
  const inherited = { objective: 'multi:softprob', numClass: 5, baseScore: 0.25 };
  const p = parseTrainParams({}, inherited);
  assert.deepEqual([p.objective, p.numClass, p.baseScore], ['multi:softprob', 5, 0.25]);
  assert.equal(parseTrainParams({ objective: 'reg:squarederror' }, inherited).objective, 'reg:squarederror');
});
