import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonFloatRepr } from '../../../src/ml/index.ts';
import { loadFixture } from '../preprocess/mlFixtures.ts';

test('pythonFloatRepr equals Python repr()', () => {
  const cases = loadFixture('metrics.json').pythonRepr;
  const values: Record<string, number> = { inf: Infinity, '-inf': -Infinity };
  for (const { value, repr } of cases) {
    const x = typeof value === 'string' ? values[value] : value;
    assert.equal(pythonFloatRepr(x), repr, `repr(${repr})`);
  }
  assert.equal(pythonFloatRepr(-0), '-0.0');
  assert.equal(pythonFloatRepr(NaN), 'nan');
  assert.equal(pythonFloatRepr(-1.5e-7), '-1.5e-07');
  assert.equal(pythonFloatRepr(123456.0), '123456.0');
});
