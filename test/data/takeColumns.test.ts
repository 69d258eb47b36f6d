import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKETED_TAKE_MIN_ROWS, categoricalColumn, numericColumn, Table, takeColumn, takeColumns, type Column } from '../../src/data/index.ts';

const arrayOf = (c: Column): Float64Array | Int32Array => (c.kind === 'numeric' ? c.values : c.codes);

function columns(n: number): Column[] {
  return [
    numericColumn('x', Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i * 1.25 - 3))),
    categoricalColumn('c', Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : i % 3)), ['a', 'b', 'c']),
    numericColumn('y', Float64Array.from({ length: n }, (_, i) => -i)),
  ];
}

test('takeColumns gathers through buckets for large tables, value for value what takeColumn gives', () => {
  const n = BUCKETED_TAKE_MIN_ROWS + 12345;
  const cols = columns(n);
  let s = 17;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const repeated = Int32Array.from({ length: n + 1000 }, (_, i) => (i * 7919) % n); // repeats, any order
  for (const idx of [perm, repeated, perm.subarray(0, BUCKETED_TAKE_MIN_ROWS)]) {
    const got = takeColumns(cols, idx);
    cols.forEach((c, j) => assert.deepEqual(arrayOf(got[j]), arrayOf(takeColumn(c, idx)), c.name));
    assert.deepEqual(got.map((c) => c.name), ['x', 'c', 'y']);
    assert.equal((got[1] as { dictionary: readonly string[] }).dictionary, (cols[1] as { dictionary: readonly string[] }).dictionary);
  }
  assert.deepEqual(new Table(cols).take(perm).columns.map(arrayOf), cols.map((c) => arrayOf(takeColumn(c, perm))));
});

test('attack: out-of-range and fractional indices keep takeColumn\'s behaviour (NaN / 0), never a wrong bucket', () => {
  const n = BUCKETED_TAKE_MIN_ROWS + 10;
  const cols = columns(n);
  for (const bad of [-1, n, 2.5, NaN, 2 ** 40]) {
    const idx = Float64Array.from({ length: n }, (_, i) => (i === 100 ? bad : n - 1 - i));
    const got = takeColumns(cols, idx);
    cols.forEach((c, j) => assert.deepEqual(arrayOf(got[j]), arrayOf(takeColumn(c, idx)), `${c.name} with ${bad}`));
  }
});
