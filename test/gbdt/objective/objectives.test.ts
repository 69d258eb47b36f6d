import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createObjective, sigmoid32 } from '../../../src/gbdt/objective/index.ts';

const binaryLogistic = createObjective('binary:logistic');
const squaredError = createObjective('reg:squarederror');

test('binary:logistic gradients are p - y and p(1 - p) in float32', () => {
  const margins = Float32Array.from([0, 2, -30]);
  const labels = Float32Array.from([1, 0, 1]);
  const gpair = new Float32Array(6);
  binaryLogistic.gradients(margins, labels, undefined, gpair);
  const p = 1 / (1 + Math.exp(-2));
  assert.equal(gpair[0], -0.5);
  assert.equal(gpair[1], 0.25);
  assert.ok(Math.abs(gpair[2] - p) < 1e-7);
  assert.ok(Math.abs(gpair[3] - p * (1 - p)) < 1e-7);
  assert.ok(gpair[5] >= Math.fround(1e-16) && gpair[5] < 1e-12);
  assert.equal(binaryLogistic.baseMargin(0.5) + 0, 0);
  assert.ok(Math.abs(binaryLogistic.baseMargin(0.25) - Math.log(1 / 3)) < 1e-6);
  assert.equal(binaryLogistic.isValidLabel(1.5), false);
  assert.equal(binaryLogistic.isValidLabel(NaN), false);
  // exp is clamped at 88.7, so hugely negative margins give a tiny positive probability, not 0.
  assert.ok(sigmoid32(-1000) > 0 && sigmoid32(-1000) < 1e-38);
});

test('reg:squarederror gradients are margin - y with unit hessian', () => {
  const gpair = new Float32Array(4);
  squaredError.gradients(Float32Array.from([1.5, -2]), Float32Array.from([1, 1]), undefined, gpair);
  assert.deepEqual([...gpair], [0.5, 1, -3, 1]);
  assert.equal(squaredError.baseMargin(0.5), 0.5);
  assert.equal(squaredError.isValidLabel(Infinity), false);
});

const f32 = Math.fround;

test('multi:softprob gradients: (p - [k = y]) w and max(2 p (1 - p) w, 1e-16), softmax in float32', () => {
  const obj = createObjective('multi:softprob', { numClass: 3, scalePosWeight: 1 });
  assert.equal(obj.numGroup, 3);
  const margins = Float32Array.from([0, Math.log(2), 0, -1, -1, -1]);
  const gpair = new Float32Array(12);
  obj.gradients(margins, Float32Array.from([1, 2]), Float32Array.from([2, 1]), gpair);
  const p = [0.25, 0.5, 0.25];
  const expected = [
    ...[0, 1, 2].flatMap((k) => [(p[k] - (k === 1 ? 1 : 0)) * 2, 2 * p[k] * (1 - p[k]) * 2]),
    ...[0, 1, 2].flatMap((k) => [1 / 3 - (k === 2 ? 1 : 0), 2 * (1 / 3) * (2 / 3)]),
  ];
  gpair.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `gpair[${i}] ${v} vs ${expected[i]}`));
  // A certain class: the hessian is floored at 1e-16 rather than 0.
  obj.gradients(Float32Array.from([200, 0, 0]), Float32Array.from([0]), undefined, gpair);
  assert.equal(gpair[0], 0);
  assert.equal(gpair[3], f32(1e-16));
  assert.equal(obj.isValidLabel(2), true);
  assert.equal(obj.isValidLabel(3), false);
  assert.equal(obj.isValidLabel(1.5), false);
  assert.equal(obj.isValidLabel(-1), false);
  assert.equal(obj.defaultMetric, 'mlogloss');
  assert.equal(obj.baseMargin(0.5), 0.5);
});

test('multi:softprob predicts probabilities, multi:softmax the first most likely class; both evaluate on probabilities', () => {
  const margins = Float64Array.from([1, 3, 3, 1000, 0, -1000, -5, -6, -7]);
  const prob = createObjective('multi:softprob', { numClass: 3, scalePosWeight: 1 }).predTransform(margins);
  assert.equal(prob.length, 9);
  for (let r = 0; r < 3; r++) assert.ok(Math.abs(prob[3 * r] + prob[3 * r + 1] + prob[3 * r + 2] - 1) < 1e-6);
  assert.deepEqual([...prob.subarray(3, 6)], [1, 0, 0]);
  const e = Math.exp(2);
  assert.ok(Math.abs(prob[1] - e / (1 + 2 * e)) < 1e-7);
  const max = createObjective('multi:softmax', { numClass: 3, scalePosWeight: 1 });
  assert.deepEqual([...max.predTransform(margins)], [1, 0, 0]);
  assert.deepEqual([...max.evalTransform(margins)], [...prob]);
  assert.throws(() => createObjective('multi:softmax', { numClass: 1, scalePosWeight: 1 }), /num_class >= 2/);
});

test('binary:logitraw trains on sigmoid(margin) but predicts and evaluates the margin; base_score is a margin', () => {
  const raw = createObjective('binary:logitraw');
  const gpair = new Float32Array(2);
  raw.gradients(Float32Array.from([2]), Float32Array.from([0]), undefined, gpair);
  const p = sigmoid32(2);
  assert.deepEqual([...gpair], [p, f32(p * f32(1 - p))]);
  assert.equal(raw.baseMargin(0.25), 0.25);
  assert.deepEqual([...raw.predTransform(Float64Array.from([-3, 4]))], [-3, 4]);
  assert.equal(raw.defaultMetric, 'logloss');
});

test('reg:logistic is binary:logistic with rmse as its default metric', () => {
  const reg = createObjective('reg:logistic');
  assert.equal(reg.defaultMetric, 'rmse');
  assert.equal(reg.baseMargin(0.5) + 0, 0);
  assert.ok(reg.isValidLabel(0.3));
  assert.deepEqual([...reg.predTransform(Float64Array.from([0]))], [0.5]);
});

test('scale_pos_weight multiplies the weight of rows labelled exactly 1, as XGBoost 1.7 does for every RegLossObj', () => {
  const config = { numClass: 0, scalePosWeight: 3 };
  const sq = createObjective('reg:squarederror', config);
  const gpair = new Float32Array(6);
  sq.gradients(Float32Array.from([0.5, 0.5, 0.5]), Float32Array.from([1, 0, 1.5]), Float32Array.from([2, 2, 2]), gpair);
  assert.deepEqual([...gpair], [-3, 6, 1, 2, -2, 2]);
  const logistic = createObjective('binary:logistic', config);
  logistic.gradients(Float32Array.from([0, 0, 0]), Float32Array.from([1, 0, 0.5]), undefined, gpair);
  assert.deepEqual([...gpair], [-1.5, 0.75, 0.5, 0.25, 0, 0.25]);
});
