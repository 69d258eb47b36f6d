import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { shareColumns, subtractHistogram } from '../../../../src/gbdt/grow/hist/histogram.ts';
import { nodeHistogram, problem, splitNode } from './helpers.ts';

function randomProblem(nRows: number, nCols: number, seed: number) {
  const rs = new RandomState(seed);
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < data.length; i++) data[i] = rs.randomSample() < 0.1 ? NaN : Math.round(rs.standardNormal() * 20) / 4;
  const gpair = new Float32Array(2 * nRows);
  for (let i = 0; i < nRows; i++) {
    gpair[2 * i] = rs.standardNormal();
    gpair[2 * i + 1] = rs.randomSample();
  }
  return { p: problem(data, nRows, nCols, gpair, { maxBin: 32 }), gpair };
}

test('histogram equals per-row sums into each feature slot (missing in the last slot)', () => {
  const { p, gpair } = randomProblem(300, 4, 1);
  const { bm, pm } = p;
  const hist = nodeHistogram(p, 0);
  const expected = new Float64Array(pm.totalSlots * 2);
  for (let r = 0; r < bm.nRows; r++) {
    for (let f = 0; f < bm.nCols; f++) {
      const s = pm.colSlotOffset[pm.featureCol[f]] + bm.bins[r * bm.nCols + f];
      expected[2 * s] += gpair[2 * r];
      expected[2 * s + 1] += gpair[2 * r + 1];
    }
  }
  assert.deepEqual(hist, expected);
  const total = gpair.reduce((a, v, i) => (i % 2 === 0 ? a + v : a), 0);
  for (let f = 0; f < bm.nCols; f++) {
    let g = 0;
    for (let s = 0; s <= bm.nBins[f]; s++) g += hist[2 * (pm.colSlotOffset[pm.featureCol[f]] + s)];
    assert.ok(Math.abs(g - total) < 1e-9);
  }
});

test('parent minus built child equals the sibling built directly', () => {
  const { p } = randomProblem(500, 5, 2);
  const parent = nodeHistogram(p, 0);
  splitNode(p, 0, 1, 2, 2, 10, true);
  assert.ok(p.part.size(1) > 50 && p.part.size(2) > 50);
  const left = nodeHistogram(p, 1);
  const right = nodeHistogram(p, 2);
  subtractHistogram(parent, 0, left, 0, 0, parent.length);
  for (let i = 0; i < parent.length; i++) assert.ok(Math.abs(parent[i] - right[i]) < 1e-9, `slot ${i}`);
  assert.ok(right.some((v) => v !== 0));
});

test('two-byte bins (a feature with more than 255 bins and missing values) build the same sums', () => {
  const n = 2000;
  const data = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? NaN : i));
  const gpair = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 1 : (i % 7) - 3));
  const p = problem(data, n, 1, gpair, { maxBin: 512 });
  assert.equal(p.pm.bytesPerBin, 2);
  const hist = nodeHistogram(p, 0);
  let g = 0;
  let missing = 0;
  for (let r = 0; r < n; r++) {
    g += gpair[2 * r];
    if (r % 10 === 0) missing += gpair[2 * r];
  }
  const nb = p.bm.nBins[0];
  assert.equal(hist.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0), g);
  assert.equal(hist[2 * nb], missing);
});

test('columns are shared out in contiguous ranges covering every column once', () => {
  const layout = { nCols: 11, colSlotOffset: Uint32Array.from([0, 257, 514, 771, 1028, 1285, 1542, 1799, 1804, 1811, 1819]), totalSlots: 1822, bytesPerBin: 1 as const };
  for (const threads of [1, 2, 3, 4, 16]) {
    const shares = shareColumns(layout, threads);
    assert.equal(shares.length, threads);
    const all = shares.flatMap((s) => [...s]);
    assert.deepEqual(all, Array.from({ length: 11 }, (_, c) => c));
  }
  const [a, b] = shareColumns(layout, 2);
  assert.ok(a.length >= 4 && b.length >= 4, 'two threads get a balanced split');
});
