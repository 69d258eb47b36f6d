// CompiledModel.predictColumns (the form `gbdt predict` scores a CSV's columns in) must give
// predict()'s numbers exactly, on any thread count and batch boundary, and refuse bad shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModel, fromXgboostJson, predict, type DenseMatrix } from '../../../src/gbdt/index.ts';
import { BATCH_ROWS } from '../../../src/gbdt/compiled/wasmForest.ts';
import { RandomState } from '../../../src/core/index.ts';
import { DataError, ModelError } from '../../../src/core/errors.ts';
import { fixtureModelText, loadFixtures } from '../fixtureData.ts';

const fixtures = loadFixtures();

function columnsOf(m: DenseMatrix): Float64Array[] {
  return Array.from({ length: m.nCols }, (_, j) => Float64Array.from({ length: m.nRows }, (_, i) => m.data[i * m.nCols + j]));
}

test('scoring columns equals scoring the row-major matrix bit for bit (1-3 threads, several batches, missing values)', () => {
  const model = fromXgboostJson(fixtureModelText('binary_depthwise'));
  const rs = new RandomState(9);
  const nRows = BATCH_ROWS + 1000 + 3; // not a multiple of the fill block either
  const nCols = model.numFeature;
  const data = Float64Array.from({ length: nRows * nCols }, (_, i) => (rs.randomSample() < 0.1 ? NaN : fixtures.x.data[i % fixtures.x.data.length] + rs.standardNormal()));
  const m: DenseMatrix = { data, nRows, nCols };
  const columns = columnsOf(m);
  const c = compileModel(model);
  try {
    for (const outputMargin of [false, true]) {
      const reference = predict(model, m, { outputMargin });
      for (const nthread of [1, 2, 3]) assert.deepEqual(c.predictColumns(columns, nRows, { outputMargin, nthread }), reference, `${nthread} threads`);
    }
    assert.deepEqual(c.predictColumns(columnsOf({ data: new Float64Array(0), nRows: 0, nCols }), 0), new Float64Array(0));
  } finally {
    c.dispose();
  }
});

test('columns of the wrong count, length or type are refused', () => {
  const model = fromXgboostJson(fixtureModelText('binary_depthwise'));
  const c = compileModel(model);
  const n = model.numFeature;
  const ok = Array.from({ length: n }, () => new Float64Array(5));
  assert.throws(() => c.predictColumns(ok.slice(1), 5), ModelError);
  assert.throws(() => c.predictColumns(ok, 6), DataError);
  assert.throws(() => c.predictColumns([...ok.slice(1), new Float64Array(4)], 5), DataError);
  assert.throws(() => c.predictColumns([...ok.slice(1), new Float32Array(5) as unknown as Float64Array], 5), DataError);
  assert.throws(() => c.predictColumns(ok, -1), DataError);
});
