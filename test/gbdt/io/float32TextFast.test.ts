// formatFloat32's fast path (one multiplication per probe) gives exactly the text of its
// definition (formatFloat32Exact: toExponential and Number per probe) for every float32 it is
// asked about: model files stay byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat32, formatFloat32Exact } from '../../../src/gbdt/io/float32Text.ts';

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);
const fromBits = (b: number): number => {
  bits[0] = b;
  return asFloat[0];
};

function mismatches(values: Iterable<number>): string[] {
  const out: string[] = [];
  for (const v of values) {
    const fast = formatFloat32(v);
    const exact = formatFloat32Exact(v);
    if (fast !== exact && out.length < 5) out.push(`${v}: ${fast} != ${exact}`);
  }
  return out;
}

function* randomBitPatterns(n: number): Generator<number> {
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    yield fromBits(s >>> 0);
  }
}

test('fast and exact texts agree on random float32 bit patterns (all magnitudes, NaN, infinities)', () => {
  assert.deepEqual(mismatches(randomBitPatterns(200_000)), []);
});

test('they agree next to powers of two and of ten (uneven rounding intervals, carries)', () => {
  function* near(): Generator<number> {
    for (let e = -149; e <= 127; e++) {
      const b = Math.fround(2 ** e);
      for (const s of [1, -1]) {
        bits[0] = 0;
        asFloat[0] = s * b;
        const at = bits[0];
        for (let d = -3; d <= 3; d++) yield fromBits((at + d) >>> 0);
      }
    }
    for (let e = -45; e <= 38; e++) {
      asFloat[0] = Number(`1e${e}`);
      const at = bits[0];
      for (let d = -20; d <= 20; d++) yield fromBits((at + d) >>> 0);
      asFloat[0] = Number(`9.5e${e}`);
      for (let d = -20; d <= 20; d++) yield fromBits((bits[0] + d) >>> 0);
    }
  }
  assert.deepEqual(mismatches(near()), []);
});

test('they agree on what models hold: short decimals, integers, cut values, leaf weights', () => {
  function* typical(): Generator<number> {
    for (let i = 0; i < 20_000; i++) {
      yield i;
      yield -i / 8;
      yield i / 1000;
      yield i * 0.0137 - 50;
      yield 1 / (i + 1);
      yield 0.02 * Math.sin(i);
    }
    yield* [0, -0, 0.5, 12.5, 7, -0.06, 2147483647, 3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, Infinity, -Infinity, NaN];
  }
  assert.deepEqual(mismatches(typical()), []);
  assert.equal(formatFloat32(-0), '-0E0');
  assert.equal(formatFloat32(9.999999), '9.999999E0');
  assert.equal(formatFloat32(0.1), '1E-1');
});

test('attack: halfway cases the doubles cannot decide fall back to the exact path', () => {
  // 0.5 and 2.5 * 10^k sit exactly halfway at one digit fewer: toExponential rounds ties up,
  // the fast path must not guess.
  for (const v of [0.25, 2.5, 0.125, 1.5, 2.25e-3, 6.103515625e-5, 1.00000005]) assert.equal(formatFloat32(v), formatFloat32Exact(v));
});
