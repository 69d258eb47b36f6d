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
