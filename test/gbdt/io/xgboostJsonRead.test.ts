/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit arbitrary fields of a parsed model */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/core/index.ts';
import { Booster, denseMatrix } from '../../../src/gbdt/index.ts';
import { fixtureModelText } from '../fixtureData.ts';

const good = JSON.parse(fixtureModelText('binary_depthwise'));
const tree0 = (j: any) => j.learner.gradient_booster.model.trees[0];

function expectModelError(edit: (j: any) => void, pattern: RegExp): void {
  const j = structuredClone(good);
  edit(j);
  assert.throws(
    () => Booster.fromXgboostJson(JSON.stringify(j), 'model.json'),
    (e: unknown) => e instanceof ModelError && pattern.test(e.message) && e.message.startsWith('model.json'),
  );
}

test('corrupt models are refused with what and where', () => {
  assert.throws(() => Booster.fromXgboostJson('{"learner": '), /not JSON/);
  expectModelError((j) => delete j.learner, /field 'learner'.*expected an object/);
  expectModelError((j) => (tree0(j).left_children[0] = 99), /left_children\[0\]/);
  expectModelError((j) => tree0(j).split_conditions.pop(), /split_conditions.*entries, num_nodes is/);
  expectModelError((j) => (tree0(j).parents[1] = 2), /parents\[1\]/);
  expectModelError((j) => (tree0(j).left_children[1] = 0), /reached twice|parent/);
  expectModelError((j) => (tree0(j).split_indices[0] = 6), /split_indices\[0\]/);
  expectModelError((j) => (j.learner.gradient_booster.model.gbtree_model_param.num_trees = '3'), /num_trees is 3/);
  expectModelError((j) => (tree0(j).split_conditions[0] = 'x'), /split_conditions\[0\]/);
  expectModelError((j) => (j.learner.learner_model_param.base_score = 'abc'), /base_score/);
});

test('models we cannot predict faithfully are refused as unsupported', () => {
  expectModelError((j) => (j.learner.gradient_booster.name = 'gblinear'), /unsupported.*gblinear/);
  expectModelError((j) => (j.learner.objective.name = 'reg:pseudohubererror'), /unsupported.*reg:pseudohubererror/);
  expectModelError((j) => (j.learner.objective.name = 'multi:softprob'), /unsupported.*multi:softprob with num_class 0/);
  expectModelError((j) => (j.learner.learner_model_param.num_class = '3'), /unsupported.*num_class 3 with objective 'binary:logistic'/);
  expectModelError((j) => (tree0(j).split_type[0] = 1), /categorical/);
  expectModelError((j) => (j.learner.feature_types = ['c', 'q', 'q', 'q', 'q', 'q']), /feature type 'c'/);
});

test('prediction needs as many columns as the model has features', () => {
  const b = Booster.fromXgboostJson(JSON.stringify(good));
  assert.throws(() => b.predict(denseMatrix(new Float64Array(5), 1, 5)), /expects 6 features/);
});
