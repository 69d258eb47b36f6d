// Prediction of every supported model kind against XGBoost 1.7's own predictions on the
// format fixtures (fixtures/gbdt/make_format_fixtures.py), from both file formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError, UsageError } from '../../../src/core/index.ts';
import { denseMatrix, parseModel, predict, type GbdtModel } from '../../../src/gbdt/index.ts';
import { fixtureModelBytes, loadFormatFixtures, maxAbsDiff } from '../io/formatFixtures.ts';

const fx = loadFormatFixtures();
const load = (name: string, ext: 'json' | 'ubj' = 'json'): GbdtModel => parseModel(fixtureModelBytes(name, ext), `${name}.${ext}`);

test('every model kind predicts within 1e-6 of XGBoost: margins and outputs, JSON and UBJSON', () => {
  for (const [name, e] of Object.entries(fx.models)) {
    for (const ext of ['json', 'ubj'] as const) {
      const m = load(name, ext);
      assert.ok(maxAbsDiff(predict(m, fx.x, { outputMargin: true }), e.margin) <= 1e-6, `${name}.${ext} margin`);
      assert.ok(maxAbsDiff(predict(m, fx.x), e.prediction) <= 1e-6, `${name}.${ext} prediction`);
    }
  }
});

test('iteration ranges select whole rounds as XGBoost does (groups and parallel trees per round)', () => {
  let checked = 0;
  for (const [name, e] of Object.entries(fx.models)) {
    const m = load(name, 'ubj');
    for (const r of e.ranges) {
      const opts = { iterationRange: r.range } as const;
      assert.ok(maxAbsDiff(predict(m, fx.x, { ...opts, outputMargin: true }), r.margin) <= 1e-6, `${name} ${r.range}`);
      assert.ok(maxAbsDiff(predict(m, fx.x, opts), r.prediction) <= 1e-6, `${name} ${r.range}`);
      checked++;
    }
  }
  assert.ok(checked >= 9);
  const forest = load('binary_forest');
  // [0, 0) is "every round", like XGBoost's default.
  assert.deepEqual(predict(forest, fx.x, { iterationRange: [0, 0] }), predict(forest, fx.x));
  // An empty range leaves the base margin: logit(0.5) = 0.
  assert.ok(predict(forest, fx.x, { iterationRange: [2, 2], outputMargin: true }).every((v) => v === 0));
});

test('output layout: n x numClass row-major for margins and softprob, class indices for softmax', () => {
  const n = fx.x.nRows;
  const prob = predict(load('multi_softprob'), fx.x);
  assert.equal(prob.length, n * 3);
  for (let r = 0; r < n; r++) assert.ok(Math.abs(prob[3 * r] + prob[3 * r + 1] + prob[3 * r + 2] - 1) < 1e-6);
  const softmax = load('multi_softmax');
  const margins = predict(softmax, fx.x, { outputMargin: true });
  const classes = predict(softmax, fx.x);
  assert.equal(margins.length, n * 3);
  assert.equal(classes.length, n);
  for (let r = 0; r < n; r++) {
    const row = Array.from(margins.subarray(3 * r, 3 * r + 3));
    assert.equal(classes[r], row.indexOf(Math.max(...row)), `row ${r}`);
  }
  assert.equal(predict(load('binary_logitraw'), fx.x).length, n);
  // logitraw outputs the margin itself.
  assert.deepEqual(predict(load('binary_logitraw'), fx.x), predict(load('binary_logitraw'), fx.x, { outputMargin: true }));
});

test('invalid iteration ranges are usage errors naming the range and the rounds', () => {
  const m = load('multi_softprob'); // 4 rounds of 3 trees
  const bad = (range: [number, number], pattern: RegExp) =>
    assert.throws(
      () => predict(m, fx.x, { iterationRange: range }),
      (e: unknown) => e instanceof UsageError && /model of 4 rounds/.test(e.message) && pattern.test(e.message),
      String(range),
    );
  bad([0, 5], /\[0, 5\).*end is past the last round/);
  bad([3, 2], /begin is after end/);
  bad([-1, 2], /non-negative integers/);
  bad([0.5, 2], /non-negative integers/);
  bad([5, 0], /begin is after end/);
  assert.equal(predict(m, fx.x, { iterationRange: [4, 0] }).length, fx.x.nRows * 3);
});

test('prediction needs as many columns as the model has features', () => {
  assert.throws(() => predict(load('reg_logistic'), denseMatrix(new Float64Array(3), 1, 3)), (e: unknown) => e instanceof ModelError && /expects 4 features/.test(e.message));
});
