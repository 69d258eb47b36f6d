// Training from a column matrix (data/columnMatrix.ts) is training from the same values
// row-major: the same cuts, bins and trees, byte for byte in the saved model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix } from '../../../src/gbdt/data/binnedMatrix.ts';
import { columnMatrix, denseMatrix, toXgboostJson, train, trainAsync, type ColumnMatrix, type DenseMatrix } from '../../../src/gbdt/index.ts';
import { toDenseMatrix } from '../../../src/gbdt/data/columnMatrix.ts';
import { DataError } from '../../../src/core/index.ts';

/** A matrix with continuous, integer-coded, one-hot and missing-heavy columns. */
function sample(nRows: number, nCols: number, seed = 7): DenseMatrix {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const data = new Float64Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    for (let f = 0; f < nCols; f++) {
      const kind = f % 4;
      const v = kind === 0 ? rnd() * 1000 - 500 : kind === 1 ? Math.floor(rnd() * 12) : kind === 2 ? (rnd() < 0.3 ? 1 : 0) : rnd() < 0.4 ? NaN : rnd() * 3;
      data[r * nCols + f] = v;
    }
  }
  return denseMatrix(data, nRows, nCols);
}

function byColumn(m: DenseMatrix, float32 = false): ColumnMatrix {
  const columns = Array.from({ length: m.nCols }, (_, f) => {
    const c = float32 ? new Float32Array(m.nRows) : new Float64Array(m.nRows);
    for (let r = 0; r < m.nRows; r++) c[r] = m.data[r * m.nCols + f];
    return c;
  });
  return columnMatrix(columns, m.nRows);
}

const labelsFor = (m: DenseMatrix): number[] => Array.from({ length: m.nRows }, (_, r) => (m.data[r * m.nCols] + (m.data[r * m.nCols + 1] % 3) * 100 > 0 ? 1 : 0));
const params = { objective: 'binary:logistic', max_depth: 4, learning_rate: 0.3, num_boost_round: 8, min_child_weight: 1 } as const;

test('a column matrix bins exactly like the row-major matrix of the same values', () => {
  const m = sample(3000, 9);
  for (const maxBin of [4, 256]) {
    const dense = binMatrix(m, maxBin);
    for (const cols of [byColumn(m), byColumn(m, true)]) {
      const binned = binMatrix(cols, maxBin);
      assert.deepEqual(binned.cuts, dense.cuts);
      assert.deepEqual(binned.bins, dense.bins);
      assert.deepEqual(binned.nBins, dense.nBins);
      assert.deepEqual(binned.featureHasMissing, dense.featureHasMissing);
    }
  }
});

test('training from columns saves the same model, byte for byte (weights, threads, continuation)', async () => {
  const m = sample(2500, 10);
  const y = labelsFor(m);
  const weights = Array.from({ length: m.nRows }, (_, r) => 0.5 + (r % 5));
  for (const nthread of [1, 2]) {
    const options = { weights };
    const dense = toXgboostJson(train(m, y, { ...params, nthread }, options).model);
    assert.equal(toXgboostJson(train(byColumn(m), y, { ...params, nthread }, options).model), dense);
    assert.equal(toXgboostJson((await trainAsync(byColumn(m), y, { ...params, nthread }, options)).model), dense);
  }
  const first = train(m, y, params).model;
  const more = toXgboostJson(train(m, y, params, { initModel: first }).model);
  assert.equal(toXgboostJson(train(byColumn(m), y, params, { initModel: first }).model), more);
});

test('toDenseMatrix lays the columns out by row (and hands a dense matrix back as is)', () => {
  const m = sample(50, 5);
  assert.deepEqual(toDenseMatrix(byColumn(m)), m);
  assert.equal(toDenseMatrix(m), m);
});

test('malformed column matrices are refused with what is wrong', () => {
  const bad = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: unknown) => e instanceof DataError && e.code === 'gbdt.badMatrix' && pattern.test(e.message));
  bad(() => columnMatrix([new Float64Array(3), new Float64Array(2)]), /column 1 has 2 values, expected nRows = 3/);
  bad(() => columnMatrix([new Float64Array(3)], 4), /column 0 has 3 values, expected nRows = 4/);
  bad(() => columnMatrix([[1, 2, 3] as unknown as Float64Array]), /column 0 must be a Float64Array or Float32Array/);
  bad(() => columnMatrix([new Int32Array(3) as unknown as Float64Array]), /column 0 must be a Float64Array or Float32Array/);
  bad(() => columnMatrix([new Float64Array(3)], -1), /non-negative integers/);
  bad(() => columnMatrix([new Float64Array(3)], 2.5), /non-negative integers/);
  // A hand-made object whose nCols disagrees with its columns (a matrix that lies about its width).
  bad(() => train({ nRows: 2, nCols: 3, columns: [new Float64Array(2)] }, [0, 1], params), /expected 3 columns, got 1/);
  bad(() => train(columnMatrix([]), [], params), /cannot train on an empty matrix/);
});

test('infinity in a column is refused with its row and column, as in a dense matrix', () => {
  const cols = [Float64Array.from([1, 2, 3]), Float64Array.from([0, -Infinity, 1])];
  assert.throws(
    () => train(columnMatrix(cols), [0, 1, 0], params),
    (e: unknown) => e instanceof DataError && e.code === 'gbdt.badFeatureValue' && /row 1/.test(e.message) && /column 1/.test(e.message),
  );
});

test('attack: columns of different lengths cannot read past a short column', () => {
  // A matrix claiming 4 rows with one column of 2 values would make binning read undefined
  // values as NaN (missing) silently: the shape check stops it first.
  const lying = { nRows: 4, nCols: 2, columns: [new Float64Array(4), new Float64Array(2)] };
  assert.throws(() => train(lying, [0, 1, 0, 1], params), /column 1 has 2 values, expected nRows = 4/);
});
