// CompiledModel.predictLater (batch-inference scores a batch on the workers while it reads the
// next one) must give predict()'s numbers exactly, whatever is called before its getter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModel, fromXgboostJson, predict, type DenseMatrix } from '../../../src/gbdt/index.ts';
import { BATCH_ROWS } from '../../../src/gbdt/compiled/wasmForest.ts';
import { RandomState } from '../../../src/core/index.ts';
import { ModelError } from '../../../src/core/errors.ts';
import { fixtureModelText, loadFixtures } from '../fixtureData.ts';

const fixtures = loadFixtures();
const model = fromXgboostJson(fixtureModelText('binary_depthwise'));

function matrix(nRows: number, seed: number): DenseMatrix {
  const rs = new RandomState(seed);
  const nCols = model.numFeature;
  const data = Float64Array.from({ length: nRows * nCols }, (_, i) => (rs.randomSample() < 0.1 ? NaN : fixtures.x.data[i % fixtures.x.data.length] + rs.standardNormal()));
  return { data, nRows, nCols };
}

test('batches started on the workers and finished later equal predict() bit for bit, in order, interleaved with predict()', () => {
  const batches = [matrix(BATCH_ROWS, 1), matrix(9000, 2), matrix(BATCH_ROWS + 5, 3), matrix(100, 4)];
  const c = compileModel(model);
  try {
    c.prepare(BATCH_ROWS, 2);
    for (const outputMargin of [false, true]) {
      const getters = batches.map((b) => c.predictLater(b, { outputMargin, nthread: 2 }));
      // The next batch started (or a plain predict) settles an unfinished one first.
      assert.deepEqual(c.predict(batches[1], { outputMargin, nthread: 2 }), predict(model, batches[1], { outputMargin }));
      getters.forEach((get, k) => {
        const expected = predict(model, batches[k], { outputMargin });
        assert.deepEqual(get(), expected, `batch ${k}`);
        assert.deepEqual(get(), expected, `batch ${k}, asked twice`);
      });
    }
    // The usual pattern: finish one, start the next.
    let pending: (() => Float64Array) | undefined;
    const parts: Float64Array[] = [];
    for (const b of batches) {
      if (pending) parts.push(pending());
      pending = c.predictLater(b, { nthread: 0 });
    }
    if (pending) parts.push(pending());
    parts.forEach((p, k) => assert.deepEqual(p, predict(model, batches[k]), `loop batch ${k}`));
  } finally {
    c.dispose();
  }
});

test('predictLater refuses a matrix of the wrong width before starting anything', () => {
  const c = compileModel(model);
  try {
    const bad = { data: new Float64Array(5 * (model.numFeature + 1)), nRows: 5, nCols: model.numFeature + 1 };
    assert.throws(() => c.predictLater(bad, { nthread: 2 }), ModelError);
  } finally {
    c.dispose();
  }
});
