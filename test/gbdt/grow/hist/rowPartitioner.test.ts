import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { RowPartitioner } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

// One feature with values 0..4 (bins 0..4) and NaN (sentinel 5).
const values = [3, NaN, 0, 4, 1, NaN, 2, 0];
const bm = binMatrix(denseMatrix(Float64Array.from(values), values.length, 1), 256);
const gpair = Float32Array.from(values.flatMap((_, r) => [r, 10 * r]));

test('split is stable, sends bin <= splitBin left and missing to the default side, gradients follow rows', () => {
  const p = new RowPartitioner(bm);
  p.reset(gpair);
  p.split(0, 1, 2, 0, 5, 1, true);
  const rows = (nid: number) => [...p.lane(nid).rows.subarray(p.begin(nid), p.end(nid))];
  assert.deepEqual(rows(1), [1, 2, 4, 5, 7]);
  assert.deepEqual(rows(2), [0, 3, 6]);
  const lane = p.lane(1);
  assert.equal(lane, p.lane(2));
  for (let i = 0; i < values.length; i++) {
    assert.equal(lane.gpair[2 * i], lane.rows[i]);
    assert.equal(lane.gpair[2 * i + 1], 10 * lane.rows[i]);
    assert.equal(lane.bins[i * p.stride], bm.bins[lane.rows[i]]);
  }
  // Split the right child again, missing to the right this time (none there).
  p.split(2, 3, 4, 0, 5, 2, false);
  assert.deepEqual(rows(3), [6]);
  assert.deepEqual(rows(4), [0, 3]);
});

test('missing right; only-missing-left split (splitBin -1)', () => {
  const p = new RowPartitioner(bm);
  p.reset(gpair);
  p.split(0, 1, 2, 0, 5, -1, true);
  assert.deepEqual([...p.lane(1).rows.subarray(p.begin(1), p.end(1))], [1, 5]);
  p.reset(gpair);
  p.split(0, 1, 2, 0, 5, 4, false);
  assert.deepEqual([...p.lane(2).rows.subarray(p.begin(2), p.end(2))], [1, 5]);
  assert.equal(p.size(1), 6);
});
