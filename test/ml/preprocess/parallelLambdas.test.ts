import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yeoJohnsonLambda, yeoJohnsonLambdas } from '../../../src/ml/index.ts';

function column(n: number, seed: number, distinct: number): Float64Array {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  return Float64Array.from({ length: n }, (_, i) => (i % 29 === 0 ? NaN : Math.floor(next() * distinct) * 0.37 + next() * (distinct > 1000 ? 5 : 0) - 3));
}

test('yeoJohnsonLambdas on worker threads gives the bits of the single-threaded search, in column order', async () => {
  const columns = [column(5000, 1, 40), column(7000, 2, 1e6), column(3000, 3, 5), column(6000, 4, 200)];
  const expected = columns.map((c) => yeoJohnsonLambda(c));
  const parallel = await yeoJohnsonLambdas(columns, { threads: 3, minValuesForWorkers: 0 });
  assert.deepEqual(parallel, expected);
  assert.deepEqual(await yeoJohnsonLambdas(columns, { threads: 1 }), expected);
  assert.deepEqual(await yeoJohnsonLambdas([], { threads: 4, minValuesForWorkers: 0 }), []);
  // the caller's arrays are not transferred away
  assert.equal(columns[0].length, 5000);
});

test('yeoJohnsonLambdas attack: absurd thread counts are clamped to the columns, not spawned', async () => {
  const columns = [column(2000, 5, 30), column(2000, 6, 3000)];
  const expected = columns.map((c) => yeoJohnsonLambda(c));
  for (const threads of [1e9, -5, NaN, 0.5]) assert.deepEqual(await yeoJohnsonLambdas(columns, { threads, minValuesForWorkers: 0 }), expected, String(threads));
});
