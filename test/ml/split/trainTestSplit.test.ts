import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DataError, UsageError } from '../../../src/core/index.ts';
import { trainTestSplit } from '../../../src/ml/index.ts';
import { skipWithoutRealData } from '../../helpers/sharedData.ts';
import { loadFixture } from '../preprocess/mlFixtures.ts';

const fixture = loadFixture('split.json');

const sha256 = (a: Int32Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

test('trainTestSplit equals sklearn train_test_split on synthetic sizes', () => {
  for (const c of fixture.trainTestSplit) {
    const { train, test } = trainTestSplit(c.n, { testSize: c.testSize, seed: c.seed });
    assert.deepEqual(Array.from(train), c.train, `train n=${c.n} seed=${c.seed}`);
    assert.deepEqual(Array.from(test), c.test, `test n=${c.n} seed=${c.seed}`);
  }
});

test('trainTestSplit defaults to test_size 0.25 and seed 0', () => {
  const c = fixture.trainTestSplit.find((x: { n: number; seed: number; testSize: number }) => x.n === 100 && x.seed === 0 && x.testSize === 0.25);
  const { train, test } = trainTestSplit(100);
  assert.deepEqual(Array.from(train), c.train);
  assert.deepEqual(Array.from(test), c.test);
});

test('trainTestSplit reproduces the reference split of the real dataset', { skip: skipWithoutRealData() }, () => {
  const r = fixture.real;
  assert.ok(r, 'split.json was generated without the real dataset; rerun make_fixtures.py');
  const { train, test } = trainTestSplit(r.n, { testSize: 0.25, seed: 0 });
  assert.equal(train.length, r.nTrain);
  assert.equal(test.length, r.nTest);
  assert.deepEqual(Array.from(train.slice(0, 200)), r.trainHead);
  assert.deepEqual(Array.from(test.slice(-200)), r.testTail);
  assert.equal(sha256(train), r.trainSha256);
  assert.equal(sha256(test), r.testSha256);
});

test('the real-data fixture alone pins the split of 32,581 rows', () => {
  const r = fixture.real;
  if (!r) return;
  const { train, test } = trainTestSplit(r.n);
  assert.deepEqual(Array.from(train.slice(-200)), r.trainTail);
  assert.deepEqual(Array.from(test.slice(0, 200)), r.testHead);
  assert.equal(sha256(train), r.trainSha256);
});

test('trainTestSplit partitions all rows', () => {
  const { train, test } = trainTestSplit(1001, { testSize: 0.3, seed: 9 });
  assert.equal(test.length, Math.ceil(0.3 * 1001));
  const all = [...train, ...test].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 1001 }, (_, i) => i));
});

test('trainTestSplit refuses bad test sizes and too few rows', () => {
  for (const ts of [0, 1, -0.1, 1.5, NaN, Infinity]) {
    assert.throws(() => trainTestSplit(10, { testSize: ts }), (e: unknown) => e instanceof UsageError && e.code === 'split.badTestSize' && e.message.includes(String(ts)));
  }
  assert.throws(() => trainTestSplit(1), (e: unknown) => e instanceof DataError && e.code === 'split.tooFewRows' && /cannot split 1 rows/.test(e.message));
  assert.throws(() => trainTestSplit(0), DataError);
  assert.throws(() => trainTestSplit(10, { seed: -1 }), (e: unknown) => e instanceof UsageError && e.code === 'split.badSeed');
  assert.throws(() => trainTestSplit(10, { seed: 1.5 }), UsageError);
});
