import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expForFloat32 } from '../../../src/gbdt/common/expForFloat32.ts';
import { RandomState } from '../../../src/core/index.ts';

test('rounded to float32, expForFloat32 equals Math.exp over the logistic range', () => {
  const rng = new RandomState(7);
  let worst = 0;
  for (let i = 0; i < 2_000_000; i++) {
    const x = -104 + rng.randomSample() * 193;
    const want = Math.exp(x);
    const got = expForFloat32(x);
    worst = Math.max(worst, Math.abs(got - want) / want);
    assert.equal(Math.fround(got), Math.fround(want), `x = ${x}`);
  }
  assert.ok(worst < 1e-14, `relative error ${worst}`);
});

test('expForFloat32 at the edges: zero below float32 range, infinity above, NaN kept', () => {
  for (const x of [-1e9, -Infinity, -104.5, -103.9, -88, -0, 0, 1e-300, 1, 88.7, 88.73, 89, 100, Infinity]) {
    assert.equal(Math.fround(expForFloat32(x)), Math.fround(Math.exp(x)), `x = ${x}`);
  }
  assert.ok(Number.isNaN(expForFloat32(NaN)));
});
