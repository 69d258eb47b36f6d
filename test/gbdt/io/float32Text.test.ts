import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat32, formatParamFloat } from '../../../src/gbdt/io/float32Text.ts';

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

test('float32 parameters print like dmlc parameters in saved models ("%.9g")', () => {
  // Expected texts are what C's printf("%.9g", (float)v) prints.
  const cases: [number, string][] = [
    [1, '1'],
    [2.5, '2.5'],
    [0.3, '0.300000012'],
    [0.1, '0.100000001'],
    [100, '100'],
    [123456789, '123456792'],
    [1e9, '1e+09'],
    [1234567890, '1.23456794e+09'],
    [0.0001, '9.99999975e-05'],
    [1e-5, '9.99999975e-06'],
    [0, '0'],
  ];
  for (const [v, s] of cases) assert.equal(formatParamFloat(v), s, String(v));
});
