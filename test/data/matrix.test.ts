import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/core/errors.ts';
import { categoricalFromStrings, numericColumn, Table, tableFromMatrix, tableToMatrix } from '../../src/data/index.ts';

test('row-major matrix <-> table', () => {
  const m = Float64Array.from([1, 2, 3, 4, 5, NaN]);
  const t = tableFromMatrix(m, 2, 3, ['a', 'b', 'c']);
  assert.deepEqual(Array.from(t.numeric('a').values), [1, 4]);
  assert.deepEqual(Array.from(t.numeric('c').values), [3, NaN]);
  assert.deepEqual(tableToMatrix(t), m);
  assert.deepEqual(Array.from(tableToMatrix(t, ['c', 'a'])), [3, 1, NaN, 4]);
});

test('shape and kind errors', () => {
  assert.throws(() => tableFromMatrix(new Float64Array(5), 2, 3, ['a', 'b', 'c']), (e: unknown) => e instanceof UsageError && e.code === 'data.table.shape');
  const t = new Table([numericColumn('x', [1]), categoricalFromStrings('s', ['a'])]);
  assert.throws(() => tableToMatrix(t), (e: unknown) => e instanceof UsageError && e.code === 'data.table.notNumeric');
});
