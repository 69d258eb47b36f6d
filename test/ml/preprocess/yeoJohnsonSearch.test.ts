// The Yeo-Johnson search's shortcuts (distinct values read through an index, the kept
// transformed column, the searches shared with worker threads) against a plain reference:
// every value transformed, summed in numpy's order, minimised by the same Brent. Same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  brentMinimize,
  numpySum,
  numpySumGather,
  numpySumSquaredDeviations,
  numpySumSquaredDeviationsGather,
  yeoJohnsonLambda,
  yeoJohnsonSearch,
  yeoJohnsonSearches,
  yeoJohnsonValue,
} from '../../../src/ml/index.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/** The search as written before any shortcut: scikit-learn's statements, one value at a time. */
function referenceLambda(values: Float64Array): number {
  const x = values.filter((v) => !Number.isNaN(v));
  const n = x.length;
  const signedLogSum = numpySum(x.map((v) => Math.sign(v) * Math.log1p(Math.abs(v))));
  return brentMinimize((lambda) => {
    const t = x.map((v) => yeoJohnsonValue(v, lambda));
    const mean = numpySum(t) / n;
    const variance = numpySumSquaredDeviations(t, mean) / n;
    if (variance < 2.2250738585072014e-308) return Infinity;
    return -((-n / 2) * Math.log(variance) + (lambda - 1) * signedLogSum);
  }, [-2, 2]).x;
}

function assertSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

test('numpySumGather and numpySumSquaredDeviationsGather give the bits of the sums of the gathered array', () => {
  const next = rng(7);
  for (const n of [0, 1, 7, 8, 9, 15, 127, 128, 129, 1000, 8191, 8192, 8193, 20001]) {
    const table = Float64Array.from({ length: 37 }, () => (next() - 0.3) * 10 ** Math.floor(next() * 12 - 6));
    const index = Int32Array.from({ length: n }, () => Math.floor(next() * table.length));
    const gathered = Float64Array.from(index, (k) => table[k]);
    assert.ok(Object.is(numpySumGather(table, index), numpySum(gathered)), `sum n=${n}`);
    const mean = numpySum(gathered) / Math.max(1, n);
    assert.ok(Object.is(numpySumSquaredDeviationsGather(table, index, mean), numpySumSquaredDeviations(gathered, mean)), `squares n=${n}`);
  }
});

test('yeoJohnsonSearch: the lambda of the reference search, and the column transformed with it value by value', () => {
  const next = rng(3);
  const columns: Record<string, Float64Array> = {
    // few distinct values (the indexed path), both zeros, negatives and NaN
    repeated: Float64Array.from({ length: 5000 }, (_, i) => (i % 31 === 0 ? NaN : i % 17 === 0 ? -0 : i % 13 === 0 ? 0 : Math.floor(next() * 40) * 0.25 - 3)),
    // nearly all distinct (the direct path, with the kept evaluation)
    distinct: Float64Array.from({ length: 6000 }, (_, i) => (i % 97 === 0 ? NaN : 20000 + next() * 90000)),
    noNaN: Float64Array.from({ length: 3000 }, () => next() * 5),
    constant: new Float64Array(500).fill(4),
    single: Float64Array.of(NaN, 2.5, NaN),
  };
  for (const [name, v] of Object.entries(columns)) {
    const expected = referenceLambda(v);
    const s = yeoJohnsonSearch(v);
    assert.ok(Object.is(s.lambda, expected), `${name}: lambda ${s.lambda} vs ${expected}`);
    assert.ok(Object.is(yeoJohnsonLambda(v), expected), `${name}: yeoJohnsonLambda`);
    assertSameBits(s.transformed, v.map((x) => yeoJohnsonValue(x, s.lambda)), name);
  }
});

test('yeoJohnsonSearch attack: values crafted to collide in the distinct-value hash stay linear and exact', () => {
  // imul(z, B) = k for z = imul(invB, k): every crafted value hashes to the first buckets, so an
  // unbounded linear-probing table would take ~n^2/2 probes (minutes at this size).
  const B = 0x85ebca6b;
  let inv = B;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(B, inv));
  assert.equal(Math.imul(B, inv), 1);
  const f64 = new Float64Array(1);
  const w = new Int32Array(f64.buffer);
  f64[0] = 1234.5;
  const hi = w[1];
  const crafted = 60000;
  const v = new Float64Array(4 * crafted);
  for (let k = 0; k < crafted; k++) {
    w[0] = Math.imul(inv, k) ^ Math.imul(hi, 0x9e3779b1);
    w[1] = hi;
    v[k] = f64[0];
  }
  v.fill(7, crafted); // three quarters one value: the sample says "repeats", so the table is built
  const s = yeoJohnsonSearch(v);
  assert.ok(Object.is(s.lambda, referenceLambda(v)));
  assertSameBits(s.transformed, v.map((x) => yeoJohnsonValue(x, s.lambda)), 'crafted');
});

test('yeoJohnsonSearches on this thread and a worker: the bits of the one-thread searches, in column order', async () => {
  const next = rng(11);
  const columns = [
    Float64Array.from({ length: 4000 }, () => Math.floor(next() * 50)),
    Float64Array.from({ length: 5000 }, (_, i) => (i % 23 === 0 ? NaN : next() * 1e5)),
    Float64Array.from({ length: 3000 }, () => next() - 0.5),
  ];
  const expected = columns.map((c) => yeoJohnsonSearch(c));
  for (const threads of [2, 3]) {
    const found = await yeoJohnsonSearches(columns, { threads, minValuesForWorkers: 0 });
    found.forEach((s, j) => {
      assert.ok(Object.is(s.lambda, expected[j].lambda), `threads ${threads} column ${j}`);
      assertSameBits(s.transformed, expected[j].transformed, `threads ${threads} column ${j}`);
    });
  }
  assert.equal(columns[1].length, 5000); // the caller's arrays are not transferred away
});

test('fitStandardScaler gives the bits of the two-pass formula written out (with NaN, -0 and infinities)', async () => {
  const { fitStandardScaler } = await import('../../../src/ml/index.ts');
  const reference = (values: Float64Array) => {
    const nanToZero = (v: Float64Array) => v.map((x) => (Number.isNaN(x) ? 0 : x));
    const count = values.filter((x) => !Number.isNaN(x)).length;
    const sum = (a: Float64Array) => numpySum(count < values.length ? nanToZero(a) : a);
    const mean = sum(values) / count;
    const temp = values.map((x) => x - mean);
    const correction = sum(temp);
    const variance = (sum(temp.map((d) => d * d)) - (correction * correction) / count) / count;
    const constant = variance <= count * 2.220446049250313e-16 * variance + (count * mean * 2.220446049250313e-16) ** 2;
    return { mean, scale: constant ? 1.0 : Math.sqrt(variance) };
  };
  const next = rng(5);
  const cases = [
    Float64Array.from({ length: 10000 }, () => (next() - 0.4) * 1e3),
    Float64Array.from({ length: 9000 }, (_, i) => (i % 11 === 0 ? NaN : i % 7 === 0 ? -0 : next())),
    Float64Array.of(1, Infinity, 2),
    Float64Array.of(NaN, Infinity, 2),
    Float64Array.of(NaN, NaN),
    new Float64Array(300).fill(-0),
  ];
  for (const [k, v] of cases.entries()) {
    const a = fitStandardScaler(v);
    const b = reference(v);
    assert.ok(Object.is(a.mean, b.mean) && Object.is(a.scale, b.scale), `case ${k}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});
