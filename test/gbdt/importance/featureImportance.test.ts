// Feature importance against XGBoost 1.7's Booster.get_score on the format fixtures: same
// keys (feature names or f<i>), same order, same float32 values, for every type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/core/index.ts';
import { featureImportance, IMPORTANCE_TYPES, parseModel, type ImportanceType } from '../../../src/gbdt/index.ts';
import { fixtureModelBytes, loadFormatFixtures } from '../io/formatFixtures.ts';

const fx = loadFormatFixtures();

test('every importance type equals get_score exactly, for every model kind', () => {
  for (const [name, e] of Object.entries(fx.models)) {
    for (const ext of ['json', 'ubj'] as const) {
      const m = parseModel(fixtureModelBytes(name, ext));
      for (const type of IMPORTANCE_TYPES) {
        const ours = [...featureImportance(m, type)];
        assert.deepEqual(ours, Object.entries(e.importance[type]), `${name}.${ext} ${type}`);
      }
    }
  }
});

test('keys are feature names when the model has them, f<index> otherwise; unused features are left out', () => {
  const named = featureImportance(parseModel(fixtureModelBytes('multi_softprob', 'json')), 'weight');
  assert.deepEqual([...named.keys()], ['age', 'income', 'debt', 'score']);
  const m = parseModel(fixtureModelBytes('reg_logistic', 'json'));
  const onlyRoot = { ...m, trees: [m.trees[0]], treeInfo: [0] };
  const used = new Set<number>();
  const t = m.trees[0];
  const stack = [0];
  while (stack.length > 0) {
    const nid = stack.pop()!;
    if (t.left[nid] === -1) continue;
    used.add(t.splitIndex[nid]);
    stack.push(t.left[nid], t.right[nid]);
  }
  assert.deepEqual([...featureImportance(onlyRoot, 'weight').keys()], [...used].sort((a, b) => a - b).map((f) => `f${f}`));
});

test('an unknown importance type is a usage error listing the types', () => {
  const m = parseModel(fixtureModelBytes('reg_logistic', 'json'));
  assert.throws(() => featureImportance(m, 'average_gain' as ImportanceType), (e: unknown) => e instanceof UsageError && /'average_gain'.*weight, gain, cover, total_gain, total_cover/.test(e.message));
});
