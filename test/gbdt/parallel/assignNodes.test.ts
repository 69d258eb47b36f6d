import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignNodes } from '../../../src/gbdt/parallel/workerExecutor.ts';

test('assignNodes: largest node first to the least loaded share; balanced levels only', () => {
  const sizes = [900, 100, 500, 500, 400, 300, 200, 100];
  const owners = assignNodes(sizes, 2);
  assert.ok(owners);
  const load = [0, 0];
  sizes.forEach((s, k) => (load[owners[k]] += s));
  assert.deepEqual(load, [1500, 1500]);
  // Too few nodes per share, or one node holding most rows: split rows instead.
  assert.equal(assignNodes([10, 10, 10], 2), undefined);
  assert.equal(assignNodes([9000, 10, 10, 10, 10, 10, 10, 10], 2), undefined);
});
