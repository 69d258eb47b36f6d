import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachColumn } from '../../../src/gbdt/common/columnBlocks.ts';
import { denseMatrix } from '../../../src/gbdt/index.ts';

test('forEachColumn: every column in order, as float32, across several blocks', () => {
  const nRows = 5;
  const nCols = 19; // two full blocks of 8 and a partial one
  const data = Float64Array.from({ length: nRows * nCols }, (_, i) => (i % 7 === 3 ? NaN : i + 0.1));
  const seen: number[] = [];
  forEachColumn(denseMatrix(data, nRows, nCols), (f, column) => {
    seen.push(f);
    assert.equal(column.length, nRows);
    for (let r = 0; r < nRows; r++) {
      const v = data[r * nCols + f];
      assert.ok(Number.isNaN(v) ? Number.isNaN(column[r]) : column[r] === Math.fround(v), `row ${r}, column ${f}`);
    }
    column.fill(-1); // visit may overwrite; the next block refills
  });
  assert.deepEqual(seen, Array.from({ length: nCols }, (_, f) => f));
});
