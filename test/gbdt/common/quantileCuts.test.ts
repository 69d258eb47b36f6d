import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuantileCuts, searchBin, binCount } from '../../../src/gbdt/common/quantileCuts.ts';
import { denseMatrix } from '../../../src/gbdt/index.ts';

const f32 = Math.fround;
const column = (values: number[]) => denseMatrix(Float64Array.from(values), values.length, 1);

test('few distinct values: one bin per value, cuts are the values above the minimum plus a top cut', () => {
  const cuts = buildQuantileCuts(column([3, 1, 2, 2, NaN, 1, 5]), 256);
  const top = f32(5 + f32(5 + f32(1e-5)));
  assert.deepEqual([...cuts.values], [2, 3, 5, top]);
  assert.equal(binCount(cuts, 0), 4);
  assert.equal(cuts.minValues[0], f32(f32(1 - 1) - f32(1e-5)));
});

test('negative minimum: min value is v - |v| - 1e-5', () => {
  const cuts = buildQuantileCuts(column([-2, 0.5]), 256);
  assert.equal(cuts.minValues[0], f32(f32(-2 - 2) - f32(1e-5)));
  assert.equal(cuts.values[0], 0.5);
});

test('an all-missing column still gets one bin', () => {
  const cuts = buildQuantileCuts(column([NaN, NaN]), 256);
  assert.equal(binCount(cuts, 0), 1);
  assert.equal(cuts.minValues[0], f32(1e-5));
});

test('many distinct values are reduced to at most max_bin increasing cuts spanning the data', () => {
  const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
  const cuts = buildQuantileCuts(column(values), 16);
  const n = binCount(cuts, 0);
  assert.ok(n <= 16 && n >= 8, `bins ${n}`);
  for (let i = 1; i < n; i++) assert.ok(cuts.values[i] > cuts.values[i - 1]);
  assert.ok(cuts.values[n - 1] > Math.max(...values));
  // Roughly equal-frequency bins.
  const counts = new Array(n).fill(0);
  for (const v of values) counts[searchBin(cuts, 0, v)]++;
  assert.ok(Math.max(...counts.slice(0, n - 1)) < (2 * values.length) / (n - 1), counts.join(','));
});

test('searchBin: x < cut[b] exactly when bin(x) <= b; values past the top cut clamp to the last bin', () => {
  const cuts = buildQuantileCuts(column([1, 2, 3, 4]), 256);
  assert.equal(searchBin(cuts, 0, 1), 0);
  assert.equal(searchBin(cuts, 0, 1.5), 0);
  assert.equal(searchBin(cuts, 0, 2), 1);
  assert.equal(searchBin(cuts, 0, 4), 3);
  assert.equal(searchBin(cuts, 0, 1e9), 3);
  assert.equal(searchBin(cuts, 0, -1e9), 0);
  for (const x of [0.5, 1, 2.5, 3, 3.99, 4]) {
    for (let b = 0; b < 4; b++) assert.equal(x < cuts.values[b], searchBin(cuts, 0, x) <= b, `x=${x} b=${b}`);
  }
});

test('weights: a value seen only on zero-weight rows gets no cut; unit weights change nothing', () => {
  const m = column([1, 2, 3, 4, 5]);
  const plain = buildQuantileCuts(m, 256);
  assert.deepEqual(buildQuantileCuts(m, 256, Float32Array.from([1, 1, 1, 1, 1])), plain);
  const cuts = buildQuantileCuts(m, 256, Float32Array.from([1, 0, 1, 1, 0]));
  const top = f32(4 + f32(4 + f32(1e-5)));
  assert.deepEqual([...cuts.values], [3, 4, top]);
  // Only zero weights: the column is treated as empty (one bin).
  const empty = buildQuantileCuts(column([1, 2]), 256, Float32Array.from([0, 0]));
  assert.equal(binCount(empty, 0), 1);
});

test('weights move the cuts of a column with more distinct values than max_bin toward heavy values', () => {
  const values = Array.from({ length: 100 }, (_, i) => i);
  const light = buildQuantileCuts(column(values), 4);
  // Rows 80..99 weigh 20 times more: most cuts fall among them.
  const w = Float32Array.from(values, (v) => (v >= 80 ? 20 : 1));
  const heavy = buildQuantileCuts(column(values), 4, w);
  const inner = (c: typeof light) => [...c.values.subarray(0, binCount(c, 0) - 1)];
  assert.ok(inner(light).filter((v) => v >= 80).length <= 1, `unweighted ${inner(light)}`);
  assert.ok(inner(heavy).filter((v) => v >= 80).length >= 2, `weighted ${inner(heavy)}`);
});
