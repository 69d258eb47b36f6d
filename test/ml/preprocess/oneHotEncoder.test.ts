import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoricalColumn, categoricalFromStrings, Table } from '../../../src/data/index.ts';
import { compareCodePoints, denseMatrix, fitOneHotEncoder, oneHotFeatureNames, oneHotTransform } from '../../../src/ml/index.ts';

test('compareCodePoints orders like Python str comparison', () => {
  const words = ['b', 'B', 'a', '\u{1F600}', '\uFF5E', 'é', 'ab', 'a', ''];
  const sorted = [...words].sort(compareCodePoints);
  // Python: sorted(['b','B','a','😀','～','é','ab','a','']) -> ['', 'B', 'a', 'a', 'ab', 'b', 'é', '～', '😀']
  assert.deepEqual(sorted, ['', 'B', 'a', 'a', 'ab', 'b', 'é', '\uFF5E', '\u{1F600}']);
  assert.notDeepEqual([...words].sort(), sorted); // UTF-16 order differs here
});

test('categories are the sorted values seen in fit, missing last as its own category', () => {
  const train = new Table([categoricalFromStrings('c', ['red', null, 'blue', 'red'])]);
  // a dictionary entry that no row uses is not a category
  const withUnused = new Table([categoricalColumn('d', Int32Array.of(1, 1, 2), ['never', 'y', 'x'])]);
  const { state } = fitOneHotEncoder(train, ['c']);
  assert.deepEqual(state.categories, [['blue', 'red', null]]);
  assert.deepEqual(oneHotFeatureNames(state), ['c_blue', 'c_red', 'c_nan']);
  assert.deepEqual(fitOneHotEncoder(withUnused, ['d']).state.categories, [['x', 'y']]);
});

test('unknown values give all-zero blocks; missing maps to the nan column only if seen in fit', () => {
  const train = new Table([categoricalFromStrings('c', ['a', 'b']), categoricalFromStrings('k', ['x', null])]);
  const { state } = fitOneHotEncoder(train, ['c', 'k']);
  const test_ = new Table([categoricalFromStrings('c', ['zzz', null, 'b']), categoricalFromStrings('k', [null, 'new', 'x'])]);
  const out = denseMatrix(3, 4);
  out.data.fill(7); // every cell must be written
  oneHotTransform(state, test_, out, 0);
  assert.deepEqual(Array.from(out.data), [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0]);
});
