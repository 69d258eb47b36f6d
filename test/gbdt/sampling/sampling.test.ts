import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { ColumnSampler, RowSampler } from '../../../src/gbdt/sampling/index.ts';

const isSubset = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((x) => Array.prototype.includes.call(b, x));
const sorted = (a: Int32Array) => a.every((x, i) => i === 0 || a[i - 1] < x);

test('colsample_bytree keeps floor(rate * n) features per tree, sorted, drawn again for each tree', () => {
  const s = new ColumnSampler(10, { bytree: 0.5, bylevel: 1, bynode: 1 }, new RandomState(1));
  const seen = new Set<string>();
  for (let t = 0; t < 20; t++) {
    s.startTree();
    const f = s.featuresFor(0)!;
    assert.equal(f.length, 5);
    assert.ok(sorted(f));
    // Every node of the tree sees the same set.
    assert.deepEqual(s.featuresFor(3), f);
    seen.add(f.join(','));
  }
  assert.ok(seen.size > 10, 'trees draw different sets');
});

test('bylevel draws from the tree set once per depth, bynode from the level set for each node', () => {
  const s = new ColumnSampler(20, { bytree: 0.5, bylevel: 0.6, bynode: 0.5 }, new RandomState(2));
  const byLevel = new ColumnSampler(20, { bytree: 0.5, bylevel: 0.6, bynode: 1 }, new RandomState(2));
  for (let t = 0; t < 10; t++) {
    s.startTree();
    byLevel.startTree();
    const level0 = byLevel.featuresFor(0)!;
    assert.equal(level0.length, 6); // floor(0.6 * 10)
    assert.deepEqual(byLevel.featuresFor(0), level0, 'a depth keeps its level set');
    for (let depth = 0; depth < 4; depth++) {
      const node = s.featuresFor(depth)!;
      assert.equal(node.length, 3); // floor(0.5 * 6)
      assert.ok(sorted(node));
    }
  }
  // Nesting: the node sets of one depth all come from one level set, itself from the tree set.
  const nested = new ColumnSampler(12, { bytree: 0.5, bylevel: 0.5, bynode: 0.5 }, new RandomState(3));
  nested.startTree();
  const union = new Set<number>();
  for (let i = 0; i < 50; i++) nested.featuresFor(2)!.forEach((f) => union.add(f));
  assert.equal(union.size, 3, 'nodes at depth 2 draw from its 3-feature level set');
});

test('at least one feature is kept; the rate times n is a float32 product; seeds make draws repeatable', () => {
  const tiny = new ColumnSampler(5, { bytree: 0.01, bylevel: 0.01, bynode: 0.01 }, new RandomState(0));
  tiny.startTree();
  assert.equal(tiny.featuresFor(0)!.length, 1);
  // 0.3 in float32 times 10 is 3.0000001 in float32: floor gives 3 features.
  const s = new ColumnSampler(10, { bytree: 0.3, bylevel: 1, bynode: 1 }, new RandomState(0));
  s.startTree();
  assert.equal(s.featuresFor(0)!.length, 3);
  const draw = (seed: number) => {
    const c = new ColumnSampler(30, { bytree: 0.5, bylevel: 0.5, bynode: 0.5 }, new RandomState(seed));
    const out: number[][] = [];
    for (let t = 0; t < 3; t++) {
      c.startTree();
      for (let d = 0; d < 3; d++) out.push([...c.featuresFor(d)!]);
    }
    return out;
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  assert.ok(isSubset(draw(7)[1], Array.from({ length: 30 }, (_, i) => i)));
  assert.equal(ColumnSampler.isNeeded({ bytree: 1, bylevel: 1, bynode: 1 }), false);
});

test('subsample zeroes the gradient pairs of the rows it leaves out and keeps about rate * n', () => {
  const n = 10000;
  const gpair = new Float32Array(2 * n).fill(1);
  const kept = new RowSampler(0.3, new RandomState(4)).apply(gpair);
  let nonZero = 0;
  for (let i = 0; i < n; i++) {
    const g = gpair[2 * i];
    const h = gpair[2 * i + 1];
    assert.ok((g === 0 && h === 0) || (g === 1 && h === 1));
    if (h === 1) nonZero++;
  }
  assert.equal(nonZero, kept);
  assert.ok(Math.abs(kept / n - 0.3) < 0.02, `kept ${kept}`);
});
