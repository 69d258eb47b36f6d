import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countText } from '../../../src/gbdt/common/countText.ts';

test('countText groups integers as toLocaleString("en-US") does', () => {
  const cases = [0, 1, 12, 123, 999, 1000, 1234, 12345, 123456, 1234567, 100000, 1000000, -1, -1234, -1234567, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (let p = 1; p < 1e15; p *= 7) cases.push(p, p - 1, -p);
  for (const n of cases) assert.equal(countText(n), n.toLocaleString('en-US'), String(n));
});

test('countText writes what is not a safe integer plainly (the trainer never passes one)', () => {
  assert.equal(countText(Infinity), 'Infinity');
  assert.equal(countText(NaN), 'NaN');
  assert.equal(countText(1.5), '1.5');
  assert.equal(countText(-0), '0');
});
