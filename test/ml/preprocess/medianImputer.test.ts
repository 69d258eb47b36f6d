import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numericColumn, Table } from '../../../src/data/index.ts';
import { denseMatrix, fitMedianImputer, matrixColumn, medianImputerTransform, nanMedian } from '../../../src/ml/index.ts';

test('nanMedian ignores NaN and halves the sum of the two middle values', () => {
  assert.equal(nanMedian([3, NaN, 1, 2]), 2);
  assert.equal(nanMedian([4, 1, NaN, 3, 2]), 2.5);
  assert.equal(nanMedian([0.1, 0.2]), (0.1 + 0.2) / 2);
  assert.ok(Number.isNaN(nanMedian([NaN, NaN])));
  assert.ok(Number.isNaN(nanMedian([])));
});

test('medianImputer fills NaN with the training median and drops all-missing columns', () => {
  const train = new Table([numericColumn('a', [1, NaN, 5, 4]), numericColumn('gone', [NaN, NaN, NaN, NaN]), numericColumn('b', [NaN, 7, 7, 9])]);
  const { state, warnings } = fitMedianImputer(train, ['a', 'gone', 'b']);
  assert.deepEqual(state.statistics, [4, null, 7]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /without any observed values: \['gone'\]/);
  const test_ = new Table([numericColumn('a', [NaN, 2]), numericColumn('gone', [1, NaN]), numericColumn('b', [NaN, NaN])]);
  const out = denseMatrix(2, 2);
  medianImputerTransform(state, test_, out, 0);
  assert.deepEqual(Array.from(matrixColumn(out, 0)), [4, 2]);
  assert.deepEqual(Array.from(matrixColumn(out, 1)), [7, 7]);
});
