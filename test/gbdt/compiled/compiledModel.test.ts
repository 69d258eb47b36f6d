// The compiled (flat) model against the reference traversal predictor and Python XGBoost,
// on every fixture model: one shared suite for both prediction paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModel, fromXgboostJson, loadCompiledModel, predict, type DenseMatrix, type GbdtModel } from '../../../src/gbdt/index.ts';
import { fixtureModelText, loadFixtures, maxAbsDiff } from '../fixtureData.ts';
import { predictFlatMargins } from '../../../src/gbdt/compiled/predictFlat.ts';
import { BATCH_ROWS } from '../../../src/gbdt/compiled/wasmForest.ts';
import { modelObjective } from '../../../src/gbdt/predict/predict.ts';
import { RandomState } from '../../../src/core/index.ts';

function toMargins(margins: Float32Array, outputMargin: boolean, model: GbdtModel): Float64Array {
  const out = Float64Array.from(margins);
  return outputMargin ? out : modelObjective(model).predTransform(out);
}

const fixtures = loadFixtures();

interface Predictor {
  name: string;
  make(model: GbdtModel): (m: DenseMatrix, outputMargin: boolean) => Float64Array;
}

const predictors: Predictor[] = [
  { name: 'traversal', make: (model) => (m, outputMargin) => predict(model, m, { outputMargin }) },
  { name: 'compiled', make: (model) => { const c = compileModel(model); return (m, outputMargin) => c.predict(m, { outputMargin }); } },
  { name: 'compiled, JavaScript loop', make: (model) => { const c = compileModel(model); return (m, outputMargin) => toMargins(predictFlatMargins(c.forest, m.data, m.nRows, m.nCols), outputMargin, model); } },
  { name: 'compiled, saved and loaded', make: (model) => { const c = loadCompiledModel(compileModel(model).serialize()); return (m, outputMargin) => c.predict(m, { outputMargin }); } },
];

for (const [name, expected] of Object.entries(fixtures.models)) {
  const model = fromXgboostJson(fixtureModelText(name));
  const reference = predict(model, fixtures.x);
  for (const p of predictors) {
    test(`${p.name} prediction of fixture '${name}' equals XGBoost's and the traversal's`, () => {
      const run = p.make(model);
      assert.ok(maxAbsDiff(run(fixtures.x, false), expected.prediction) <= 1e-6);
      assert.ok(maxAbsDiff(run(fixtures.x, true), expected.margin) <= 1e-6);
      assert.deepEqual(run(fixtures.x, false), reference, 'bit-identical to the traversal predictor');
    });
  }
}

test('a compiled model is self-describing and refuses a wrong feature count', () => {
  const model = fromXgboostJson(fixtureModelText('binary_depthwise'));
  const c = loadCompiledModel(compileModel(model).serialize());
  assert.equal(c.forest.numFeature, model.numFeature);
  assert.equal(c.forest.objective, 'binary:logistic');
  assert.equal(c.numTrees, model.trees.length);
  const narrow: DenseMatrix = { data: new Float64Array(2 * (model.numFeature - 1)), nRows: 2, nCols: model.numFeature - 1 };
  assert.throws(() => c.predict(narrow), /model expects \d+ features, matrix has \d+ columns/);
});

test('a corrupt or foreign compiled file is refused with a clear error', () => {
  const good = compileModel(fromXgboostJson(fixtureModelText('binary_depthwise'))).serialize();
  const cases: [Uint8Array, RegExp][] = [
    [Buffer.from('{"learner": {}}'), /bad magic/],
    [good.subarray(0, 20), /truncated header|header is not valid JSON/],
    [good.subarray(0, good.length - 3), /body has \d+ bytes, expected \d+/],
  ];
  const badChild = Buffer.from(good);
  // Point the root's child of the first tree back at itself: traversal would never end.
  const headerLen = badChild.readUInt32LE(8);
  const bodyStart = (8 + 4 + headerLen + 3) & ~3;
  const numTrees = JSON.parse(badChild.toString('utf8', 12, 12 + headerLen)).numTrees as number;
  const numNodes = JSON.parse(badChild.toString('utf8', 12, 12 + headerLen)).numNodes as number;
  const childStart = bodyStart + 4 * (numTrees + 1) + 4 * numTrees + 4 * numNodes;
  badChild.writeInt32LE(0, childStart);
  cases.push([badChild, /node 0 has child 0 outside its tree/]);
  for (const [bytes, pattern] of cases) assert.throws(() => loadCompiledModel(bytes, 'm.sealedgbm'), (e: Error) => /^m\.sealedgbm is not a valid compiled model: /.test(e.message) && pattern.test(e.message));
});

test('compiled scoring on 1, 2 and 3 threads, over more rows than one batch and with missing values, equals the traversal bit for bit', () => {
  const model = fromXgboostJson(fixtureModelText('binary_depthwise'));
  const rs = new RandomState(4);
  const nRows = BATCH_ROWS + 4321;
  const nCols = model.numFeature;
  const data = Float64Array.from({ length: nRows * nCols }, (_, i) => (rs.randomSample() < 0.1 ? NaN : fixtures.x.data[i % fixtures.x.data.length] + rs.standardNormal()));
  const m: DenseMatrix = { data, nRows, nCols };
  const reference = predict(model, m, { outputMargin: true });
  const c = compileModel(model);
  try {
    for (const nthread of [1, 2, 3]) assert.deepEqual(c.predict(m, { outputMargin: true, nthread }), reference, `${nthread} threads`);
  } finally {
    c.dispose();
  }
});

test('every model kind XGBoost writes (multi-class too) compiles and scores as the traversal and XGBoost do, on 1 and 2 threads', async () => {
  const { loadFormatFixtures, fixtureModelBytes } = await import('../io/formatFixtures.ts');
  const { parseModel } = await import('../../../src/gbdt/index.ts');
  const f = loadFormatFixtures();
  // Repeat the fixture rows so that two threads have work (at least 4096 rows each).
  const reps = 200;
  const big: DenseMatrix = { data: new Float64Array(f.x.data.length * reps), nRows: f.x.nRows * reps, nCols: f.x.nCols };
  for (let k = 0; k < reps; k++) big.data.set(f.x.data, k * f.x.data.length);
  for (const [name, expected] of Object.entries(f.models)) {
    const model = parseModel(fixtureModelBytes(name, 'json'), `${name}.json`);
    const c = loadCompiledModel(compileModel(model).serialize());
    try {
      const got = c.predict(f.x);
      assert.deepEqual(got, predict(model, f.x), name);
      assert.ok(maxAbsDiff(got, expected.prediction) <= 1e-6, name);
      assert.deepEqual(c.predict(big, { outputMargin: true, nthread: 2 }), predict(model, big, { outputMargin: true }), `${name}, 2 threads`);
    } finally {
      c.dispose();
    }
  }
});

test('a version-1 compiled file (before multi-class) still loads and scores the same', () => {
  const model = fromXgboostJson(fixtureModelText('binary_depthwise'));
  const v2 = compileModel(model).serialize();
  const headerLen = v2.readUInt32LE(8);
  const header = JSON.parse(v2.toString('utf8', 12, 12 + headerLen));
  const bodyStart = (12 + headerLen + 3) & ~3;
  const numTrees = header.numTrees as number;
  delete header.numGroup;
  header.version = 1;
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc((12 + json.length + 3) & ~3);
  v2.copy(head, 0, 0, 8);
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  const treeStart = v2.subarray(bodyStart, bodyStart + 4 * (numTrees + 1));
  const rest = v2.subarray(bodyStart + 4 * (numTrees + 1) + 4 * numTrees);
  const v1 = loadCompiledModel(Buffer.concat([head, treeStart, rest]));
  assert.equal(v1.forest.numGroup, 1);
  assert.deepEqual(v1.predict(fixtures.x), predict(model, fixtures.x));
});
