import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { denseMatrix, train } from '../../../src/gbdt/index.ts';
import { threadPolicy } from '../../../src/gbdt/grow/hist/driver.ts';

// The grower stays single-threaded below threadPolicy.minRows rows; these tests lower it so
// that their data (kept small for speed) runs on worker threads.
threadPolicy.minRows = 20_000;

function data(nRows: number) {
  const rs = new RandomState(5);
  const nCols = 9;
  const x = new Float64Array(nRows * nCols);
  const y = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const a = rs.standardNormal();
    const b = rs.randomSample() < 0.2 ? NaN : rs.randomSample() * 6 - 3;
    const c = Math.round(rs.randomSample() * 40);
    const k = Math.floor(rs.randomSample() * 4);
    const row = [a, b, c, rs.standardNormal(), rs.randomSample() < 0.5 ? 1 : 0, k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, k === 3 ? 1 : 0];
    x.set(row, r * nCols);
    const m = a - 0.5 * (Number.isNaN(b) ? 1 : b) + 0.05 * c + (k === 2 ? 1.5 : 0);
    y[r] = rs.randomSample() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { x: denseMatrix(x, nRows, nCols), y };
}

test('the trained model is identical for 1, 2 and 3 threads (worker threads, fixed reduction order)', () => {
  const { x, y } = data(30_000);
  const params = { objective: 'binary:logistic', max_depth: 6, eta: 0.3, num_boost_round: 6, min_child_weight: 2 };
  const models = [1, 2, 3].map((nthread) => train(x, y, { ...params, nthread }).toXgboostJson());
  assert.equal(models[1], models[0]);
  assert.equal(models[2], models[0]);
  const lossguide = [1, 2].map((nthread) =>
    train(x, y, { ...params, grow_policy: 'lossguide', max_depth: 0, max_leaves: 31, nthread }).toXgboostJson(),
  );
  assert.equal(lossguide[1], lossguide[0]);
  // Feature subsets per level and node: those children are evaluated on the main thread.
  const sampled = [1, 2].map((nthread) =>
    train(x, y, { ...params, colsample_bylevel: 0.8, colsample_bynode: 0.7, seed: 11, nthread }).toXgboostJson(),
  );
  assert.equal(sampled[1], sampled[0]);
});

test('multi-class with weights and row sampling: identical for 1 and 2 threads', () => {
  const { x, y } = data(24_000);
  const labels = Float64Array.from(y, (v, r) => (v === 1 ? 2 : r % 2));
  const weights = Float64Array.from(y, (_, r) => 0.5 + (r % 3));
  const params = { objective: 'multi:softprob', num_class: 3, max_depth: 4, eta: 0.5, num_boost_round: 3, subsample: 0.8, seed: 3 };
  const models = [1, 2].map((nthread) => train(x, labels, { ...params, nthread }, { weights }).toXgboostJson());
  assert.equal(models[1], models[0]);
});

test('more rows than one root block (ROOT_BLOCK_ROWS): identical for 1, 2 and 3 threads', () => {
  const { x, y } = data(150_000);
  const params = { objective: 'binary:logistic', max_depth: 5, eta: 0.3, num_boost_round: 2 };
  const models = [1, 2, 3].map((nthread) => train(x, y, { ...params, nthread }).toXgboostJson());
  assert.equal(models[1], models[0]);
  assert.equal(models[2], models[0]);
});

test('the JavaScript and the WebAssembly kernels grow the same model, on 1 and 2 threads (SEALED_GBDT_KERNELS)', () => {
  const { x, y } = data(25_000);
  const params = { objective: 'binary:logistic', max_depth: 7, eta: 0.3, num_boost_round: 4, min_child_weight: 2, max_bin: 64 };
  const before = process.env.SEALED_GBDT_KERNELS;
  try {
    const models = (['js', 'wasm'] as const).flatMap((kernels) => {
      process.env.SEALED_GBDT_KERNELS = kernels;
      return [1, 2].map((nthread) => train(x, y, { ...params, nthread }).toXgboostJson());
    });
    for (const m of models.slice(1)) assert.equal(m, models[0]);
  } finally {
    if (before === undefined) delete process.env.SEALED_GBDT_KERNELS;
    else process.env.SEALED_GBDT_KERNELS = before;
  }
});
