import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { denseMatrix, train } from '../../../src/gbdt/index.ts';
import { threadPolicy } from '../../../src/gbdt/grow/hist/driver.ts';
import type { ThreadShare } from '../../../src/gbdt/parallel/threadChoice.ts';

// Every way of sharing a command's tasks (threadChoice.ts) must grow the trees one thread
// grows: 'workersOnly' leaves every task to the workers, 'always' lets the main thread and
// the workers race for them, 'adaptive' switches between that and the main thread alone.
threadPolicy.minRows = 0;

/** A loan-like matrix: 26 columns of continuous, integer, one-hot and missing values. */
function loanLike(nRows: number, seed = 7) {
  const rs = new RandomState(seed);
  const nCols = 26;
  const x = new Float64Array(nRows * nCols);
  const y = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const o = r * nCols;
    const income = Math.exp(10 + 0.6 * rs.standardNormal());
    const age = 20 + Math.floor(rs.randomSample() * 50);
    const rate = rs.randomSample() < 0.1 ? NaN : 5 + 15 * rs.randomSample();
    const grade = Math.floor(rs.randomSample() * 7);
    const home = Math.floor(rs.randomSample() * 4);
    x[o] = age;
    x[o + 1] = income;
    x[o + 2] = rs.randomSample() < 0.03 ? NaN : Math.floor(rs.randomSample() * 30);
    x[o + 3] = Math.round(income * 0.2 * rs.randomSample());
    x[o + 4] = rate;
    x[o + 5] = Math.round(100 * rs.randomSample()) / 100;
    x[o + 6] = Math.floor(rs.randomSample() * 25);
    x[o + 7] = rs.standardNormal();
    for (let k = 0; k < 4; k++) x[o + 8 + k] = home === k ? 1 : 0;
    for (let k = 0; k < 7; k++) x[o + 12 + k] = grade === k ? 1 : 0;
    for (let k = 0; k < 6; k++) x[o + 19 + k] = Math.floor(rs.randomSample() * 6) === k ? 1 : 0;
    x[o + 25] = rs.randomSample() < 0.2 ? 1 : 0;
    const m = -2 + 0.3 * grade + (Number.isNaN(rate) ? 0 : 0.1 * (rate - 10)) - 0.5 * Math.log(income / 30000) + (home === 2 ? 0.8 : 0);
    y[r] = rs.randomSample() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { x: denseMatrix(x, nRows, nCols), y };
}

function trainWith(share: ThreadShare, fn: () => string): string {
  const before = threadPolicy.share;
  threadPolicy.share = share;
  try {
    return fn();
  } finally {
    threadPolicy.share = before;
  }
}

const SHARES: ThreadShare[] = ['workersOnly', 'always', 'adaptive'];

test('a 24k-row loan-like matrix (depth 10): the same model JSON for 1 and 2 threads, every way of sharing', () => {
  const { x, y } = loanLike(24_435);
  const params = { objective: 'binary:logistic', max_depth: 10, eta: 0.02, min_child_weight: 6, num_boost_round: 12 };
  const one = train(x, y, { ...params, nthread: 1 }).toXgboostJson();
  for (const share of SHARES) {
    for (const nthread of [2, 3]) {
      assert.equal(trainWith(share, () => train(x, y, { ...params, nthread }).toXgboostJson()), one, `${share}, ${nthread} threads`);
    }
  }
});

test('lossguide, feature subsets, multi-class with weights and row sampling: the workers alone grow the same trees', () => {
  const { x, y } = loanLike(9_000, 3);
  const base = { objective: 'binary:logistic', max_depth: 6, eta: 0.3, num_boost_round: 4, min_child_weight: 2 };
  const variants: Record<string, unknown>[] = [
    { grow_policy: 'lossguide', max_depth: 0, max_leaves: 31 },
    { colsample_bylevel: 0.8, colsample_bynode: 0.7, seed: 11 },
  ];
  for (const v of variants) {
    const one = train(x, y, { ...base, ...v, nthread: 1 }).toXgboostJson();
    assert.equal(trainWith('workersOnly', () => train(x, y, { ...base, ...v, nthread: 2 }).toXgboostJson()), one, JSON.stringify(v));
  }
  const labels = Float64Array.from(y, (v, r) => (v === 1 ? 2 : r % 2));
  const weights = Float64Array.from(y, (_, r) => 0.5 + (r % 3));
  const multi = { objective: 'multi:softprob', num_class: 3, max_depth: 4, eta: 0.5, num_boost_round: 3, subsample: 0.8, seed: 3 };
  const one = train(x, labels, { ...multi, nthread: 1 }, { weights }).toXgboostJson();
  for (const share of SHARES) {
    assert.equal(trainWith(share, () => train(x, labels, { ...multi, nthread: 2 }, { weights }).toXgboostJson()), one, share);
  }
});

test('more rows than one root block, JavaScript and WebAssembly kernels: the workers alone grow the same trees', () => {
  const { x, y } = loanLike(70_000, 5);
  const params = { objective: 'binary:logistic', max_depth: 5, eta: 0.3, num_boost_round: 2, max_bin: 64 };
  const before = process.env.SEALED_GBDT_KERNELS;
  try {
    const models = (['js', 'wasm'] as const).flatMap((kernels) => {
      process.env.SEALED_GBDT_KERNELS = kernels;
      return [train(x, y, { ...params, nthread: 1 }).toXgboostJson(), ...[2, 3].map((nthread) => trainWith('workersOnly', () => train(x, y, { ...params, nthread }).toXgboostJson()))];
    });
    for (const m of models.slice(1)) assert.equal(m, models[0]);
  } finally {
    if (before === undefined) delete process.env.SEALED_GBDT_KERNELS;
    else process.env.SEALED_GBDT_KERNELS = before;
  }
});
