import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markLeft, scatterRows, TempLane } from '../../../../src/gbdt/grow/hist/rowPartitioner.ts';
import { splitLut } from '../../../../src/gbdt/data/packedMatrix.ts';
import { nodeHistogram, problem, rowsOf, splitNode } from './helpers.ts';

// One feature with values 0..4 (bins 0..4) and NaN (missing slot 5).
const values = [3, NaN, 0, 4, 1, NaN, 2, 0];
const gpair = Float32Array.from(values.flatMap((_, r) => [r, 10 * r]));

test('split is stable, sends bin <= splitBin left and missing to the default side, gradients and bins follow rows', () => {
  const p = problem(values, values.length, 1, gpair, { indexModeRows: 0 });
  splitNode(p, 0, 1, 2, 0, 1, true);
  assert.deepEqual(rowsOf(p, 1), [1, 2, 4, 5, 7]);
  assert.deepEqual(rowsOf(p, 2), [0, 3, 6]);
  const lane = p.part.lane(1);
  assert.equal(lane, p.part.lane(2));
  const R = p.part.shape.words;
  for (let i = 0; i < values.length; i++) {
    const row = lane.words[i * R + 2];
    assert.equal(lane.f32[i * R], row);
    assert.equal(lane.f32[i * R + 1], 10 * row);
    assert.equal(lane.bins[i * p.part.shape.binStride + p.part.shape.binBase], p.bm.bins[row]);
  }
  // Split the right child again (from lane 1 into lane 2), missing to the right (none there).
  splitNode(p, 2, 3, 4, 0, 2, false);
  assert.deepEqual(rowsOf(p, 3), [6]);
  assert.deepEqual(rowsOf(p, 4), [0, 3]);
  assert.notEqual(p.part.lane(3), p.part.lane(2));
});

test('missing right; only-missing-left split (splitBin -1); reset brings every row back', () => {
  const p = problem(values, values.length, 1, gpair);
  splitNode(p, 0, 1, 2, 0, -1, true);
  assert.deepEqual(rowsOf(p, 1), [1, 5]);
  p.part.reset(gpair);
  splitNode(p, 0, 1, 2, 0, 4, false);
  assert.deepEqual(rowsOf(p, 2), [1, 5]);
  assert.equal(p.part.size(1), 6);
});

test('partitioning in chunks (count, then scatter from offsets) equals one pass, as threads do it', () => {
  const n = 1000;
  const data = Float64Array.from({ length: n * 3 }, (_, i) => ((i * 7919) % 97) - 40);
  const g = Float32Array.from({ length: 2 * n }, (_, i) => i);
  const one = problem(data, n, 3, g, { indexModeRows: 0 });
  const chunked = problem(data, n, 3, g, { indexModeRows: 0 });
  splitNode(one, 0, 1, 2, 1, 30, false);
  const lut = new Uint8Array(1024);
  for (let b = 0; b <= 30; b++) lut[b] = 1;
  const { part, pm } = chunked;
  const col = pm.featureCol[1];
  const cuts = [0, 137, 500, 999, 1000];
  const counts = cuts.slice(1).map((e, k) => markLeft(part.lanes[0], part.shape, col, lut, part.goLeft, cuts[k], e));
  const nLeft = counts.reduce((a, b) => a + b, 0);
  let l = 0;
  let r = nLeft;
  cuts.slice(1).forEach((e, k) => {
    scatterRows(part.lanes[0], part.lanes[1], part.shape, part.goLeft, cuts[k], e, l, r);
    l += counts[k];
    r += e - cuts[k] - counts[k];
  });
  assert.deepEqual(Array.from(part.lanes[1].words), Array.from(one.part.lanes[1].words));
});

test('small nodes pass positions instead of records, with the same rows in the same order', () => {
  const n = 1000;
  const data = Float64Array.from({ length: n * 2 }, (_, i) => ((i * 7919) % 97) - 40);
  const g = Float32Array.from({ length: 2 * n }, (_, i) => i);
  const moved = problem(data, n, 2, g, { indexModeRows: 0 });
  const indexed = problem(data, n, 2, g, { indexModeRows: 600 });
  for (const p of [moved, indexed]) {
    splitNode(p, 0, 1, 2, 0, 40, false); // 1000 rows: records move in both
    splitNode(p, 1, 3, 4, 1, 20, true);
    splitNode(p, 2, 5, 6, 1, 60, false);
    splitNode(p, 3, 7, 8, 0, 10, false);
  }
  assert.equal(indexed.part.positions(1), null, 'node 1 came from the 1000-row root: records');
  assert.notEqual(indexed.part.positions(3), null, 'children of a node with <= 600 rows: positions');
  for (const nid of [3, 4, 5, 6, 7, 8]) {
    assert.deepEqual(rowsOf(indexed, nid), rowsOf(moved, nid), `node ${nid}`);
    assert.deepEqual(nodeHistogram(indexed, nid), nodeHistogram(moved, nid), `histogram of node ${nid}`);
  }
});

test('the one-pass split for a built child (splitForBuild) gives each child the same rows, in order, as split', () => {
  const n = 3000;
  // Two shapes: 3 one-byte columns (generic record copy) and 11 (the float64 copy path).
  for (const nCols of [3, 11]) {
    const data = Float64Array.from({ length: n * nCols }, (_, i) => (i % 13 === 0 ? NaN : ((i * 7919) % 97) - 40));
    const g = Float32Array.from({ length: 2 * n }, (_, i) => i);
    for (const builtLeft of [true, false]) {
      const ref = problem(data, n, nCols, g, { indexModeRows: 0, bundle: false });
      const one = problem(data, n, nCols, g, { indexModeRows: 0, bundle: false });
      const lut = new Uint8Array(1024);
      const col = splitLut(one.pm, one.bm.nBins[1], 1, 40, true, lut);
      ref.part.split(0, 1, 2, col, lut);
      const temp = new TempLane(one.part.shape, one.pm.bytesPerBin);
      one.part.splitForBuild(0, 1, 2, builtLeft ? 1 : 2, col, lut, temp);
      for (const child of [1, 2]) {
        assert.deepEqual(rowsOf(one, child), rowsOf(ref, child));
        assert.deepEqual(nodeHistogram(one, child), nodeHistogram(ref, child));
      }
      // The built child comes second in the parent's range.
      const built = builtLeft ? 1 : 2;
      assert.equal(one.part.end(built), n);
      assert.equal(one.part.begin(built), one.part.end(3 - built));
    }
  }
});
