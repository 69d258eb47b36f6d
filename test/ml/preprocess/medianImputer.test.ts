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

test('nanMedian attack: adversarial orders (sorted, reversed, organ pipe, all equal, many ties, signed zeros) give what a full sort gives', () => {
  const bySort = (v: ArrayLike<number>): number => {
    const s = Float64Array.from(v).filter((x) => !Number.isNaN(x)).sort();
    const n = s.length;
    if (n === 0) return NaN;
    const m = n >> 1;
    return n % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const n = 20001;
  const inputs: number[][] = [
    Array.from({ length: n }, (_, i) => i),
    Array.from({ length: n }, (_, i) => -i),
    Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
    Array.from({ length: n - 1 }, () => 3),
    Array.from({ length: n }, (_, i) => i % 3),
    Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : (i * 7919) % 101)),
  ];
  for (let seed = 1; seed <= 300; seed++) {
    const len = 1 + (seed % 23);
    inputs.push(Array.from({ length: len }, (_, i) => [0, -0, 1, -1, NaN, 0.5][(seed * 31 + i * 17) % 6]));
  }
  for (const v of inputs) assert.ok(Object.is(nanMedian(v), bySort(v)), `length ${v.length}: ${nanMedian(v)} vs ${bySort(v)}`);
});
