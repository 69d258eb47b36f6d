// subsample and colsample_*: XGBoost's random stream cannot be reproduced, so these tests pin
// down what must hold instead: a seed fixes the model, rows left out of a tree really add
// nothing to it, trees only split on the features drawn for them, and models stay as good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../src/core/index.ts';
import { createMetric, train } from '../../src/gbdt/index.ts';
import { ColumnSampler, RowSampler } from '../../src/gbdt/sampling/index.ts';
import type { RegTree } from '../../src/gbdt/tree/regTree.ts';
import { loadTrainingSets } from './common/trainingFixtures.ts';

const { train: tr, valid } = loadTrainingSets();
const base = { tree_method: 'hist', max_depth: 4, eta: 0.3, num_boost_round: 8 };

function splitFeatures(tree: RegTree): { depth: number; feature: number }[] {
  const out: { depth: number; feature: number }[] = [];
  const walk = (nid: number, depth: number): void => {
    if (tree.left[nid] === -1) return;
    out.push({ depth, feature: tree.splitIndex[nid] });
    walk(tree.left[nid], depth + 1);
    walk(tree.right[nid], depth + 1);
  };
  walk(0, 0);
  return out;
}

test('a seed fixes the sampled model; another seed gives another model', () => {
  const params = { ...base, subsample: 0.7, colsample_bytree: 0.8, colsample_bylevel: 0.8, colsample_bynode: 0.8 };
  const a = train(tr.x, tr.labels.bin, { ...params, seed: 3 }).toXgboostJson();
  assert.equal(train(tr.x, tr.labels.bin, { ...params, seed: 3 }).toXgboostJson(), a);
  assert.notEqual(train(tr.x, tr.labels.bin, { ...params, seed: 4 }).toXgboostJson(), a);
  assert.notEqual(train(tr.x, tr.labels.bin, { ...params, seed: 3, subsample: 1 }).toXgboostJson(), a);
});

test('subsample: each tree is grown on exactly the rows drawn for it, yet every row gets its leaf value', () => {
  // Squared error has hessian 1 per row, so a root's hessian sum counts the rows it was grown on.
  const seed = 11;
  const b = train(tr.x, tr.labels.reg, { ...base, objective: 'reg:squarederror', subsample: 0.6, seed }, {
    evals: [{ name: 'train', data: tr.x, labels: tr.labels.reg }],
  });
  const sampler = new RowSampler(Math.fround(0.6), new RandomState(seed));
  for (const [i, tree] of b.model.trees.entries()) {
    const kept = sampler.apply(new Float32Array(2 * tr.x.nRows).fill(1));
    assert.ok(kept < tr.x.nRows);
    assert.equal(tree.sumHess[0], kept, `tree ${i}`);
  }
  // Training margins (which the last 'train' rmse was computed from) equal a fresh prediction of
  // every row: sampled-out rows got the leaf values too.
  const rmse = createMetric('rmse')!.evaluate(b.predict(tr.x), Float32Array.from(tr.labels.reg), undefined, 1);
  const history = b.evalsResult.train.rmse;
  assert.ok(Math.abs(history[history.length - 1] - rmse) < 1e-12);
});

test('colsample_bytree: a tree splits only on the features drawn for it; bylevel: one drawn set per depth', () => {
  const seed = 5;
  const rates = { bytree: Math.fround(0.5), bylevel: 1, bynode: 1 };
  const b = train(tr.x, tr.labels.reg, { ...base, objective: 'reg:squarederror', colsample_bytree: 0.5, seed });
  const sampler = new ColumnSampler(tr.x.nCols, rates, new RandomState(seed));
  const used = new Set<number>();
  for (const [i, tree] of b.model.trees.entries()) {
    sampler.startTree();
    const drawn = [...sampler.featuresFor(0)!];
    assert.equal(drawn.length, 3);
    for (const { feature } of splitFeatures(tree)) {
      assert.ok(drawn.includes(feature), `tree ${i} splits on ${feature}, drawn ${drawn}`);
      used.add(feature);
    }
  }
  assert.ok(used.size > 3, 'different trees use different features');

  const byLevel = train(tr.x, tr.labels.reg, { ...base, objective: 'reg:squarederror', colsample_bylevel: 0.5, seed });
  for (const tree of byLevel.model.trees) {
    const perDepth = new Map<number, Set<number>>();
    for (const { depth, feature } of splitFeatures(tree)) {
      if (!perDepth.has(depth)) perDepth.set(depth, new Set());
      perDepth.get(depth)!.add(feature);
    }
    for (const features of perDepth.values()) assert.ok(features.size <= 3);
  }
});

test('sampling keeps the model about as good (validation AUC)', () => {
  const auc = (params: Record<string, unknown>) => {
    const b = train(tr.x, tr.labels.bin, { ...base, eta: 0.1, num_boost_round: 30, max_depth: 3, ...params });
    return createMetric('auc')!.evaluate(b.predict(valid.x), Float32Array.from(valid.labels.bin), undefined, 1);
  };
  const full = auc({});
  for (const seed of [0, 1, 2]) {
    const sampled = auc({ subsample: 0.7, colsample_bytree: 0.7, colsample_bynode: 0.7, seed });
    assert.ok(sampled > 0.6 && sampled > full - 0.06, `seed ${seed}: AUC ${sampled} against ${full} without sampling`);
  }
});
