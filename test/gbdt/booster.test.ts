import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, UsageError } from '../../src/core/index.ts';
import { Booster, denseMatrix, train, trainAsync } from '../../src/gbdt/index.ts';
import { fixtureModelText, loadFixtures, maxAbsDiff } from './fixtureData.ts';

const fx = loadFixtures();
const labelsOf = (label: 'bin' | 'reg') => (label === 'bin' ? fx.yBin : fx.yReg);

test('Python XGBoost 1.7 models load and predict within 1e-6 of XGBoost (margin and output)', () => {
  for (const [name, m] of Object.entries(fx.models)) {
    const b = Booster.fromXgboostJson(fixtureModelText(name));
    assert.ok(maxAbsDiff(b.predict(fx.x, { outputMargin: true }), m.margin) <= 1e-6, name);
    assert.ok(maxAbsDiff(b.predict(fx.x), m.prediction) <= 1e-6, name);
  }
});

test('training with XGBoost parameters on the fixture data reproduces XGBoost trees and predictions', () => {
  for (const [name, m] of Object.entries(fx.models)) {
    const ours = train(fx.x, labelsOf(m.label), m.params);
    assert.ok(maxAbsDiff(ours.predict(fx.x, { outputMargin: true }), m.margin) <= 1e-5, name);
    const theirs = Booster.fromXgboostJson(fixtureModelText(name)).model.trees;
    assert.equal(ours.model.trees.length, theirs.length, name);
    ours.model.trees.forEach((t, i) => {
      const u = theirs[i];
      assert.equal(t.numNodes, u.numNodes, `${name} tree ${i}`);
      const n = t.numNodes;
      assert.deepEqual(t.left.subarray(0, n), u.left, `${name} tree ${i}`);
      assert.deepEqual(t.splitIndex.subarray(0, n), u.splitIndex, `${name} tree ${i}`);
      assert.deepEqual(t.defaultLeft.subarray(0, n), u.defaultLeft, `${name} tree ${i}`);
      assert.ok(maxAbsDiff(t.splitCondition.subarray(0, n), u.splitCondition) <= 1e-6, `${name} tree ${i}`);
    });
  }
});

test('saving and loading our model is lossless, and the saved text is stable', () => {
  const m = fx.models.binary_depthwise;
  const b = train(fx.x, fx.yBin, m.params);
  const text = b.toXgboostJson();
  const back = Booster.fromXgboostJson(text);
  assert.deepEqual(back.predict(fx.x), b.predict(fx.x));
  assert.equal(back.toXgboostJson(), text);
  const parsed = JSON.parse(text);
  assert.deepEqual(parsed.version, [1, 7, 4]);
  assert.equal(parsed.learner.learner_model_param.base_score, '5E-1');
  assert.equal(parsed.learner.gradient_booster.model.trees[0].parents[0], 2147483647);
  assert.equal(text.match(/"split_type"/g)?.length, m.params.num_boost_round);
});

test('Python model round trip keeps every tree array exactly', () => {
  const text = fixtureModelText('binary_lossguide');
  const resaved = JSON.parse(Booster.fromXgboostJson(text).toXgboostJson());
  const original = JSON.parse(text);
  assert.deepEqual(resaved.learner.gradient_booster.model.trees, original.learner.gradient_booster.model.trees);
  assert.deepEqual(resaved.learner.attributes, original.learner.attributes);
});

test('training is deterministic and reports progress', () => {
  const rounds: number[] = [];
  const a = train(fx.x, fx.yBin, { max_depth: 3, num_boost_round: 4 }, { onRound: (r, total) => rounds.push(r * 10 + total) });
  const b = train(fx.x, fx.yBin, { max_depth: 3, num_boost_round: 4 });
  assert.equal(a.toXgboostJson(), b.toXgboostJson());
  assert.deepEqual(rounds, [14, 24, 34, 44]);
});

test('bad parameters name the parameter', () => {
  const x = denseMatrix(Float64Array.from([1, 2]), 2, 1);
  const y = [0, 1];
  assert.throws(() => train(x, y, { max_dept: 3 }), (e: unknown) => e instanceof UsageError && /max_dept/.test(e.message));
  assert.throws(() => train(x, y, { eta: -1 }), (e: unknown) => e instanceof UsageError && /'eta'/.test(e.message));
  assert.throws(() => train(x, y, { max_depth: 2.5 }), /max_depth/);
  assert.throws(() => train(x, y, { eta: 0.1, learning_rate: 0.2 }), /given twice/);
  assert.throws(() => train(x, y, { objective: 'multi:softmaxx' }), /objective/);
  assert.throws(() => train(x, y, { objective: 'multi:softmax' }), /num_class/);
  assert.throws(() => train(x, y, { learning_rat: 0.1 }), /did you mean 'learning_rate'/);
  assert.throws(() => train(x, y, { base_score: 1 }), /base_score/);
  assert.throws(() => train(x, y, { eval_metric: 'mape2' }), /eval_metric/);
  assert.throws(() => train(x, y, { tree_method: 'exact' }), /tree_method/);
});

test('bad labels and matrices are DataErrors with the row', () => {
  const x = denseMatrix(Float64Array.from([1, 2, 3]), 3, 1);
  assert.throws(() => train(x, [0, 2, 1], {}), (e: unknown) => e instanceof DataError && /row 1/.test(e.message));
  assert.throws(() => train(x, [0, NaN, 1], {}), (e: unknown) => e instanceof DataError && /NaN/.test(e.message));
  assert.throws(() => train(x, [0, 1], {}), /2 labels for 3/);
  assert.throws(() => train(x, [0, NaN, 1], { objective: 'reg:squarederror' }), DataError);
  const inf = denseMatrix(Float64Array.from([1, Infinity]), 2, 1);
  assert.throws(() => train(inf, [0, 1], {}), /row 1, column 0/);
  assert.throws(() => denseMatrix(new Float64Array(3), 2, 2), DataError);
});

test('trainAsync builds the same model as train and stops between rounds when its signal aborts', async () => {
  const data = new Float64Array(400);
  const y: number[] = [];
  for (let i = 0; i < 200; i++) {
    data[2 * i] = i % 17;
    data[2 * i + 1] = (i * 7) % 13;
    y.push(i % 17 > 8 ? 1 : 0);
  }
  const m = { data, nRows: 200, nCols: 2 };
  const params = { objective: 'binary:logistic', num_boost_round: 20, max_depth: 3 };
  const a = train(m, y, params).toXgboostJson();
  const b = (await trainAsync(m, y, params)).toXgboostJson();
  assert.equal(b, a);
  const controller = new AbortController();
  let rounds = 0;
  await assert.rejects(
    trainAsync(m, y, params, {
      signal: controller.signal,
      onRound: (round) => {
        rounds = round;
        if (round === 5) controller.abort(new Error('stop'));
      },
    }),
    /stop/,
  );
  assert.equal(rounds, 5);
});

test('weights are checked: count, finite, non-negative; the row is named', () => {
  const x = denseMatrix(Float64Array.from([1, 2, 3]), 3, 1);
  const y = [0, 1, 1];
  assert.throws(() => train(x, y, {}, { weights: [1, 1] }), (e: unknown) => e instanceof DataError && /2 weights for 3 rows/.test(e.message));
  assert.throws(() => train(x, y, {}, { weights: [1, -1, 1] }), (e: unknown) => e instanceof DataError && /weight -1 at row 1/.test(e.message));
  assert.throws(() => train(x, y, {}, { weights: [1, 1, NaN] }), /weight NaN at row 2/);
  assert.throws(() => train(x, y, {}, { weights: [1e39, 1, 1] }), /row 0/);
  // Zero weights are fine (the row simply does not count).
  assert.equal(train(x, y, { num_boost_round: 1 }, { weights: [0, 1, 1] }).model.trees.length, 1);
});

test('multi-class labels must be class indices; eval sets are checked and named', () => {
  const x = denseMatrix(Float64Array.from([1, 2, 3, 4]), 4, 1);
  const multi = { objective: 'multi:softprob', num_class: 3 };
  assert.throws(() => train(x, [0, 1, 3, 2], multi), (e: unknown) => e instanceof DataError && /label 3 at row 2 .*integers in \[0, 3\)/.test(e.message));
  assert.throws(() => train(x, [0, 1, 1.5, 2], multi), /row 2/);
  const y = [0, 1, 0, 1];
  const evalSet = (over: object) => ({ name: 'valid', data: x, labels: y, ...over });
  assert.throws(() => train(x, y, {}, { evals: [evalSet({ labels: [0, 1, 2, 1] })] }), /label 2 at row 2 of eval set 'valid'/);
  assert.throws(() => train(x, y, {}, { evals: [evalSet({ labels: [0, 1] })] }), /eval set 'valid': 2 labels for 4/);
  assert.throws(() => train(x, y, {}, { evals: [evalSet({ weights: [1, 1, -2, 1] })] }), /weight -2 at row 2 of eval set 'valid'/);
  assert.throws(() => train(x, y, {}, { evals: [evalSet({ data: denseMatrix(new Float64Array(8), 4, 2) })] }), /eval set 'valid': 2 columns/);
  assert.throws(() => train(x, y, {}, { evals: [evalSet({}), evalSet({})] }), /two eval sets have this name/);
  assert.throws(() => train(x, y, { eval_metric: 'mlogloss' }), /eval_metric/);
});

test('early stopping needs an eval set and a metric', () => {
  const x = denseMatrix(Float64Array.from([1, 2, 3, 4]), 4, 1);
  const y = [0, 1, 0, 1];
  assert.throws(() => train(x, y, { early_stopping_rounds: 2 }), (e: unknown) => e instanceof UsageError && /at least one eval set/.test(e.message));
  const evals = [{ name: 'v', data: x, labels: y }];
  assert.throws(() => train(x, y, { early_stopping_rounds: 2, disable_default_eval_metric: 1 }, { evals }), /eval metric/);
  // Without metrics and without early stopping, eval sets report nothing.
  const quiet = train(x, y, { num_boost_round: 2, disable_default_eval_metric: true }, { evals });
  assert.deepEqual(quiet.evalsResult, {});
  const loud = train(x, y, { num_boost_round: 2 }, { evals });
  assert.deepEqual(Object.keys(loud.evalsResult.v), ['logloss']);
});

test('continuing a model checks objective, classes, base_score and features; unset ones are inherited', () => {
  const x = denseMatrix(Float64Array.from([1, 2, 3, 4, 5, 6]), 6, 1);
  const y = [0, 1, 2, 0, 1, 2];
  const first = train(x, y, { objective: 'multi:softmax', num_class: 3, num_boost_round: 2, base_score: 0.2 });
  const more = train(x, y, { num_boost_round: 1 }, { initModel: first.model });
  assert.equal(more.model.objective, 'multi:softmax');
  assert.equal(more.model.numClass, 3);
  assert.equal(more.model.baseScore, Math.fround(0.2));
  assert.equal(more.model.trees.length, 9);
  const mismatch = (params: Record<string, unknown>, m = x) => () => train(m, y, params, { initModel: first.model });
  assert.throws(mismatch({ objective: 'multi:softprob', num_class: 3 }), (e: unknown) => e instanceof UsageError && /objective is multi:softmax/.test(e.message));
  assert.throws(mismatch({ num_class: 4 }), /num_class is 3/);
  assert.throws(mismatch({ base_score: 0.5 }), /base_score/);
  assert.throws(mismatch({}, denseMatrix(new Float64Array(12), 6, 2)), /number of features is 1/);
});
