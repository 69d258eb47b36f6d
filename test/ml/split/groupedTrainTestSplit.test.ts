import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DataError, UsageError } from '../../../src/core/index.ts';
import { groupedTrainTestSplit } from '../../../src/ml/index.ts';
import { loadFixture } from '../preprocess/mlFixtures.ts';

const fixture = loadFixture('split.json');
const sha256 = (a: Int32Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

test('groupedTrainTestSplit equals sklearn GroupShuffleSplit', () => {
  for (const c of fixture.groupShuffleSplit) {
    const { train, test } = groupedTrainTestSplit(Int32Array.from(c.groups), { testSize: c.testSize, seed: c.seed });
    assert.deepEqual(Array.from(train), c.train, `train of ${c.groups.length} rows`);
    assert.deepEqual(Array.from(test), c.test, `test of ${c.groups.length} rows`);
  }
});

test('groupedTrainTestSplit matches sklearn on 32,581 rows in blocks of seven', () => {
  const r = fixture.real;
  if (!r) return; // fixture generated without the real dataset: only its size is needed here
  const groups = Int32Array.from({ length: r.n }, (_, i) => Math.floor(i / 7));
  const { train, test } = groupedTrainTestSplit(groups, { testSize: 0.25, seed: 0 });
  assert.equal(train.length, r.groupsOfSeven.nTrain);
  assert.equal(test.length, r.groupsOfSeven.nTest);
  assert.deepEqual(Array.from(test.slice(0, 100)), r.groupsOfSeven.testHead);
  assert.equal(sha256(train), r.groupsOfSeven.trainSha256);
  assert.equal(sha256(test), r.groupsOfSeven.testSha256);
});

test('groupedTrainTestSplit keeps each group on one side, rows ascending', () => {
  const groups = Array.from({ length: 500 }, (_, i) => (i * 7919) % 61);
  const { train, test } = groupedTrainTestSplit(groups, { testSize: 0.2, seed: 3 });
  const testGroups = new Set(Array.from(test, (i) => groups[i]));
  for (const i of train) assert.ok(!testGroups.has(groups[i]), `group ${groups[i]} on both sides`);
  assert.equal(testGroups.size, Math.ceil(0.2 * 61));
  assert.equal(train.length + test.length, 500);
  for (const side of [train, test]) for (let k = 1; k < side.length; k++) assert.ok(side[k - 1] < side[k]);
});

test('groupedTrainTestSplit refuses too few groups and non-integer labels', () => {
  assert.throws(() => groupedTrainTestSplit([4, 4, 4]), (e: unknown) => e instanceof DataError && e.code === 'split.tooFewRows' && e.message.includes('1 groups'));
  assert.throws(() => groupedTrainTestSplit([1, 2.5]), (e: unknown) => e instanceof UsageError && e.code === 'split.badGroup' && e.message.includes('row 1'));
  assert.throws(() => groupedTrainTestSplit([1, 2, 3], { testSize: 1 }), UsageError);
});
