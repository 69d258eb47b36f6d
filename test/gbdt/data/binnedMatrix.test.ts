import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix } from '../../../src/gbdt/data/binnedMatrix.ts';
import { denseMatrix } from '../../../src/gbdt/index.ts';

test('bins are row-major with the bin count as missing sentinel', () => {
  const m = denseMatrix(Float64Array.from([1, 10, NaN, 20, 3, 10, 2, NaN]), 4, 2);
  const bm = binMatrix(m, 256);
  assert.ok(bm.bins instanceof Uint8Array);
  assert.deepEqual([...bm.nBins], [3, 2]);
  assert.deepEqual([...bm.bins], [0, 0, 3, 1, 2, 0, 1, 2]);
  assert.deepEqual([...bm.featureHasMissing], [1, 1]);
  assert.equal(bm.hasMissing, true);
});

test('256 bins fit a byte without missing values, need two bytes with them', () => {
  const values = Array.from({ length: 256 }, (_, i) => i);
  const full = binMatrix(denseMatrix(Float64Array.from(values), 256, 1), 256);
  assert.equal(full.nBins[0], 256);
  assert.ok(full.bins instanceof Uint8Array);
  assert.equal(full.bins[255], 255);
  const withNaN = binMatrix(denseMatrix(Float64Array.from([...values, NaN]), 257, 1), 256);
  assert.ok(withNaN.bins instanceof Uint16Array);
  assert.equal(withNaN.bins[256], 256);
  assert.equal(full.hasMissing, false);
});

test('the features with missing values found by the cuts pass are those a scan finds', async () => {
  const { binWithCuts } = await import('../../../src/gbdt/data/binnedMatrix.ts');
  const { buildQuantileCuts } = await import('../../../src/gbdt/common/quantileCuts.ts');
  const { columnMatrix } = await import('../../../src/gbdt/index.ts');
  const nRows = 50;
  const nCols = 11;
  const data = Float64Array.from({ length: nRows * nCols }, (_, i) => ((i * 7919) % 13) / 4);
  // NaN in the first and last row, and in a block-boundary column (8), a column (3) all NaN.
  data[2] = NaN;
  data[(nRows - 1) * nCols + 10] = NaN;
  data[17 * nCols + 8] = NaN;
  for (let r = 0; r < nRows; r++) data[r * nCols + 3] = NaN;
  const dense = denseMatrix(data, nRows, nCols);
  const byColumn = columnMatrix(Array.from({ length: nCols }, (_, f) => Float64Array.from({ length: nRows }, (_, r) => data[r * nCols + f])));
  const expected = [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1];
  for (const m of [dense, byColumn]) {
    const bm = binMatrix(m, 16);
    assert.deepEqual([...bm.featureHasMissing], expected);
    const scanned = binWithCuts(m, buildQuantileCuts(m, 16));
    assert.deepEqual(scanned, bm);
  }
});
