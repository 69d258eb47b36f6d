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
