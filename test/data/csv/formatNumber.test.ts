// writeNumber must write exactly String(x): every CSV artifact between the pipeline's steps
// (and their golden hashes) depends on it, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NUMBER_BYTES, writeNumber } from '../../../src/data/csv/formatNumber.ts';

const buf = Buffer.alloc(64);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Deterministic 32-bit generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function mismatches(values: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const x of values) {
    buf.fill(0);
    const end = writeNumber(buf, 3, x) - 3;
    const got = buf.toString('latin1', 3, 3 + end);
    if (got !== String(x) || end > MAX_NUMBER_BYTES) bad.push(`${String(x)} -> ${got}`);
    if (bad.length > 5) break;
  }
  return bad;
}

function* generated(n: number, seed: number, make: (r: () => number) => number): Generator<number> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) yield make(r);
}

const unit = (r: () => number) => (r() * 2 ** 21 + (r() >>> 11)) / 2 ** 53;

test('writeNumber equals String(x) on random bit patterns, decimals, augmented and standardised values', () => {
  const cases: [string, (r: () => number) => number][] = [
    ['random bits', (r) => {
      u32[0] = r();
      u32[1] = r();
      return f64[0];
    }],
    ['uniform [0, 1)', unit],
    ['income + normal noise', (r) => 59000 + (unit(r) - 0.5) * 40],
    ['two-decimal amounts', (r) => Math.round(unit(r) * 1e7) / 100],
    ['percent + k / 1000', (r) => Math.round(unit(r) * 100) / 100 + (r() % 100) / 1000],
    ['log-uniform, both signs', (r) => (r() & 1 ? -1 : 1) * Math.exp((unit(r) - 0.5) * 90)],
    ['1 to 17 digits, point anywhere', (r) => Number(String(Math.floor(unit(r) * 10 ** (1 + (r() % 17))))) / 10 ** (r() % 23)],
    ['large integers', (r) => Math.floor(unit(r) * 2 ** 62) * (r() & 1 ? -1 : 1)],
  ];
  for (const [name, make] of cases) assert.deepEqual(mismatches(generated(200_000, name.length, make)), [], name);
});

test('writeNumber attack: powers of two, exact ties, neighbours of powers of ten, extremes and specials equal String(x)', () => {
  const specials = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2 ** 53, 2 ** 53 - 1, 2 ** 53 + 2, 1e21, 1e21 - 65536, 1e-7, 1e-6, Number('9.999999999999999e-7'), 1e15, Number('999999999999999.9'), 0.1, 0.2, 0.30000000000000004, 1 / 3, 9.5, 0.5, 1.5, 2.5, 123456789012345.6, 0.000123456789012345];
  const values: number[] = [...specials];
  for (let e = -1074; e <= 1023; e++) {
    const p = 2 ** e;
    values.push(p, -p, p * (1 + 2 ** -52), p * (1 - 2 ** -53));
  }
  for (let e = -30; e <= 30; e++) {
    for (let d = -40; d <= 40; d++) {
      f64[0] = Number(`1e${e}`);
      u32[0] += d;
      values.push(f64[0]);
    }
  }
  // decimals halfway between two 15/16/17-digit neighbours
  for (let k = 0; k < 2000; k++) values.push(Number(`0.${String(k).padStart(4, '0')}5`), Number(`${k}.5e-${k % 20}`), Number(`1${'0'.repeat(k % 15)}.5`));
  assert.deepEqual(mismatches(values), []);
});
