import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat32 } from '../../../src/gbdt/io/float32Text.ts';

test('float32 values print like XGBoost: shortest round-trip digits, capital E exponent', () => {
  assert.equal(formatFloat32(0.5), '5E-1');
  assert.equal(formatFloat32(0), '0E0');
  assert.equal(formatFloat32(12.5), '1.25E1');
  assert.equal(formatFloat32(7), '7E0');
  assert.equal(formatFloat32(-0.06), '-6E-2');
  assert.equal(formatFloat32(Number('-6.0000002E-2')), '-6.0000002E-2');
  assert.equal(formatFloat32(-2 / 9), '-2.2222222E-1');
  assert.equal(formatFloat32(2147483647), '2.1474836E9');
  for (const v of [Math.PI, 1e-30, -123456.789, 3.4e38]) {
    assert.equal(Math.fround(Number(formatFloat32(v))), Math.fround(v));
  }
});
