import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeOrder } from '../../../src/gbdt/parallel/workerExecutor.ts';

test('nodeOrder: largest node first (ties by index) on levels that balance; undefined otherwise', () => {
  const sizes = [900, 100, 500, 500, 400, 300, 200, 100];
  assert.deepEqual(Array.from(nodeOrder(sizes, 2) ?? []), [0, 2, 3, 4, 5, 6, 1, 7]);
  // Too few nodes per share, or one node holding most rows: split rows instead.
  assert.equal(nodeOrder([10, 10, 10], 2), undefined);
  assert.equal(nodeOrder([9000, 10, 10, 10, 10, 10, 10, 10], 2), undefined);
  // Dealt largest first, 2 threads: 700 | 600 + 100 balances; 3 threads: 700 | 600 | 100 does not.
  assert.ok(nodeOrder([700, 600, 100, 0], 2));
  assert.equal(nodeOrder([700, 600, 100, 0, 0, 0], 3), undefined);
});
