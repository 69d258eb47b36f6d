// TreeSHAP on several threads gives the single-thread values bit for bit, and on a deep model
// that splits on the same few features again and again (paths whose elements merge) the
// contributions still add up to the margin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContributionsPool, denseMatrix, predict, predictContributions, train } from '../../../src/gbdt/index.ts';
import { RandomState } from '../../../src/core/index.ts';

function data(rows: number, cols: number, seed: number) {
  const rng = new RandomState(seed);
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x[r * cols + c] = rng.randomSample() < 0.1 ? NaN : rng.randomSample() * 4;
  }
  return denseMatrix(x, rows, cols);
}

const m = data(700, 3, 7);
const labels = Float64Array.from({ length: m.nRows }, (_, r) => (Math.sin((m.data[r * 3] || 0) * 2) > 0 ? 1 : 0));
const model = train(m, labels, { objective: 'binary:logistic', max_depth: 8, eta: 0.3, num_boost_round: 15, min_child_weight: 0 }).model;

test('contributions of a model with repeated splits on one feature sum to the margin', () => {
  const contribs = predictContributions(model, m);
  const margins = predict(model, m, { outputMargin: true });
  for (let r = 0; r < m.nRows; r++) {
    let sum = 0;
    for (let f = 0; f <= 3; f++) sum += contribs[r * 4 + f];
    assert.ok(Math.abs(sum - margins[r]) <= 1e-5, `row ${r}: ${sum} vs ${margins[r]}`);
  }
});

test('ContributionsPool on 1, 2 and 3 threads equals predictContributions bit for bit', async () => {
  const expected = predictContributions(model, m);
  for (const threads of [1, 2, 3]) {
    const pool = new ContributionsPool(model, threads);
    try {
      assert.deepEqual(await pool.contributions(m), expected, `${threads} threads`);
      // A second batch on the same workers, smaller than a thread's minimum share.
      const few = denseMatrix(m.data.slice(0, 5 * 3), 5, 3);
      assert.deepEqual(await pool.contributions(few), expected.slice(0, 5 * 4));
    } finally {
      pool.dispose();
    }
  }
});

test('ContributionsPool refuses a matrix with too few columns', async () => {
  const pool = new ContributionsPool(model, 2);
  try {
    await assert.rejects(pool.contributions(denseMatrix(new Float64Array(4), 2, 2)), /feature/);
  } finally {
    pool.dispose();
  }
});
