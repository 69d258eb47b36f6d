import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { buildHistogram, subtractInto } from '../../../../src/gbdt/grow/hist/histogram.ts';
import { RowPartitioner } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

function randomProblem(nRows: number, nCols: number, seed: number) {
  const rs = new RandomState(seed);
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < data.length; i++) data[i] = rs.randomSample() < 0.1 ? NaN : Math.round(rs.standardNormal() * 20) / 4;
  const gpair = new Float32Array(2 * nRows);
  for (let i = 0; i < nRows; i++) {
    gpair[2 * i] = rs.standardNormal();
    gpair[2 * i + 1] = rs.randomSample();
  }
  return { bm: binMatrix(denseMatrix(data, nRows, nCols), 32), gpair };
}

test('histogram equals per-row sums into each feature slot (missing in the last slot)', () => {
  const { bm, gpair } = randomProblem(300, 4, 1);
  const p = new RowPartitioner(bm);
  p.reset(gpair);
  const hist = new Float64Array(bm.totalSlots * 2);
  buildHistogram(hist, bm, p, 0);
  const expected = new Float64Array(bm.totalSlots * 2);
  for (let r = 0; r < bm.nRows; r++) {
    for (let f = 0; f < bm.nCols; f++) {
      const s = bm.slotOffsets[f] + bm.bins[r * bm.nCols + f];
      expected[2 * s] += gpair[2 * r];
      expected[2 * s + 1] += gpair[2 * r + 1];
    }
  }
  assert.deepEqual(hist, expected);
  // Every feature's slots (with missing) sum to the total.
  const total = gpair.reduce((a, v, i) => (i % 2 === 0 ? a + v : a), 0);
  for (let f = 0; f < bm.nCols; f++) {
    let g = 0;
    for (let s = 0; s <= bm.nBins[f]; s++) g += hist[2 * (bm.slotOffsets[f] + s)];
    assert.ok(Math.abs(g - total) < 1e-9);
  }
});

test('parent minus built child equals the sibling built directly', () => {
  const { bm, gpair } = randomProblem(500, 5, 2);
  const p = new RowPartitioner(bm);
  p.reset(gpair);
  const parent = new Float64Array(bm.totalSlots * 2);
  buildHistogram(parent, bm, p, 0);
  p.split(0, 1, 2, 2, bm.nBins[2], 10, true);
  assert.ok(p.size(1) > 50 && p.size(2) > 50);
  const left = new Float64Array(parent.length);
  const right = new Float64Array(parent.length);
  buildHistogram(left, bm, p, 1);
  buildHistogram(right, bm, p, 2);
  subtractInto(parent, left);
  for (let i = 0; i < parent.length; i++) assert.ok(Math.abs(parent[i] - right[i]) < 1e-9, `slot ${i}`);
  assert.ok(right.some((v) => v !== 0));
});
