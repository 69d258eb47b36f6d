import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denseMatrix, train } from '../../../../src/gbdt/index.ts';

test('a one-split tree learned exactly as computed by hand', () => {
  // Squared error from base_score 0.5: grad = 0.5 - y = [0.5, 0.5, -0.5, -0.5], hess 1.
  // Root: G = 0, H = 4, weight 0. Best split x < 3: G_L = 1, G_R = -1, H = 2 each;
  // loss_chg = 1/2 + 1/2 - 0 = 1 (lambda 0); leaves -G/H = -0.5 and 0.5 (eta 1).
  const x = denseMatrix(Float64Array.from([1, 2, 3, 4]), 4, 1);
  const b = train(x, [0, 0, 1, 1], {
    objective: 'reg:squarederror',
    eta: 1,
    lambda: 0,
    min_child_weight: 0,
    max_depth: 1,
    num_boost_round: 1,
  });
  const t = b.model.trees[0];
  assert.equal(t.numNodes, 3);
  assert.deepEqual([...t.left.subarray(0, 3)], [1, -1, -1]);
  assert.deepEqual([...t.right.subarray(0, 3)], [2, -1, -1]);
  assert.deepEqual([...t.parent.subarray(0, 3)], [-1, 0, 0]);
  assert.deepEqual([...t.splitCondition.subarray(0, 3)], [3, -0.5, 0.5]);
  assert.deepEqual([...t.lossChg.subarray(0, 3)], [1, 0, 0]);
  assert.deepEqual([...t.sumHess.subarray(0, 3)], [4, 2, 2]);
  assert.deepEqual([...t.baseWeight.subarray(0, 3)].map((v) => v + 0), [0, -0.5, 0.5]);
  assert.deepEqual([...b.predict(x)], [0, 0, 1, 1]);
});

test('max_depth, gamma and lossguide max_leaves bound the tree', () => {
  const n = 64;
  const data = Float64Array.from({ length: n }, (_, i) => i);
  const y = Array.from({ length: n }, (_, i) => Math.sin(i / 5) * 3);
  const x = denseMatrix(data, n, 1);
  const base = { objective: 'reg:squarederror', eta: 1, lambda: 0, min_child_weight: 0, num_boost_round: 1 };
  const depths = (t: { numNodes: number; parent: Int32Array }) => {
    const d = [0];
    for (let i = 1; i < t.numNodes; i++) d.push(d[t.parent[i]] + 1);
    return Math.max(...d);
  };
  assert.equal(depths(train(x, y, { ...base, max_depth: 3 }).model.trees[0]), 3);
  const leaves = (t: { numNodes: number; left: Int32Array }) => [...t.left.subarray(0, t.numNodes)].filter((l) => l === -1).length;
  const lg = train(x, y, { ...base, grow_policy: 'lossguide', max_depth: 0, max_leaves: 5 }).model.trees[0];
  assert.equal(leaves(lg), 5);
  const pruned = train(x, y, { ...base, max_depth: 6, gamma: 1e6 }).model.trees[0];
  assert.equal(pruned.numNodes, 1);
});
