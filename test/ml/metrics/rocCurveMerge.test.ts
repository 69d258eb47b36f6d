// binaryClfCurve sorts each class's scores natively and merges them; these check it against
// the straightforward form (row indices sorted by score, scikit-learn's order) on inputs with
// many ties, signed zeros and extreme values, and that the AUC from a curve is rocAucScore's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryClfCurve, rocAucFromCurve, rocAucScore, rocCurve } from '../../../src/ml/index.ts';
import { DataError } from '../../../src/core/errors.ts';

function reference(y: ArrayLike<number>, s: ArrayLike<number>) {
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  order.forEach((i, k) => {
    tp += y[i];
    if (k === order.length - 1 || s[i] !== s[order[k + 1]]) {
      tps.push(tp);
      fps.push(1 + k - tp);
      thresholds.push(s[i]);
    }
  });
  return { fps, tps, thresholds };
}

function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

test('the merged sort gives scikit-learn\'s points on tied, skewed and extreme scores', () => {
  const r = random(7);
  const cases: [number[], number[]][] = [
    [[0, 1], [0.5, 0.5]],
    [[1, 1, 0], [0.2, 0.9, 0.9]],
    [[0, 1, 0, 1], [Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -5e-324]],
  ];
  for (const [n, levels, pPos] of [[1000, 7, 0.3], [5000, 1e9, 0.5], [2000, 3, 0.01], [300, 50, 0.99]]) {
    const y = Array.from({ length: n }, () => (r() < pPos ? 1 : 0));
    const s = y.map((v) => Math.floor((0.3 * v + 0.7 * r()) * levels) / levels - 0.25);
    cases.push([y, s]);
  }
  for (const [y, s] of cases) {
    const got = binaryClfCurve(y, s);
    const want = reference(y, s);
    assert.deepEqual([...got.fps], want.fps);
    assert.deepEqual([...got.tps], want.tps);
    assert.deepEqual([...got.thresholds], want.thresholds);
  }
});

test('signed zeros keep the threshold the index sort reports', () => {
  const y = [1, 0, 1, 0, 1];
  const s = [0, -0, 0.5, -0, -1];
  const got = binaryClfCurve(y, s);
  const want = reference(y, s);
  assert.deepEqual([...got.fps], want.fps);
  assert.deepEqual([...got.tps], want.tps);
  got.thresholds.forEach((t, i) => assert.ok(Object.is(t, want.thresholds[i]), `threshold ${i}`));
});

test('rocAucFromCurve is rocAucScore, and refuses a single class like it', () => {
  const r = random(11);
  const y = Array.from({ length: 4000 }, () => (r() < 0.2 ? 1 : 0));
  const s = y.map((v) => Math.round((0.4 * v + r()) * 1000) / 1000);
  assert.equal(rocAucFromCurve(rocCurve(y, s)), rocAucScore(y, s));
  assert.throws(() => rocAucFromCurve(rocCurve([1, 1, 1], [0.1, 0.2, 0.3])), DataError);
  assert.throws(() => rocAucScore([1, 1, 1], [0.1, 0.2, 0.3]), DataError);
});
