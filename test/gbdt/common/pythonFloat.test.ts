import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonFloatRepr, reportedValue } from '../../../src/gbdt/common/pythonFloat.ts';

test("pythonFloatRepr is Python's repr of a float", () => {
  // Expected strings are what /usr/bin/python3 prints for repr(v).
  const cases: [number, string][] = [
    [0.5, '0.5'],
    [1, '1.0'],
    [0.73, '0.73'],
    [1e-5, '1e-05'],
    [1e-4, '0.0001'],
    [0.0001234, '0.0001234'],
    [123.456, '123.456'],
    [1e16, '1e+16'],
    [9999999999999998, '9999999999999998.0'],
    [1.5e16, '1.5e+16'],
    [-2.5e-7, '-2.5e-07'],
    [0.6931471805599453, '0.6931471805599453'],
    [100, '100.0'],
    [12345678901234568, '1.2345678901234568e+16'],
    [0, '0.0'],
    [NaN, 'nan'],
  ];
  for (const [v, text] of cases) assert.equal(pythonFloatRepr(v), text, String(v));
});

test('reportedValue is the value rounded to 17 decimals, as XGBoost prints eval results', () => {
  assert.equal(reportedValue(0.6931471805599453), 0.6931471805599453);
  assert.equal(reportedValue(1.23456789012345678e-10), 1.2345679e-10);
  assert.ok(Number.isNaN(reportedValue(NaN)));
});
