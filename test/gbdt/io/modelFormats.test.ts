/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit arbitrary fields of parsed models */
// XGBoost model files, both formats: every fixture kind loads, saves back byte for byte as
// XGBoost 1.7 wrote it, round-trips through our own writer, and 2.x-style files load too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError, UsageError } from '../../../src/core/index.ts';
import { modelFormatFromPath, parseModel, predict, serializeModel, train, type GbdtModel } from '../../../src/gbdt/index.ts';
import { decodeUbjson } from '../../../src/gbdt/io/ubjsonRead.ts';
import { encodeUbjson } from '../../../src/gbdt/io/ubjsonWrite.ts';
import { detectModelFormat } from '../../../src/gbdt/io/modelFile.ts';
import { loadFixtures } from '../fixtureData.ts';
import { toDocValue } from './docConvert.ts';
import { fixtureModelBytes, loadFormatFixtures, maxAbsDiff } from './formatFixtures.ts';

const fx = loadFormatFixtures();
const names = Object.keys(fx.models);
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
/** JSON.stringify keeping -0 (XGBoost writes "-0E0" leaves, which must survive the edit). */
const stringify = (j: unknown) => JSON.stringify(j, (_k, v) => (Object.is(v, -0) ? '@-0@' : v)).replaceAll('"@-0@"', '-0');

function sameTrees(a: GbdtModel, b: GbdtModel, what: string): void {
  assert.equal(a.trees.length, b.trees.length, what);
  a.trees.forEach((t, i) => {
    const u = b.trees[i];
    const n = t.numNodes;
    assert.equal(n, u.numNodes, `${what} tree ${i}`);
    for (const f of ['left', 'right', 'parent', 'splitIndex', 'splitCondition', 'defaultLeft', 'baseWeight', 'lossChg', 'sumHess'] as const) {
      assert.deepEqual(t[f].subarray(0, n), u[f].subarray(0, n), `${what} tree ${i} ${f}`);
    }
  });
}

test('every fixture kind loads from JSON and UBJSON into the same model', () => {
  assert.ok(names.length >= 8);
  for (const name of names) {
    const j = parseModel(fixtureModelBytes(name, 'json'), `${name}.json`);
    const u = parseModel(fixtureModelBytes(name, 'ubj'), `${name}.ubj`);
    const e = fx.models[name];
    assert.equal(j.objective, e.objective, name);
    assert.equal(j.numClass, e.numClass, name);
    const { trees: _jt, ...jRest } = j;
    const { trees: _ut, ...uRest } = u;
    assert.deepEqual(jRest, uRest, name);
    sameTrees(j, u, name);
  }
});

test('model fields: groups, trees per round, scale_pos_weight, boost_from_average, attributes', () => {
  const load = (name: string) => parseModel(fixtureModelBytes(name, 'json'));
  const soft = load('multi_softprob');
  assert.equal(soft.numClass, 3);
  assert.deepEqual(soft.treeInfo, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  assert.deepEqual(soft.featureNames, ['age', 'income', 'debt', 'score']);
  assert.equal(load('binary_forest').numParallelTree, 2);
  assert.equal(load('reg_logistic').scalePosWeight, 2.5);
  assert.equal(load('binary_logitraw').baseScore, Math.fround(0.3));
  assert.equal(load('reg_squarederror').boostFromAverage, false);
  assert.equal(load('hist_binary_logistic').boostFromAverage, true);
  assert.deepEqual(load('multi_softmax').attributes, { best_iteration: '2', best_ntree_limit: '3' });
});

test("our writer saves XGBoost 1.7's own files back byte for byte, in both formats", () => {
  for (const name of names) {
    for (const ext of ['json', 'ubj'] as const) {
      const original = fixtureModelBytes(name, ext);
      const saved = serializeModel(parseModel(original), ext);
      assert.ok(Buffer.from(saved).equals(Buffer.from(original)), `${name}.${ext}`);
    }
  }
  // Across formats too: JSON in, UBJSON out is XGBoost's UBJSON file.
  const fromJson = serializeModel(parseModel(fixtureModelBytes('multi_softprob', 'json')), 'ubj');
  assert.ok(Buffer.from(fromJson).equals(Buffer.from(fixtureModelBytes('multi_softprob', 'ubj'))));
});

test('a model our engine trained round-trips exactly through our writer and reader', () => {
  const old = loadFixtures();
  const trained = train(old.x, old.yBin, { max_depth: 3, num_boost_round: 5 }).model;
  for (const format of ['json', 'ubj'] as const) {
    const bytes = serializeModel(trained, format);
    assert.equal(detectModelFormat(bytes), format);
    const back = parseModel(bytes);
    sameTrees(trained, back, format);
    assert.deepEqual(predict(back, old.x), predict(trained, old.x));
    assert.ok(Buffer.from(serializeModel(back, format)).equals(Buffer.from(bytes)), format);
    assert.ok(Buffer.from(serializeModel(back, format === 'json' ? 'ubj' : 'json')).equals(Buffer.from(serializeModel(trained, format === 'json' ? 'ubj' : 'json'))));
  }
});

test('written JSON carries the objective parameter block XGBoost 1.7 writes', () => {
  const doc = (name: string) => JSON.parse(text(serializeModel(parseModel(fixtureModelBytes(name, 'ubj')), 'json')));
  assert.deepEqual(doc('multi_softmax').learner.objective, { name: 'multi:softmax', softmax_multiclass_param: { num_class: '3' } });
  assert.deepEqual(doc('reg_logistic').learner.objective, { name: 'reg:logistic', reg_loss_param: { scale_pos_weight: '2.5' } });
  assert.deepEqual(doc('binary_logitraw').learner.objective, { name: 'binary:logitraw', reg_loss_param: { scale_pos_weight: '1' } });
  // Keys in byte order as XGBoost's std::map keeps them (UTF-16 order would put U+1D4B3 first).
  const m = parseModel(fixtureModelBytes('reg_logistic', 'json'));
  const saved = text(serializeModel({ ...m, attributes: { '\u{1d4b3}': '1', '\uffff': '2', é: '3', z: '4' } }, 'json'));
  assert.match(saved, /"attributes":\{"z":"4","é":"3","\uffff":"2","\u{1d4b3}":"1"\}/u);
  // An attribute named "__proto__" is an attribute like any other, through both formats.
  const proto = text(fixtureModelBytes('reg_logistic', 'json')).replace('"attributes":{', '"attributes":{"__proto__":"x",');
  const withProto = parseModel(Buffer.from(proto));
  assert.deepEqual(Object.keys(withProto.attributes), ['__proto__', 'best_iteration', 'best_ntree_limit']);
  assert.equal(text(serializeModel(parseModel(serializeModel(withProto, 'ubj')), 'json')), proto);
  const exact = doc('exact_binary_logistic').learner.gradient_booster.model.trees;
  assert.ok(exact.some((t: any) => Number(t.tree_param.num_deleted) > 0), 'pruned nodes are kept and counted');
});

test('format from the file name, and from the content', () => {
  assert.equal(modelFormatFromPath('runs/x/model.json'), 'json');
  assert.equal(modelFormatFromPath('MODEL.UBJ'), 'ubj');
  for (const p of ['model.bin', 'model', 'model.json.gz', 'model.ubjson']) {
    assert.throws(() => modelFormatFromPath(p), (e: unknown) => e instanceof UsageError && e.message.includes(p) && /\.json or \.ubj/.test(e.message));
  }
  assert.equal(detectModelFormat(fixtureModelBytes('reg_logistic', 'json')), 'json');
  assert.equal(detectModelFormat(fixtureModelBytes('reg_logistic', 'ubj')), 'ubj');
  const spaced = Buffer.concat([Buffer.from(' \n'), fixtureModelBytes('reg_logistic', 'json')]);
  assert.equal(parseModel(spaced).objective, 'reg:logistic');
});

// ---- XGBoost 2.x files --------------------------------------------------------------------
// What 2.x writes differently from 1.7, as read in the XGBoost sources (v2.0.0 - v2.1.x):
// - version [2, x, y];
// - gradient_booster.model.iteration_indptr, the first tree of every round
//   (src/gbm/gbtree_model.cc, GBTreeModel::SaveModel);
// - gbtree_model_param without size_leaf_vector (doc/model.schema: required became
//   num_trees and num_parallel_tree);
// - tree_param.size_leaf_vector "1" instead of "0" (include/xgboost/tree_model.h, TreeParam
//   default 1);
// - base_score estimated from the labels by default (src/learner.cc, InitBaseScore), still one
//   float text in probability space (LearnerModelParamLegacy::ToJson);
// - in UBJSON, 'F' read as false (1.7's reader read it as true) and float64 'D' values and
//   typed arrays (src/common/json.cc, UBJReader).
function as2x(j: any, perRound: number): void {
  j.version = [2, 1, 4];
  const gbm = j.learner.gradient_booster.model;
  delete gbm.gbtree_model_param.size_leaf_vector;
  for (const t of gbm.trees) t.tree_param.size_leaf_vector = '1';
  const rounds = gbm.trees.length / perRound;
  gbm.iteration_indptr = Array.from({ length: rounds + 1 }, (_, i) => i * perRound);
}

const perRoundOf: Record<string, number> = { multi_softprob: 3, multi_softmax: 3, binary_forest: 2 };

test('2.x-style JSON and UBJSON models load and predict like the 1.7 files they were made from', () => {
  for (const name of names) {
    const perRound = perRoundOf[name] ?? 1;
    const j = JSON.parse(text(fixtureModelBytes(name, 'json')));
    as2x(j, perRound);
    const fromJson = parseModel(Buffer.from(stringify(j)), `${name}.json`);
    const u: any = decodeUbjson(fixtureModelBytes(name, 'ubj'));
    as2x(u, perRound);
    u.learner.some_2x_flag = false; // 'F': unknown fields are ignored
    const fromUbj = parseModel(encodeUbjson(toDocValue(u)), `${name}.ubj`);
    const e = fx.models[name];
    for (const m of [fromJson, fromUbj]) {
      assert.ok(maxAbsDiff(predict(m, fx.x, { outputMargin: true }), e.margin) <= 1e-6, name);
      assert.ok(maxAbsDiff(predict(m, fx.x), e.prediction) <= 1e-6, name);
    }
    // Saved again, it is a 1.7 file that 1.7 and 2.x both read: the original bytes.
    assert.ok(Buffer.from(serializeModel(fromJson, 'json')).equals(Buffer.from(fixtureModelBytes(name, 'json'))), name);
  }
});

test('2.x estimated base_score is read as the probability it is', () => {
  const j = JSON.parse(text(fixtureModelBytes('hist_binary_logistic', 'json')));
  as2x(j, 1);
  j.learner.learner_model_param.base_score = '4.5833334E-1';
  const m = parseModel(Buffer.from(stringify(j)));
  assert.equal(m.baseScore, Math.fround(0.45833334));
  const shift = Math.log(0.45833334 / (1 - 0.45833334));
  const expected = fx.models.hist_binary_logistic.margin.map((v) => v + shift);
  assert.ok(maxAbsDiff(predict(m, fx.x, { outputMargin: true }), expected) <= 1e-5);
});

test('2.x round boundaries that are not whole equal rounds are refused', () => {
  const j = JSON.parse(text(fixtureModelBytes('multi_softprob', 'json')));
  as2x(j, 3);
  j.learner.gradient_booster.model.iteration_indptr = [0, 3, 5, 9, 12];
  assert.throws(() => parseModel(Buffer.from(stringify(j)), 'm.json'), (e: unknown) => e instanceof ModelError && /iteration_indptr\[2\].*varying/.test(e.message));
  j.learner.gradient_booster.model.iteration_indptr = [0, 12];
  assert.throws(() => parseModel(Buffer.from(stringify(j)), 'm.json'), /iteration_indptr.*2 entries for 4 rounds/);
});

// ---- refused files ------------------------------------------------------------------------

/** Applies `edit` to a fixture's document in both encodings and expects a ModelError. */
function expectRefused(name: string, edit: (j: any) => void, code: 'gbdt.modelInvalid' | 'gbdt.modelUnsupported', pattern: RegExp): void {
  const j = JSON.parse(text(fixtureModelBytes(name, 'json')));
  edit(j);
  const u: any = decodeUbjson(fixtureModelBytes(name, 'ubj'));
  edit(u);
  const files: [string, Uint8Array][] = [
    ['bad.json', Buffer.from(stringify(j))],
    ['bad.ubj', encodeUbjson(toDocValue(u))],
  ];
  for (const [file, bytes] of files) {
    assert.throws(
      () => parseModel(bytes, file),
      (e: unknown) => e instanceof ModelError && e.code === code && e.message.startsWith(file) && pattern.test(e.message),
      `${file}: ${pattern}`,
    );
  }
}

const tree0 = (j: any) => j.learner.gradient_booster.model.trees[0];

test('models we cannot predict identically are refused as unsupported, in both formats', () => {
  const u = 'gbdt.modelUnsupported';
  expectRefused('reg_logistic', (j) => (j.learner.gradient_booster.name = 'gblinear'), u, /booster 'gblinear'/);
  expectRefused('reg_logistic', (j) => (j.learner.gradient_booster.name = 'dart'), u, /booster 'dart'/);
  expectRefused('reg_logistic', (j) => (j.learner.objective.name = 'reg:gamma'), u, /objective 'reg:gamma'/);
  expectRefused('reg_logistic', (j) => (tree0(j).split_type[0] = 1), u, /split_type\[0\].*categorical/);
  expectRefused('reg_logistic', (j) => (j.learner.feature_types = ['q', 'c', 'q', 'q']), u, /feature type 'c'/);
  expectRefused('reg_logistic', (j) => (tree0(j).tree_param.size_leaf_vector = '3'), u, /vector leaves/);
  expectRefused('reg_logistic', (j) => (j.learner.learner_model_param.num_target = '2'), u, /multi-target/);
  expectRefused('reg_logistic', (j) => (j.version = [3, 1, 0]), u, /version 3\.1\.0/);
  expectRefused('reg_logistic', (j) => (j.learner.learner_model_param.num_class = '3'), u, /num_class 3 with objective 'reg:logistic'/);
  expectRefused('multi_softprob', (j) => (j.learner.learner_model_param.num_class = '1'), u, /num_class 1/);
  // 2.x multi_strategy=multi_output_tree: one tree per round with a leaf vector of num_class
  // values (src/tree/tree_model.cc, RegTree::SaveModel writes size_leaf_vector > 1).
  expectRefused('multi_softprob', (j) => {
    const gbm = j.learner.gradient_booster.model;
    gbm.trees = gbm.trees.slice(0, 4);
    for (const t of gbm.trees) t.tree_param.size_leaf_vector = '3';
    gbm.tree_info = [0, 0, 0, 0];
    gbm.gbtree_model_param.num_trees = '4';
  }, u, /trees\[0\]\.tree_param\.size_leaf_vector.*vector leaves/);
});

test('corrupt models are refused as invalid with the field, in both formats', () => {
  const i = 'gbdt.modelInvalid';
  expectRefused('multi_softprob', (j) => (j.learner.gradient_booster.model.tree_info[4] = 3), i, /tree_info\[4\]/);
  expectRefused('multi_softprob', (j) => (j.learner.objective.softmax_multiclass_param.num_class = '4'), i, /softmax_multiclass_param\.num_class/);
  expectRefused('multi_softprob', (j) => (j.learner.gradient_booster.model.gbtree_model_param.num_trees = '11'), i, /num_trees/);
  expectRefused('exact_binary_logistic', (j) => (j.learner.gradient_booster.model.trees[1].tree_param.num_deleted = '0'), i, /trees\[1\]\.tree_param\.num_deleted.*2 nodes are marked deleted/);
  expectRefused('reg_logistic', (j) => (tree0(j).split_indices[0] = 4), i, /split_indices\[0\].*feature 4/);
  expectRefused('reg_logistic', (j) => (tree0(j).left_children[0] = 99), i, /left_children\[0\]/);
  expectRefused('reg_logistic', (j) => (tree0(j).parents[1] = 2), i, /parents\[1\]/);
  expectRefused('reg_logistic', (j) => (j.learner.gradient_booster.model.trees[1].id = 0), i, /id.*appears twice/);
  expectRefused('reg_logistic', (j) => (j.learner.learner_model_param.base_score = '1.5'), i, /base_score 1\.5 must be in \(0, 1\)/);
  expectRefused('reg_logistic', (j) => (j.learner.objective.reg_loss_param.scale_pos_weight = '-1'), i, /scale_pos_weight/);
  expectRefused('reg_logistic', (j) => (j.learner.feature_names = ['a']), i, /1 names for 4 features/);
});
