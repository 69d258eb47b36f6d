// The JSON writer's numbers (jsonText.ts writes digits straight into its buffer) are exactly
// formatFloat32's and String's texts, at the edges of the int32 fast path and of the float32
// fast path (shortestFloat32) too; and the fast path decides nearly every value a model holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentToJson } from '../../../src/gbdt/io/jsonText.ts';
import { TypedValues } from '../../../src/gbdt/io/document.ts';
import { formatFloat32, shortestFloat32 } from '../../../src/gbdt/io/float32Text.ts';

function randomFloats(n: number): Float32Array {
  const bits = new Uint32Array(n);
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bits[i] = s >>> 0;
  }
  // Finite values only (the writer refuses the others).
  return new Float32Array(bits.buffer).filter((v) => Number.isFinite(v));
}

test('float32 arrays are written as formatFloat32 writes each value', () => {
  const values = [...randomFloats(50_000), 0, -0, 1, -1, 0.5, 9.999999, 3.4028234663852886e38, -1.401298464324817e-45, 1.1754943508222875e-38, 1e-10, 123456789, 0.02, -0.0137];
  const text = documentToJson(new TypedValues('f32', Float32Array.from(values)));
  assert.equal(text, `[${values.map((v) => formatFloat32(v)).join(',')}]`);
});

test('integer arrays are written as String writes them, across the int32 fast path\'s edges', () => {
  const values = [0, -0, 1, -1, 9, 10, 99, 100, 2147483647, -2147483647, -2147483648, 2147483648, -2147483649, 4294967295, 1e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 999999999, 1000000000];
  for (let i = 0; i < 1000; i++) values.push(Math.floor((i * 7919) % 100003) - 50000);
  const text = documentToJson(new TypedValues('i64', values));
  assert.equal(text, `[${values.map((v) => String(Object.is(v, -0) ? 0 : v)).join(',')}]`);
});

test('the fast path decides nearly all leaf weights and hessian sums (exact ties are left to the exact path)', () => {
  let decided = 0;
  let total = 0;
  for (let i = 1; i <= 20_000; i++) {
    for (const v of [0.02 * Math.sin(i), Math.sqrt(i) * 13.7, 1 / (i + 0.5), -0.0137 * Math.cos(i)]) {
      total++;
      if (shortestFloat32(Math.fround(v))) decided++;
    }
  }
  assert.ok(decided / total > 0.99, `${decided} of ${total} decided`);
});
