import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DataError } from '../../../src/core/index.ts';
import { auc, rocAucScore, rocCurve } from '../../../src/ml/index.ts';
import { loadFixture, nums } from '../preprocess/mlFixtures.ts';

const fixture = loadFixture('metrics.json');
const sha256 = (a: Float64Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

function assertSameFloats(actual: Float64Array, expected: readonly (number | null)[], what: string) {
  assert.deepEqual(Array.from(actual), Array.from(nums(expected)), what); // deepEqual: NaN equals NaN, exact otherwise
}

test('rocCurve equals sklearn 1.2.1 roc_curve on edge cases (ties, single class, corners)', () => {
  for (const c of fixture.cases) {
    for (const [key, drop] of [['roc', true], ['rocAll', false]] as const) {
      const r = rocCurve(c.yTrue, c.yScore, { dropIntermediate: drop });
      assertSameFloats(r.fpr, c[key].fpr, `${c.name} ${key} fpr`);
      assertSameFloats(r.tpr, c[key].tpr, `${c.name} ${key} tpr`);
      assertSameFloats(r.thresholds, c[key].thresholds, `${c.name} ${key} thresholds`);
      assert.deepEqual([...r.warnings].sort(), c.rocWarnings, `${c.name} warnings`);
    }
  }
});

test('rocAucScore equals roc_auc_score, and raises sklearn\'s error for a single class', () => {
  for (const c of fixture.cases) {
    if (c.aucError) {
      assert.throws(() => rocAucScore(c.yTrue, c.yScore), (e: unknown) => e instanceof DataError && e.message === c.aucError, c.name);
    } else {
      assert.equal(rocAucScore(c.yTrue, c.yScore), c.auc, c.name);
    }
  }
});

test('ROC and AUC on the real test split with fixed scores are exact', () => {
  const r = fixture.real;
  if (!r) return; // generated without the real dataset
  const y = Int32Array.from(r.yTrue);
  const s = Float64Array.from(r.yScore);
  const roc = rocCurve(y, s);
  assertSameFloats(roc.fpr, r.roc.fpr, 'fpr');
  assertSameFloats(roc.tpr, r.roc.tpr, 'tpr');
  assertSameFloats(roc.thresholds, r.roc.thresholds, 'thresholds');
  const all = rocCurve(y, s, { dropIntermediate: false });
  assert.equal(all.fpr.length, r.rocAll.length);
  assert.equal(sha256(all.fpr), r.rocAll.fprSha256);
  assert.equal(sha256(all.tpr), r.rocAll.tprSha256);
  assert.equal(sha256(all.thresholds), r.rocAll.thresholdsSha256);
  assert.equal(rocAucScore(y, s), r.auc);
});

test('rocCurve refuses bad input', () => {
  assert.throws(() => rocCurve([0, 1], [0.5]), (e: unknown) => e instanceof DataError && e.code === 'metrics.lengthMismatch');
  assert.throws(() => rocCurve([], []), (e: unknown) => e instanceof DataError && e.code === 'metrics.empty');
  assert.throws(() => rocCurve([0, 2], [0.1, 0.2]), (e: unknown) => e instanceof DataError && /y_true\[1\] is 2/.test(e.message));
  assert.throws(() => rocCurve([0, 1], [0.1, NaN]), (e: unknown) => e instanceof DataError && e.code === 'metrics.nonFiniteScore');
  assert.throws(() => rocCurve([0, 1], [0.1, Infinity]), DataError);
});

test('auc integrates increasing and decreasing curves and refuses non-monotonic x', () => {
  assert.equal(auc([0, 0.5, 1], [0, 1, 1]), 0.75);
  assert.equal(auc([1, 0.5, 0], [1, 1, 0]), 0.75);
  assert.throws(() => auc([0, 1, 0.5], [0, 1, 1]), (e: unknown) => e instanceof DataError && e.code === 'metrics.notMonotonic');
});
