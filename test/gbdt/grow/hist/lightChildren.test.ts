// Children whose hessian sum is below 2 x min_child_weight cannot be split (splitGain.ts
// cannotSplit), so the grower skips their partition, histograms and evaluation. What must not
// change: the column sampler is asked for every child as before (its random sequence), the
// skipped leaves still get their rows' values, and the floating-point argument behind
// cannotSplit holds at the edges an attacker would pick (sums one ulp either side of 2 mcw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../../src/core/index.ts';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { HistTreeGrower } from '../../../../src/gbdt/grow/hist/driver.ts';
import { cannotSplit, type GainParams } from '../../../../src/gbdt/grow/hist/splitGain.ts';
import { createMetric, denseMatrix, parseTrainParams, train } from '../../../../src/gbdt/index.ts';

function data(n: number, nc: number) {
  const rs = new RandomState(8);
  const x = new Float64Array(n * nc);
  const y: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < nc; c++) x[r * nc + c] = c === 2 && rs.randomSample() < 0.1 ? NaN : rs.standardNormal();
    y.push(Math.sin(x[r * nc]) * 2 + x[r * nc + 1] + rs.standardNormal() * 0.3);
  }
  return { x: denseMatrix(x, n, nc), y };
}

test('the column sampler is asked once per child of every expandable split, light children included', () => {
  const n = 600;
  const { x, y } = data(n, 4);
  const params = parseTrainParams({ objective: 'reg:squarederror', max_depth: 6, min_child_weight: 20, lambda: 1 });
  const grower = new HistTreeGrower(binMatrix(x, 256), params);
  try {
    // Squared error from margin 0: grad = -y, hess = 1 (a node's hessian sum counts its rows).
    const gpair = new Float32Array(2 * n);
    y.forEach((v, i) => {
      gpair[2 * i] = -v;
      gpair[2 * i + 1] = 1;
    });
    const depths: number[] = [];
    const tree = grower.grow(grower.shared(gpair), { featuresFor: (d) => (depths.push(d), undefined) });
    let expected = 1;
    let light = 0;
    const depth = [0];
    for (let nid = 1; nid < tree.numNodes; nid++) depth.push(depth[tree.parent[nid]] + 1);
    for (let nid = 0; nid < tree.numNodes; nid++) {
      const l = tree.left[nid];
      if (l === -1 || depth[nid] + 1 >= params.maxDepth) continue;
      expected += 2;
      if (tree.sumHess[l] < 40 && tree.sumHess[tree.right[nid]] < 40) light++;
    }
    assert.ok(light > 0, 'some split has two light children');
    assert.equal(depths.length, expected);
    // In node order, level by level.
    assert.deepEqual(depths, [...depths].sort((a, b) => a - b));
  } finally {
    grower.dispose();
  }
});

test('light leaves get their rows: training margins equal a fresh prediction', () => {
  const { x, y } = data(800, 4);
  const b = train(x, y, { objective: 'reg:squarederror', max_depth: 6, min_child_weight: 15, eta: 0.5, num_boost_round: 6 }, {
    evals: [{ name: 'train', data: x, labels: y }],
  });
  const rmse = createMetric('rmse')!.evaluate(b.predict(x), Float32Array.from(y), undefined, 1);
  const history = b.evalsResult.train.rmse;
  assert.ok(Math.abs(history[history.length - 1] - rmse) < 1e-12);
});

test('cannotSplit: no pair of sides passes min_child_weight below 2 mcw, even one ulp below', () => {
  const rs = new RandomState(2);
  const below = (v: number) => v - Math.max(Number.MIN_VALUE, Math.abs(v) * Number.EPSILON);
  for (const mcw of [Math.fround(1e-30), Math.fround(0.1), 1, 6, Math.fround(1e30)]) {
    const p: GainParams = { lambda: 1, alpha: 0, minChildWeight: mcw, maxDeltaStep: 0, eta: 0.3, gamma: 0 };
    assert.equal(cannotSplit(p, 2 * mcw), false);
    assert.equal(cannotSplit(p, Infinity), false);
    assert.equal(cannotSplit(p, NaN), true);
    for (let trial = 0; trial < 20_000; trial++) {
      const h = trial % 3 === 0 ? below(2 * mcw) : 2 * mcw * rs.randomSample() * (trial % 5 === 0 ? -1 : 1);
      assert.ok(cannotSplit(p, h));
      // Left sums near mcw, near h / 2 and anywhere: never both sides >= mcw.
      for (const lh of [mcw, below(mcw) + 0, h / 2, below(h / 2), h - mcw, rs.randomSample() * 4 * mcw, -mcw]) {
        assert.ok(!(lh >= mcw && h - lh >= mcw), `mcw ${mcw} h ${h} lh ${lh}`);
      }
    }
  }
  // min_child_weight 0 never skips: every split with non-negative sides is allowed.
  assert.equal(cannotSplit({ lambda: 1, alpha: 0, minChildWeight: 0, maxDeltaStep: 0, eta: 0.3, gamma: 0 }, 0), false);
});
